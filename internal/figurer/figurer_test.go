package figurer

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

func p[T any](v T) *T { return &v }

// sample reads one of the agencies' published sample answers from the contracts folder.
func sample(t *testing.T, name string) []byte {
	t.Helper()
	dir := os.Getenv("SSBTEK_CONTRACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "contracts")
	}
	b, err := os.ReadFile(filepath.Join(dir, "samples", name))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("contract samples required in CI: %v", err)
		}
		t.Skipf("contract samples not available (%v): set SSBTEK_CONTRACTS", err)
	}
	return b
}

// The agencies' published sample answers, typed as the model now allows:
// every figure has a field. The identifiers are deliberately not typed.
func TestSamplesFitTheModel(t *testing.T) {
	idents := []string{"IdentitetsbeteckningFysiskPerson", "IdentificationNumber", "OrganisationsnummerIngivare"}
	tests := []struct {
		sample string
		typed  proto.Message
		// drop removes what a careless mapping would not fill; missing is the figure then lost.
		drop    func(proto.Message)
		missing string
	}{{
		sample: "so-response.xml",
		typed: &ssbtekv1.Arbetsloshetsersattning{Akassor: []*ssbtekv1.Akassa{{
			Namn: "Testorganisation", Status: "all clear",
			Utbetalningar: []*ssbtekv1.Arbetsloshetsersattning_Utbetalning{{
				Utbetalningsdatum: "2013-11-23", NettoEfterSkatt: 1250, NettoEfterSkattOre: p(int64(125050)),
				NettoEfterAvdragOre: p(int64(125050)), Dagar: 2, ErsattningsdagarHundradelar: p(int64(200)),
			}},
		}}},
		drop: func(m proto.Message) {
			u := m.(*ssbtekv1.Arbetsloshetsersattning).GetAkassor()[0].GetUtbetalningar()[0]
			u.NettoEfterSkattOre, u.NettoEfterAvdragOre = nil, nil
		},
		missing: "NettoEfterSkatt=1250.50",
	}, {
		sample: "skv-response.xml",
		typed: &ssbtekv1.Beskattning{StatusPersonuppgiftKod: "999", Taxeringar: []*ssbtekv1.Taxeringsuppgift{{
			Taxeringsar: 2001, SummaIntakterKapitalKronor: p(int64(12345)), OverskottKapitalKronor: p(int64(666)),
		}}},
		drop:    func(m proto.Message) { m.(*ssbtekv1.Beskattning).GetTaxeringar()[0].OverskottKapitalKronor = nil },
		missing: "OverskottPaKapital=666",
	}, {
		sample: "af-response.xml",
		typed: &ssbtekv1.Arbetsmarknadsatgarder{
			Arbetssokande: true, Schemaversion: "4.0", Omfattning: 100, OmfattningAngiven: true, StatusKod: 0,
		},
		drop:    func(m proto.Message) { m.(*ssbtekv1.Arbetsmarknadsatgarder).Omfattning = 0 },
		missing: "ArbetssokandeOmfattning=100",
	}}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			figs, err := Figures(sample(t, tt.sample))
			if err != nil {
				t.Fatal(err)
			}
			if len(figs) == 0 {
				t.Fatal("no figures found")
			}
			if m := Missing(figs, tt.typed, idents...); len(m) != 0 {
				t.Errorf("figures the model lost: %v", m)
			}
			tt.drop(tt.typed)
			var names []string
			for _, f := range Missing(figs, tt.typed, idents...) {
				names = append(names, f.Name+"="+f.Text)
			}
			if !slices.Contains(names, tt.missing) {
				t.Errorf("after dropping a field, missing %v, want %s among them", names, tt.missing)
			}
		})
	}
}

func TestFiguresFromJSON(t *testing.T) {
	figs, err := Figures([]byte(`{"utbetalningar":[{"bruttobelopp":{"summa":5080.0,"valuta":"SEK"},"typ":"1","datum":"2026-08-25"}],"personnummer":"191212121212"}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range figs {
		got = append(got, f.String())
	}
	want := []string{"/personnummer=191212121212", "/utbetalningar/bruttobelopp/summa=5080.0", "/utbetalningar/typ=1"}
	if !slices.Equal(got, want) {
		t.Errorf("figures %q, want %q", got, want)
	}
	typed := &ssbtekv1.Utbetalning{BruttoOre: p(int64(508000)), TypKod: "1"}
	if m := Missing(figs, typed, "personnummer"); len(m) != 0 {
		t.Errorf("missing %v", m)
	}
}

// A compact date (SKV's and CSN's ÅÅÅÅMMDD) is held by the same date as
// YYYY-MM-DD, and only by that date.
func TestCompactDatesAreHeldAsDates(t *testing.T) {
	figs, err := Figures([]byte(`<svar><Taxeringsdatum>20250617</Taxeringsdatum><FromDatum>20240101</FromDatum></svar>`))
	if err != nil {
		t.Fatal(err)
	}
	typed := &ssbtekv1.Taxeringsuppgift{Taxeringsdatum: "2025-06-17", From: "2024-01-02"}
	var names []string
	for _, f := range Missing(figs, typed) {
		names = append(names, f.String())
	}
	if len(names) != 1 || names[0] != "/svar/FromDatum=20240101" {
		t.Errorf("missing %v, want only FromDatum (typed as another day)", names)
	}
}
