package lookup

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/quota"
)

// PeriodBounds bounds every period a question carries: the general one,
// each agency's own (bastjanst_perioder), the one inside FK's LEFI question
// and SKV's years. An agency answers everything it holds for the period
// asked, so the period is what decides how much work and how many bytes one
// question costs: an unbounded one (0000-01-01..9999-12-31) had the
// simulated agencies answer 9 MB for a 300-byte question. A case worker
// asks about the last months (3 on a first application, 1 on a renewal) and
// now and then a few years back for a repayment claim, so the defaults
// leave room for that and no more. A zero field is no bound.
type PeriodBounds struct {
	// Back is how many calendar months before the current one a period
	// may start (counted from the first of the month, Swedish time).
	Back int
	// Ahead is how many calendar months after the current one a period may
	// end (planned payments and decisions lie ahead).
	Ahead int
	// Span is the longest period, in months.
	Span int
}

// DefaultPeriodBounds: a period starts at most 36 months back, ends at most
// 12 months ahead and spans at most 36 months.
var DefaultPeriodBounds = PeriodBounds{Back: 36, Ahead: 12, Span: 36}

// WithPeriodBounds sets the bounds of every period a question carries
// (DefaultPeriodBounds without it).
func WithPeriodBounds(b PeriodBounds) Option { return func(s *Service) { s.periods = b } }

// String is the bounds as a refusal tells the caller (0: no bound).
func (b PeriodBounds) String() string {
	return fmt.Sprintf("högst %d månader bakåt, %d framåt, %d långa", b.Back, b.Ahead, b.Span)
}

// window is the first and last day a period may name today.
type window struct {
	first, last time.Time
	span        int
}

// window is b's dates for the Swedish day of now.
func (b PeriodBounds) window(now time.Time) window {
	day, _ := quota.Day(now)
	today, _ := time.Parse(time.DateOnly, day)
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	w := window{span: b.Span}
	if b.Back > 0 {
		w.first = month.AddDate(0, -b.Back, 0)
	}
	if b.Ahead > 0 {
		// The last day of the month Ahead months on.
		w.last = month.AddDate(0, b.Ahead+1, -1)
	}
	return w
}

// checkPeriods returns a violation for every period of f outside the
// bounds, each naming its field. Malformed dates are the field rules' and
// the interfaces' concern; here they are named too, so that no period
// escapes its bound by being unreadable.
func (s *Service) checkPeriods(f *ssbtekv1.Fraga) []Violation {
	w := s.periods.window(s.now())
	var vs []Violation
	if p := f.GetPeriod(); p != nil {
		vs = append(vs, w.check("fraga.period", p.GetFrom(), p.GetTom())...)
	}
	for i, bp := range f.GetBastjanstPerioder() {
		if p := bp.GetPeriod(); p != nil {
			vs = append(vs, w.check(fmt.Sprintf("fraga.bastjanst_perioder[%d].period", i), p.GetFrom(), p.GetTom())...)
		}
	}
	if raw := f.GetFk().GetLefiJsonFraga(); len(raw) > 0 {
		vs = append(vs, w.checkLefi("fraga.fk.lefi_json_fraga.period", raw)...)
	}
	for i, ar := range f.GetSkv().GetAr() {
		if v, ok := w.checkAr(int(ar)); !ok {
			vs = append(vs, Violation{Field: fmt.Sprintf("fraga.skv.ar[%d]", i), Description: v})
		}
	}
	return vs
}

// check bounds one period given as its two dates.
func (w window) check(field, from, tom string) []Violation {
	f, ferr := time.Parse(time.DateOnly, from)
	t, terr := time.Parse(time.DateOnly, tom)
	var vs []Violation
	if ferr != nil {
		vs = append(vs, Violation{Field: field + ".from", Description: "är inget datum ÅÅÅÅ-MM-DD"})
	} else if !w.first.IsZero() && f.Before(w.first) {
		vs = append(vs, Violation{Field: field + ".from", Description: "ligger före " + w.first.Format(time.DateOnly) + ", det tidigaste en fråga får avse"})
	}
	if terr != nil {
		vs = append(vs, Violation{Field: field + ".tom", Description: "är inget datum ÅÅÅÅ-MM-DD"})
	} else if !w.last.IsZero() && t.After(w.last) {
		vs = append(vs, Violation{Field: field + ".tom", Description: "ligger efter " + w.last.Format(time.DateOnly) + ", det senaste en fråga får avse"})
	}
	if ferr == nil && terr == nil {
		switch {
		case f.After(t):
			vs = append(vs, Violation{Field: field, Description: "from ligger efter tom"})
		case w.span > 0 && !t.Before(f.AddDate(0, w.span, 0)):
			vs = append(vs, Violation{Field: field, Description: "är längre än " + strconv.Itoa(w.span) + " månader"})
		}
	}
	return vs
}

// checkLefi bounds the period inside a caller-supplied LEFI question. LEFI
// reads the period as optional ("om tillämpligt") and answers everything it
// holds without one, so a question passed through unchanged must carry one,
// both ends given (LefiPeriod).
func (w window) checkLefi(field string, raw []byte) []Violation {
	members, err := jsonMembers(raw, lefiKeys)
	if err != nil {
		// The same-person rule has refused it already.
		return []Violation{{Field: "fraga.fk.lefi_json_fraga", Description: err.Error()}}
	}
	p, ok := members["period"]
	if !ok {
		return []Violation{{Field: field, Description: "saknas: en LEFI-fråga utan period avser all tid"}}
	}
	dates, err := jsonMembers(p, []string{"from", "tom"})
	if err != nil {
		return []Violation{{Field: field, Description: err.Error()}}
	}
	var from, tom string
	if json.Unmarshal(dates["from"], &from) != nil || json.Unmarshal(dates["tom"], &tom) != nil {
		return []Violation{{Field: field, Description: "ska ha from och tom som datum ÅÅÅÅ-MM-DD"}}
	}
	return w.check(field, from, tom)
}

// checkAr bounds one of SKV's years: an income year within the window's
// years, or the year before its first (whose taxation decision falls in
// the window).
func (w window) checkAr(ar int) (string, bool) {
	if !w.first.IsZero() && ar < w.first.Year()-1 {
		return fmt.Sprintf("ligger före %d, det tidigaste år en fråga får avse", w.first.Year()-1), false
	}
	if !w.last.IsZero() && ar > w.last.Year() {
		return fmt.Sprintf("ligger efter %d, det senaste år en fråga får avse", w.last.Year()), false
	}
	return "", true
}
