package csn

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// How an Arende becomes a FormansBeslut (README.md, "Mapping"): one per
// Arende, its lopnummer, stodform, klartext, status and relarende verbatim.
//   - Each soktTid is an Ansprak (the period, extent and loan applied for).
//   - Each BeviljadTid is a Beslut over the granted period: DEFINITIVT once
//     the Arende is decided, else PROVISORISK; its Beloppen are the Beslut's
//     belopp lines (per unit and over the period, in öre) and its totbelopp
//     the Beslut's amount.
//   - A decided Arende with neither payments nor granted periods: one AVSLAG
//     Beslut over the period applied for.
//   - Each Utbetalning of the UtbetalningsPlan is a payment: made (Utbetald,
//     UTBETALAD) into utbetalningar, planned into preliminara_utbetalningar,
//     the status verbatim beside it. Its period runs from the first
//     Utbetaldtid's start to the last one's end (a one-off payment, such as a
//     hemutrustningslån, covers its payment day), its lines are the
//     Utbetaldtider's Beloppen.
//
// Study aid is paid without tax or deductions: brutto = netto = totbelopp,
// skatt and avdrag 0. A negative amount is a repayment (an AVDRAG line).

// arende maps one Arende of kind k and reports whether it grants study at
// grundskolenivå (a gr_takt above 0).
func (r *reader) arende(a *etree.Element, k kind) (*ssbtekv1.FormansBeslut, bool) {
	ns := k.ns
	fb := &ssbtekv1.FormansBeslut{
		Forman:    k.forman,
		FormanKod: r.Text(a, ns, "stodform", true),
		Klartext:  r.Text(a, ns, "klartext", false),
		// An Arende exists because an application came in.
		AnsokanInkommen: true,
		ArendeId:        r.Attr(a, "lopnummer", true),
		RelateratArende: r.Text(a, ns, "relarende", false),
		Utlamnare:       "CSN",
	}
	status := r.Text(a, ns, "status", true)
	fb.StatusKod = strings.TrimSpace(status)
	decided := false
	switch fb.StatusKod {
	case "BESLUTAD", "BESLUTAT", "AVSLUTAD", "AVSLUTAT":
		decided = true
	case "", "INITIERAD", "INITIERAT":
	default:
		r.Fail(fmt.Errorf("element status has a value outside the contract"))
	}

	for _, st := range r.Children(r.Child(a, ns, "soktaTider", false), ns, "soktTid") {
		fb.Ansprak = append(fb.Ansprak, &ssbtekv1.Ansprak{
			FormanKod:  fb.GetFormanKod(),
			From:       r.datum(st, "soktfrom", true),
			Tom:        r.datum(st, "sokttom", true),
			Omfattning: r.takt(st, "soktomfattning"),
			Lan:        r.value(st, "soktlan", false) == "J",
		})
	}

	kod := ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
	if decided {
		kod = ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT
	}
	grundskola := false
	for _, b := range r.Children(r.Child(a, ns, "BeviljadeTider", false), ns, "BeviljadTid") {
		from, _ := r.vecka(b, "starttid", true)
		_, tom := r.vecka(b, "sluttid", true)
		total := r.belopp(b, "totbelopp", true)
		beslut := &ssbtekv1.Beslut{
			Beslutskod: kod, BeslutskodKod: fb.GetStatusKod(), FormanKod: fb.GetFormanKod(),
			From: from, Tom: tom, Periodtyp: ssbtekv1.Periodtyp_PERIODTYP_TILLSVIDARE,
			Nettobelopp: total, Bruttobelopp: total, NettobeloppOre: ore(total), BruttobeloppOre: ore(total),
			Omfattning: r.takt(b, "takt"),
			Belopp:     r.beloppen(b, from, tom),
		}
		if gr := r.takt(b, "gr_takt"); gr > 0 {
			grundskola = true
			if beslut.Omfattning == 0 {
				beslut.Omfattning = gr
			}
		}
		fb.Beslut = append(fb.Beslut, beslut)
	}

	r.utbetalningsPlan(r.Child(a, ns, "UtbetalningsPlan", false), fb, ns)
	if len(fb.Beslut) == 0 && len(fb.Utbetalningar)+len(fb.PreliminaraUtbetalningar) == 0 &&
		(fb.StatusKod == "BESLUTAD" || fb.StatusKod == "BESLUTAT") {
		avslag := &ssbtekv1.Beslut{Beslutskod: ssbtekv1.Beslutskod_BESLUTSKOD_AVSLAG, BeslutskodKod: fb.GetStatusKod(), FormanKod: fb.GetFormanKod()}
		if sokt := fb.GetAnsprak(); len(sokt) > 0 {
			avslag.From, avslag.Tom, avslag.Omfattning = sokt[0].GetFrom(), sokt[len(sokt)-1].GetTom(), sokt[0].GetOmfattning()
		}
		fb.Beslut = append(fb.Beslut, avslag)
	}
	return fb, grundskola
}

// utbetalningsPlan maps an UtbetalningsPlan's payments into fb.
func (r *reader) utbetalningsPlan(plan *etree.Element, fb *ssbtekv1.FormansBeslut, ns string) {
	for _, u := range r.Children(plan, ns, "Utbetalning") {
		datum := r.datum(u, "utbetdatum", true)
		statusKod := r.Text(u, NSTyper, "utbetstatus", true)
		var status ssbtekv1.Utbetalningsstatus
		switch statusKod {
		case "Utbetald", "UTBETALAD":
			status = ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UTBETALD
		case "Planerad":
			status = ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR
		default:
			r.Fail(fmt.Errorf("element utbetstatus has a value outside the contract"))
		}
		total := r.belopp(u, "totbelopp", true)
		utb := &ssbtekv1.Utbetalning{
			Utbetalningsdatum: datum, Status: status, StatusKod: statusKod,
			BruttoOre: ore(total), SkattOre: ore(0), AvdragOre: ore(0), NettoOre: ore(total),
			Utbetalare: "CSN", FormanKod: fb.GetFormanKod(),
		}
		for _, t := range r.Children(r.Child(u, NSTyper, "Utbetaldatider", true), NSTyper, "Utbetaldtid") {
			from, _ := r.vecka(t, "startvecka", false)
			_, tom := r.vecka(t, "slutvecka", false)
			// Required; the sum of the lines, which the lines hold.
			r.belopp(t, "totbelopp", true)
			if utb.From == "" {
				utb.From = from
			}
			if tom != "" {
				utb.Tom = tom
			}
			utb.Rader = append(utb.Rader, r.beloppen(t, cmp.Or(from, datum), cmp.Or(tom, datum))...)
		}
		// A one-off payment, such as a hemutrustningslån, has no period of
		// its own: it covers its payment day.
		utb.From, utb.Tom = cmp.Or(utb.From, datum), cmp.Or(utb.Tom, datum)
		if status == ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR {
			fb.PreliminaraUtbetalningar = append(fb.PreliminaraUtbetalningar, utb)
		} else {
			fb.Utbetalningar = append(fb.Utbetalningar, utb)
		}
	}
}

// ore is adapters.Ore: whole kronor in öre.
func ore(kronor int64) *int64 { return adapters.Ore(kronor) }

// beloppen maps the Beloppen of el (a BeviljadTid or Utbetaldtid) over
// from..tom: belopp per unit and totbelopp over the period, in öre.
func (r *reader) beloppen(el *etree.Element, from, tom string) []*ssbtekv1.Beloppsrad {
	var out []*ssbtekv1.Beloppsrad
	for _, b := range r.Children(r.Child(el, NSTyper, "Beloppen", false), NSTyper, "Belopp") {
		total := r.belopp(b, "totbelopp", false)
		rad := &ssbtekv1.Beloppsrad{
			Beloppstyp:     r.value(b, "beloppstyp", false),
			Klartext:       r.Text(b, NSTyper, "klartext", false),
			BeloppOre:      *ore(r.belopp(b, "belopp", false)),
			TotalbeloppOre: ore(total),
			Art:            ssbtekv1.Beloppsart_BELOPPSART_ERSATTNING,
			From:           from,
			Tom:            tom,
		}
		if total < 0 {
			rad.Art = ssbtekv1.Beloppsart_BELOPPSART_AVDRAG
		}
		out = append(out, rad)
	}
	return out
}
