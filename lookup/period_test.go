package lookup_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
)

// monthsFrom is the first of the month n months from the current one.
func monthsFrom(n int) string {
	now := time.Now()
	return time.Date(now.Year(), now.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// lastOfMonth is the last day of the month n months from the current one.
func lastOfMonth(n int) string {
	now := time.Now()
	return time.Date(now.Year(), now.Month()+time.Month(n)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func withPeriod(from, tom string) *ssbtekv1.Fraga {
	f := fraga(tolvan)
	f.Period = &ssbtekv1.Tidsperiod{From: from, Tom: tom}
	return f
}

func withFKPeriod(from, tom string) *ssbtekv1.Fraga {
	f := fraga(tolvan)
	f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_FK, Period: &ssbtekv1.Tidsperiod{From: from, Tom: tom}}}
	return f
}

func withLefiPeriod(period string) *ssbtekv1.Fraga {
	f := fraga(tolvan)
	q := `{"personnummer":"` + tolvan + `"` + period + `,"formansinformation":["FK:FP"]}`
	f.Fk = &ssbtekv1.FkParametrar{LefiJsonFraga: []byte(q)}
	return f
}

func withAr(ar ...int32) *ssbtekv1.Fraga {
	f := fraga(tolvan)
	f.Skv = &ssbtekv1.SkvParametrar{Ar: ar, Skatteuppgifter: true}
	return f
}

// TestPeriodBounds: every period a question carries, wherever it is, is
// bounded in its dates and span by default; outside the bound the question
// is OGILTIGTIDSPERIOD naming the field, and no agency is asked.
func TestPeriodBounds(t *testing.T) {
	year := int32(time.Now().Year())
	lefiPeriod := func(from, tom string) string {
		return fmt.Sprintf(`,"period":{"from":%q,"tom":%q}`, from, tom)
	}
	refused := []struct {
		name   string
		f      *ssbtekv1.Fraga
		fields []string
	}{
		{"0000-01-01..9999-12-31", withPeriod("0000-01-01", "9999-12-31"), []string{"fraga.period.from", "fraga.period.tom", "fraga.period"}},
		{"37 months back", withPeriod(monthsFrom(-37), lastOfMonth(-30)), []string{"fraga.period.from"}},
		{"ends 13 months ahead", withPeriod(monthsFrom(0), lastOfMonth(13)), []string{"fraga.period.tom"}},
		{"47 months long within the dates", withPeriod(monthsFrom(-35), lastOfMonth(11)), []string{"fraga.period"}},
		{"FK's own period from 1900", withFKPeriod("1900-01-01", lastOfMonth(0)), []string{"fraga.bastjanst_perioder[0].period.from", "fraga.bastjanst_perioder[0].period"}},
		{"LEFI question without period", withLefiPeriod(""), []string{"fraga.fk.lefi_json_fraga.period"}},
		{"LEFI question from 1900", withLefiPeriod(lefiPeriod("1900-01-01", lastOfMonth(0))), []string{"fraga.fk.lefi_json_fraga.period.from", "fraga.fk.lefi_json_fraga.period"}},
		{"LEFI question without tom", withLefiPeriod(`,"period":{"from":"` + monthsFrom(-2) + `"}`), []string{"fraga.fk.lefi_json_fraga.period"}},
		{"LEFI question with from twice", withLefiPeriod(`,"period":{"from":"` + monthsFrom(-2) + `","from":"1900-01-01","tom":"` + lastOfMonth(0) + `"}`), []string{"fraga.fk.lefi_json_fraga.period"}},
		{"LEFI question with From spelt otherwise", withLefiPeriod(`,"period":{"from":"` + monthsFrom(-2) + `","From":"1900-01-01","tom":"` + lastOfMonth(0) + `"}`), []string{"fraga.fk.lefi_json_fraga.period"}},
		{"LEFI period spelt otherwise", withLefiPeriod(lefiPeriod(monthsFrom(-2), lastOfMonth(0)) + `,"Period":{"from":"1900-01-01"}`), []string{"fraga.fk.lefi_json_fraga"}},
		{"SKV year 1990", withAr(year, 1990), []string{"fraga.skv.ar[1]"}},
		{"SKV year 2100", withAr(2100), []string{"fraga.skv.ar[0]"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			rg := newRig(t)
			_, err := rg.svc.Sammanstallning(as(kommun), lookup.Request{Caller: lookup.Caller{Interface: "test"}, Fraga: tt.f})
			var r *lookup.Refusal
			if !errors.As(err, &r) {
				t.Fatalf("want a refusal, got %v", err)
			}
			if tt.name == "LEFI period spelt otherwise" {
				// Refused by the strict reading of the LEFI question.
				if r.Reason != lookup.ReasonSamePerson {
					t.Errorf("refused %s, want %s", r.Reason, lookup.ReasonSamePerson)
				}
			} else if r.Reason != lookup.ReasonPeriod || r.Felkod() != "1001" {
				t.Errorf("refused %s/%s, want period/1001: %v", r.Reason, r.Felkod(), r)
			}
			var got []string
			for _, v := range r.Violations {
				got = append(got, v.Field)
			}
			if strings.Join(got, " ") != strings.Join(tt.fields, " ") {
				t.Errorf("violations %v, want fields %v", r.Violations, tt.fields)
			}
			if rg.askedAny() {
				t.Error("an agency was asked")
			}
		})
	}

	admitted := []struct {
		name string
		f    *ssbtekv1.Fraga
	}{
		{"the last three months", withPeriod(monthsFrom(-3), lastOfMonth(-1))},
		{"36 months back, 36 months long", withPeriod(monthsFrom(-36), lastOfMonth(-1))},
		{"this month and 12 ahead", withPeriod(monthsFrom(0), lastOfMonth(12))},
		{"FK's own period a year back", withFKPeriod(monthsFrom(-12), lastOfMonth(0))},
		{"LEFI question of the last year", withLefiPeriod(lefiPeriod(monthsFrom(-12), lastOfMonth(0)))},
		{"SKV's last three years", withAr(year-3, year-2, year-1)},
	}
	for _, tt := range admitted {
		t.Run(tt.name, func(t *testing.T) {
			rg := newRig(t)
			if _, err := rg.svc.Sammanstallning(as(kommun), lookup.Request{Caller: lookup.Caller{Interface: "test"}, Fraga: tt.f}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
