package main

import (
	"cmp"
	"fmt"
	"io"
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
		if len(s.GetTaxeringar()) == 0 && s.GetTaxeringsar() != 0 {
			row(strconv.Itoa(int(s.GetTaxeringsar())), "-", "-", kronor(s.GetSummaIntakterKapital()), kronor(s.GetOverskottKapital()),
				kronor(s.GetUtbetaltBeloppTillKontohavare()), dash(s.GetBokforingsdagForUtbetalningar()))
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
			efterSkatt := kronor(u.GetNettoEfterSkatt())
			if u.NettoEfterSkattOre != nil {
				efterSkatt = ore(u.GetNettoEfterSkattOre())
			}
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
		fmt.Fprintf(w, "   %s\n", cmp.Or(f.GetForman(), f.GetFormanKod(), "förmån"))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, b := range f.GetBeslut() {
			fmt.Fprintf(tw, "     beslut\t%s\t%s\tbrutto %s\tnetto %s\t%d %%\n", strings.TrimPrefix(b.GetBeslutskod().String(), "BESLUTSKOD_"),
				span(b.GetFrom(), b.GetTom()), kronor(b.GetBruttobelopp()), kronor(b.GetNettobelopp()), b.GetOmfattning())
		}
		for _, list := range []struct {
			name string
			us   []*ssbtekv1.Utbetalning
		}{{"utbetald", f.GetUtbetalningar()}, {"preliminär", f.GetPreliminaraUtbetalningar()}} {
			for _, u := range list.us {
				fmt.Fprintf(tw, "     %s\t%s\t%s\tbrutto %s\tskatt %s\tnetto %s\n", list.name, dash(u.GetUtbetalningsdatum()), span(u.GetFrom(), u.GetTom()),
					oreOpt(u.BruttoOre), oreOpt(u.SkattOre), oreOpt(u.NettoOre))
			}
		}
		tw.Flush()
	}
}

// writeInkomst prints the monthly income summary.
func writeInkomst(w io.Writer, s *ssbtekv1.Inkomstsammanstallning) {
	if s == nil {
		return
	}
	fmt.Fprintf(w, "== Inkomstsammanställning %s\n", span(s.GetPeriod().GetFrom(), s.GetPeriod().GetTom()))
	for _, m := range s.GetManader() {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(w, "   %s\n", m.GetManad())
		fmt.Fprintln(tw, "     källa\tförmån\tutbetald\tbrutto\tskatt\tnetto")
		for _, in := range m.GetInkomster() {
			forman := in.GetForman()
			if in.GetStatus() == ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR {
				forman += " (preliminär)"
			}
			fmt.Fprintf(tw, "     %s\t%s\t%s\t%s\t%s\t%s\n", kalla(in.GetKalla(), in.GetUtlamnare()), forman, in.GetUtbetalningsdatum(),
				oreOpt(in.BruttoOre), oreOpt(in.SkattOre), oreOpt(in.NettoOre))
		}
		for _, k := range m.GetPerKalla() {
			fmt.Fprintf(tw, "     summa %s\t\t\t%s\t%s\t%s\n", kalla(k.GetKalla(), k.GetUtlamnare()), ore(k.GetBruttoOre()), ore(k.GetSkattOre()), ore(k.GetNettoOre()))
		}
		t := m.GetTotalt()
		fmt.Fprintf(tw, "     summa månad\t\t\t%s\t%s\t%s\n", ore(t.GetBruttoOre()), ore(t.GetSkattOre()), ore(t.GetNettoOre()))
		tw.Flush()
		if n := t.GetUtanBrutto() + t.GetUtanSkatt(); n > 0 {
			fmt.Fprintf(w, "     %d utbetalningar utan brutto, %d utan skatt: de summorna är ofullständiga\n", t.GetUtanBrutto(), t.GetUtanSkatt())
		}
		if n := t.GetPreliminara(); n > 0 {
			fmt.Fprintf(w, "     därtill %d preliminära utbetalningar, netto %s, inte medräknade\n", n, ore(t.GetPreliminartNettoOre()))
		}
		if m.GetOfullstandig() {
			var parts []string
			if len(m.GetSaknas()) > 0 {
				parts = append(parts, "saknas "+agencyList(m.GetSaknas()))
			}
			if len(m.GetEjTillfragade()) > 0 {
				parts = append(parts, "ej tillfrågade "+agencyList(m.GetEjTillfragade()))
			}
			fmt.Fprintf(w, "     OFULLSTÄNDIG: %s\n", strings.Join(parts, "; "))
		}
	}
	if n := s.GetUtanforPerioden(); n > 0 {
		fmt.Fprintf(w, "   %d utbetalningar utanför perioden är inte medräknade\n", n)
	}
	t := s.GetTotalt()
	fmt.Fprintf(w, "   totalt netto %s, brutto %s, skatt %s\n", ore(t.GetNettoOre()), ore(t.GetBruttoOre()), ore(t.GetSkattOre()))
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

func oreOpt(v *int64) string {
	if v == nil {
		return "-"
	}
	return ore(*v)
}

func kronorOpt(v *int64) string {
	if v == nil {
		return "-"
	}
	return kronor(*v)
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
