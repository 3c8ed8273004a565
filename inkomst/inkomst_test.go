package inkomst

import (
	"fmt"
	"slices"
	"testing"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

const (
	af  = ssbtekv1.Bastjanst_BASTJANST_AF
	csn = ssbtekv1.Bastjanst_BASTJANST_CSN
	fk  = ssbtekv1.Bastjanst_BASTJANST_FK
	skv = ssbtekv1.Bastjanst_BASTJANST_SKV
	so  = ssbtekv1.Bastjanst_BASTJANST_SO
)

var (
	ok       = &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_OK}
	saknas   = &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS}
	annatFel = &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL}
)

func p[T any](v T) *T { return &v }

// The agencies' answers for one person over August–October 2026.
func fkResult() *ssbtekv1.BastjanstResultat {
	paid := func(datum, from, tom string) *ssbtekv1.Utbetalning {
		// Föräldrapenning 5 080,00 kr, 1 524,00 kr tax, nothing else deducted.
		return &ssbtekv1.Utbetalning{Utbetalningsdatum: datum, From: from, Tom: tom,
			BruttoOre: p(int64(508000)), SkattOre: p(int64(152400)), AvdragOre: p(int64(0)), NettoOre: p(int64(355600)), Utbetalare: "1001"}
	}
	return &ssbtekv1.BastjanstResultat{Bastjanst: fk, Status: ok, Innehall: &ssbtekv1.BastjanstResultat_Fk{Fk: &ssbtekv1.Socialforsakringsformaner{
		Formaner: []*ssbtekv1.FormansBeslut{{
			Forman: "foraldrapenning",
			Utbetalningar: []*ssbtekv1.Utbetalning{
				paid("2026-08-25", "2026-08-01", "2026-08-31"),
				paid("2026-09-25", "2026-09-01", "2026-09-30"),
			},
			PreliminaraUtbetalningar: []*ssbtekv1.Utbetalning{
				{Utbetalningsdatum: "2026-10-26", From: "2026-10-01", Tom: "2026-10-31", NettoOre: p(int64(355600))},
			},
		}, {
			// Barnbidrag 1 250 kr, untaxed.
			Forman: "barnbidrag",
			Utbetalningar: []*ssbtekv1.Utbetalning{
				{Utbetalningsdatum: "2026-08-20", BruttoOre: p(int64(125000)), SkattOre: p(int64(0)), NettoOre: p(int64(125000))},
				{Utbetalningsdatum: "2026-09-18", BruttoOre: p(int64(125000)), SkattOre: p(int64(0)), NettoOre: p(int64(125000))},
				{Utbetalningsdatum: "2026-10-20", BruttoOre: p(int64(125000)), SkattOre: p(int64(0)), NettoOre: p(int64(125000))},
			},
		}},
	}}}
}

func csnResult() *ssbtekv1.BastjanstResultat {
	// Studiemedel, 4 weeks of bidrag 917 + lån 2 252 = 12 676 kr a payment; CSN withholds no tax.
	pay := func(datum string) *ssbtekv1.Utbetalning {
		return &ssbtekv1.Utbetalning{Utbetalningsdatum: datum, BruttoOre: p(int64(1267600)), SkattOre: p(int64(0)), NettoOre: p(int64(1267600)), Utbetalare: "CSN"}
	}
	return &ssbtekv1.BastjanstResultat{Bastjanst: csn, Status: ok, Innehall: &ssbtekv1.BastjanstResultat_Csn{Csn: &ssbtekv1.Studiestod{
		Formaner: []*ssbtekv1.FormansBeslut{{Forman: "studiemedel", Utbetalningar: []*ssbtekv1.Utbetalning{pay("2026-08-25"), pay("2026-09-25"), pay("2026-10-23")}}},
	}}}
}

func soResult() *ssbtekv1.BastjanstResultat {
	// 9 416,50 kr after tax, 200 kr more deducted: 9 216,50 kr paid; no gross, no tax figure.
	u := func(datum string) *ssbtekv1.Arbetsloshetsersattning_Utbetalning {
		return &ssbtekv1.Arbetsloshetsersattning_Utbetalning{Akassa: "Akademikernas a-kassa", Utbetalningsdatum: datum,
			NettoEfterSkatt: 9416, NettoEfterSkattOre: p(int64(941650)), NettoEfterAvdragOre: p(int64(921650))}
	}
	flat := []*ssbtekv1.Arbetsloshetsersattning_Utbetalning{u("2026-08-10"), u("2026-09-10")}
	return &ssbtekv1.BastjanstResultat{Bastjanst: so, Status: ok, Innehall: &ssbtekv1.BastjanstResultat_So{So: &ssbtekv1.Arbetsloshetsersattning{
		Utbetalningar: flat,
		Akassor:       []*ssbtekv1.Akassa{{Namn: "Akademikernas a-kassa", Utbetalningar: flat}, {Namn: "Unionens arbetslöshetskassa"}},
	}}}
}

func skvResult() *ssbtekv1.BastjanstResultat {
	return &ssbtekv1.BastjanstResultat{Bastjanst: skv, Status: ok, Innehall: &ssbtekv1.BastjanstResultat_Skv{Skv: &ssbtekv1.Beskattning{
		Taxeringar: []*ssbtekv1.Taxeringsuppgift{
			{Taxeringsar: 2025, TaxeradInkomstKronor: p(int64(312400)), SlutligSkattKronor: p(int64(94300))},
			{Taxeringsar: 2026, UtbetaltBeloppTillKontohavareKronor: p(int64(1840)), BokforingsdagForUtbetalningar: "2026-10-05"},
		},
	}}}
}

func failed(b ssbtekv1.Bastjanst) *ssbtekv1.BastjanstResultat {
	return &ssbtekv1.BastjanstResultat{Bastjanst: b, Status: annatFel, Fel: &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_SSBT, Felkod: "2001"}}
}

func fraga(perioder ...*ssbtekv1.BastjanstPeriod) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"}, BastjanstPerioder: perioder}
}

// month is what a test expects of one month: totals in öre.
type month struct {
	manad                          string
	netto, brutto, skatt, avdrag   int64
	antal, utanBrutto, preliminara int32
	saknas, ejTillfragade          []ssbtekv1.Bastjanst
}

func got(m *ssbtekv1.Inkomstmanad) month {
	t := m.GetTotalt()
	return month{m.GetManad(), t.GetNettoOre(), t.GetBruttoOre(), t.GetSkattOre(), t.GetAvdragOre(),
		t.GetAntal(), t.GetUtanBrutto(), t.GetPreliminara(), m.GetSaknas(), m.GetEjTillfragade()}
}

func TestSammanstall(t *testing.T) {
	all := func() []*ssbtekv1.BastjanstResultat {
		return []*ssbtekv1.BastjanstResultat{
			{Bastjanst: af, Status: ok, Innehall: &ssbtekv1.BastjanstResultat_Af{Af: &ssbtekv1.Arbetsmarknadsatgarder{Arbetssokande: true}}},
			csnResult(), fkResult(), skvResult(), soResult(),
		}
	}
	without := func(b ssbtekv1.Bastjanst) []*ssbtekv1.BastjanstResultat {
		return slices.DeleteFunc(all(), func(r *ssbtekv1.BastjanstResultat) bool { return r.GetBastjanst() == b })
	}
	replaced := func(r *ssbtekv1.BastjanstResultat) []*ssbtekv1.BastjanstResultat {
		list := all()
		for i := range list {
			if list[i].GetBastjanst() == r.GetBastjanst() {
				list[i] = r
			}
		}
		return list
	}
	tests := []struct {
		name       string
		fraga      *ssbtekv1.Fraga
		res        []*ssbtekv1.BastjanstResultat
		want       []month
		ofullst    bool
		utanfor    int32
		totalNetto int64
	}{{
		name:  "four agencies, every month complete",
		fraga: fraga(),
		res:   all(),
		want: []month{
			// Aug: SO 9 216,50 (10th), barnbidrag 1 250 (20th), FP 3 556 and CSN 12 676 (25th).
			// netto 921650+125000+355600+1267600 = 2669850; brutto without SO 125000+508000+1267600 = 1900600;
			// skatt 152400; avdrag SO 20000; SO has no brutto and no skatt.
			{manad: "2026-08", netto: 2669850, brutto: 1900600, skatt: 152400, avdrag: 20000, antal: 4, utanBrutto: 1},
			{manad: "2026-09", netto: 2669850, brutto: 1900600, skatt: 152400, avdrag: 20000, antal: 4, utanBrutto: 1},
			// Oct: SKV 1 840 (5th), barnbidrag 1 250, CSN 12 676; FP only planned.
			// netto 184000+125000+1267600 = 1576600.
			{manad: "2026-10", netto: 1576600, brutto: 1576600, antal: 3, preliminara: 1},
		},
		totalNetto: 2669850*2 + 1576600,
	}, {
		name:  "an agency down makes every month incomplete, naming it",
		fraga: fraga(),
		res:   replaced(failed(so)),
		want: []month{
			{manad: "2026-08", netto: 1748200, brutto: 1900600, skatt: 152400, antal: 3, saknas: []ssbtekv1.Bastjanst{so}},
			{manad: "2026-09", netto: 1748200, brutto: 1900600, skatt: 152400, antal: 3, saknas: []ssbtekv1.Bastjanst{so}},
			{manad: "2026-10", netto: 1576600, brutto: 1576600, antal: 3, preliminara: 1, saknas: []ssbtekv1.Bastjanst{so}},
		},
		ofullst:    true,
		totalNetto: 1748200*2 + 1576600,
	}, {
		name:  "an agency not asked is named apart",
		fraga: fraga(),
		res:   without(csn),
		want: []month{
			{manad: "2026-08", netto: 1402250, brutto: 633000, skatt: 152400, avdrag: 20000, antal: 3, utanBrutto: 1, ejTillfragade: []ssbtekv1.Bastjanst{csn}},
			{manad: "2026-09", netto: 1402250, brutto: 633000, skatt: 152400, avdrag: 20000, antal: 3, utanBrutto: 1, ejTillfragade: []ssbtekv1.Bastjanst{csn}},
			{manad: "2026-10", netto: 309000, brutto: 309000, antal: 2, preliminara: 1, ejTillfragade: []ssbtekv1.Bastjanst{csn}},
		},
		ofullst:    true,
		totalNetto: 1402250*2 + 309000,
	}, {
		name:  "an agency's own period leaves later months incomplete",
		fraga: fraga(&ssbtekv1.BastjanstPeriod{Bastjanst: csn, Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-08-31"}}),
		res:   all(),
		want: []month{
			{manad: "2026-08", netto: 2669850, brutto: 1900600, skatt: 152400, avdrag: 20000, antal: 4, utanBrutto: 1},
			{manad: "2026-09", netto: 2669850, brutto: 1900600, skatt: 152400, avdrag: 20000, antal: 4, utanBrutto: 1, saknas: []ssbtekv1.Bastjanst{csn}},
			{manad: "2026-10", netto: 1576600, brutto: 1576600, antal: 3, preliminara: 1, saknas: []ssbtekv1.Bastjanst{csn}},
		},
		ofullst:    true,
		totalNetto: 2669850*2 + 1576600,
	}, {
		name:  "nothing known is an answer: complete and zero",
		fraga: &ssbtekv1.Fraga{Period: &ssbtekv1.Tidsperiod{From: "2026-08-15", Tom: "2026-09-14"}},
		res: []*ssbtekv1.BastjanstResultat{
			{Bastjanst: csn, Status: saknas}, {Bastjanst: fk, Status: saknas}, {Bastjanst: skv, Status: saknas}, {Bastjanst: so, Status: saknas},
		},
		want: []month{{manad: "2026-08"}, {manad: "2026-09"}},
	}, {
		name:  "payments outside the period are counted, not summed",
		fraga: &ssbtekv1.Fraga{Period: &ssbtekv1.Tidsperiod{From: "2026-08-15", Tom: "2026-09-14"}},
		// In: barnbidrag 08-20, FP 08-25, CSN 08-25, SO 09-10. Out: SO 08-10, barnbidrag 09-18,
		// FP 09-25, CSN 09-25, CSN 10-23, FP planned 10-26, barnbidrag 10-20, SKV 10-05.
		res: all(),
		want: []month{
			{manad: "2026-08", netto: 125000 + 355600 + 1267600, brutto: 125000 + 508000 + 1267600, skatt: 152400, antal: 3},
			{manad: "2026-09", netto: 921650, avdrag: 20000, antal: 1, utanBrutto: 1},
		},
		utanfor:    8,
		totalNetto: 125000 + 355600 + 1267600 + 921650,
	}, {
		name:  "SO typed before the öre fields: NettoEfterSkatt in kronor is the net",
		fraga: &ssbtekv1.Fraga{Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-08-31"}},
		res: []*ssbtekv1.BastjanstResultat{{Bastjanst: so, Status: ok, Innehall: &ssbtekv1.BastjanstResultat_So{So: &ssbtekv1.Arbetsloshetsersattning{
			Utbetalningar: []*ssbtekv1.Arbetsloshetsersattning_Utbetalning{{Utbetalningsdatum: "2026-08-10", NettoEfterSkatt: 7812}},
		}}}},
		want: []month{
			{manad: "2026-08", netto: 781200, antal: 1, utanBrutto: 1, ejTillfragade: []ssbtekv1.Bastjanst{csn, fk, skv}},
		},
		ofullst:    true,
		totalNetto: 781200,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Sammanstall(tt.fraga, tt.res)
			var gotMonths []month
			for _, m := range s.GetManader() {
				gotMonths = append(gotMonths, got(m))
				if m.GetOfullstandig() != (len(m.GetSaknas())+len(m.GetEjTillfragade()) > 0) {
					t.Errorf("%s: ofullstandig = %v with saknas %v, ej tillfrågade %v", m.GetManad(), m.GetOfullstandig(), m.GetSaknas(), m.GetEjTillfragade())
				}
			}
			if fmt.Sprint(gotMonths) != fmt.Sprint(tt.want) {
				t.Errorf("months\n got %v\nwant %v", gotMonths, tt.want)
			}
			if s.GetOfullstandig() != tt.ofullst {
				t.Errorf("ofullstandig = %v, want %v", s.GetOfullstandig(), tt.ofullst)
			}
			if s.GetUtanforPerioden() != tt.utanfor {
				t.Errorf("utanfor_perioden = %d, want %d", s.GetUtanforPerioden(), tt.utanfor)
			}
			if s.GetTotalt().GetNettoOre() != tt.totalNetto {
				t.Errorf("total netto = %d, want %d", s.GetTotalt().GetNettoOre(), tt.totalNetto)
			}
			// The per-agency totals add up to the overall ones, month by month and in all.
			for _, m := range append(s.GetManader(), &ssbtekv1.Inkomstmanad{Manad: "hela perioden", PerKalla: s.GetPerKalla(), Totalt: s.GetTotalt()}) {
				var netto, brutto int64
				for _, k := range m.GetPerKalla() {
					netto += k.GetNettoOre()
					brutto += k.GetBruttoOre()
				}
				if netto != m.GetTotalt().GetNettoOre() || brutto != m.GetTotalt().GetBruttoOre() {
					t.Errorf("%s: per agency netto %d brutto %d, total %d %d", m.GetManad(), netto, brutto, m.GetTotalt().GetNettoOre(), m.GetTotalt().GetBruttoOre())
				}
			}
		})
	}
}

// The August summary of the four-agency case, payment by payment and per agency.
func TestSammanstallPaymentsAndPerAgency(t *testing.T) {
	s := Sammanstall(fraga(), []*ssbtekv1.BastjanstResultat{csnResult(), fkResult(), skvResult(), soResult()})
	aug := s.GetManader()[0]
	var lines []string
	for _, in := range aug.GetInkomster() {
		lines = append(lines, fmt.Sprintf("%s %s %s netto=%d", in.GetUtbetalningsdatum(), in.GetKalla(), in.GetForman(), in.GetNettoOre()))
	}
	want := []string{
		"2026-08-10 BASTJANST_SO arbetsloshetsersattning netto=921650",
		"2026-08-20 BASTJANST_FK barnbidrag netto=125000",
		"2026-08-25 BASTJANST_CSN studiemedel netto=1267600",
		"2026-08-25 BASTJANST_FK foraldrapenning netto=355600",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("August payments\n got %q\nwant %q", lines, want)
	}
	var per []string
	for _, k := range aug.GetPerKalla() {
		per = append(per, fmt.Sprintf("%s netto=%d skatt=%d antal=%d", k.GetKalla(), k.GetNettoOre(), k.GetSkattOre(), k.GetAntal()))
	}
	wantPer := []string{"BASTJANST_CSN netto=1267600 skatt=0 antal=1", "BASTJANST_FK netto=480600 skatt=152400 antal=2", "BASTJANST_SO netto=921650 skatt=0 antal=1"}
	if !slices.Equal(per, wantPer) {
		t.Errorf("August per agency\n got %q\nwant %q", per, wantPer)
	}
	if got := s.GetManader()[2].GetTotalt().GetPreliminartNettoOre(); got != 355600 {
		t.Errorf("October planned netto = %d, want 355600", got)
	}
}

func TestSammanstallBadPeriod(t *testing.T) {
	s := Sammanstall(&ssbtekv1.Fraga{Period: &ssbtekv1.Tidsperiod{From: "2026-10-01", Tom: "2026-08-01"}}, []*ssbtekv1.BastjanstResultat{fkResult()})
	if !s.GetOfullstandig() || len(s.GetManader()) != 0 {
		t.Errorf("a reversed period gave %v", s)
	}
}

// One FK answer carries Försäkringskassan's and Pensionsmyndigheten's
// benefits: the summary keeps PM's payments a source line of its own, per
// month and over the period, and every payment says whose it is. A benefit
// that does not say is FK's; other agencies' payments are their own.
func TestSammanstallKeepsPMApartFromFK(t *testing.T) {
	fkRes := fkResult()
	formaner := fkRes.GetFk().GetFormaner()
	formaner[0].Utlamnare = "FK" // föräldrapenning; barnbidrag does not say
	formaner = append(formaner, &ssbtekv1.FormansBeslut{
		// Allmän pension 10 400 kr, 1 456 kr tax, each month.
		Forman: "allmanpension", Utlamnare: "PM",
		Utbetalningar: []*ssbtekv1.Utbetalning{
			{Utbetalningsdatum: "2026-08-19", BruttoOre: p(int64(1040000)), SkattOre: p(int64(145600)), NettoOre: p(int64(894400)), Utbetalare: "1003"},
			{Utbetalningsdatum: "2026-09-18", BruttoOre: p(int64(1040000)), SkattOre: p(int64(145600)), NettoOre: p(int64(894400)), Utbetalare: "1003"},
		},
	})
	fkRes.GetFk().Formaner = formaner
	s := Sammanstall(fraga(), []*ssbtekv1.BastjanstResultat{csnResult(), fkRes, skvResult(), soResult()})

	var lines []string
	for _, in := range s.GetManader()[0].GetInkomster() {
		lines = append(lines, fmt.Sprintf("%s %s/%s %s", in.GetUtbetalningsdatum(), in.GetKalla(), in.GetUtlamnare(), in.GetForman()))
	}
	want := []string{
		"2026-08-10 BASTJANST_SO/SO arbetsloshetsersattning",
		"2026-08-19 BASTJANST_FK/PM allmanpension",
		"2026-08-20 BASTJANST_FK/FK barnbidrag",
		"2026-08-25 BASTJANST_CSN/CSN studiemedel",
		"2026-08-25 BASTJANST_FK/FK foraldrapenning",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("August payments\n got %q\nwant %q", lines, want)
	}
	perKalla := func(list []*ssbtekv1.Inkomstsumma) []string {
		var out []string
		for _, k := range list {
			out = append(out, fmt.Sprintf("%s/%s netto=%d antal=%d", k.GetKalla(), k.GetUtlamnare(), k.GetNettoOre(), k.GetAntal()))
		}
		return out
	}
	// August FK: föräldrapenning 3 556 + barnbidrag 1 250 = 4 806 kr; PM 8 944 kr.
	wantAug := []string{
		"BASTJANST_CSN/CSN netto=1267600 antal=1",
		"BASTJANST_FK/FK netto=480600 antal=2",
		"BASTJANST_FK/PM netto=894400 antal=1",
		"BASTJANST_SO/SO netto=921650 antal=1",
	}
	if got := perKalla(s.GetManader()[0].GetPerKalla()); !slices.Equal(got, wantAug) {
		t.Errorf("August per source\n got %q\nwant %q", got, wantAug)
	}
	// Over the period PM paid twice: 2 × 8 944 = 17 888 kr.
	var pm *ssbtekv1.Inkomstsumma
	for _, k := range s.GetPerKalla() {
		if k.GetUtlamnare() == "PM" {
			pm = k
		}
	}
	if pm.GetKalla() != fk || pm.GetNettoOre() != 1788800 || pm.GetSkattOre() != 291200 || pm.GetAntal() != 2 {
		t.Errorf("PM over the period = %v, want FK/PM netto 1788800 skatt 291200 over 2", pm)
	}
	if u := s.GetTotalt().GetUtlamnare(); u != "" {
		t.Errorf("overall total utlamnare = %q, want empty", u)
	}
}
