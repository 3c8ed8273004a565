package main

import (
	"bytes"
	"testing"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/inkomst"
)

func p(v int64) *int64 { return &v }

// The income summary's table with payments in it, PM apart from FK, one agency down.
func TestWriteInkomst(t *testing.T) {
	ok := &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_OK}
	res := []*ssbtekv1.BastjanstResultat{
		{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_FK, Status: ok, Innehall: &ssbtekv1.BastjanstResultat_Fk{Fk: &ssbtekv1.Socialforsakringsformaner{Formaner: []*ssbtekv1.FormansBeslut{{
			Forman: "foraldrapenning",
			Utbetalningar: []*ssbtekv1.Utbetalning{
				{Utbetalningsdatum: "2026-08-25", BruttoOre: p(508000), SkattOre: p(152400), NettoOre: p(355600)},
			},
			PreliminaraUtbetalningar: []*ssbtekv1.Utbetalning{{Utbetalningsdatum: "2026-09-25", NettoOre: p(355600)}},
		}, {
			// PM's allmän pension comes in FK's answer and is its own source line.
			Forman: "allmanpension", Utlamnare: "PM",
			Utbetalningar: []*ssbtekv1.Utbetalning{
				{Utbetalningsdatum: "2026-08-19", BruttoOre: p(1040000), SkattOre: p(145600), NettoOre: p(894400)},
			},
		}}}}},
		{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_SO, Status: ok, Innehall: &ssbtekv1.BastjanstResultat_So{So: &ssbtekv1.Arbetsloshetsersattning{
			Utbetalningar: []*ssbtekv1.Arbetsloshetsersattning_Utbetalning{{Akassa: "A-kassan", Utbetalningsdatum: "2026-08-10", NettoEfterAvdragOre: p(921650)}},
		}}},
		{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_CSN, Status: &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL}, Fel: &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_SSBT, Felkod: "2001"}},
	}
	f := &ssbtekv1.Fraga{Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-09-30"}}
	var buf bytes.Buffer
	writeInkomst(&buf, inkomst.Sammanstall(f, res))
	golden(t, "inkomst.golden", buf.String())
}

// The whole answer's status is printed only when it is not OK.
func TestWriteSammanstatus(t *testing.T) {
	var buf bytes.Buffer
	writeSammanstatus(&buf, &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_OK, Meddelande: "OK"})
	writeSammanstatus(&buf, nil)
	if buf.Len() != 0 {
		t.Errorf("OK printed: %q", buf.String())
	}
	writeSammanstatus(&buf, &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET, Meddelande: "Personen har skyddad identitet enligt AF"})
	if got, want := buf.String(), "!! SKYDDADIDENTITET: Personen har skyddad identitet enligt AF\n\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
