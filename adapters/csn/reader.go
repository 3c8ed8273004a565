package csn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
)

// reader reads CSNSvar elements (adapters.Reader) and CSN's own types.
type reader struct{ adapters.Reader }

// value returns the text of a csntyper child that must not be empty when
// present; "" when absent.
func (r *reader) value(el *etree.Element, local string, required bool) string {
	c := r.Child(el, NSTyper, local, required)
	if c == nil {
		return ""
	}
	v := strings.TrimSpace(c.Text())
	if v == "" {
		r.Fail(fmt.Errorf("element %s is empty", local))
	}
	return v
}

// datum reads a csntyper datum (YYYYMMDD) as YYYY-MM-DD; "" when absent.
func (r *reader) datum(el *etree.Element, local string, required bool) string {
	v := r.value(el, local, required)
	if v == "" {
		return ""
	}
	d, err := datum(v)
	if err != nil {
		r.Fail(fmt.Errorf("element %s: %w", local, err))
	}
	return d
}

// vecka reads a csntyper vecka as the first and last day it names, as
// YYYY-MM-DD; "" when absent.
func (r *reader) vecka(el *etree.Element, local string, required bool) (first, last string) {
	v := r.value(el, local, required)
	if v == "" {
		return "", ""
	}
	first, last, err := vecka(v)
	if err != nil {
		r.Fail(fmt.Errorf("element %s: %w", local, err))
	}
	return first, last
}

// belopp reads a csntyper belopp, whole kronor that may be negative (a
// repayment); 0 when absent.
func (r *reader) belopp(el *etree.Element, local string, required bool) int64 {
	v := r.value(el, local, required)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.Fail(fmt.Errorf("element %s is not a belopp", local))
	}
	return n
}

// takt reads an optional csntyper takt or gr_takt, a percentage; 0 when absent.
func (r *reader) takt(el *etree.Element, local string) int32 {
	v := r.value(el, local, false)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil || n < 0 || n > 100 {
		r.Fail(fmt.Errorf("element %s is not a percentage", local))
		return 0
	}
	return int32(n)
}

const (
	layoutDatum = "20060102"
	layoutISO   = "2006-01-02"
)

// datum turns CSN's YYYYMMDD into YYYY-MM-DD (adapters.DateOrCompact).
func datum(v string) (string, error) { return adapters.DateOrCompact(v) }

// vecka returns the first and last day a csntyper vecka names. The contract
// types it as up to eight digits without saying more, so both forms seen in
// CSN's week-based periods are read: a date YYYYMMDD (the day itself) and an
// ISO week YYYYWW (Monday to Sunday of that week).
func vecka(v string) (first, last string, err error) {
	switch len(v) {
	case len(layoutDatum):
		d, err := datum(v)
		return d, d, err
	case 6:
		year, err1 := strconv.Atoi(v[:4])
		week, err2 := strconv.Atoi(v[4:])
		if err1 != nil || err2 != nil {
			return "", "", errors.New("not a week YYYYWW")
		}
		monday, ok := isoWeekMonday(year, week)
		if !ok {
			return "", "", errors.New("no such ISO week")
		}
		return monday.Format(layoutISO), monday.AddDate(0, 0, 6).Format(layoutISO), nil
	default:
		return "", "", errors.New("not a date YYYYMMDD or a week YYYYWW")
	}
}

// isoWeekMonday returns the Monday of ISO week week of year, and whether that
// week exists.
func isoWeekMonday(year, week int) (time.Time, bool) {
	// 4 January is always in week 1.
	jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(week-1)*7)
	y, w := monday.ISOWeek()
	return monday, week >= 1 && y == year && w == week
}
