package csn

import (
	"strings"
	"testing"

	"github.com/beevik/etree"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/simkit"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

func TestVecka(t *testing.T) {
	tests := []struct {
		in, first, last string
		ok              bool
	}{
		{"20240115", "2024-01-15", "2024-01-15", true},
		{"202403", "2024-01-15", "2024-01-21", true},
		{"202001", "2019-12-30", "2020-01-05", true}, // week 1 starting in the year before
		{"202053", "2020-12-28", "2021-01-03", true}, // 2020 has 53 weeks
		{"202153", "", "", false},                    // 2021 has not
		{"202400", "", "", false},
		{"20240230", "", "", false},
		{"2024011", "", "", false},
		{"2024-1", "", "", false},
	}
	for _, tt := range tests {
		first, last, err := vecka(tt.in)
		if (err == nil) != tt.ok || first != tt.first || last != tt.last {
			t.Errorf("vecka(%q) = %q, %q, %v; want %q, %q, ok %v", tt.in, first, last, err, tt.first, tt.last, tt.ok)
		}
	}
}

// studiestod maps the simulator's answer about pnr after mutate has changed it.
func studiestod(t *testing.T, pnr string, mutate func(body *etree.Element)) *ssbtekv1.BastjanstResultat {
	t.Helper()
	env := adaptertest.Envelope(t, ask(t, questionFor(pnr)))
	mutate(env.Body)
	res, err := mapAnswer(env, pnr)
	if err != nil {
		t.Fatalf("mapAnswer: %v", err)
	}
	return res
}

const tolvansArende = "Personer/Person/pers:Studiemedel/pers:Arenden/pers:Arende"

// removeAll removes every element at path.
func removeAll(body *etree.Element, path string) {
	for _, e := range body.FindElements(path) {
		e.Parent().RemoveChild(e)
	}
}

func TestGrantedWithoutPayments(t *testing.T) {
	for _, tt := range []struct {
		status string
		kod    ssbtekv1.Beslutskod
	}{
		{"BESLUTAD", ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT},
		{"INITIERAD", ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK},
		{blankStatus, ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK},
	} {
		t.Run(tt.status, func(t *testing.T) {
			res := studiestod(t, simkit.Tolvan, func(body *etree.Element) {
				removeAll(body, tolvansArende+"/sm:UtbetalningsPlan/sm:Utbetalning")
				removeAll(body, tolvansArende+"[@lopnummer='2']")
				body.FindElement(tolvansArende + "/sm:status").SetText(tt.status)
			})
			want := tolvanGrund().GetBeslut()[0]
			want.Beslutskod, want.BeslutskodKod = tt.kod, strings.TrimSpace(tt.status)
			fb := res.GetCsn().GetFormaner()[0]
			if got := fb.GetBeslut(); len(got) != 1 || !proto.Equal(got[0], want) {
				t.Errorf("beslut = %v, want %v", got, want)
			}
			if n := len(fb.GetUtbetalningar()) + len(fb.GetPreliminaraUtbetalningar()); n != 0 {
				t.Errorf("%d payments, want none", n)
			}
		})
	}
}

func TestPaymentWithoutPeriods(t *testing.T) {
	res := studiestod(t, simkit.Tolvan, func(body *etree.Element) {
		removeAll(body, tolvansArende+"/sm:UtbetalningsPlan/sm:Utbetalning/typ:Utbetaldatider/typ:Utbetaldtid")
	})
	got := res.GetCsn().GetFormaner()[0].GetUtbetalningar()[0]
	// Without periods the payment covers its day and has no lines.
	want := paid("2026-01-22", "Utbetald", "GRUND", "2026-01-22", "2026-01-22", 12676)
	if !proto.Equal(got, want) {
		t.Errorf("utbetalning = %v, want %v", prototext.Format(got), prototext.Format(want))
	}
}

func TestRepaymentIsADeduction(t *testing.T) {
	res := studiestod(t, simkit.Tolvan, func(body *etree.Element) {
		u := body.FindElement(tolvansArende + "/sm:UtbetalningsPlan/sm:Utbetalning")
		u.FindElement("typ:totbelopp").SetText("-917")
		tid := u.FindElement("typ:Utbetaldatider/typ:Utbetaldtid")
		tid.FindElement("typ:totbelopp").SetText("-917")
		removeAll(tid, "typ:Beloppen/typ:Belopp[2]")
		tid.FindElement("typ:Beloppen/typ:Belopp/typ:totbelopp").SetText("-917")
	})
	got := res.GetCsn().GetFormaner()[0].GetUtbetalningar()[0]
	if got.GetNettoOre() != -91700 || got.GetRader()[0].GetArt() != ssbtekv1.Beloppsart_BELOPPSART_AVDRAG {
		t.Errorf("repayment = %v, want netto -91700 öre on an AVDRAG line", prototext.Format(got))
	}
}

func TestWeeksAsISOWeeks(t *testing.T) {
	res := studiestod(t, simkit.Tolvan, func(body *etree.Element) {
		tid := body.FindElement(tolvansArende + "/sm:UtbetalningsPlan/sm:Utbetalning/typ:Utbetaldatider/typ:Utbetaldtid")
		tid.FindElement("typ:startvecka").SetText("202603")
		tid.FindElement("typ:slutvecka").SetText("202606")
	})
	got := res.GetCsn().GetFormaner()[0].GetUtbetalningar()[0]
	if got.GetFrom() != "2026-01-12" || got.GetTom() != "2026-02-08" {
		t.Errorf("period = %s–%s, want 2026-01-12–2026-02-08", got.GetFrom(), got.GetTom())
	}
}

func TestListingWithoutArenden(t *testing.T) {
	// CSN may name a kind in Studiestodstypforteckning and leave out its
	// Arenden: the person is known, with nothing to map.
	res := studiestod(t, simkit.Tolvan, func(body *etree.Element) {
		removeAll(body, "Personer/Person/pers:Studiemedel/pers:Arenden")
	})
	if res.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK || len(res.GetCsn().GetFormaner()) != 0 {
		t.Errorf("status %v, content %v; want OK with no formaner", res.GetStatus(), res.GetCsn())
	}
}

func TestEjTraffWithSekretess(t *testing.T) {
	// A protected person CSN has nothing on is still flagged.
	res := studiestod(t, simkit.Jobbsokare, func(body *etree.Element) {
		body.FindElement("Personer/Person").CreateAttr("sekretess", sekretessJa)
	})
	if res.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET || !res.GetCsn().GetSekretess() {
		t.Errorf("status %v, content %v; want SKYDDADIDENTITET with sekretess", res.GetStatus(), res.GetCsn())
	}
}

func TestPersonWithoutSekel(t *testing.T) {
	// sekel is optional in the contract: the ten digits must then match.
	res := studiestod(t, simkit.Tolvan, func(body *etree.Element) {
		body.FindElement("Personer/Person").RemoveAttr("sekel")
	})
	if res.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK {
		t.Errorf("status = %v, want OK", res.GetStatus())
	}
}
