package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// The tables use the contract's Swedish words, as a case worker reads them.

var agencyNames = map[ssbtekv1.Bastjanst]string{
	ssbtekv1.Bastjanst_BASTJANST_AF:  "Arbetsförmedlingen",
	ssbtekv1.Bastjanst_BASTJANST_CSN: "Centrala studiestödsnämnden",
	ssbtekv1.Bastjanst_BASTJANST_FK:  "Försäkringskassan / Pensionsmyndigheten",
	ssbtekv1.Bastjanst_BASTJANST_SKV: "Skatteverket",
	ssbtekv1.Bastjanst_BASTJANST_SO:  "Sveriges a-kassor",
	ssbtekv1.Bastjanst_BASTJANST_TNS: "Transportstyrelsen",
	ssbtekv1.Bastjanst_BASTJANST_MIV: "Migrationsverket",
}

// statusName is a StatusKod without its prefix, as the README shows it.
func statusName(k ssbtekv1.StatusKod) string { return strings.TrimPrefix(k.String(), "STATUS_KOD_") }

// heading is one agency's first line: code, name, status.
func heading(r *ssbtekv1.BastjanstResultat) string {
	b := r.GetBastjanst()
	return fmt.Sprintf("%s  %s  %s", bastjanst.Kod(b), agencyNames[b], statusName(r.GetStatus().GetKod()))
}

// writeSammanstatus prints the whole answer's status when it is not OK: a
// protected identity first, so the case worker sees it before any data.
func writeSammanstatus(w io.Writer, s *ssbtekv1.Status) {
	if s == nil || s.GetKod() == ssbtekv1.StatusKod_STATUS_KOD_OK {
		return
	}
	fmt.Fprintf(w, "!! %s: %s\n\n", statusName(s.GetKod()), s.GetMeddelande())
}

// writeResult prints one agency's result: heading, error or typed content.
func writeResult(w io.Writer, r *ssbtekv1.BastjanstResultat) {
	fmt.Fprintf(w, "== %s\n", heading(r))
	if f := r.GetFel(); f != nil {
		fmt.Fprintf(w, "   fel %s %s: %s\n\n", strings.TrimPrefix(f.GetKalla().String(), "KALLA_"), f.GetFelkod(), f.GetFelmeddelande())
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, "   "+strings.Join(cells, "\t")) }
	switch c := r.GetInnehall().(type) {
	case *ssbtekv1.BastjanstResultat_Af:
		a := c.Af
		row("arbetssökande", janej(a.GetArbetssokande()))
		row("registrerad", dash(a.GetRegistrerad()))
		row("omfattning", fmt.Sprintf("%d %%", a.GetOmfattning()))
		row("sökandekategori", dash(a.GetSokandekategori()))
		row("avaktualiserad", dash(a.GetAvaktualiserad()))
		row("a-kassa", dash(a.GetAkassetillhorighet()))
		row("aktivitetsrapport", dash(strings.TrimSpace(a.GetSenasteAktivitetsrapport()+" "+a.GetAktivitetsrapportMeddelande())))
		tw.Flush()
		writeFormaner(w, a.GetBeslut())
	case *ssbtekv1.BastjanstResultat_Csn:
		tw.Flush()
		writeFormaner(w, c.Csn.GetFormaner())
	case *ssbtekv1.BastjanstResultat_Fk:
		tw.Flush()
		writeFormaner(w, c.Fk.GetFormaner())
	case *ssbtekv1.BastjanstResultat_Skv:
		s := c.Skv
		row("år", "taxerad inkomst", "slutlig skatt", "intäkter kapital", "överskott kapital", "utbetalt", "bokföringsdag")
		for _, t := range s.GetTaxeringar() {
			row(strconv.Itoa(int(t.GetTaxeringsar())), kronorOpt(t.TaxeradInkomstKronor), kronorOpt(t.SlutligSkattKronor),
				kronorOpt(t.SummaIntakterKapitalKronor), kronorOpt(t.OverskottKapitalKronor), kronorOpt(t.UtbetaltBeloppTillKontohavareKronor), dash(t.GetBokforingsdagForUtbetalningar()))
		}
		// The parts of Skatteverket's JSON interface.
		for _, u := range s.GetSkatteuppgifter() {
			row(strconv.Itoa(int(u.GetBeskattningsar())), oreOpt(u.FaststalldInkomstOre), oreOpt(u.SlutligSkattOre), "-", oreOpt(u.OverskottKapitalOre), "-", "-")
		}
		if k := s.GetSkattekonto(); k != nil {
			row("skattekonto", "-", "-", "-", "-", kronorOpt(k.UtbetaltBeloppKronor), dash(k.GetBokforingsdag()))
		}
		tw.Flush()
		if f := s.GetForetagsinformation(); f != nil {
			fmt.Fprintf(w, "   företag: F-skatt %s, arbetsgivare %s, moms %s\n", janej(f.GetGodkandFskatt()), janej(f.GetArbetsgivarregistrerad()), janej(f.GetMomsregistrerad()))
		}
	case *ssbtekv1.BastjanstResultat_So:
		row("a-kassa", "utbetald", "avser", "dagar", "netto efter skatt", "netto efter avdrag")
		for _, u := range c.So.GetUtbetalningar() {
			efterSkatt := belopp(u.GetNettoEfterSkatt(), u.NettoEfterSkattOre)
			row(dash(u.GetAkassa()), dash(u.GetUtbetalningsdatum()), span(u.GetFrom(), u.GetTom()), strconv.Itoa(int(u.GetDagar())), efterSkatt, oreOpt(u.NettoEfterAvdragOre))
		}
		tw.Flush()
	case *ssbtekv1.BastjanstResultat_Tns:
		row("regnr", "fabrikat", "modell", "år", "slag")
		for _, f := range c.Tns.GetFordon() {
			row(f.GetRegistreringsnummer(), dash(f.GetFabrikat()), dash(f.GetHandelsbeteckning()), strconv.Itoa(int(f.GetFordonsar())), dash(f.GetFordonsslag()))
		}
		tw.Flush()
	case *ssbtekv1.BastjanstResultat_Miv:
		row("ärendetyp", "beslut", "beslutsdatum", "giltighet", "gäller")
		for _, t := range c.Miv.GetTillstand() {
			row(dash(t.GetArendetyp()), dash(strings.TrimSpace(t.GetBeslutstyp()+" "+t.GetBeslutskod())), dash(t.GetBeslutsdatum()), dash(t.GetGiltighetstid()), span(t.GetFrom(), t.GetTom()))
		}
		tw.Flush()
	default:
		fmt.Fprintln(w, "   inga uppgifter")
	}
	fmt.Fprintln(w)
}

// writeFormaner prints benefits: each one's decisions and payments.
func writeFormaner(w io.Writer, formaner []*ssbtekv1.FormansBeslut) {
	for _, f := range formaner {
		fmt.Fprintf(w, "   %s\n", formanName(cmp.Or(f.GetForman(), f.GetFormanKod()), f.GetKlartext()))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, b := range f.GetBeslut() {
			fmt.Fprintf(tw, "     beslut\t%s\t%s\tbrutto %s\tnetto %s\t%d %%\n", strings.TrimPrefix(b.GetBeslutskod().String(), "BESLUTSKOD_"),
				span(b.GetFrom(), b.GetTom()), belopp(b.GetBruttobelopp(), b.BruttobeloppOre), belopp(b.GetNettobelopp(), b.NettobeloppOre), b.GetOmfattning())
		}
		for _, list := range []struct {
			name string
			us   []*ssbtekv1.Utbetalning
		}{{"utbetald", f.GetUtbetalningar()}, {"preliminär", f.GetPreliminaraUtbetalningar()}} {
			for _, u := range list.us {
				fmt.Fprintf(tw, "     %s\t%s\t%s\tbrutto %s\tskatt %s\tavdrag %s\tnetto %s\t%s%s\n", list.name, dash(u.GetUtbetalningsdatum()), span(u.GetFrom(), u.GetTom()),
					oreOpt(u.BruttoOre), oreOpt(u.SkattOre), oreOpt(u.AvdragOre), oreOpt(u.NettoOre), payerName(u.GetUtbetalare()), disagree(u.BruttoOre, u.SkattOre, u.AvdragOre, u.NettoOre))
			}
		}
		tw.Flush()
	}
}

// disagree is "" when brutto − skatt − avdrag = netto or a figure is
// unknown, else a note saying by how much the agency's own figures differ
// (an absent avdrag counts as none).
func disagree(brutto, skatt, avdrag, netto *int64) string {
	if brutto == nil || skatt == nil || netto == nil {
		return ""
	}
	calc := *brutto - *skatt
	if avdrag != nil {
		calc -= *avdrag
	}
	if calc == *netto {
		return ""
	}
	return fmt.Sprintf("  (brutto − skatt − avdrag = %s, netto %s: myndighetens egna belopp)", ore(calc), ore(*netto))
}

// writeInkomst prints the monthly income summary. A sum adds only the
// figures the agencies sent: one that lacks some is marked * and the line
// after says OFULLSTÄNDIG and what is missing, so netto above brutto never
// stands unexplained.
func writeInkomst(w io.Writer, s *ssbtekv1.Inkomstsammanstallning) {
	if s == nil {
		return
	}
	fmt.Fprintf(w, "== Inkomstsammanställning %s\n", span(s.GetPeriod().GetFrom(), s.GetPeriod().GetTom()))
	for _, m := range s.GetManader() {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(w, "   %s\n", m.GetManad())
		fmt.Fprintln(tw, "     källa\tförmån\tutbetald\tbrutto\tskatt\tavdrag\tnetto")
		for _, in := range m.GetInkomster() {
			forman := formanName(in.GetForman(), "")
			if in.GetStatus() == ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR {
				forman += " (preliminär)"
			}
			fmt.Fprintf(tw, "     %s\t%s\t%s\t%s\t%s\t%s\t%s\n", kalla(in.GetKalla(), in.GetUtlamnare()), forman, in.GetUtbetalningsdatum(),
				oreOpt(in.BruttoOre), oreOpt(in.SkattOre), oreOpt(in.AvdragOre), oreOpt(in.NettoOre))
		}
		for _, k := range m.GetPerKalla() {
			sumRow(tw, "summa "+kalla(k.GetKalla(), k.GetUtlamnare()), k)
		}
		sumRow(tw, "summa månad", m.GetTotalt())
		tw.Flush()
		writeSumNotes(w, "     ", m.GetPerKalla(), m.GetTotalt())
		if n := m.GetTotalt().GetPreliminara(); n > 0 {
			fmt.Fprintf(w, "     därtill %s, netto %s, inte %s\n", plural(n, "preliminär utbetalning", "preliminära utbetalningar"),
				ore(m.GetTotalt().GetPreliminartNettoOre()), pluralWord(n, "medräknad", "medräknade"))
		}
		if m.GetOfullstandig() {
			fmt.Fprintf(w, "     OFULLSTÄNDIG: %s\n", missingAgencies(m.GetSaknas(), m.GetEjTillfragade()))
		}
	}
	if n := s.GetUtanforPerioden(); n > 0 {
		fmt.Fprintf(w, "   %s utanför perioden är inte %s\n", plural(n, "utbetalning", "utbetalningar"), pluralWord(n, "medräknad", "medräknade"))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   \tbrutto\tskatt\tavdrag\tnetto")
	t := s.GetTotalt()
	fmt.Fprintf(tw, "   totalt\t%s\t%s\t%s\t%s\n", sumFigure(t.GetBruttoOre(), t.GetUtanBrutto(), t.GetAntal()), sumFigure(t.GetSkattOre(), t.GetUtanSkatt(), t.GetAntal()),
		ore(t.GetAvdragOre()), sumFigure(t.GetNettoOre(), t.GetUtanNetto(), t.GetAntal()))
	tw.Flush()
	writeSumNotes(w, "   ", s.GetPerKalla(), t)
	if s.GetOfullstandig() {
		fmt.Fprintf(w, "   OFULLSTÄNDIG: %s\n", missingAgencies(s.GetSaknas(), s.GetEjTillfragade()))
	}
}

// sumRow is one sum line of a month's table.
func sumRow(tw io.Writer, name string, k *ssbtekv1.Inkomstsumma) {
	fmt.Fprintf(tw, "     %s\t\t\t%s\t%s\t%s\t%s\n", name, sumFigure(k.GetBruttoOre(), k.GetUtanBrutto(), k.GetAntal()),
		sumFigure(k.GetSkattOre(), k.GetUtanSkatt(), k.GetAntal()), ore(k.GetAvdragOre()), sumFigure(k.GetNettoOre(), k.GetUtanNetto(), k.GetAntal()))
}

// sumFigure is a sum of öre over antal payments, utan of which lacked the
// figure: – when all did, marked * when some did.
func sumFigure(v int64, utan, antal int32) string {
	switch {
	case antal > 0 && utan >= antal:
		return "–"
	case utan > 0:
		return ore(v) + "*"
	}
	return ore(v)
}

// writeSumNotes says, below a table, which figures of total are
// incomplete and for which sources, and where a complete sum's figures do
// not add up.
func writeSumNotes(w io.Writer, indent string, perKalla []*ssbtekv1.Inkomstsumma, total *ssbtekv1.Inkomstsumma) {
	var parts []string
	for _, fig := range []struct {
		name string
		utan func(*ssbtekv1.Inkomstsumma) int32
	}{
		{"brutto", (*ssbtekv1.Inkomstsumma).GetUtanBrutto},
		{"skatt", (*ssbtekv1.Inkomstsumma).GetUtanSkatt},
		{"netto", (*ssbtekv1.Inkomstsumma).GetUtanNetto},
	} {
		n := fig.utan(total)
		if n == 0 {
			continue
		}
		var from []string
		for _, k := range perKalla {
			if fig.utan(k) > 0 {
				from = append(from, kalla(k.GetKalla(), k.GetUtlamnare()))
			}
		}
		parts = append(parts, fmt.Sprintf("%s saknas för %s (%s)", fig.name, plural(n, "utbetalning", "utbetalningar"), strings.Join(from, ", ")))
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "%s* OFULLSTÄNDIG: %s; summan är de övrigas\n", indent, strings.Join(parts, "; "))
	}
	for _, k := range append(slices.Clone(perKalla), total) {
		if k.GetUtanBrutto() > 0 || k.GetUtanSkatt() > 0 || k.GetUtanNetto() > 0 || k.GetAntal() == 0 {
			continue
		}
		if calc := k.GetBruttoOre() - k.GetSkattOre() - k.GetAvdragOre(); calc != k.GetNettoOre() {
			name := "totalt"
			if k != total {
				name = "summa " + kalla(k.GetKalla(), k.GetUtlamnare())
			}
			fmt.Fprintf(w, "%s%s: brutto − skatt − avdrag = %s men netto %s: så redovisar myndigheten beloppen\n", indent, name, ore(calc), ore(k.GetNettoOre()))
		}
	}
}

// missingAgencies names the income agencies a sum lacks.
func missingAgencies(saknas, ejTillfragade []ssbtekv1.Bastjanst) string {
	var parts []string
	if len(saknas) > 0 {
		parts = append(parts, "saknas "+agencyList(saknas))
	}
	if len(ejTillfragade) > 0 {
		parts = append(parts, "ej tillfrågade "+agencyList(ejTillfragade))
	}
	return strings.Join(parts, "; ")
}

// kalla names a source line by its utlämnare, so Pensionsmyndigheten's
// payments, which come through the FK adapter, read "PM" beside FK's; a
// summary from before the field existed names the agency.
func kalla(b ssbtekv1.Bastjanst, utlamnare string) string {
	return cmp.Or(utlamnare, bastjanst.Kod(b))
}

func agencyList(bs []ssbtekv1.Bastjanst) string {
	kods := make([]string, len(bs))
	for i, b := range bs {
		kods[i] = bastjanst.Kod(b)
	}
	return strings.Join(kods, ", ")
}

// ore formats öre as Swedish kronor: 1234567 → "12 345,67".
func ore(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%s,%02d", sign, group(v/100), v%100)
}

// kronor formats whole kronor: 312400 → "312 400".
func kronor(v int64) string {
	if v < 0 {
		return "-" + group(-v)
	}
	return group(v)
}

func group(v int64) string {
	s := strconv.FormatInt(v, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}

// unknown stands for an amount the agency did not send: never 0.
const unknown = "–"

func oreOpt(v *int64) string {
	if v == nil {
		return unknown
	}
	return ore(*v)
}

func kronorOpt(v *int64) string {
	if v == nil {
		return unknown
	}
	return kronor(*v)
}

// belopp is an amount an agency may send in öre (exactOre) or whole kronor
// only: the öre when given, the kronor when not zero, else unknown. A
// whole-kronor field cannot say "not sent", and a decision's netto that
// is 0 while nothing in öre was sent is one the agency did not give.
func belopp(kronorValue int64, exactOre *int64) string {
	switch {
	case exactOre != nil:
		return ore(*exactOre)
	case kronorValue != 0:
		return kronor(kronorValue)
	}
	return unknown
}

func span(from, tom string) string {
	if from == "" && tom == "" {
		return "-"
	}
	return from + "–" + tom
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func janej(b bool) string {
	if b {
		return "ja"
	}
	return "nej"
}
