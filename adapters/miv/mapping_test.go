package miv

import (
	"testing"

	"github.com/beevik/etree"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

func TestReadSvar(t *testing.T) {
	const open = `<miv:findByPersonnummerResponse xmlns:miv="http://schema.migrationsverket.se/ssbtek/1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`
	const close = `</miv:findByPersonnummerResponse>`
	tests := []struct {
		name   string
		xml    string
		want   *ssbtekv1.Uppehallstillstand
		felkod string // non-empty: the error's felkod
	}{
		{"empty answer", open + close, &ssbtekv1.Uppehallstillstand{}, ""},
		{"person without permits", open + `<response><correlationid>c</correlationid><personnummer>x</personnummer></response>` + close, &ssbtekv1.Uppehallstillstand{}, ""},
		{
			"nil svar skipped, dates without zone kept",
			open + `<response><correlationid>c</correlationid><svarCollection><svar xsi:nil="true"/>` +
				`<svar><arendeTyp>AT</arendeTyp><beslutsKod>BEV</beslutsKod><beslutsTyp>TAT</beslutsTyp><beslutsdatum>2025-02-03</beslutsdatum>` +
				`<fromDatum>2025-03-01Z</fromDatum><giltighetstid>TIDBEGRANSAT</giltighetstid><tomDatum>2027-02-28-05:00</tomDatum></svar>` +
				`</svarCollection></response>` + close,
			&ssbtekv1.Uppehallstillstand{Tillstand: []*ssbtekv1.Uppehallstillstand_Tillstand{{
				Arendetyp: "AT", Beslutskod: "BEV", Beslutstyp: "TAT", Beslutsdatum: "2025-02-03",
				From: "2025-03-01", Giltighetstid: "TIDBEGRANSAT", Giltighet: ssbtekv1.Giltighet_GILTIGHET_TIDBEGRANSAT, Tom: "2027-02-28",
			}}},
			"",
		},
		{"permanent permit without end", open + `<response><correlationid>c</correlationid><svarCollection><svar><beslutsTyp>PUT</beslutsTyp><giltighetstid>PERMANENT</giltighetstid></svar></svarCollection></response>` + close,
			&ssbtekv1.Uppehallstillstand{Tillstand: []*ssbtekv1.Uppehallstillstand_Tillstand{{Beslutstyp: "PUT", Giltighetstid: "PERMANENT", Giltighet: ssbtekv1.Giltighet_GILTIGHET_PERMANENT}}}, ""},
		{"an unknown validity kept verbatim", open + `<response><correlationid>c</correlationid><hemland>X</hemland><svarCollection><svar><giltighetstid>OKAND</giltighetstid></svar></svarCollection></response>` + close,
			&ssbtekv1.Uppehallstillstand{Hemland: "X", Tillstand: []*ssbtekv1.Uppehallstillstand_Tillstand{{Giltighetstid: "OKAND"}}}, ""},
		{"no correlationid", open + `<response><personnummer>x</personnummer></response>` + close, nil, bastjanst.FelkodOlasbart},
		{"bad date", open + `<response><correlationid>c</correlationid><svarCollection><svar><fromDatum>2025-02-30</fromDatum></svar></svarCollection></response>` + close, nil, bastjanst.FelkodOlasbart},
		{"wrong root", `<miv:findByPersonnummer xmlns:miv="http://schema.migrationsverket.se/ssbtek/1/"/>`, nil, bastjanst.FelkodOlasbart},
		{"wrong namespace", `<findByPersonnummerResponse xmlns="urn:other"/>`, nil, bastjanst.FelkodOlasbart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := etree.NewDocument()
			if err := doc.ReadFromString(tt.xml); err != nil {
				t.Fatal(err)
			}
			got, err := readSvar(doc.Root())
			if tt.felkod != "" {
				if err == nil {
					t.Fatalf("readSvar = %v, want felkod %s", got, tt.felkod)
				}
				if f := bastjanst.FelFor(err).GetFelkod(); f != tt.felkod {
					t.Errorf("felkod = %s, want %s", f, tt.felkod)
				}
				return
			}
			if err != nil {
				t.Fatalf("readSvar: %v", err)
			}
			if !proto.Equal(got, tt.want) {
				t.Errorf("readSvar = %v, want %v", got, tt.want)
			}
		})
	}
}
