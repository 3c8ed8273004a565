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
//   - PM (through the FK adapter), allmän pension: 6 120 kr inkomstpension
//     and 4 280 kr garantipension, 6 120 + 4 280 = 10 400 kr a month, 14 %
//     preliminary tax 1 456 kr, netto 10 400 − 1 456 = 8 944 kr, paid
//     2026-08-19, 09-18 and 10-19 (the 19th, or the weekday before).
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

	pmBrutto, pmSkatt, pmNetto = 10400_00, 1456_00, 8944_00 // 6120+4280; 14 %; 10400−1456

	skvSep = 4180_00

	soAugNetto, soSepNetto = 9687_50, 9216_50 // NettoEfterAvdrag
	soAvdrag               = 200_00           // NettoEfterSkatt − NettoEfterAvdrag, every month
)

// kalla is one source line of the summary: agency asked, authority within it.
type kalla struct {
	bastjanst ssbtekv1.Bastjanst
	utlamnare string
}

// The source lines Tolvan's autumn has: FK's adapter answers for both
// Försäkringskassan and Pensionsmyndigheten, and the summary keeps them apart.
var (
	kCSN = kalla{csn, "CSN"}
	kFK  = kalla{fk, "FK"}
	kPM  = kalla{fk, "PM"}
	kSKV = kalla{skv, "SKV"}
	kSO  = kalla{so, "SO"}
)

// manad is the totals a month should have.
type manad struct {
	manad                 string
	brutto, skatt, avdrag int64
	netto                 int64
	antal, utanBrutto     int32
	perKallaNetto         map[kalla]int64
	saknas                []ssbtekv1.Bastjanst
	ofullstandig          bool
}

// tolvanHosten is the hand-computed summary, all four income agencies answering.
func tolvanHosten() []manad {
	return []manad{
		{
			manad: "2026-08",
			// CSN + FK + PM (SO sends no gross): 13 476 + 10 160 + 1 850 + 10 400 = 35 886 kr
			brutto: csnManad + fkAugBrutto + fkBob + pmBrutto,
			// FK + PM: 3 048 + 1 456 = 4 504 kr
			skatt: fkAugSkatt + pmSkatt, avdrag: soAvdrag,
			// 13 476 + 7 112 + 1 850 + 8 944 + 9 687,50 = 41 069,50 kr
			netto: csnManad + fkAugNetto + fkBob + pmNetto + soAugNetto, antal: 5, utanBrutto: 1,
			perKallaNetto: map[kalla]int64{kCSN: csnManad, kFK: fkAugNetto + fkBob, kPM: pmNetto, kSO: soAugNetto},
		},
		{
			manad: "2026-09",
			// CSN + FK + PM + SKV: 13 476 + 10 160 + 1 850 + 10 400 + 4 180 = 40 066 kr
			brutto: csnManad + fkAugBrutto + fkBob + pmBrutto + skvSep,
			// 3 048 + 1 456 = 4 504 kr
			skatt: fkAugSkatt + pmSkatt, avdrag: soAvdrag,
			// 13 476 + 7 112 + 1 850 + 8 944 + 4 180 + 9 216,50 = 44 778,50 kr
			netto: csnManad + fkAugNetto + fkBob + pmNetto + skvSep + soSepNetto, antal: 6, utanBrutto: 1,
			perKallaNetto: map[kalla]int64{kCSN: csnManad, kFK: fkAugNetto + fkBob, kPM: pmNetto, kSKV: skvSep, kSO: soSepNetto},
		},
		{
			manad: "2026-10",
			// 13 476 + 5 080 + 1 850 + 10 400 = 30 806 kr
			brutto: csnManad + fkOktBrutto + fkBob + pmBrutto,
			// 1 524 + 1 456 = 2 980 kr; avdrag 300 + 200 = 500 kr
			skatt: fkOktSkatt + pmSkatt, avdrag: fkOktAvdrag + soAvdrag,
			// 13 476 + 3 256 + 1 850 + 8 944 + 9 216,50 = 36 742,50 kr
			netto: csnManad + fkOktNetto + fkBob + pmNetto + soSepNetto, antal: 5, utanBrutto: 1,
			perKallaNetto: map[kalla]int64{kCSN: csnManad, kFK: fkOktNetto + fkBob, kPM: pmNetto, kSO: soSepNetto},
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
		per := map[kalla]int64{}
		for _, s := range m.GetPerKalla() {
			per[kalla{s.GetKalla(), s.GetUtlamnare()}] = s.GetNettoOre()
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
// computed by hand from the simulators' data, across CSN, FK, PM, SKV and SO.
func TestTolvanAutumn2026(t *testing.T) {
	got := sammanstall(t, ssbtekv1.Bastjanst_BASTJANST_UNSPECIFIED)
	check(t, got, tolvanHosten())
	if got.GetOfullstandig() || len(got.GetSaknas()) > 0 || got.GetUtanforPerioden() != 0 {
		t.Errorf("ofullständig %v, saknas %v, %d outside the period; want a complete summary", got.GetOfullstandig(), got.GetSaknas(), got.GetUtanforPerioden())
	}
	// Over the period: 41 069,50 + 44 778,50 + 36 742,50 = 122 590,50 kr.
	if n := got.GetTotalt().GetNettoOre(); n != 122590_50 {
		t.Errorf("netto over the period = %d öre, want 12259050", n)
	}
	// PM over the period: 3 × 8 944 = 26 832 kr netto, 3 × 1 456 = 4 368 kr tax.
	for _, s := range got.GetPerKalla() {
		if s.GetUtlamnare() == "PM" && (s.GetKalla() != fk || s.GetNettoOre() != 26832_00 || s.GetSkattOre() != 4368_00 || s.GetAntal() != 3) {
			t.Errorf("PM over the period = %v, want FK/PM netto 2683200 skatt 436800 over 3", s)
		}
	}
	// Planned payments (CSN December, FK November) lie outside the period: none listed.
	if p := got.GetTotalt().GetPreliminara(); p != 0 {
		t.Errorf("%d planned payments, want none in the period", p)
	}
}

// Tolvan has payments in each of August, September and October 2026 from
// at least four sources: CSN, FK, PM and SO (and SKV in September).
func TestTolvanFourSourcesEveryMonth(t *testing.T) {
	got := sammanstall(t, ssbtekv1.Bastjanst_BASTJANST_UNSPECIFIED)
	if len(got.GetManader()) != 3 {
		t.Fatalf("%d months, want 3", len(got.GetManader()))
	}
	for _, m := range got.GetManader() {
		paid := map[kalla]bool{}
		for _, s := range m.GetPerKalla() {
			if s.GetAntal() > 0 {
				paid[kalla{s.GetKalla(), s.GetUtlamnare()}] = true
			}
		}
		for _, k := range []kalla{kCSN, kFK, kPM, kSO} {
			if !paid[k] {
				t.Errorf("%s: no payment from %v/%s; sources paying: %v", m.GetManad(), k.bastjanst, k.utlamnare, paid)
			}
		}
		if len(paid) < 4 {
			t.Errorf("%s: %d sources paid, want at least 4", m.GetManad(), len(paid))
		}
	}
}

// With FK down, every month is incomplete and names FK; PM's payments come
// through the same adapter and are missing too. The totals are what the
// others paid, visibly partial, never silently lower.
func TestTolvanAutumn2026WithFKDown(t *testing.T) {
	got := sammanstall(t, fk)
	want := tolvanHosten()
	fkBrutto := []int64{fkAugBrutto + fkBob + pmBrutto, fkAugBrutto + fkBob + pmBrutto, fkOktBrutto + fkBob + pmBrutto}
	fkSkatt := []int64{fkAugSkatt + pmSkatt, fkAugSkatt + pmSkatt, fkOktSkatt + pmSkatt}
	fkAvdrag := []int64{0, 0, fkOktAvdrag}
	fkNetto := []int64{fkAugNetto + fkBob + pmNetto, fkAugNetto + fkBob + pmNetto, fkOktNetto + fkBob + pmNetto}
	for i := range want {
		want[i].brutto -= fkBrutto[i]
		want[i].skatt -= fkSkatt[i]
		want[i].avdrag -= fkAvdrag[i]
		want[i].netto -= fkNetto[i]
		want[i].antal -= 3 // föräldrapenning, bostadsbidrag and allmän pension
		delete(want[i].perKallaNetto, kFK)
		delete(want[i].perKallaNetto, kPM)
		want[i].saknas = []ssbtekv1.Bastjanst{fk}
		want[i].ofullstandig = true
	}
	check(t, got, want)
	if !got.GetOfullstandig() || len(got.GetSaknas()) != 1 || got.GetSaknas()[0] != fk {
		t.Errorf("ofullständig %v, saknas %v; want incomplete, FK missing", got.GetOfullstandig(), got.GetSaknas())
	}
}
