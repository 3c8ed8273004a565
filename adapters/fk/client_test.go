package fk

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Short names for the expected decisions.
const (
	definitivt  = ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT
	provisorisk = ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
	avslag      = ssbtekv1.Beslutskod_BESLUTSKOD_AVSLAG
	retroaktiv  = ssbtekv1.Periodtyp_PERIODTYP_RETROAKTIV
	tillsvidare = ssbtekv1.Periodtyp_PERIODTYP_TILLSVIDARE
)

// sff is the typed content with the given förmåner.
func sff(fb ...*ssbtekv1.FormansBeslut) *ssbtekv1.Socialforsakringsformaner {
	return &ssbtekv1.Socialforsakringsformaner{Formaner: fb}
}

func TestHamtaTestPersons(t *testing.T) {
	tests := []struct {
		name    string
		pnr     string
		status  ssbtekv1.StatusKod
		content *ssbtekv1.Socialforsakringsformaner // nil: no typed content
		fel     *ssbtekv1.Fel
	}{
		{"Tolvan has föräldrapenning, bostadsbidrag and barnbidrag", simkit.Tolvan, ssbtekv1.StatusKod_STATUS_KOD_OK, sff(
			&ssbtekv1.FormansBeslut{Forman: "foraldrapenning", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{{
				Beslutsdatum: "2026-02-03", Beslutskod: definitivt, From: "2026-01-12", Tom: "2026-01-16",
				Periodtyp: retroaktiv, Bruttobelopp: 5 * 1016, Omfattning: 100,
			}}},
			&ssbtekv1.FormansBeslut{Forman: "barnbidrag", Beslut: []*ssbtekv1.Beslut{{
				Beslutsdatum: "2024-05-10", Beslutskod: definitivt, From: "2024-06-01", Periodtyp: tillsvidare, Bruttobelopp: 1250,
			}}},
			&ssbtekv1.FormansBeslut{Forman: "bostadsbidrag", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{{
				Beslutsdatum: "2025-12-15", Beslutskod: definitivt, From: "2026-01-01", Tom: "2026-06-30", Bruttobelopp: 1850,
			}}},
		), nil},
		{"Nyanland has etableringsersättning", simkit.Nyanland, ssbtekv1.StatusKod_STATUS_KOD_OK, sff(
			&ssbtekv1.FormansBeslut{Forman: "etableringsersattning", Beslut: []*ssbtekv1.Beslut{{
				Beslutsdatum: "2026-01-20", Beslutskod: definitivt, From: "2026-01-05", Tom: "2026-01-09",
				Periodtyp: retroaktiv, Bruttobelopp: 5 * 308,
			}}},
		), nil},
		{"Pensionar has FK bostadstillägg and PM allmän pension", simkit.Pensionar, ssbtekv1.StatusKod_STATUS_KOD_OK, sff(
			&ssbtekv1.FormansBeslut{Forman: "bostadstillagg", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{{
				Beslutsdatum: "2024-10-01", Beslutskod: definitivt, From: "2024-10-01", Periodtyp: tillsvidare, Bruttobelopp: 5120,
			}}},
			&ssbtekv1.FormansBeslut{Forman: "allmanpension", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{{
				Beslutsdatum: "2024-08-15", Beslutskod: definitivt, From: "2024-09-01", Periodtyp: tillsvidare,
				Bruttobelopp: 9850 + 2140, Omfattning: 100,
			}}},
		), nil},
		{"Samordningsnummer has a provisional bostadsbidrag", simkit.Samordningsnummer, ssbtekv1.StatusKod_STATUS_KOD_OK, sff(
			&ssbtekv1.FormansBeslut{Forman: "bostadsbidrag", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{{
				Beslutsdatum: "2026-01-25", Beslutskod: provisorisk, From: "2026-02-01", Tom: "2026-07-31", Bruttobelopp: 1400,
			}}},
		), nil},
		{"Skyddad has data, flagged", simkit.Skyddad, ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET, sff(
			&ssbtekv1.FormansBeslut{Forman: "barnbidrag", Beslut: []*ssbtekv1.Beslut{{
				Beslutsdatum: "2023-03-01", Beslutskod: definitivt, From: "2023-04-01", Periodtyp: tillsvidare, Bruttobelopp: 1250,
			}}},
		), nil},
		{"Jobbsokare", simkit.Jobbsokare, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"Student", simkit.Student, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"any other valid number", adaptertest.Nobody, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{
			"Felperson gets LEFI's LefiFelsvar", simkit.Felperson, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil,
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "HTTP 500", Felmeddelande: felpersonMeddelande},
		},
	}
	c := loadContract(t, true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := adaptertest.Serve(t, Agency(), NewSimulator())
			res, err := srv.Adapter(Agency()).Hamta(t.Context(), adaptertest.Fraga(tt.pnr), nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			adaptertest.CheckResult(t, Agency(), res, adaptertest.Want{Status: tt.status, Fel: tt.fel, Content: tt.content, MediaType: "application/json"})
			// Radata is LEFI's JSON body byte for byte as it crossed the wire.
			ex := srv.Last(t)
			if rd := res.GetRadata().GetInnehall(); !json.Valid(rd) || !bytes.Equal(rd, ex.Answer) {
				t.Errorf("radata = %q, want LEFI's JSON as received:\n%s", rd, ex.Answer)
			}
			// The adapter's question and the answer, from the same exchange, conform.
			c.validateExchange(t, ex)
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHamtaAddressesTheActor(t *testing.T) {
	tests := []struct {
		name string
		fk   *ssbtekv1.FkParametrar
		path string
	}{
		{"the ingivare's organisationsnummer by default", nil,
			"/fk/lefi-extern-formansinformation/v9/aktorer/" + testAktor + "/formansinformation/fraga"},
		{"the aktörs-ID and version of the question", &ssbtekv1.FkParametrar{Version: "v9", Aktorsid: "9255f428-4ba0-63ce-5407-e65d469fac0f"},
			"/fk/lefi-extern-formansinformation/v9/aktorer/9255f428-4ba0-63ce-5407-e65d469fac0f/formansinformation/fraga"},
		{"an aktörs-ID is escaped into one path segment", &ssbtekv1.FkParametrar{Aktorsid: "a/b c"},
			"/fk/lefi-extern-formansinformation/v9/aktorer/a%2Fb%20c/formansinformation/fraga"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Served as the registry mounts it: the adapter's base URL ends
			// in /fk, without a slash, and the paths go below it.
			srv := adaptertest.Serve(t, Agency(), NewSimulator())
			f := adaptertest.Fraga(simkit.Tolvan)
			f.Fk = tt.fk
			if _, err := srv.Adapter(Agency()).Hamta(t.Context(), f, nil); err != nil {
				t.Fatal(err)
			}
			req := srv.Last(t)
			if req.Method != http.MethodPost || req.Path != tt.path {
				t.Errorf("request %s %s, want POST %s", req.Method, req.Path, tt.path)
			}
			if ct, acc := req.Header.Get("Content-Type"), req.Header.Get("Accept"); ct != "application/json" || acc != "application/json" {
				t.Errorf("Content-Type %q, Accept %q; want application/json", ct, acc)
			}
		})
	}
}

func TestHamtaWithoutActor(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	f := adaptertest.Fraga(simkit.Tolvan)
	f.Organisationsnummer = ""
	_, err := srv.Adapter(Agency()).Hamta(t.Context(), f, nil)
	if got := adaptertest.Felkod(err); got != bastjanst.FelkodEjBehorig {
		t.Errorf("felkod %s (%v), want %s", got, err, bastjanst.FelkodEjBehorig)
	}
	if n := len(srv.Exchanges()); n != 0 {
		t.Errorf("LEFI was asked %d times without an actor", n)
	}
}

func TestHamtaUsesThePeriodGiven(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	p := &ssbtekv1.Tidsperiod{From: "2025-10-01", Tom: "2025-10-31"}
	if _, err := srv.Adapter(Agency()).Hamta(t.Context(), adaptertest.Fraga(simkit.Tolvan), p); err != nil {
		t.Fatal(err)
	}
	var q fraga
	if err := json.Unmarshal(srv.Last(t).Request, &q); err != nil {
		t.Fatal(err)
	}
	if q.Period == nil || q.Period.From != p.From || q.Period.Tom != p.Tom || q.Personnummer != simkit.Tolvan {
		t.Errorf("question %+v, want Tolvan for %v", q, p)
	}
}

// The SOAP shim's lefiJsonFraga goes to LEFI byte for byte, and LEFI's
// verdict on it comes back: the answer, or its 400 for a bad question.
func TestHamtaPassesALefiQuestionThrough(t *testing.T) {
	pensionsfraga := []byte(`{"personnummer": "6408232814", "period": {"from": "2024-01-01", "tom": "2024-12-31"}, "beslut": ["PM:AP"]}`)
	tests := []struct {
		name    string
		fraga   []byte
		status  ssbtekv1.StatusKod
		formans []string
		felkod  string
	}{
		{"a valid question, 10 digits, PM only", pensionsfraga, ssbtekv1.StatusKod_STATUS_KOD_OK, []string{"allmanpension"}, ""},
		{"a question without period", []byte(`{"personnummer":"191212121212"}`), ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil, "HTTP 400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := adaptertest.Serve(t, Agency(), NewSimulator())
			f := adaptertest.Fraga(simkit.Tolvan) // the pass-through question wins
			f.Fk = &ssbtekv1.FkParametrar{Version: "v9", Aktorsid: "A1", LefiJsonFraga: tt.fraga}
			res, err := srv.Adapter(Agency()).Hamta(t.Context(), f, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := srv.Last(t).Request; !bytes.Equal(got, tt.fraga) {
				t.Errorf("sent %s, want %s unchanged", got, tt.fraga)
			}
			var names []string
			for _, fb := range res.GetFk().GetFormaner() {
				names = append(names, fb.GetForman())
			}
			if res.GetStatus().GetKod() != tt.status || strings.Join(names, ",") != strings.Join(tt.formans, ",") || res.GetFel().GetFelkod() != tt.felkod {
				t.Errorf("got %v %v fel %v; want %v %v felkod %q", res.GetStatus().GetKod(), names, res.GetFel(), tt.status, tt.formans, tt.felkod)
			}
		})
	}
}

func TestTesta(t *testing.T) {
	felsvarHandler := func(status int) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, status, felsvar{Meddelande: "Aktören är okänd."})
		})
	}
	jsonHandler := func(body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", mediaTypeJSON)
			w.Write([]byte(body))
		})
	}
	tests := []struct {
		name    string
		handler http.Handler // nil: the simulator (Conformance pings it too; here the path matters)
		felkod  string       // "" for success
	}{
		{"the simulator answers", nil, ""},
		{"LEFI refuses the actor", felsvarHandler(http.StatusForbidden), bastjanst.FelkodOtillganglig},
		{"LEFI fails", felsvarHandler(http.StatusInternalServerError), bastjanst.FelkodOtillganglig},
		{"PM is unavailable", jsonHandler(`{"utlamnare":[{"utlamnare":{"kod":"FK"},"tillstand":{"kod":"OK"}},{"utlamnare":{"kod":"PM"},"tillstand":{"kod":"OTILLGANGLIG"}}]}`), bastjanst.FelkodOtillganglig},
		{"both are OK", jsonHandler(`{"utlamnare":[{"utlamnare":{"kod":"FK"},"tillstand":{"kod":"OK"}}],"formansinformation":[]}`), ""},
		{"not JSON", jsonHandler(`<html/>`), bastjanst.FelkodOlasbart},
		{"wrong shape", jsonHandler(`{"formansinformation":{"kod":"FK:FP"}}`), bastjanst.FelkodOlasbart},
		{"unknown state", jsonHandler(`{"utlamnare":[{"utlamnare":{"kod":"FK"},"tillstand":{"kod":"TRASIG"}}]}`), bastjanst.FelkodOlasbart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.handler
			if h == nil {
				h = NewSimulator()
			}
			srv := adaptertest.Serve(t, Agency(), h)
			err := srv.Adapter(Agency()).Testa(t.Context())
			if tt.felkod == "" {
				if err != nil {
					t.Fatalf("Testa: %v", err)
				}
			} else if got := adaptertest.Felkod(err); got != tt.felkod {
				t.Fatalf("felkod %s (%v), want %s", got, err, tt.felkod)
			}
			req := srv.Last(t)
			want := "/fk/lefi-extern-formansinformation/v9/aktorer/" + adapters.DefaultOperator + "/tillgangligaInformationstyper"
			if req.Method != http.MethodGet || req.Path != want {
				t.Errorf("ping %s %s, want GET %s", req.Method, req.Path, want)
			}
		})
	}
}

// No case worker asks the ping: the aktörs-ID is the gateway's operator.
func TestTestaNamesOperator(t *testing.T) {
	adaptertest.CheckOperator(t, Agency(), func(t *testing.T, ping adaptertest.Exchange) string {
		aktorsID, _ := strings.CutSuffix(strings.TrimPrefix(ping.Path, "/fk/lefi-extern-formansinformation/v9/aktorer/"), "/tillgangligaInformationstyper")
		return aktorsID
	})
}
