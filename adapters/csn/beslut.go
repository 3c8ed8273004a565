package csn

import (
	"fmt"

	"github.com/beevik/etree"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// How an Arende becomes Beslut (README.md, "Mapping"): a Beslut is a payment
// period with its amount, as seed 004 §6.1 defines one.
//   - Every period of the UtbetalningsPlan is a Beslut: DEFINITIVT when paid
//     (Utbetald, UTBETALAD), PROVISORISK when planned; RETROAKTIV when paid
//     after the period ended, TILLSVIDARE otherwise, no type for a one-off
//     payment without a period (its day stands for the period).
//   - An Arende without payments gives one Beslut per BeviljadTid (the granted
//     period and its total), DEFINITIVT once decided, else PROVISORISK.
//   - A decided Arende with neither payments nor granted periods: AVSLAG, over
//     the period applied for.
//   - An Arende only applied for (INITIERAD) gives no Beslut; its FormansBeslut
//     says ansokan_inkommen.
//
// Study aid is paid without tax or deductions, so netto equals brutto and
// avdrag and skatt stay unset.

// beviljad is one BeviljadTid: a granted period.
type beviljad struct {
	from, tom  string
	omfattning int32
	totbelopp  int64
}

// arende maps one Arende, whose own elements are in namespace ns, and reports
// whether it grants study at grundskolenivå (a gr_takt above 0).
func (r *reader) arende(a *etree.Element, ns string) ([]*ssbtekv1.Beslut, bool) {
	r.Text(a, ns, "stodform", true) // required, though nothing in the proto takes it
	status := r.Text(a, ns, "status", true)
	decided := false
	switch status {
	case "BESLUTAD", "BESLUTAT", "AVSLUTAD", "AVSLUTAT":
		decided = true
	case "", "INITIERAD", "INITIERAT":
	default:
		r.Fail(fmt.Errorf("element status has a value outside the contract"))
	}

	var granted []beviljad
	grundskola := false
	for _, b := range r.Children(r.Child(a, ns, "BeviljadeTider", false), ns, "BeviljadTid") {
		g := beviljad{
			totbelopp: r.belopp(b, "totbelopp", true),
		}
		g.from, _ = r.vecka(b, "starttid", true)
		_, g.tom = r.vecka(b, "sluttid", true)
		g.omfattning = r.takt(b, "takt")
		if gr := r.takt(b, "gr_takt"); gr > 0 {
			grundskola = true
			if g.omfattning == 0 {
				g.omfattning = gr
			}
		}
		granted = append(granted, g)
	}

	out := r.utbetalningsPlan(r.Child(a, ns, "UtbetalningsPlan", false), ns, granted)
	switch {
	case len(out) > 0:
	case len(granted) > 0:
		kod := ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
		if decided {
			kod = ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT
		}
		for _, g := range granted {
			out = append(out, &ssbtekv1.Beslut{
				Beslutskod: kod, From: g.from, Tom: g.tom, Periodtyp: ssbtekv1.Periodtyp_PERIODTYP_TILLSVIDARE,
				Nettobelopp: g.totbelopp, Bruttobelopp: g.totbelopp, Omfattning: g.omfattning,
			})
		}
	case status == "BESLUTAD" || status == "BESLUTAT":
		avslag := &ssbtekv1.Beslut{Beslutskod: ssbtekv1.Beslutskod_BESLUTSKOD_AVSLAG}
		if sokt := r.Children(r.Child(a, ns, "soktaTider", false), ns, "soktTid"); len(sokt) > 0 {
			avslag.From = r.datum(sokt[0], "soktfrom", true)
			avslag.Tom = r.datum(sokt[len(sokt)-1], "sokttom", true)
			avslag.Omfattning = r.takt(sokt[0], "soktomfattning")
		}
		out = append(out, avslag)
	}
	return out, grundskola
}

// utbetalningsPlan maps an UtbetalningsPlan: one Beslut per period paid or
// planned, with the extent of the granted period it falls in.
func (r *reader) utbetalningsPlan(plan *etree.Element, ns string, granted []beviljad) []*ssbtekv1.Beslut {
	var out []*ssbtekv1.Beslut
	for _, u := range r.Children(plan, ns, "Utbetalning") {
		datum := r.datum(u, "utbetdatum", true)
		var kod ssbtekv1.Beslutskod
		switch r.Text(u, NSTyper, "utbetstatus", true) {
		case "Utbetald", "UTBETALAD":
			kod = ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT
		case "Planerad":
			kod = ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
		default:
			r.Fail(fmt.Errorf("element utbetstatus has a value outside the contract"))
		}
		tider := r.Children(r.Child(u, NSTyper, "Utbetaldatider", true), NSTyper, "Utbetaldtid")
		total := r.belopp(u, "totbelopp", true)
		if len(tider) == 0 {
			// A one-off payment, such as a hemutrustningslån, has no period
			// of its own: it covers its payment day.
			out = append(out, payment(kod, datum, datum, datum, total, granted))
			continue
		}
		for _, t := range tider {
			from, _ := r.vecka(t, "startvecka", false)
			_, tom := r.vecka(t, "slutvecka", false)
			if from == "" {
				from = datum
			}
			if tom == "" {
				tom = datum
			}
			out = append(out, payment(kod, datum, from, tom, r.belopp(t, "totbelopp", true), granted))
		}
	}
	return out
}

// payment is the Beslut for one period paid on datum.
func payment(kod ssbtekv1.Beslutskod, datum, from, tom string, belopp int64, granted []beviljad) *ssbtekv1.Beslut {
	typ := ssbtekv1.Periodtyp_PERIODTYP_TILLSVIDARE
	switch {
	case from == datum && tom == datum:
		// A one-off payment covers no period: neither type applies.
		typ = ssbtekv1.Periodtyp_PERIODTYP_UNSPECIFIED
	case datum > tom: // YYYY-MM-DD compares as text
		typ = ssbtekv1.Periodtyp_PERIODTYP_RETROAKTIV
	}
	b := &ssbtekv1.Beslut{
		Beslutskod: kod, From: from, Tom: tom, Periodtyp: typ,
		Nettobelopp: belopp, Bruttobelopp: belopp,
	}
	for _, g := range granted {
		if g.from <= from && from <= g.tom {
			b.Omfattning = g.omfattning
			break
		}
	}
	return b
}
