package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/quota/sqlquota"
)

// perAgency is a flag value that is one number for every agency, with
// exceptions by code: "1", "AF=2,FK=5" or "1,TNS=0.5".
type perAgency struct {
	all    float64
	byCode map[ssbtekv1.Bastjanst]float64
}

func parsePerAgency(name, s string) (perAgency, error) {
	p := perAgency{all: -1, byCode: map[ssbtekv1.Bastjanst]float64{}}
	codes := map[string]ssbtekv1.Bastjanst{}
	for _, b := range bastjanst.Known() {
		codes[bastjanst.Kod(b)] = b
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, num, named := strings.Cut(part, "=")
		if !named {
			num = code
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || v < 0 {
			return p, fmt.Errorf("%s %q: %q is not a number ≥ 0", name, s, num)
		}
		if !named {
			p.all = v
			continue
		}
		b, ok := codes[strings.ToUpper(strings.TrimSpace(code))]
		if !ok {
			return p, fmt.Errorf("%s %q: unknown agency %q", name, s, code)
		}
		p.byCode[b] = v
	}
	return p, nil
}

// get is the value for b, or def when neither b nor all is set.
func (p perAgency) get(b ssbtekv1.Bastjanst, def float64) float64 {
	if v, ok := p.byCode[b]; ok {
		return v
	}
	if p.all >= 0 {
		return p.all
	}
	return def
}

// agencyLimits are the -agency-rate, -agency-burst and -agency-daily flags.
type agencyLimits struct{ rate, burst, daily perAgency }

func (l agencyLimits) of(b ssbtekv1.Bastjanst) quota.Limits {
	return quota.Limits{
		Rate:  l.rate.get(b, quota.DefaultRate),
		Burst: int(l.burst.get(b, quota.DefaultBurst)),
		Daily: int(l.daily.get(b, quota.DefaultDaily)),
	}
}

// pruneEvery is how often the daily counts of days gone are deleted.
const pruneEvery = time.Hour

// pruneLimits deletes, every pruneEvery until ctx ends, the daily counts of
// the days before yesterday: only today's are read, and a day's rows are
// few (one per ingivare and agency). Yesterday's stay for a replica whose
// clock is a little behind.
func pruneLimits(ctx context.Context, s *sqlquota.Store, log *slog.Logger) {
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			day, _ := quota.Day(now.AddDate(0, 0, -1))
			if err := s.Prune(ctx, day); err != nil {
				log.Warn("pruning the daily counts", slog.String("err", err.Error()))
			}
		}
	}
}
