package skv

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// hosten is a period holding Tolvan's tax refund of 2026-09-11.
func hosten(pnr string) *ssbtekv1.Fraga {
	return withPeriod(adaptertest.Fraga(pnr), "2026-08-01", "2026-10-31")
}

const (
	ok      = ssbtekv1.StatusKod_STATUS_KOD_OK
	saknas  = ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS
	annat   = ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL
	btKalla = ssbtekv1.Kalla_KALLA_BT
)

// Every part is answered for every test person, each as the simulator's
// table says, and each part's bytes are kept exactly as they came.
func TestDelarTestPersons(t *testing.T) {
	all5 := func(k ssbtekv1.StatusKod) [5]ssbtekv1.StatusKod { return [5]ssbtekv1.StatusKod{k, k, k, k, k} }
	for _, tt := range []struct {
		name   string
		pnr    string
		delar  [5]ssbtekv1.StatusKod
		status ssbtekv1.StatusKod
		felkod string // the whole result's fel, if any
	}{
		{"Tolvan", simkit.Tolvan, all5(ok), ok, ""},
		{"Skyddad: data, 404 and a technical error", simkit.Skyddad, [5]ssbtekv1.StatusKod{saknas, ok, ok, ok, annat}, ok, ""},
		{"Felperson", simkit.Felperson, all5(annat), annat, felpersonKod},
		{"Jobbsokare", simkit.Jobbsokare, all5(saknas), saknas, ""},
		{"Nyanland", simkit.Nyanland, all5(saknas), saknas, ""},
		{"Student", simkit.Student, all5(saknas), saknas, ""},
		{"Pensionar", simkit.Pensionar, all5(saknas), saknas, ""},
		{"Samordningsnummer", simkit.Samordningsnummer, all5(saknas), saknas, ""},
		{"nobody", adaptertest.Nobody, all5(saknas), saknas, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := adaptertest.Serve(t, Agency(), NewSimulator())
			// Income years 2024-2026: the protected person's 2024 among them.
			res, err := srv.Adapter(Agency()).Hamta(t.Context(), withPeriod(adaptertest.Fraga(tt.pnr), "2025-01-01", "2026-10-31"), nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			if got := res.GetStatus().GetKod(); got != tt.status {
				t.Errorf("status = %v, want %v", got, tt.status)
			}
			if got := res.GetFel().GetFelkod(); got != tt.felkod {
				t.Errorf("whole fel = %v, want felkod %q", res.GetFel(), tt.felkod)
			}
			if res.GetRadata() != nil {
				t.Error("a result in parts has radata of its own")
			}
			answers := map[string][]byte{}
			for _, ex := range srv.Exchanges() {
				del, _ := delRoute(ex.Path)
				answers[del] = ex.Answer
			}
			if len(res.GetDelsvar()) != len(delar) {
				t.Fatalf("%d parts, want %d", len(res.GetDelsvar()), len(delar))
			}
			for i, d := range res.GetDelsvar() {
				if d.GetNamn() != delar[i] {
					t.Errorf("part %d is %s, want %s", i, d.GetNamn(), delar[i])
				}
				if got := d.GetStatus().GetKod(); got != tt.delar[i] {
					t.Errorf("%s: status %v, want %v (fel %v)", d.GetNamn(), got, tt.delar[i], d.GetFel())
				}
				switch tt.delar[i] {
				case ok:
					if d.GetFel() != nil {
						t.Errorf("%s: data with fel %v", d.GetNamn(), d.GetFel())
					}
				case saknas:
					if f := d.GetFel(); f.GetKalla() != btKalla || f.GetFelkod() != "404" || f.GetFelmeddelande() != "Not found" {
						t.Errorf("%s: fel %v, want BT 404 Not found", d.GetNamn(), f)
					}
				case annat:
					if f := d.GetFel(); f.GetKalla() != btKalla || f.GetFelkod() == "" || f.GetFelmeddelande() == "" {
						t.Errorf("%s: fel %v, want SKV's own", d.GetNamn(), f)
					}
				}
				if got, want := d.GetRadata().GetInnehall(), answers[d.GetNamn()]; len(want) == 0 || !bytes.Equal(got, want) {
					t.Errorf("%s: radata is not the answer as sent:\n got %q\nwant %q", d.GetNamn(), got, want)
				}
				if d.GetRadata().GetMediaType() != mediaTypeJSON {
					t.Errorf("%s: media type %q", d.GetNamn(), d.GetRadata().GetMediaType())
				}
			}
		})
	}
}

// Tolvan's five parts typed: the figures of the simulator's data.
func TestDelarTolvanTyped(t *testing.T) {
	res, err := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency()).Hamta(t.Context(), hosten(simkit.Tolvan), nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	o := func(kr int64) *int64 { v := kr * 100; return &v }
	want := &ssbtekv1.Beskattning{
		Foretagsinformation: &ssbtekv1.Foretagsinformation{ForetagId: "5591234567", GodkandFskatt: true, Momsregistrerad: true, DriverForetag: true},
		Individuppgifter: &ssbtekv1.Individuppgifter{Statuskod: "OK", Ar: []*ssbtekv1.Individuppgifter_Ar{
			{Inkomstar: 2025, Taxeringsar: 2026, SummaIntakterKapitalOre: o(12840), OverskottKapitalOre: o(10290), Statuskod: "FASTSTALLD"},
		}},
		Skattekonto: &ssbtekv1.Skattekonto{Kontohavare: simkit.Tolvan, UtbetaltBeloppKronor: p(4180), Bokforingsdag: "2026-09-11",
			SaldoKronor: p(312), PreliminarRantaKronor: p(3), Utbetalningskonto: "Kontoregistret (bankkonto anmält)", SenastUppdaterad: skattekontoTS},
		Skatteuppgifter: []*ssbtekv1.BeslutadSkatteuppgift{
			{Beskattningsar: 2025, Beskattningsperiod: "2025P4", DatumFaststalld: "2026-06-16", Inkomstar: "2025",
				FaststalldInkomstOre: o(325600), OverskottAvTjanstOre: o(329100), OverskottKapitalOre: o(10290), SlutligSkattOre: o(97100)},
		},
		Beskattningsbilagor: &ssbtekv1.Beskattningsbilagor{Statuskod: "OK", Bilagor: []*ssbtekv1.Beskattningsbilagor_Bilaga{
			{Inkomstar: 2025, Blankett: "NE", Benamning: "Näringsverksamhet, enskild näringsidkare", Statuskod: "FASTSTALLD", Belopp: []*ssbtekv1.Beskattningsbilagor_Belopp{
				{Ruta: "R1", Benamning: "Försäljning med moms", VardeOre: o(126300)}, {Ruta: "R47", Benamning: "Överskott av näringsverksamhet", VardeOre: o(48215)}}},
			{Inkomstar: 2025, Blankett: "K4", Benamning: "Försäljning av värdepapper", Statuskod: "INKOMMEN", Belopp: []*ssbtekv1.Beskattningsbilagor_Belopp{
				{Ruta: "7.4", Benamning: "Vinst, marknadsnoterade aktier", VardeOre: o(3275)}}},
		}},
	}
	if !proto.Equal(want, res.GetSkv()) {
		t.Errorf("typed content:\n got %s\nwant %s", prototext.Format(res.GetSkv()), prototext.Format(want))
	}
}

// A question naming parts and years gets those parts only, in answer order,
// and each part is asked for those years.
func TestDelarAsked(t *testing.T) {
	f := hosten(simkit.Tolvan)
	f.Skv = &ssbtekv1.SkvParametrar{Ar: []int32{2023, 2024}, Skatteuppgifter: true, Foretagsinformation: true}
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	res, err := srv.Adapter(Agency()).Hamta(t.Context(), f, nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	var names []string
	for _, d := range res.GetDelsvar() {
		names = append(names, d.GetNamn())
	}
	if got := strings.Join(names, ","); got != "foretagsinformation,skatteuppgifter" {
		t.Errorf("parts = %s", got)
	}
	for _, ex := range srv.Exchanges() {
		var q delFraga
		if err := json.Unmarshal(ex.Request, &q); err != nil {
			t.Fatalf("question: %v", err)
		}
		if q.Personnummer != simkit.Tolvan || len(q.Ar) != 2 || q.Ar[0] != 2023 || q.Ar[1] != 2024 || !strings.Contains(ex.Path, "/aktorer/"+f.GetOrganisationsnummer()+"/") {
			t.Errorf("question to %s: %+v", ex.Path, q)
		}
	}
	var years []int32
	for _, s := range res.GetSkv().GetSkatteuppgifter() {
		years = append(years, s.GetBeskattningsar())
	}
	if len(years) != 2 || years[0] != 2023 || years[1] != 2024 {
		t.Errorf("skatteuppgifter for %v, want 2023 and 2024", years)
	}
}

// No year asked: from the year before the period's first to its last.
func TestYearsFor(t *testing.T) {
	got := yearsFor(adaptertest.Fraga(simkit.Tolvan), &ssbtekv1.Tidsperiod{From: "2025-12-01", Tom: "2026-02-28"})
	if len(got) != 3 || got[0] != 2024 || got[2] != 2026 {
		t.Errorf("years = %v, want 2024-2026", got)
	}
	if got := yearsFor(adaptertest.Fraga(simkit.Tolvan), &ssbtekv1.Tidsperiod{From: "1900-01-01", Tom: "2100-12-31"}); len(got) != 20 || got[19] != 2100 {
		t.Errorf("a long period asks %d years ending %v, want the last 20", len(got), got[len(got)-1])
	}
}

// A part that fails on the way (a proxy's error page) is the gateway's
// error for that part alone; the others are answered. A part about another
// person is unreadable and its bytes are not passed on.
func TestDelarPartFailures(t *testing.T) {
	sim := NewSimulator()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/skattekonto/fraga"):
			http.Error(w, "bad gateway", http.StatusBadGateway)
		case strings.HasSuffix(r.URL.Path, "/skatteuppgifter/fraga"):
			w.Header().Set("Content-Type", mediaTypeJSON)
			w.Write([]byte(`{"identitet": "199001011239", "beslutadeSkatteuppgifter": []}`))
		default:
			sim.ServeHTTP(w, r)
		}
	})
	res, err := adaptertest.Serve(t, Agency(), h).Adapter(Agency()).Hamta(t.Context(), hosten(simkit.Tolvan), nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if res.GetStatus().GetKod() != ok || res.GetFel() != nil {
		t.Errorf("status %v fel %v, want OK: three parts have data", res.GetStatus(), res.GetFel())
	}
	for _, d := range res.GetDelsvar() {
		want := map[string]string{delSkattekonto: bastjanst.FelkodOtillganglig, delSkatteuppgifter: bastjanst.FelkodOlasbart}[d.GetNamn()]
		if got := d.GetFel().GetFelkod(); got != want {
			t.Errorf("%s: felkod %q, want %q", d.GetNamn(), got, want)
		}
		if want != "" && (d.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_SSBT || d.GetRadata() != nil) {
			t.Errorf("%s: %v with radata %v, want the gateway's error and nothing passed on", d.GetNamn(), d.GetFel(), d.GetRadata())
		}
	}
	if res.GetSkv().GetSkattekonto() != nil || res.GetSkv().GetSkatteuppgifter() != nil {
		t.Error("a failed part is typed")
	}
}

// Every figure the simulator's JSON interface sends about a test person is
// in the typed content. Identities and error codes are not typed figures.
func TestNoFigureLostDelar(t *testing.T) {
	every := func(pnr string) *ssbtekv1.Fraga {
		f := withPeriod(adaptertest.Fraga(pnr), "2022-01-01", "2026-12-31")
		return f
	}
	adaptertest.NoFigureLost(t, Agency(), every, adaptertest.PersonsWithData(), "identitet", "kontohavare", "foretagId", "felkod")
}

// The parts' typing is stable: a second reading of the same bytes gives
// the same message.
func TestTypeDelDeterministic(t *testing.T) {
	raw := []byte(`{"kontohavare":"191212121212","utbetaltBelopp":4180,"bokforingsdag":"2026-09-11","saldo":0}`)
	a, b := &ssbtekv1.Beskattning{}, &ssbtekv1.Beskattning{}
	if err := typeDel(a, delSkattekonto, raw, simkit.Tolvan); err != nil {
		t.Fatal(err)
	}
	if err := typeDel(b, delSkattekonto, raw, simkit.Tolvan); err != nil || !proto.Equal(a, b) {
		t.Errorf("second reading differs: %v", err)
	}
	for _, bad := range []string{`[]`, `{"kontohavare": 5}`, `{"kontohavare":"191212121212","bokforingsdag":"11/9"}`, `{"kontohavare":"197001011234"}`} {
		if err := typeDel(&ssbtekv1.Beskattning{}, delSkattekonto, []byte(bad), simkit.Tolvan); err == nil {
			t.Errorf("%s read without error", bad)
		}
	}
}
