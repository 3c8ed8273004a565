package csn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
)

// reader reads CSNSvar elements and keeps the first problem, so the mapping
// reads straight through and checks once. Its error texts name elements,
// never values.
type reader struct{ err error }

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// child returns el's child {ns}local, or nil; a missing required child is a
// problem. A nil el has no children.
func (r *reader) child(el *etree.Element, ns, local string, required bool) *etree.Element {
	c := soap.Child(el, ns, local)
	if c == nil && required {
		r.fail(fmt.Errorf("required element %s is missing", local))
	}
	return c
}

// children returns el's children {ns}local. Any other element child is a
// problem: a list entry in a foreign namespace would otherwise be dropped
// without a word, and the person reported as having nothing.
func (r *reader) children(el *etree.Element, ns, local string) []*etree.Element {
	if el == nil {
		return nil
	}
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag != local || c.NamespaceURI() != ns {
			r.fail(fmt.Errorf("unexpected element %s in %s", c.Tag, el.Tag))
			continue
		}
		out = append(out, c)
	}
	return out
}

// text returns the trimmed text of el's child {ns}local; "" when absent.
func (r *reader) text(el *etree.Element, ns, local string, required bool) string {
	c := r.child(el, ns, local, required)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Text())
}

// attr returns el's trimmed unqualified attribute name; "" when absent.
func (r *reader) attr(el *etree.Element, name string, required bool) string {
	a := el.SelectAttr(name)
	if a == nil || a.Space != "" {
		if required {
			r.fail(fmt.Errorf("required attribute %s of %s is missing", name, el.Tag))
		}
		return ""
	}
	return strings.TrimSpace(a.Value)
}

// value returns the text of a csntyper child that must not be empty when
// present; "" when absent.
func (r *reader) value(el *etree.Element, local string, required bool) string {
	c := r.child(el, NSTyper, local, required)
	if c == nil {
		return ""
	}
	v := strings.TrimSpace(c.Text())
	if v == "" {
		r.fail(fmt.Errorf("element %s is empty", local))
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
		r.fail(fmt.Errorf("element %s: %w", local, err))
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
		r.fail(fmt.Errorf("element %s: %w", local, err))
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
		r.fail(fmt.Errorf("element %s is not a belopp", local))
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
		r.fail(fmt.Errorf("element %s is not a percentage", local))
		return 0
	}
	return int32(n)
}

const (
	layoutDatum = "20060102"
	layoutISO   = "2006-01-02"
)

// datum turns CSN's YYYYMMDD into YYYY-MM-DD.
func datum(v string) (string, error) {
	t, err := time.Parse(layoutDatum, v)
	if err != nil || len(v) != len(layoutDatum) {
		return "", errors.New("not a date YYYYMMDD")
	}
	return t.Format(layoutISO), nil
}

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
