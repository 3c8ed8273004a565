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
	retroaktiv  = ssbtekv1.Periodtyp_PERIODTYP_RETROAKTIV
)

// paid is a Beslut for a payment of belopp kronor over from–tom.
func paid(kod ssbtekv1.Beslutskod, from, tom string, typ ssbtekv1.Periodtyp, belopp int64, omfattning int32) *ssbtekv1.Beslut {
	return &ssbtekv1.Beslut{Beslutskod: kod, From: from, Tom: tom, Periodtyp: typ,
		Nettobelopp: belopp, Bruttobelopp: belopp, Omfattning: omfattning}
}

func TestHamtaTestPersons(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency())
	tests := []struct {
		name     string
		pnr      string
		status   ssbtekv1.StatusKod
		innehall *ssbtekv1.Studiestod
		fel      *ssbtekv1.Fel
	}{
		{
			name: "Tolvan studiemedel", pnr: simkit.Tolvan, status: ssbtekv1.StatusKod_STATUS_KOD_OK,
			innehall: &ssbtekv1.Studiestod{Formaner: []*ssbtekv1.FormansBeslut{{
				Forman: "studiemedel", AnsokanInkommen: true,
				Beslut: []*ssbtekv1.Beslut{
					paid(definitivt, "2024-01-15", "2024-02-11", tillsvidare, 12676, 100),
					paid(definitivt, "2024-02-12", "2024-03-10", tillsvidare, 12676, 100),
					paid(provisorisk, "2024-03-11", "2024-04-07", tillsvidare, 12676, 100),
					// The refused tilläggslån, over the period applied for.
					{Beslutskod: avslag, From: "2024-01-15", Tom: "2024-06-02", Omfattning: 100},
				},
			}}},
		},
		{
			name: "student studiemedel at grundskolenivå and studiehjälp", pnr: simkit.Student,
			status: ssbtekv1.StatusKod_STATUS_KOD_OK,
			innehall: &ssbtekv1.Studiestod{Grundskoleniva: true, Formaner: []*ssbtekv1.FormansBeslut{
				{Forman: "studiemedel", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
					paid(definitivt, "2024-01-08", "2024-02-04", tillsvidare, 6340, 50),
					paid(definitivt, "2024-02-05", "2024-03-03", tillsvidare, 6340, 50),
					paid(definitivt, "2024-03-04", "2024-03-31", tillsvidare, 6340, 50),
				}},
				{Forman: "studiehjalp", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
					paid(definitivt, "2024-01-01", "2024-01-31", tillsvidare, 1250, 100),
					paid(definitivt, "2024-02-01", "2024-02-29", tillsvidare, 1250, 100),
					paid(definitivt, "2024-03-01", "2024-03-31", tillsvidare, 1250, 100),
				}},
			}},
		},
		{
			name: "protected identity", pnr: simkit.Skyddad, status: ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET,
			innehall: &ssbtekv1.Studiestod{Sekretess: true, Formaner: []*ssbtekv1.FormansBeslut{
				{Forman: "hemutrustningslan", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
					// A one-off payment: its day is its period, of no type.
					paid(definitivt, "2024-01-10", "2024-01-10", ssbtekv1.Periodtyp_PERIODTYP_UNSPECIFIED, 30000, 0),
				}},
				{Forman: "studiestartsstod", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
					paid(definitivt, "2024-01-08", "2024-02-04", tillsvidare, 11000, 100),
					paid(definitivt, "2024-02-05", "2024-03-03", retroaktiv, 11000, 100),
				}},
				{Forman: "omstallningsstudiestod", AnsokanInkommen: true},
			}},
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
