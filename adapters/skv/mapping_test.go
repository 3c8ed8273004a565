package skv

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

func p(n int64) *int64 { return &n }

func TestReadSvarsdokument(t *testing.T) {
	const pnr = "191212121212"
	const open = `<SvarBeskattningsuppgifterEnligtSFS2008-975 xmlns="http://xmls.skatteverket.se/se/skatteverket/zg/instans/standardiseradInformation/1.0" xmlns:besko="http://xmls.skatteverket.se/se/skatteverket/zg/komponent/infoForBeskattning/1.0" xmlns:folko="http://xmls.skatteverket.se/se/skatteverket/zg/komponent/infoForFolkbokforing/1.0"><PersonuppgiftLista>`
	const close = `</PersonuppgiftLista></SvarBeskattningsuppgifterEnligtSFS2008-975>`
	person := func(inner string) string {
		return open + `<Personuppgift><folko:IdentitetsbeteckningFysiskPerson>` + pnr + `</folko:IdentitetsbeteckningFysiskPerson>` + inner + `</Personuppgift>` + close
	}
	kapital := func(ar, rest string) string {
		return `<Kapitaluppgift><besko:Taxeringsar>` + ar + `</besko:Taxeringsar>` + rest + `</Kapitaluppgift>`
	}
	tests := []struct {
		name    string
		svar    string
		want    *ssbtekv1.Beskattning
		wantErr bool
	}{
		{"empty svar string", "  \n", nil, false},
		{"empty PersonuppgiftLista", open + close, nil, false},
		{"person without taxation", person(`<StatusPersonuppgiftKod>999</StatusPersonuppgiftKod>`), nil, false},
		{
			"the sample's shape",
			`<?xml version="1.0" encoding="UTF-8"?>` + person(kapital("2001", `<besko:SummaIntakterPaKapital>12345</besko:SummaIntakterPaKapital><besko:OverskottPaKapital>666</besko:OverskottPaKapital>`)),
			&ssbtekv1.Beskattning{Taxeringsar: 2001, SummaIntakterKapital: 12345, OverskottKapital: 666, Taxeringar: []*ssbtekv1.Taxeringsuppgift{
				{Taxeringsar: 2001, SummaIntakterKapitalKronor: p(12345), OverskottKapitalKronor: p(666)},
			}}, false,
		},
		{
			"the latest of several years, whatever their order; underskott kept",
			person(kapital("2025", `<besko:OverskottPaKapital>-300</besko:OverskottPaKapital><besko:BokforingsdagForUtbetalningar>2024-03-14</besko:BokforingsdagForUtbetalningar>`) +
				kapital("2023", `<besko:OverskottPaKapital>10</besko:OverskottPaKapital>`)),
			&ssbtekv1.Beskattning{Taxeringsar: 2025, OverskottKapital: -300, BokforingsdagForUtbetalningar: "2024-03-14", Taxeringar: []*ssbtekv1.Taxeringsuppgift{
				{Taxeringsar: 2025, OverskottKapitalKronor: p(-300), BokforingsdagForUtbetalningar: "2024-03-14"},
				{Taxeringsar: 2023, OverskottKapitalKronor: p(10)},
			}}, false,
		},
		{
			"only Taxeringsuppgift: the latest year",
			person(`<Taxeringsuppgift><besko:Taxeringsar>2024</besko:Taxeringsar><besko:TaxeradInkomst>1</besko:TaxeradInkomst></Taxeringsuppgift>` +
				`<Taxeringsuppgift><besko:Taxeringsar>2025</besko:Taxeringsar></Taxeringsuppgift>`),
			&ssbtekv1.Beskattning{Taxeringsar: 2025, Taxeringar: []*ssbtekv1.Taxeringsuppgift{
				{Taxeringsar: 2024, TaxeradInkomstKronor: p(1)}, {Taxeringsar: 2025},
			}}, false,
		},
		{
			"every figure of a year, an unknown element kept in ovriga",
			person(`<StatusPersonuppgiftKod>042</StatusPersonuppgiftKod>` + kapital("2025", `<besko:UnderskottPaKapital>77</besko:UnderskottPaKapital>`) +
				`<Taxeringsuppgift><besko:Taxeringsar>2025</besko:Taxeringsar><besko:TaxeradInkomst>312400</besko:TaxeradInkomst><besko:SlutligSkatt>94300</besko:SlutligSkatt>` +
				`<besko:Taxeringsdatum>20250617</besko:Taxeringsdatum><besko:FromDatum>20240101</besko:FromDatum><besko:TomDatum>20241231</besko:TomDatum></Taxeringsuppgift>`),
			&ssbtekv1.Beskattning{Taxeringsar: 2025, StatusPersonuppgiftKod: "042", Taxeringar: []*ssbtekv1.Taxeringsuppgift{{
				Taxeringsar: 2025, TaxeradInkomstKronor: p(312400), SlutligSkattKronor: p(94300),
				Taxeringsdatum: "2025-06-17", From: "2024-01-01", Tom: "2024-12-31",
				Ovriga: []*ssbtekv1.Skatteuppgift{{Element: "UnderskottPaKapital", Kronor: p(77), Varde: "77"}},
			}}}, false,
		},
		{
			// The string was decoded with the envelope; its declaration's encoding says nothing any more.
			"a declaration naming another encoding",
			`<?xml version="1.0" encoding="ISO-8859-1"?>` + person(kapital("2025", "")),
			&ssbtekv1.Beskattning{Taxeringsar: 2025, Taxeringar: []*ssbtekv1.Taxeringsuppgift{{Taxeringsar: 2025}}}, false,
		},
		{"another person", open + `<Personuppgift><folko:IdentitetsbeteckningFysiskPerson>198503152384</folko:IdentitetsbeteckningFysiskPerson></Personuppgift>` + close, nil, true},
		{"Taxeringsar missing", person(`<Kapitaluppgift><besko:OverskottPaKapital>1</besko:OverskottPaKapital></Kapitaluppgift>`), nil, true},
		{"Taxeringsar not a year", person(kapital("25", "")), nil, true},
		{"Taxeringsar unqualified", person(`<Kapitaluppgift><Taxeringsar>2025</Taxeringsar></Kapitaluppgift>`), nil, true},
		{"amount not whole kronor", person(kapital("2025", `<besko:SummaIntakterPaKapital>12,50</besko:SummaIntakterPaKapital>`)), nil, true},
		{"bad bokföringsdag", person(kapital("2025", `<besko:BokforingsdagForUtbetalningar>20240230</besko:BokforingsdagForUtbetalningar>`)), nil, true},
		{"bad Taxeringsuppgift", person(`<Taxeringsuppgift/>`), nil, true},
		{"no PersonuppgiftLista", `<SvarBeskattningsuppgifterEnligtSFS2008-975 xmlns="http://xmls.skatteverket.se/se/skatteverket/zg/instans/standardiseradInformation/1.0"/>`, nil, true},
		{"wrong root", `<FragaBeskattningsuppgifterEnligtSFS2008-975 xmlns="http://xmls.skatteverket.se/se/skatteverket/zg/instans/standardiseradInformation/1.0"/>`, nil, true},
		{"wrong namespace", `<SvarBeskattningsuppgifterEnligtSFS2008-975 xmlns="urn:other"><PersonuppgiftLista/></SvarBeskattningsuppgifterEnligtSFS2008-975>`, nil, true},
		{"DOCTYPE", `<!DOCTYPE x [<!ENTITY a "b">]>` + open + close, nil, true},
		{"truncated", open, nil, true},
		{"two roots", open + close + open + close, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readSvarsdokument(tt.svar, pnr)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("readSvarsdokument = %v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("readSvarsdokument: %v", err)
			}
			if !proto.Equal(got, tt.want) {
				t.Errorf("readSvarsdokument = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFaultFields(t *testing.T) {
	exc := func(ns string) *etree.Element {
		el := etree.NewElement("x:" + elemFelsvar)
		el.CreateAttr("xmlns:x", ns)
		el.CreateElement("MeddelandeKod").SetText("9071042")
		el.CreateElement("MeddelandeText").SetText("Felaktig förfrågan")
		return el
	}
	tests := []struct {
		name       string
		fault      soap.Fault
		code, text string
	}{
		{"SKV's Exception", soap.Fault{Code: "soap:Client", String: "fs", Detail: exc(Namespace)}, "9071042", "Felaktig förfrågan"},
		{"an Exception in another namespace", soap.Fault{Code: "soap:Client", String: "fs", Detail: exc("urn:other")}, "soap:Client", "fs"},
		{"no detail", soap.Fault{Code: "soap:Server", String: "fs"}, "soap:Server", "fs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, text := faultFields(&tt.fault)
			if code != tt.code || text != tt.text {
				t.Errorf("faultFields = %q, %q; want %q, %q", code, text, tt.code, tt.text)
			}
		})
	}
}

// The forfragan the adapter builds is what the simulator reads, also when
// the question has nothing optional.
func TestForfraganRoundTrip(t *testing.T) {
	f := fragaMedUrval("191212121212", 2023, 2025)
	got, err := readForfragan(buildForfragan(f, f.GetPeriod()))
	if err != nil {
		t.Fatalf("readForfragan: %v", err)
	}
	if got.personidentitet != "191212121212" || len(got.ar) != 2 || got.ar[0] != 2023 || got.ar[1] != 2025 {
		t.Errorf("readForfragan = %+v", got)
	}
	minimal := &ssbtekv1.Fraga{Organisationsnummer: "162120000142", Handlaggare: "H", Arendeidentitet: "A", Personidentitet: "191212121212"}
	doc := buildForfragan(minimal, nil)
	wellFormed(t, doc, rootForfragan)
	if _, err := readForfragan(doc); err != nil {
		t.Errorf("readForfragan(minimal): %v", err)
	}
}
