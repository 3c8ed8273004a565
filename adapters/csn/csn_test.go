package csn

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/personnummer"
)

// Shorthands for the expected decisions.
const (
	definitivt  = ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT
	provisorisk = ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
	avslag      = ssbtekv1.Beslutskod_BESLUTSKOD_AVSLAG
	tillsvidare = ssbtekv1.Periodtyp_PERIODTYP_TILLSVIDARE
)

// rad is an amount line: belopp kronor per unit, tot over from..tom.
func rad(typ, klartext string, belopp, tot int64, from, tom string) *ssbtekv1.Beloppsrad {
	return &ssbtekv1.Beloppsrad{Beloppstyp: typ, Klartext: klartext, BeloppOre: belopp * 100, TotalbeloppOre: ore(tot),
		Art: ssbtekv1.Beloppsart_BELOPPSART_ERSATTNING, From: from, Tom: tom}
}

// granted is the Beslut of a BeviljadTid of an Arende with status BESLUTAD.
func granted(stodform, from, tom string, omfattning int32, total int64, rader ...*ssbtekv1.Beloppsrad) *ssbtekv1.Beslut {
	return &ssbtekv1.Beslut{Beslutskod: definitivt, BeslutskodKod: "BESLUTAD", FormanKod: stodform, From: from, Tom: tom,
		Periodtyp: tillsvidare, Nettobelopp: total, Bruttobelopp: total, NettobeloppOre: ore(total), BruttobeloppOre: ore(total),
		Omfattning: omfattning, Belopp: rader}
}

// paid is one payment of total kronor on datum for from..tom, CSN's status verbatim.
func paid(datum, statusKod, stodform, from, tom string, total int64, rader ...*ssbtekv1.Beloppsrad) *ssbtekv1.Utbetalning {
	st := ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UTBETALD
	if statusKod == "Planerad" {
		st = ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR
	}
	return &ssbtekv1.Utbetalning{Utbetalningsdatum: datum, From: from, Tom: tom, Status: st, StatusKod: statusKod,
		BruttoOre: ore(total), SkattOre: ore(0), AvdragOre: ore(0), NettoOre: ore(total), Utbetalare: "CSN", FormanKod: stodform, Rader: rader}
}

// fyraVeckorGrund is four weeks of full-time studiemedel at the 2026 spring rates.
func fyraVeckorGrund(datum, status, from, tom string) *ssbtekv1.Utbetalning {
	return paid(datum, status, "GRUND", from, tom, 12676, rad("GRUNDB", "Bidrag", 917, 3668, from, tom), rad("GRUNDL", "Lån", 2252, 9008, from, tom))
}

// found is the content for a person CSN knows: the kinds' listing with the
// number of Arenden per kind, in kinds order.
func found(sekretess bool, antal [len(kinds)]int, formaner ...*ssbtekv1.FormansBeslut) *ssbtekv1.Studiestod {
	st := &ssbtekv1.Studiestod{Sekretess: sekretess, Formaner: formaner, Studiestodstyper: map[string]string{},
		ResultatKod: ResultatKodOK, ResultatText: textOK}
	for i, k := range kinds {
		st.Studiestodstyper[k.forman] = strconv.Itoa(antal[i])
	}
	return st
}

// tolvanGrund is Tolvan's spring 2026 studiemedel Arende, as the standard question (2026 Q1) sees it.
func tolvanGrund() *ssbtekv1.FormansBeslut {
	return &ssbtekv1.FormansBeslut{
		Forman: "studiemedel", FormanKod: "GRUND", Klartext: "Studiemedel för studier i Sverige", AnsokanInkommen: true,
		ArendeId: "1", StatusKod: "BESLUTAD", Utlamnare: "CSN",
		Ansprak: []*ssbtekv1.Ansprak{{FormanKod: "GRUND", From: "2026-01-12", Tom: "2026-05-31", Omfattning: 100, Lan: true}},
		Beslut: []*ssbtekv1.Beslut{granted("GRUND", "2026-01-12", "2026-05-31", 100, 63380,
			rad("GRUNDB", "Bidrag", 917, 18340, "2026-01-12", "2026-05-31"), rad("GRUNDL", "Lån", 2252, 45040, "2026-01-12", "2026-05-31"))},
		Utbetalningar: []*ssbtekv1.Utbetalning{
			fyraVeckorGrund("2026-01-22", "Utbetald", "2026-01-12", "2026-02-08"),
			fyraVeckorGrund("2026-02-20", "Utbetald", "2026-02-09", "2026-03-08"),
		},
		PreliminaraUtbetalningar: []*ssbtekv1.Utbetalning{fyraVeckorGrund("2026-03-23", "Planerad", "2026-03-09", "2026-04-05")},
	}
}

func TestHamtaTestPersons(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency())
	halv := func(datum, from, tom string) *ssbtekv1.Utbetalning {
		return paid(datum, "Utbetald", "GRUND", from, tom, 6340, rad("GRUNDB", "Bidrag", 459, 1836, from, tom), rad("GRUNDL", "Lån", 1126, 4504, from, tom))
	}
	studiebidrag := func(datum, from, tom string) *ssbtekv1.Utbetalning {
		return paid(datum, "Utbetald", "SH", from, tom, 1250, rad("STUDB", "Studiebidrag", 1250, 1250, from, tom))
	}
	startstod := func(datum, from, tom string) *ssbtekv1.Utbetalning {
		return paid(datum, "Utbetald", "SSSTÖD", from, tom, 11000, rad("STÖDB", "Studiestartsstöd bidrag", 2750, 11000, from, tom))
	}
	tests := []struct {
		name     string
		pnr      string
		status   ssbtekv1.StatusKod
		innehall *ssbtekv1.Studiestod
		fel      *ssbtekv1.Fel
	}{
		{
			// The autumn's Arende 3 lies outside the question's period: CSN leaves it out.
			name: "Tolvan studiemedel", pnr: simkit.Tolvan, status: ssbtekv1.StatusKod_STATUS_KOD_OK,
			innehall: found(false, [len(kinds)]int{2, 0, 0, 0, 0}, tolvanGrund(), &ssbtekv1.FormansBeslut{
				// The refused tilläggslån, over the period applied for.
				Forman: "studiemedel", FormanKod: "TLÅN", Klartext: "Tilläggslån", AnsokanInkommen: true,
				ArendeId: "2", StatusKod: "BESLUTAD", RelateratArende: "1", Utlamnare: "CSN",
				Ansprak: []*ssbtekv1.Ansprak{{FormanKod: "TLÅN", From: "2026-01-12", Tom: "2026-05-31", Omfattning: 100, Lan: true}},
				Beslut:  []*ssbtekv1.Beslut{{Beslutskod: avslag, BeslutskodKod: "BESLUTAD", FormanKod: "TLÅN", From: "2026-01-12", Tom: "2026-05-31", Omfattning: 100}},
			}),
		},
		{
			name: "student studiemedel at grundskolenivå and studiehjälp", pnr: simkit.Student,
			status: ssbtekv1.StatusKod_STATUS_KOD_OK,
			innehall: func() *ssbtekv1.Studiestod {
				st := found(false, [len(kinds)]int{1, 1, 0, 0, 0}, &ssbtekv1.FormansBeslut{
					Forman: "studiemedel", FormanKod: "GRUND", Klartext: "Studiemedel för studier i Sverige", AnsokanInkommen: true,
					ArendeId: "1", StatusKod: "BESLUTAD", Utlamnare: "CSN",
					Ansprak: []*ssbtekv1.Ansprak{{FormanKod: "GRUND", From: "2026-01-05", Tom: "2026-06-07", Omfattning: 50, Lan: true}},
					Beslut: []*ssbtekv1.Beslut{granted("GRUND", "2026-01-05", "2026-06-07", 50, 34870,
						rad("GRUNDB", "Bidrag", 459, 10098, "2026-01-05", "2026-06-07"), rad("GRUNDL", "Lån", 1126, 24772, "2026-01-05", "2026-06-07"))},
					Utbetalningar: []*ssbtekv1.Utbetalning{
						halv("2026-01-22", "2026-01-05", "2026-02-01"), halv("2026-02-20", "2026-02-02", "2026-03-01"), halv("2026-03-20", "2026-03-02", "2026-03-29"),
					},
				}, &ssbtekv1.FormansBeslut{
					Forman: "studiehjalp", FormanKod: "SH", Klartext: "Studiehjälp", AnsokanInkommen: true,
					ArendeId: "1", StatusKod: "BESLUTAD", Utlamnare: "CSN",
					Beslut: []*ssbtekv1.Beslut{granted("SH", "2025-08-18", "2026-06-12", 100, 12500,
						rad("STUDB", "Studiebidrag", 1250, 12500, "2025-08-18", "2026-06-12"))},
					Utbetalningar: []*ssbtekv1.Utbetalning{
						studiebidrag("2026-01-23", "2026-01-01", "2026-01-31"), studiebidrag("2026-02-25", "2026-02-01", "2026-02-28"), studiebidrag("2026-03-25", "2026-03-01", "2026-03-31"),
					},
				})
				st.Grundskoleniva = true
				return st
			}(),
		},
		{
			name: "protected identity", pnr: simkit.Skyddad, status: ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET,
			innehall: found(true, [len(kinds)]int{0, 0, 1, 1, 1}, &ssbtekv1.FormansBeslut{
				Forman: "hemutrustningslan", FormanKod: "HUT", Klartext: "Hemutrustningslån", AnsokanInkommen: true,
				ArendeId: "1024", StatusKod: "AVSLUTAD", Utlamnare: "CSN",
				// A one-off payment: its day is its period.
				Utbetalningar: []*ssbtekv1.Utbetalning{paid("2026-01-07", "UTBETALAD", "HUT", "2026-01-07", "2026-01-07", 30000,
					rad("HUT", "Hemutrustningslån", 30000, 30000, "2026-01-07", "2026-01-07"))},
			}, &ssbtekv1.FormansBeslut{
				Forman: "studiestartsstod", FormanKod: "SSSTÖD", Klartext: "Studiestartsstöd", AnsokanInkommen: true,
				ArendeId: "1", StatusKod: "BESLUTAD", Utlamnare: "CSN",
				Ansprak: []*ssbtekv1.Ansprak{{FormanKod: "SSSTÖD", From: "2026-01-05", Tom: "2026-06-14", Omfattning: 100}},
				Beslut: []*ssbtekv1.Beslut{granted("SSSTÖD", "2026-01-05", "2026-06-14", 100, 63250,
					rad("STÖDB", "Studiestartsstöd bidrag", 2750, 63250, "2026-01-05", "2026-06-14"))},
				Utbetalningar: []*ssbtekv1.Utbetalning{
					startstod("2026-01-22", "2026-01-05", "2026-02-01"),
					// Paid late, after the period.
					startstod("2026-03-06", "2026-02-02", "2026-03-01"),
				},
			}, &ssbtekv1.FormansBeslut{
				// Applied for, not yet decided.
				Forman: "omstallningsstudiestod", FormanKod: "OSS", Klartext: "Omställningsstudiestöd", AnsokanInkommen: true,
				ArendeId: "1", StatusKod: "INITIERAD", Utlamnare: "CSN",
				Ansprak: []*ssbtekv1.Ansprak{{FormanKod: "OSS", From: "2026-03-30", Tom: "2026-08-16", Omfattning: 100}},
			}),
		},
		{name: "job seeker", pnr: simkit.Jobbsokare, status: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS},
		{name: "newly arrived", pnr: simkit.Nyanland, status: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS},
		{name: "pensioner", pnr: simkit.Pensionar, status: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS},
		{name: "samordningsnummer", pnr: simkit.Samordningsnummer, status: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS},
		{name: "anybody else", pnr: "194107086995", status: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS},
		{
			name: "agency error", pnr: simkit.Felperson, status: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL,
			fel: &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: ResultatKodTeknisktFel, Felmeddelande: textTeknisktFel},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := a.Hamta(t.Context(), adaptertest.Fraga(tt.pnr), nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			adaptertest.CheckResult(t, Agency(), res, adaptertest.Want{Status: tt.status, Fel: tt.fel, Content: tt.innehall, MediaType: "text/xml"})
			checkRadata(t, res, tt.pnr)
		})
	}
}

// checkRadata asserts that Radata is the CSNSvar document, standalone, and
// about pnr where it names a person.
func checkRadata(t *testing.T, res *ssbtekv1.BastjanstResultat, pnr string) {
	t.Helper()
	root := adaptertest.RadataRoot(t, res)
	if root.Tag != "CSNSvar" || root.NamespaceURI() != NSKommunfraga {
		t.Fatalf("radata root = {%s}%s, want CSNSvar", root.NamespaceURI(), root.Tag)
	}
	for _, p := range root.FindElements("Personer/Person") {
		if p.SelectAttrValue("sekel", "")+p.SelectAttrValue("personnummer", "") != pnr {
			t.Errorf("radata is about another person")
		}
	}
	// Standalone: every prefix used is declared in the document itself.
	for _, e := range append(root.FindElements("//*"), root) {
		if e.NamespaceURI() == "" && e.Space != "" {
			t.Errorf("radata uses undeclared prefix %q", e.Space)
		}
	}
}

func TestHamtaSendsTheQuestion(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	f := adaptertest.Fraga(simkit.Tolvan)
	f.Ombud = "165567000010"
	f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{
		{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_AF, Period: &ssbtekv1.Tidsperiod{From: "2025-01-01", Tom: "2025-01-31"}},
		{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_CSN, Period: &ssbtekv1.Tidsperiod{From: "2026-02-01", Tom: "2026-02-28"}},
	}
	if _, err := srv.Adapter(Agency()).Hamta(t.Context(), f, nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	got := adaptertest.Envelope(t, srv.Last(t).Request).Body
	if got.Tag != "SBNUppgEkBistandBegar" || got.NamespaceURI() != NSKommunfraga {
		t.Fatalf("question element = {%s}%s", got.NamespaceURI(), got.Tag)
	}
	want := map[string]string{
		"Ingivare/Organisationsnummer": f.GetOrganisationsnummer(),
		"Ingivare/Namn":                f.GetIngivare(),
		"Ingivare/Handlaggare":         f.GetHandlaggare(),
		"Ombud":                        "165567000010",
		"Arendeidentitet":              f.GetArendeidentitet(),
		"Personidentitet":              simkit.Tolvan,
		"Tidsperiod/FromDatum":         "2026-02-01",
		"Tidsperiod/TomDatum":          "2026-02-28",
		"Syfte":                        f.GetSyfte(),
		"Lagtext":                      f.GetLagtext(),
	}
	// CSN is sent every personuppgiftsbiträde, by ordningsnummer (the
	// question lists them out of order), each with its ordningsnummer.
	pubs := bastjanst.Bitraden(f)
	if pubs[0].GetOrdningsnummer() != 1 {
		t.Fatal("the standard question should list biträde 1 first after ordering")
	}
	if n := len(got.FindElements("Personuppgiftsbitrade")); n != len(pubs) {
		t.Fatalf("%d personuppgiftsbiträden sent, want %d", n, len(pubs))
	}
	for i, pub := range pubs {
		p := fmt.Sprintf("Personuppgiftsbitrade[%d]/", i+1)
		want[p+"Ordningsnummer"] = strconv.Itoa(int(pub.GetOrdningsnummer()))
		want[p+"Organisationsnummer"] = pub.GetOrganisationsnummer()
		want[p+"Namn"] = pub.GetNamn()
	}
	for path, v := range want {
		e := got.FindElement(path)
		if e == nil || e.Text() != v || e.NamespaceURI() != NSSambruk {
			t.Errorf("%s = %v, want %q in the Sambruk namespace", path, e, v)
		}
	}
}

func TestHamtaGivenPeriodWins(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	f := adaptertest.Fraga(simkit.Tolvan)
	f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{
		{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_CSN, Period: &ssbtekv1.Tidsperiod{From: "2026-02-01", Tom: "2026-02-28"}},
	}
	if _, err := srv.Adapter(Agency()).Hamta(t.Context(), f, &ssbtekv1.Tidsperiod{From: "2026-03-01", Tom: "2026-03-31"}); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	got := adaptertest.Envelope(t, srv.Last(t).Request).Body
	if from := got.FindElement("Tidsperiod/FromDatum").Text(); from != "2026-03-01" {
		t.Errorf("FromDatum = %s, want the period given to Hamta", from)
	}
}

func TestTesta(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	if err := srv.Adapter(Agency()).Testa(t.Context()); err != nil {
		t.Fatalf("Testa: %v", err)
	}
	got := adaptertest.Envelope(t, srv.Last(t).Request).Body
	if v := got.FindElement("Arendeidentitet").Text(); v != pingArendeidentitet {
		t.Errorf("ping Arendeidentitet = %q", v)
	}
}

// No case worker asks the ping: the ingivare is the gateway's operator.
func TestTestaNamesOperator(t *testing.T) {
	adaptertest.CheckOperator(t, Agency(), func(t *testing.T, ping adaptertest.Exchange) string {
		return soap.Text(adaptertest.Envelope(t, ping.Request).Body, "Ingivare", "Organisationsnummer")
	})
}

// The ping must never ask about anybody: its number fails the check digit.
func TestPingNumberIsNobody(t *testing.T) {
	if err := personnummer.Check(pingPersonidentitet, time.Now()); err == nil {
		t.Errorf("ping number %s is a valid personnummer", pingPersonidentitet)
	}
	if !csnPersonnummer.MatchString(pingPersonidentitet) {
		t.Error("CSN cannot name the ping number in its answer")
	}
}

// The simulator answers for the period asked: payments made in it, granted
// periods touching it, and no Arende with nothing in it.
func TestSimulatorAnswersForThePeriod(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency())
	for _, tt := range []struct {
		from, tom string
		arenden   []string // ArendeId per FormansBeslut
		paid      []string // utbetalningsdatum of the payments made
	}{
		{"2026-08-01", "2026-10-31", []string{"3"}, []string{"2026-08-25", "2026-09-25", "2026-10-23"}},
		{"2026-06-01", "2026-07-31", nil, nil},
		{"2026-02-01", "2026-02-28", []string{"1", "2"}, []string{"2026-02-20"}},
	} {
		f := adaptertest.Fraga(simkit.Tolvan)
		f.Period = &ssbtekv1.Tidsperiod{From: tt.from, Tom: tt.tom}
		res, err := a.Hamta(t.Context(), f, nil)
		if err != nil {
			t.Fatalf("Hamta: %v", err)
		}
		var arenden, paid []string
		for _, fb := range res.GetCsn().GetFormaner() {
			arenden = append(arenden, fb.GetArendeId())
			for _, u := range fb.GetUtbetalningar() {
				paid = append(paid, u.GetUtbetalningsdatum())
			}
		}
		if fmt.Sprint(arenden) != fmt.Sprint(tt.arenden) || fmt.Sprint(paid) != fmt.Sprint(tt.paid) {
			t.Errorf("%s..%s: arenden %v, paid %v; want %v, %v", tt.from, tt.tom, arenden, paid, tt.arenden, tt.paid)
		}
	}
}
