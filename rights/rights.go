// Package rights reads the rights file: which organisations are connected to
// the gateway, which ombud may send for each, which agencies each may ask
// (Transportstyrelsen only with its medgivande, seed 002) and each one's daily
// quota. The file is YAML; a Store holds the current version and reloads it on
// SIGHUP or at an interval, keeping the last good version when a reload fails.
//
//	standard_dagskvot: 10000          # questions per organisation and day
//	organisationer:
//	  - organisationsnummer: "162120002411"
//	    namn: Exempelkommun
//	    bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]   # TNS only with a medgivande
//	    ombud: ["165565869996"]       # who may send for it, besides itself
//	    dagskvot: 20000               # optional, overrides standard_dagskvot
//	    aktorsid: "162120002411"      # optional: its actor id at LEFI (default its organisationsnummer)
package rights

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"regexp"
	"slices"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// DefaultDailyQuota is the questions per organisation and day when the file
// names none: what the agencies promise per producer (seed 004 §13).
const DefaultDailyQuota = 10000

// Organisation is one connected organisation's rights.
type Organisation struct {
	Organisationsnummer string
	Namn                string
	bastjanster         map[ssbtekv1.Bastjanst]bool
	ombud               map[string]bool
	// DailyQuota is its questions per day.
	DailyQuota int
	// Aktorsid is its actor id at LEFI (Försäkringskassan), under which
	// LEFI decides what it may see: the gateway sends this one, never a
	// caller's choice.
	Aktorsid string
}

// MayAsk reports whether the organisation may ask agency b.
//
// A source of public data (bastjanst.Offentlig, e.g. the population
// register) every connected organisation may ask.
func (o Organisation) MayAsk(b ssbtekv1.Bastjanst) bool {
	return o.bastjanster[b] || bastjanst.Offentlig(b)
}

// HasOmbud reports whether sender may send on the organisation's behalf.
func (o Organisation) HasOmbud(sender string) bool { return o.ombud[sender] }

// Rights is one version of the rights file.
type Rights struct {
	orgs map[string]Organisation
}

// Organisation returns the rights of the organisation with orgnr (12 digits).
func (r *Rights) Organisation(orgnr string) (Organisation, bool) {
	if r == nil {
		return Organisation{}, false
	}
	o, ok := r.orgs[orgnr]
	return o, ok
}

// Len is the number of connected organisations.
func (r *Rights) Len() int { return len(r.orgs) }

type fileOrg struct {
	Organisationsnummer string   `yaml:"organisationsnummer"`
	Namn                string   `yaml:"namn"`
	Bastjanster         []string `yaml:"bastjanster"`
	Ombud               []string `yaml:"ombud"`
	Dagskvot            *int     `yaml:"dagskvot"`
	Aktorsid            string   `yaml:"aktorsid"`
}

type file struct {
	StandardDagskvot *int      `yaml:"standard_dagskvot"`
	Organisationer   []fileOrg `yaml:"organisationer"`
}

var organisationsnummer = regexp.MustCompile(`^[0-9]{4}[2-9][0-9]{7}$`)

// aktorsid is what may stand in LEFI's path segment …/aktorer/{aktorsId}/.
var aktorsid = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Parse reads a rights file's content, reporting every problem at once.
// Unknown keys are errors: a misspelt "bastjanster" must not silently grant
// nothing, or a misspelt "dagskvot" the default.
func Parse(data []byte) (*Rights, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("reading the rights file: %w", err)
	}
	def := DefaultDailyQuota
	var errs []error
	if f.StandardDagskvot != nil {
		if def = *f.StandardDagskvot; def < 0 {
			errs = append(errs, fmt.Errorf("standard_dagskvot %d is negative", def))
		}
	}
	codes := map[string]ssbtekv1.Bastjanst{}
	for _, b := range bastjanst.Known() {
		codes[bastjanst.Kod(b)] = b
	}
	r := &Rights{orgs: map[string]Organisation{}}
	for i, fo := range f.Organisationer {
		where := fmt.Sprintf("organisationer[%d]", i)
		if !organisationsnummer.MatchString(fo.Organisationsnummer) {
			errs = append(errs, fmt.Errorf("%s: organisationsnummer %q is not 12 digits with the fifth 2-9", where, fo.Organisationsnummer))
			continue
		}
		if _, dup := r.orgs[fo.Organisationsnummer]; dup {
			errs = append(errs, fmt.Errorf("%s: %s is listed twice", where, fo.Organisationsnummer))
			continue
		}
		o := Organisation{Organisationsnummer: fo.Organisationsnummer, Namn: fo.Namn, DailyQuota: def,
			bastjanster: map[ssbtekv1.Bastjanst]bool{}, ombud: map[string]bool{}, Aktorsid: fo.Aktorsid}
		switch {
		case o.Aktorsid == "":
			// What LEFI knows a municipality by unless agreed otherwise.
			o.Aktorsid = o.Organisationsnummer
		case !aktorsid.MatchString(o.Aktorsid):
			errs = append(errs, fmt.Errorf("%s: aktorsid %q is not 1-64 letters, digits, '-' or '_'", where, o.Aktorsid))
		}
		for _, k := range fo.Bastjanster {
			b, ok := codes[k]
			if !ok {
				errs = append(errs, fmt.Errorf("%s: unknown bastjänst %q (known: %v)", where, k, slices.Sorted(maps.Keys(codes))))
				continue
			}
			o.bastjanster[b] = true
		}
		for _, om := range fo.Ombud {
			if !organisationsnummer.MatchString(om) {
				errs = append(errs, fmt.Errorf("%s: ombud %q is not an organisationsnummer", where, om))
				continue
			}
			o.ombud[om] = true
		}
		if fo.Dagskvot != nil {
			if o.DailyQuota = *fo.Dagskvot; o.DailyQuota < 0 {
				errs = append(errs, fmt.Errorf("%s: dagskvot %d is negative", where, o.DailyQuota))
			}
		}
		r.orgs[o.Organisationsnummer] = o
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("the rights file: %w", err)
	}
	return r, nil
}

// Load reads the rights file at path.
func Load(path string) (*Rights, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the rights file: %w", err)
	}
	r, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// Store holds the current rights and reloads them from their file.
type Store struct {
	path string
	cur  atomic.Pointer[Rights]
}

// Open loads the rights file at path into a new Store.
func Open(path string) (*Store, error) {
	r, err := Load(path)
	if err != nil {
		return nil, err
	}
	s := &Store{path: path}
	s.cur.Store(r)
	return s, nil
}

// Static returns a Store that always holds r (for tests and embedding).
func Static(r *Rights) *Store {
	s := &Store{}
	s.cur.Store(r)
	return s
}

// Current returns the rights in force.
func (s *Store) Current() *Rights { return s.cur.Load() }

// Reload reads the file again. On error the rights in force stay.
func (s *Store) Reload() error {
	if s.path == "" {
		return nil
	}
	r, err := Load(s.path)
	if err != nil {
		return err
	}
	s.cur.Store(r)
	return nil
}

// Watch reloads the file whenever hup delivers and every interval (0: only
// on hup), until ctx ends. A failed reload is logged and the rights in force
// stay, so a typo in the file never disconnects every municipality.
func (s *Store) Watch(ctx context.Context, interval time.Duration, hup <-chan os.Signal, log *slog.Logger) {
	var tick <-chan time.Time
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		case <-tick:
		}
		if err := s.Reload(); err != nil {
			log.ErrorContext(ctx, "rights file not reloaded; the previous rights stay in force", slog.String("error", err.Error()))
			continue
		}
		log.InfoContext(ctx, "rights file reloaded", slog.Int("organisations", s.Current().Len()))
	}
}
