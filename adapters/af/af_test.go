package af

import (
	"slices"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

func TestHamtaTestPersons(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency())
	tests := []struct {
		name     string
		pnr      string
		status   ssbtekv1.StatusKod
		innehall *ssbtekv1.Arbetsmarknadsatgarder
		fel      *ssbtekv1.Fel
	}{
		{
			name: "Tolvan registered 100 %", pnr: simkit.Tolvan, status: ssbtekv1.StatusKod_STATUS_KOD_OK,
			innehall: &ssbtekv1.Arbetsmarknadsatgarder{
				Arbetssokande: true, Sokandekategori: "Arbetslös", Registrerad: "2016-11-18", Omfattning: 100, OmfattningAngiven: true,
				Akassetillhorighet: "Akademikernas a-kassa", AktivitetsrapportMeddelande: "200",
				SenasteAktivitetsrapport: "2024-01-12",
			},
		},
		{
			name: "job seeker", pnr: simkit.Jobbsokare, status: ssbtekv1.StatusKod_STATUS_KOD_OK,
			innehall: &ssbtekv1.Arbetsmarknadsatgarder{
				Arbetssokande: true, Sokandekategori: "Deltidsarbetslös", Registrerad: "2023-09-04", Omfattning: 50, OmfattningAngiven: true,
				Akassetillhorighet: "Handelsanställdas a-kassa", AktivitetsrapportMeddelande: "501",
			},
		},
		{
			name: "protected identity", pnr: simkit.Skyddad, status: ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET,
			innehall: &ssbtekv1.Arbetsmarknadsatgarder{
				Arbetssokande: true, Sokandekategori: "Arbetslös", Registrerad: "2022-05-02", Omfattning: 100, OmfattningAngiven: true,
				AktivitetsrapportMeddelande: "200", SenasteAktivitetsrapport: "2024-01-08", Sekretessmarkering: true,
			},
		},
		{
			name: "newly arrived in a programme", pnr: simkit.Nyanland, status: ssbtekv1.StatusKod_STATUS_KOD_OK,
			innehall: &ssbtekv1.Arbetsmarknadsatgarder{
				Arbetssokande: true, Sokandekategori: "Deltagare i etableringsprogrammet", Registrerad: "2025-06-12",
				Omfattning: 100, OmfattningAngiven: true, AktivitetsrapportMeddelande: "200", SenasteAktivitetsrapport: "2026-01-10",
				// The decision of 2025 lies outside the question's period (2026 Q1).
				Beslut: []*ssbtekv1.FormansBeslut{{Forman: "Etableringsersättning", Utlamnare: "AF", Beslut: []*ssbtekv1.Beslut{
					{From: "2026-01-01", Tom: "2027-06-11", Omfattning: 100, PeriodtypKod: "Etableringsersättning"},
				}}},
			},
		},
		{
			name: "samordningsnummer", pnr: simkit.Samordningsnummer, status: ssbtekv1.StatusKod_STATUS_KOD_OK,
			innehall: &ssbtekv1.Arbetsmarknadsatgarder{
				Sokandekategori: "Avaktualiserad", Registrerad: "2022-02-14", Avaktualiserad: "2023-10-31",
				Akassetillhorighet: "Byggnads a-kassa", AktivitetsrapportMeddelande: "501",
			},
		},
		{name: "student", pnr: simkit.Student, status: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS},
		{name: "pensioner", pnr: simkit.Pensionar, status: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS},
		{name: "anybody else", pnr: "194107086995", status: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS},
		{
			name: "agency error", pnr: simkit.Felperson, status: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL,
			fel: &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "101", Felmeddelande: textTeknisktFel},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := a.Hamta(t.Context(), adaptertest.Fraga(tt.pnr), nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			if in := tt.innehall; in != nil {
				// Every known person's answer has the same version and status.
				in.Schemaversion, in.StatusKod, in.StatusText = schemaversionSvar, KodOK, textOK
			}
			adaptertest.CheckResult(t, Agency(), res, adaptertest.Want{Status: tt.status, Fel: tt.fel, Content: tt.innehall, MediaType: "text/xml"})
			checkRadata(t, res, tt.pnr)
		})
	}
}

// checkRadata asserts that Radata is AF's SvarMeddelande, standalone.
func checkRadata(t *testing.T, res *ssbtekv1.BastjanstResultat, pnr string) {
	t.Helper()
	root := adaptertest.RadataRoot(t, res)
	if root.Tag != "SvarMeddelande" || root.NamespaceURI() != Namespace {
		t.Fatalf("radata root = {%s}%s, want SvarMeddelande", root.NamespaceURI(), root.Tag)
	}
	if el := root.FindElement("Svar/IdentitetsbeteckningFysiskPerson"); el == nil || el.Text() != pnr {
		t.Errorf("radata does not name the person asked about")
	}
}

func TestHamtaSendsTheQuestion(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	f := adaptertest.Fraga(simkit.Tolvan)
	f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{{
		Bastjanst: ssbtekv1.Bastjanst_BASTJANST_AF,
		Period:    &ssbtekv1.Tidsperiod{From: "2026-02-01", Tom: "2026-02-28"},
	}}
	// AF takes one personuppgiftsbiträde, the one with the lowest
	// ordningsnummer, which the standard question lists second.
	forsta := f.GetPersonuppgiftsbitrade()[1]
	if forsta.GetOrdningsnummer() != 1 {
		t.Fatal("the standard question no longer lists biträde 1 second")
	}
	if _, err := srv.Adapter(Agency()).Hamta(t.Context(), f, nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	got := adaptertest.Envelope(t, srv.Last(t).Request).Body
	want := map[string]string{
		"Fraga/OrganisationsnummerForIngivare":              f.GetOrganisationsnummer(),
		"Fraga/NamnPaIngivare":                              f.GetIngivare(),
		"Fraga/KontonamnForHandlaggare":                     f.GetHandlaggare(),
		"Fraga/Referensnummer":                              f.GetArendeidentitet(),
		"Fraga/From":                                        "2026-02-01",
		"Fraga/Tom":                                         "2026-02-28",
		"Fraga/SyfteMedFraga":                               f.GetSyfte(),
		"Fraga/LagParagraf":                                 f.GetLagtext(),
		"Fraga/OrganisationsnummerForPersonuppgiftsbitrade": forsta.GetOrganisationsnummer(),
		"Fraga/NamnPaPersonuppgiftsbitrade":                 forsta.GetNamn(),
		"Fraga/IdentitetsbeteckningFysiskPerson":            simkit.Tolvan,
	}
	for path, v := range want {
		if e := got.FindElement(path); e == nil || e.Text() != v {
			t.Errorf("%s = %v, want %q", path, e, v)
		}
	}
	if n := len(got.FindElements("Fraga/OrganisationsnummerForPersonuppgiftsbitrade")); n != 1 {
		t.Errorf("%d personuppgiftsbiträden sent, want 1", n)
	}
	if got.FindElement("Fraga/Test") != nil {
		t.Error("a real lookup must not be marked as a test")
	}
	for _, attr := range []string{"ArbetssokandeInfo", "AkasseInfo", "BeslutInfo"} {
		if v := got.FindElement("Inkludera").SelectAttrValue(attr, ""); v != "true" {
			t.Errorf("Inkludera/@%s = %q, want true", attr, v)
		}
	}
}

func TestTesta(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	if err := srv.Adapter(Agency()).Testa(t.Context()); err != nil {
		t.Fatalf("Testa: %v", err)
	}
	got := adaptertest.Envelope(t, srv.Last(t).Request).Body
	if v := got.FindElement("Fraga/Test"); v == nil || v.Text() != "true" {
		t.Errorf("test call without Fraga/Test=true")
	}
}

// No case worker asks the test question: the ingivare is the gateway's
// operator.
func TestTestaNamesOperator(t *testing.T) {
	adaptertest.CheckOperator(t, Agency(), func(t *testing.T, ping adaptertest.Exchange) string {
		return soap.Text(adaptertest.Envelope(t, ping.Request).Body, "Fraga", "OrganisationsnummerForIngivare")
	})
}

func TestTestaReportsAgencyError(t *testing.T) {
	// An answer with AF's own error code means its test service is not well.
	a := adaptertest.Serve(t, Agency(), adaptertest.RewriteSOAP(NewSimulator(), adaptertest.SetText("Svar/StatusSokandeinformationKod", "102"))).Adapter(Agency())
	err := a.Testa(t.Context())
	if err == nil || adaptertest.Felkod(err) != bastjanst.FelkodOtillganglig {
		t.Fatalf("Testa = %v, want felkod %s", err, bastjanst.FelkodOtillganglig)
	}
	if strings.Contains(err.Error(), simkit.Tolvan) {
		t.Error("error text holds a personnummer")
	}
}

// The simulator gives the decisions that touch the period asked, no others.
func TestSimulatorAnswersForThePeriod(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	a := srv.Adapter(Agency())
	for _, tt := range []struct {
		from, tom string
		want      []string // BeslutFrom of the decisions sent
	}{
		{"2025-01-01", "2025-06-11", nil},
		{"2025-12-01", "2026-01-31", []string{"2025-06-12", "2026-01-01"}},
		{"2026-08-01", "2026-10-31", []string{"2026-01-01"}},
		{"2027-06-12", "2027-12-31", nil},
	} {
		f := adaptertest.Fraga(simkit.Nyanland)
		f.Period = &ssbtekv1.Tidsperiod{From: tt.from, Tom: tt.tom}
		res, err := a.Hamta(t.Context(), f, nil)
		if err != nil {
			t.Fatalf("Hamta: %v", err)
		}
		adaptertest.Validate(t, schemaPath, "svar "+tt.from, adaptertest.Payload(t, srv.Last(t).Answer))
		var got []string
		for _, fb := range res.GetAf().GetBeslut() {
			for _, b := range fb.GetBeslut() {
				got = append(got, b.GetFrom())
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s..%s: decisions from %v, want %v", tt.from, tt.tom, got, tt.want)
		}
	}
}

// Every aktivitetsrapport code of seed 002 (SSBTEK v4), as the simulator
// answers it: 200 with the report's date, 500 and 501 as facts (status OK),
// 502 "Tekniskt fel" makes the answer ANNATFEL with the reason, AF's other
// data kept.
func TestAktivitetsrapportCodes(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency())
	for _, tt := range []struct {
		pnr, kod, senaste string
		status            ssbtekv1.StatusKod
	}{
		{simkit.Tolvan, "200", "2024-01-12", ssbtekv1.StatusKod_STATUS_KOD_OK},
		{SaknasIALF, "500", "", ssbtekv1.StatusKod_STATUS_KOD_OK},
		{simkit.Jobbsokare, "501", "", ssbtekv1.StatusKod_STATUS_KOD_OK},
		{RapportTeknisktFel, "502", "", ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL},
	} {
		res, err := a.Hamta(t.Context(), adaptertest.Fraga(tt.pnr), nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.kod, err)
		}
		af := res.GetAf()
		if af.GetAktivitetsrapportMeddelande() != tt.kod || af.GetSenasteAktivitetsrapport() != tt.senaste || res.GetStatus().GetKod() != tt.status || res.GetFel() != nil {
			t.Errorf("%s: status %v, rapport %q %q, fel %v; want %v", tt.kod, res.GetStatus(), af.GetAktivitetsrapportMeddelande(), af.GetSenasteAktivitetsrapport(), res.GetFel(), tt.status)
		}
		if tt.kod == "502" && (!strings.Contains(res.GetStatus().GetMeddelande(), "502") || !af.GetArbetssokande()) {
			t.Errorf("502: the reason %q or AF's other data %v missing", res.GetStatus().GetMeddelande(), af)
		}
	}
}
