package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"

	"github.com/ssbtek/gateway/lookup"
)

// boundsConfig is what bounds the work one question may cause.
type boundsConfig struct {
	periods lookup.PeriodBounds
	// maxLookups bounds the lookups in flight, all callers together.
	maxLookups int
}

// boundsFlags registers the flags of boundsConfig on fs and returns the
// function that reads them after fs.Parse.
func boundsFlags(fs *flag.FlagSet, env func(name, def string) string) func() (boundsConfig, error) {
	def := lookup.DefaultPeriodBounds
	back := fs.String("period-max-back", env("SSBTEK_PERIOD_MAX_BACK", strconv.Itoa(def.Back)), "how many months before the current one a period may start (every period: general, per agency, LEFI's, SKV's years); 0 no bound (env SSBTEK_PERIOD_MAX_BACK)")
	ahead := fs.String("period-max-ahead", env("SSBTEK_PERIOD_MAX_AHEAD", strconv.Itoa(def.Ahead)), "how many months after the current one a period may end; 0 no bound (env SSBTEK_PERIOD_MAX_AHEAD)")
	span := fs.String("period-max-span", env("SSBTEK_PERIOD_MAX_SPAN", strconv.Itoa(def.Span)), "the longest period in months; 0 no bound (env SSBTEK_PERIOD_MAX_SPAN)")
	maxLookups := fs.String("max-lookups", env("SSBTEK_MAX_LOOKUPS", strconv.Itoa(lookup.DefaultMaxLookups)), "lookups in flight at once, all callers together; more are refused at once with 503/UNAVAILABLE/fault 1003 and Retry-After; 0 no bound (env SSBTEK_MAX_LOOKUPS)")
	return func() (boundsConfig, error) {
		var c boundsConfig
		var errs []error
		n, err := strconv.Atoi(*maxLookups)
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("max lookups %q is not a number of lookups ≥ 0", *maxLookups))
		}
		c.maxLookups = n
		for _, m := range []struct {
			name string
			v    string
			to   *int
		}{{"period max back", *back, &c.periods.Back}, {"period max ahead", *ahead, &c.periods.Ahead}, {"period max span", *span, &c.periods.Span}} {
			n, err := strconv.Atoi(m.v)
			if err != nil || n < 0 {
				errs = append(errs, fmt.Errorf("%s %q is not a number of months ≥ 0", m.name, m.v))
			}
			*m.to = n
		}
		return c, errors.Join(errs...)
	}
}

// options are the lookup options of c.
func (c boundsConfig) options() []lookup.Option {
	return []lookup.Option{lookup.WithPeriodBounds(c.periods), lookup.WithMaxLookups(c.maxLookups)}
}
