package inkomst_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/prototext"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/testenv"
	"github.com/ssbtek/gateway/lookup"
)

const (
	csn = ssbtekv1.Bastjanst_BASTJANST_CSN
	fk  = ssbtekv1.Bastjanst_BASTJANST_FK
	skv = ssbtekv1.Bastjanst_BASTJANST_SKV
	so  = ssbtekv1.Bastjanst_BASTJANST_SO
)

// What the simulators pay Tolvan (191212121212) from August to October 2026,
// worked out by hand from their data (adapters/*/payloads.go), in öre:
//
//   - CSN, autumn studiemedel, four weeks a month at 1 011 kr bidrag and
//     2 358 kr lån a week: 4 × 1 011 + 4 × 2 358 = 4 044 + 9 432 = 13 476 kr,
//     paid 2026-08-25, 09-25 and 10-23, tax-free (brutto = netto, skatt 0).
//   - FK, föräldrapenning at 1 016 kr a day: 10 days = 10 160 kr with 30 %
//     tax 3 048 kr, netto 7 112 kr, paid 2026-08-25 and 09-25; 5 days =
//     5 080 kr, tax 1 524 kr, 300 kr utmätning, netto 5 080 − 1 524 − 300 =
//     3 256 kr, paid 2026-10-26; bostadsbidrag 1 850 kr a month, tax-free,
//     paid 2026-08-26, 09-25 and 10-23.
//   - SKV, a refund to the account holder of 4 180 kr on 2026-09-11 (tax-free).
//   - SO, Akademikernas a-kassa, net figures only (INT014 sends no gross or
//     tax): 2026-08-10 NettoEfterSkatt 9 887,50, NettoEfterAvdrag 9 687,50
//     (200 kr union fee); 2026-09-07 and 10-05 9 416,50 and 9 216,50.
const (
	csnManad = 13476_00 // 4×1011 + 4×2358 kr

	fkAugBrutto, fkAugSkatt, fkAugNetto  = 10160_00, 3048_00, 7112_00 // 10×1016; 30 %; 10160−3048
	fkOktBrutto, fkOktSkatt, fkOktAvdrag = 5080_00, 1524_00, 300_00   // 5×1016; 30 %; utmätning
	fkOktNetto                           = 3256_00                    // 5080−1524−300

	fkBob = 1850_00

	skvSep = 4180_00

	soAugNetto, soSepNetto = 9687_50, 9216_50 // NettoEfterAvdrag
	soAvdrag               = 200_00           // NettoEfterSkatt − NettoEfterAvdrag, every month
)

// manad is the totals a month should have.
type manad struct {
	manad                 string
	brutto, skatt, avdrag int64
	netto                 int64
	antal, utanBrutto     int32
	perKallaNetto         map[ssbtekv1.Bastjanst]int64
	saknas                []ssbtekv1.Bastjanst
	ofullstandig          bool
}

// tolvanHosten is the hand-computed summary, all four income agencies answering.
func tolvanHosten() []manad {
	return []manad{
		{
			manad: "2026-08",
			// CSN + FK (SO sends no gross): 13 476 + 10 160 + 1 850 = 25 486 kr
			brutto: csnManad + fkAugBrutto + fkBob, skatt: fkAugSkatt, avdrag: soAvdrag,
			// 13 476 + 7 112 + 1 850 + 9 687,50 = 32 125,50 kr
			netto: csnManad + fkAugNetto + fkBob + soAugNetto, antal: 4, utanBrutto: 1,
			perKallaNetto: map[ssbtekv1.Bastjanst]int64{csn: csnManad, fk: fkAugNetto + fkBob, so: soAugNetto},
		},
		{
			manad: "2026-09",
			// CSN + FK + SKV: 13 476 + 10 160 + 1 850 + 4 180 = 29 666 kr
			brutto: csnManad + fkAugBrutto + fkBob + skvSep, skatt: fkAugSkatt, avdrag: soAvdrag,
			// 13 476 + 7 112 + 1 850 + 4 180 + 9 216,50 = 35 834,50 kr
			netto: csnManad + fkAugNetto + fkBob + skvSep + soSepNetto, antal: 5, utanBrutto: 1,
			perKallaNetto: map[ssbtekv1.Bastjanst]int64{csn: csnManad, fk: fkAugNetto + fkBob, skv: skvSep, so: soSepNetto},
		},
		{
			manad: "2026-10",
			// 13 476 + 5 080 + 1 850 = 20 406 kr
			brutto: csnManad + fkOktBrutto + fkBob, skatt: fkOktSkatt, avdrag: fkOktAvdrag + soAvdrag,
			// 13 476 + 3 256 + 1 850 + 9 216,50 = 27 798,50 kr
			netto: csnManad + fkOktNetto + fkBob + soSepNetto, antal: 4, utanBrutto: 1,
			perKallaNetto: map[ssbtekv1.Bastjanst]int64{csn: csnManad, fk: fkOktNetto + fkBob, so: soSepNetto},
		},
	}
}

// sammanstall asks every agency's real adapter and simulator about Tolvan
// for August to October 2026 through the lookup service, optionally with one
// agency's simulator failing.
func sammanstall(t *testing.T, down ssbtekv1.Bastjanst) *ssbtekv1.Inkomstsammanstallning {
	t.Helper()
	env := testenv.New(t, fanout.Config{})
	if down != ssbtekv1.Bastjanst_BASTJANST_UNSPECIFIED {
		env.Simulator(down).Faults().Set(simkit.Fault{Kind: simkit.FaultHTTP500})
	}
	f := adaptertest.Fraga(simkit.Tolvan)
	f.Period = &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"}
	sam, err := env.Lookup.Sammanstallning(t.Context(), lookup.Request{Caller: lookup.Caller{Interface: "test"}, Fraga: f})
	if err != nil {
		t.Fatalf("Sammanstallning: %v", err)
	}
	return sam.GetInkomstsammanstallning()
}

// check compares the summary's months with want.
func check(t *testing.T, got *ssbtekv1.Inkomstsammanstallning, want []manad) {
	t.Helper()
	if len(got.GetManader()) != len(want) {
		t.Fatalf("%d months, want %d:\n%s", len(got.GetManader()), len(want), prototext.Format(got))
	}
	for i, w := range want {
		m := got.GetManader()[i]
		tot := m.GetTotalt()
		if m.GetManad() != w.manad || tot.GetBruttoOre() != w.brutto || tot.GetSkattOre() != w.skatt ||
			tot.GetAvdragOre() != w.avdrag || tot.GetNettoOre() != w.netto || tot.GetAntal() != w.antal || tot.GetUtanBrutto() != w.utanBrutto {
			t.Errorf("%s: brutto %d skatt %d avdrag %d netto %d öre over %d payments (%d without brutto); want %s: %d %d %d %d over %d (%d)",
				m.GetManad(), tot.GetBruttoOre(), tot.GetSkattOre(), tot.GetAvdragOre(), tot.GetNettoOre(), tot.GetAntal(), tot.GetUtanBrutto(),
				w.manad, w.brutto, w.skatt, w.avdrag, w.netto, w.antal, w.utanBrutto)
		}
		per := map[ssbtekv1.Bastjanst]int64{}
		for _, s := range m.GetPerKalla() {
			per[s.GetKalla()] = s.GetNettoOre()
		}
		if len(per) != len(w.perKallaNetto) {
			t.Errorf("%s: netto per agency %v, want %v", m.GetManad(), per, w.perKallaNetto)
		}
		for k, v := range w.perKallaNetto {
			if per[k] != v {
				t.Errorf("%s: %v netto %d öre, want %d", m.GetManad(), k, per[k], v)
			}
		}
		if m.GetOfullstandig() != w.ofullstandig || len(m.GetSaknas()) != len(w.saknas) {
			t.Errorf("%s: ofullständig %v, saknas %v; want %v, %v", m.GetManad(), m.GetOfullstandig(), m.GetSaknas(), w.ofullstandig, w.saknas)
			continue
		}
		for j, b := range w.saknas {
			if m.GetSaknas()[j] != b {
				t.Errorf("%s: saknas %v, want %v", m.GetManad(), m.GetSaknas(), w.saknas)
			}
		}
	}
	if t.Failed() {
		t.Logf("summary:\n%s", prototext.Format(got))
	}
}

// The monthly summary for Tolvan over three months matches the totals
// computed by hand from the simulators' data, across CSN, FK, SKV and SO.
func TestTolvanAutumn2026(t *testing.T) {
	got := sammanstall(t, ssbtekv1.Bastjanst_BASTJANST_UNSPECIFIED)
	check(t, got, tolvanHosten())
	if got.GetOfullstandig() || len(got.GetSaknas()) > 0 || got.GetUtanforPerioden() != 0 {
		t.Errorf("ofullständig %v, saknas %v, %d outside the period; want a complete summary", got.GetOfullstandig(), got.GetSaknas(), got.GetUtanforPerioden())
	}
	// Over the period: 32 125,50 + 35 834,50 + 27 798,50 = 95 758,50 kr.
	if n := got.GetTotalt().GetNettoOre(); n != 95758_50 {
		t.Errorf("netto over the period = %d öre, want 9575850", n)
	}
	// Planned payments (CSN December, FK November) lie outside the period: none listed.
	if p := got.GetTotalt().GetPreliminara(); p != 0 {
		t.Errorf("%d planned payments, want none in the period", p)
	}
}

// With FK down, every month is incomplete and names FK; the totals are what
// the others paid, visibly partial, never silently lower.
func TestTolvanAutumn2026WithFKDown(t *testing.T) {
	got := sammanstall(t, fk)
	want := tolvanHosten()
	fkBrutto := []int64{fkAugBrutto + fkBob, fkAugBrutto + fkBob, fkOktBrutto + fkBob}
	fkSkatt := []int64{fkAugSkatt, fkAugSkatt, fkOktSkatt}
	fkAvdrag := []int64{0, 0, fkOktAvdrag}
	fkNetto := []int64{fkAugNetto + fkBob, fkAugNetto + fkBob, fkOktNetto + fkBob}
	for i := range want {
		want[i].brutto -= fkBrutto[i]
		want[i].skatt -= fkSkatt[i]
		want[i].avdrag -= fkAvdrag[i]
		want[i].netto -= fkNetto[i]
		want[i].antal -= 2 // föräldrapenning and bostadsbidrag
		delete(want[i].perKallaNetto, fk)
		want[i].saknas = []ssbtekv1.Bastjanst{fk}
		want[i].ofullstandig = true
	}
	check(t, got, want)
	if !got.GetOfullstandig() || len(got.GetSaknas()) != 1 || got.GetSaknas()[0] != fk {
		t.Errorf("ofullständig %v, saknas %v; want incomplete, FK missing", got.GetOfullstandig(), got.GetSaknas())
	}
}
