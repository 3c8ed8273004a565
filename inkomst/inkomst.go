// Package inkomst builds the monthly income summary (Inkomstsammanstallning)
// from the agencies' typed results: per calendar month, every payment and its
// totals, the figure a case worker deducts when computing försörjningsstöd.
//
// It reads only the typed content, never an agency's raw payload, and knows
// which agencies pay income. An agency that should have answered and did not
// marks the months it should have covered as incomplete, naming it: a total
// is never silently lower than what was paid.
package inkomst

import (
	"cmp"
	"slices"
	"time"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Kallor are the agencies whose answers carry payments to the person, in the
// fixed agency order. AF decides on benefits others pay, TNS and MIV pay
// nothing, so their absence never makes a month incomplete.
func Kallor() []ssbtekv1.Bastjanst {
	return []ssbtekv1.Bastjanst{
		ssbtekv1.Bastjanst_BASTJANST_CSN,
		ssbtekv1.Bastjanst_BASTJANST_FK,
		ssbtekv1.Bastjanst_BASTJANST_SKV,
		ssbtekv1.Bastjanst_BASTJANST_SO,
	}
}

func isKalla(b ssbtekv1.Bastjanst) bool { return slices.Contains(Kallor(), b) }

const dateLayout = "2006-01-02"

// Sammanstall builds the summary for fraga's period from the results of the
// agencies asked. Results of agencies that pay nothing are ignored. A nil or
// unreadable period gives a summary without months.
func Sammanstall(fraga *ssbtekv1.Fraga, resultat []*ssbtekv1.BastjanstResultat) *ssbtekv1.Inkomstsammanstallning {
	period := fraga.GetPeriod()
	out := &ssbtekv1.Inkomstsammanstallning{Period: period}
	from, ferr := time.Parse(dateLayout, period.GetFrom())
	tom, terr := time.Parse(dateLayout, period.GetTom())
	if ferr != nil || terr != nil || tom.Before(from) {
		// Validation refuses such periods before any agency is asked; an
		// empty summary is the safe answer if one slips through.
		out.Ofullstandig = true
		return out
	}

	manader := months(from, tom)
	byKey := make(map[string]*ssbtekv1.Inkomstmanad, len(manader))
	for _, m := range manader {
		byKey[m.GetManad()] = m
	}

	asked := map[ssbtekv1.Bastjanst]bool{}
	for _, r := range resultat {
		b := r.GetBastjanst()
		if !isKalla(b) {
			continue
		}
		asked[b] = true
		if !answered(r) {
			for _, m := range manader {
				m.Saknas = appendOnce(m.Saknas, b)
			}
			continue
		}
		own := bastjanst.PeriodFor(fraga, b)
		for _, m := range manader {
			if !covers(own, monthPart(m.GetManad(), period)) {
				m.Saknas = appendOnce(m.Saknas, b)
			}
		}
		for _, in := range payments(r) {
			d := in.GetUtbetalningsdatum()
			if d == "" {
				d = in.GetFrom()
			}
			m := byKey[monthOf(d)]
			if m == nil || d < period.GetFrom() || d > period.GetTom() {
				out.UtanforPerioden++
				continue
			}
			m.Inkomster = append(m.Inkomster, in)
		}
	}
	for _, b := range Kallor() {
		if !asked[b] {
			out.EjTillfragade = append(out.EjTillfragade, b)
		}
	}

	total := map[kalla]*ssbtekv1.Inkomstsumma{}
	out.Totalt = &ssbtekv1.Inkomstsumma{}
	for _, m := range manader {
		slices.SortStableFunc(m.Inkomster, func(a, b *ssbtekv1.Inkomst) int {
			return cmp.Or(
				cmp.Compare(a.GetUtbetalningsdatum(), b.GetUtbetalningsdatum()),
				cmp.Compare(a.GetKalla(), b.GetKalla()),
				cmp.Compare(a.GetUtlamnare(), b.GetUtlamnare()),
				cmp.Compare(a.GetForman(), b.GetForman()),
			)
		})
		m.Totalt = &ssbtekv1.Inkomstsumma{}
		per := map[kalla]*ssbtekv1.Inkomstsumma{}
		for _, in := range m.Inkomster {
			k := kalla{in.GetKalla(), in.GetUtlamnare()}
			if per[k] == nil {
				per[k] = &ssbtekv1.Inkomstsumma{Kalla: k.bastjanst, Utlamnare: k.utlamnare}
			}
			if total[k] == nil {
				total[k] = &ssbtekv1.Inkomstsumma{Kalla: k.bastjanst, Utlamnare: k.utlamnare}
			}
			for _, s := range []*ssbtekv1.Inkomstsumma{per[k], m.Totalt, total[k], out.Totalt} {
				add(s, in)
			}
		}
		m.PerKalla = inOrder(per)
		slices.Sort(m.Saknas)
		m.EjTillfragade = out.EjTillfragade
		m.Ofullstandig = len(m.Saknas) > 0 || len(m.EjTillfragade) > 0
		for _, b := range m.Saknas {
			out.Saknas = appendOnce(out.Saknas, b)
		}
		out.Ofullstandig = out.Ofullstandig || m.Ofullstandig
	}
	slices.Sort(out.Saknas)
	out.PerKalla = inOrder(total)
	out.Manader = manader
	return out
}

// answered reports whether r is an answer whose payments can be summed:
// "nothing known" is an answer (no income), an error or a refusal is not.
func answered(r *ssbtekv1.BastjanstResultat) bool {
	if r.GetFel() != nil {
		return false
	}
	if ds := r.GetDelsvar(); len(ds) > 0 {
		// An agency answering in parts (Skatteverket) pays in one of them:
		// the payments are known when that part was answered.
		i := slices.IndexFunc(ds, func(d *ssbtekv1.Delsvar) bool { return d.GetNamn() == delMedUtbetalningar })
		if i < 0 {
			return false
		}
		switch ds[i].GetStatus().GetKod() {
		case ssbtekv1.StatusKod_STATUS_KOD_OK, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS:
			return true
		}
		return false
	}
	switch r.GetStatus().GetKod() {
	case ssbtekv1.StatusKod_STATUS_KOD_OK, ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS:
		return true
	}
	return false
}

// add sums one payment into s: made payments into the figures, planned ones
// apart.
func add(s *ssbtekv1.Inkomstsumma, in *ssbtekv1.Inkomst) {
	if in.GetStatus() == ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR {
		s.Preliminara++
		s.PreliminartNettoOre += in.GetNettoOre()
		return
	}
	s.Antal++
	if in.BruttoOre != nil {
		s.BruttoOre += in.GetBruttoOre()
	} else {
		s.UtanBrutto++
	}
	if in.SkattOre != nil {
		s.SkattOre += in.GetSkattOre()
	} else {
		s.UtanSkatt++
	}
	if in.NettoOre != nil {
		s.NettoOre += in.GetNettoOre()
	} else {
		s.UtanNetto++
	}
	s.AvdragOre += in.GetAvdragOre()
}

// kalla is one source line of the totals: the agency asked and the
// authority within it, so that PM's payments, which come through the FK
// adapter, are summed apart from FK's.
type kalla struct {
	bastjanst ssbtekv1.Bastjanst
	utlamnare string
}

// inOrder lists the per-source totals in the fixed agency order, then by utlämnare.
func inOrder(m map[kalla]*ssbtekv1.Inkomstsumma) []*ssbtekv1.Inkomstsumma {
	out := make([]*ssbtekv1.Inkomstsumma, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *ssbtekv1.Inkomstsumma) int {
		return cmp.Or(cmp.Compare(a.GetKalla(), b.GetKalla()), cmp.Compare(a.GetUtlamnare(), b.GetUtlamnare()))
	})
	return out
}

// months returns one empty month per calendar month from..tom touches.
func months(from, tom time.Time) []*ssbtekv1.Inkomstmanad {
	var out []*ssbtekv1.Inkomstmanad
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(tom); m = m.AddDate(0, 1, 0) {
		out = append(out, &ssbtekv1.Inkomstmanad{Manad: m.Format("2006-01")})
	}
	return out
}

func monthOf(date string) string {
	if len(date) < 7 {
		return ""
	}
	return date[:7]
}

// monthPart is the part of month ("YYYY-MM") inside period p.
func monthPart(month string, p *ssbtekv1.Tidsperiod) *ssbtekv1.Tidsperiod {
	first, _ := time.Parse("2006-01", month)
	last := first.AddDate(0, 1, -1)
	part := &ssbtekv1.Tidsperiod{From: first.Format(dateLayout), Tom: last.Format(dateLayout)}
	part.From = max(part.From, p.GetFrom())
	part.Tom = min(part.Tom, p.GetTom())
	return part
}

// covers reports whether own includes all of part. ISO dates compare as strings.
func covers(own, part *ssbtekv1.Tidsperiod) bool {
	return own.GetFrom() <= part.GetFrom() && own.GetTom() >= part.GetTom()
}

func appendOnce(list []ssbtekv1.Bastjanst, b ssbtekv1.Bastjanst) []ssbtekv1.Bastjanst {
	if slices.Contains(list, b) {
		return list
	}
	return append(list, b)
}
