package fk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/xsdcheck"
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

// fkBeslut is an FK decision as mapped: definitivt verbatim, forman code,
// periodicitet code, gross amount in kronor and öre.
func fkBeslut(datum string, definitiv bool, from, tom string, typ ssbtekv1.Periodtyp, kronor int64, formanKod, periodicitet string) *ssbtekv1.Beslut {
	kod := provisorisk
	if definitiv {
		kod = definitivt
	}
	return &ssbtekv1.Beslut{Beslutsdatum: datum, Beslutskod: kod, BeslutskodKod: strconv.FormatBool(definitiv), From: from, Tom: tom,
		Periodtyp: typ, Bruttobelopp: kronor, BruttobeloppOre: ore(kronor), FormanKod: formanKod, Beloppsperiod: periodicitet}
}

// perDag adds the days of a decision paid per day, each at kronor.
func perDag(b *ssbtekv1.Beslut, typ, klartext, kod string, kronor int64, days ...string) *ssbtekv1.Beslut {
	for _, d := range days {
		b.Belopp = append(b.Belopp, &ssbtekv1.Beloppsrad{Beloppstyp: typ, Klartext: klartext, BeloppOre: kronor * 100,
			Art: ssbtekv1.Beloppsart_BELOPPSART_ERSATTNING, From: d, Tom: d, FormanKod: kod})
	}
	return b
}

// rad is a payment line of kronor of art over from..tom.
func rad(typ, klartext string, kronor int64, art ssbtekv1.Beloppsart, from, tom, kod string) *ssbtekv1.Beloppsrad {
	return &ssbtekv1.Beloppsrad{Beloppstyp: typ, Klartext: klartext, BeloppOre: kronor * 100, Art: art, From: from, Tom: tom, FormanKod: kod}
}

const (
	ersattning = ssbtekv1.Beloppsart_BELOPPSART_ERSATTNING
	skatt      = ssbtekv1.Beloppsart_BELOPPSART_SKATT
)

func TestHamtaTestPersons(t *testing.T) {
	jan := []string{"2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"}
	fp := perDag(fkBeslut("2026-02-03", true, "2026-01-12", "2026-01-16", retroaktiv, 5*1016, "FP", ""), "S", "Sjukpenningsnivå", "3", 1016, jan...)
	fp.Omfattning, fp.Dagar = 100, 5
	nyanland := perDag(fkBeslut("2026-01-20", true, "2026-01-05", "2026-01-09", retroaktiv, 5*308, "", ""), "EE", "Etableringsersättning", "EE", 308,
		"2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09")
	// pension is a month's allmän pension in kronor: inkomst- and
	// garantipension, preliminary tax; Per Pensionär's March is planned.
	pension := func(datum string, ip, garp, skattKr int64, st ssbtekv1.Utbetalningsstatus) *ssbtekv1.Utbetalning {
		tom := map[string]string{"01": "31", "02": "28", "03": "31"}[datum[5:7]]
		return &ssbtekv1.Utbetalning{
			Utbetalningsdatum: datum, From: datum[:8] + "01", Tom: datum[:8] + tom, Status: st,
			BruttoOre: ore(ip + garp), SkattOre: ore(skattKr), AvdragOre: ore(0), NettoOre: ore(ip + garp - skattKr), Utbetalare: "1003", FormanKod: "PM:AP",
			Rader: []*ssbtekv1.Beloppsrad{
				rad("PM:PS", "Preliminär skatt", skattKr, skatt, "", "", ""),
				rad("PM:IP", "Inkomstpension", ip, ersattning, "", "", "PM:AP37"),
				rad("PM:GARP", "Garantipension", garp, ersattning, "", "", "PM:AP37"),
			},
		}
	}
	const utbetald, preliminar = ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UTBETALD, ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR
	perPension := func(datum string, st ssbtekv1.Utbetalningsstatus) *ssbtekv1.Utbetalning {
		return pension(datum, 9850, 2140, 2398, st)
	}
	// Tolvan: 6 120 + 4 280 = 10 400 kronor, 14 % tax = 1 456.
	tolvanPension := func(datum string) *ssbtekv1.Utbetalning { return pension(datum, 6120, 4280, 1456, utbetald) }
	pmBeslut := func(kronor int64, typ string) *ssbtekv1.Beslut {
		return &ssbtekv1.Beslut{Beslutsdatum: "2024-08-15", Beslutskod: definitivt, BeslutskodKod: "SLUTLIGT/BIFALL", From: "2024-09-01",
			Periodtyp: tillsvidare, Bruttobelopp: kronor, BruttobeloppOre: ore(kronor), Omfattning: 100, FormanKod: typ, Beloppsperiod: "MANAD"}
	}
	tolvanBeslut := func(kronor int64, typ string) *ssbtekv1.Beslut {
		b := pmBeslut(kronor, typ)
		b.Beslutsdatum, b.From, b.Tom, b.Periodtyp = "2025-12-15", "2026-01-01", "2026-12-31", ssbtekv1.Periodtyp_PERIODTYP_UNSPECIFIED
		return b
	}
	tests := []struct {
		name    string
		pnr     string
		status  ssbtekv1.StatusKod
		content *ssbtekv1.Socialforsakringsformaner // nil: no typed content
		fel     *ssbtekv1.Fel
	}{
		// The standard question asks for 2026 Q1: the autumn's decisions and payments are not sent.
		{"Tolvan has föräldrapenning, bostadsbidrag and barnbidrag", simkit.Tolvan, ssbtekv1.StatusKod_STATUS_KOD_OK, &ssbtekv1.Socialforsakringsformaner{
			Formaner: []*ssbtekv1.FormansBeslut{
				{Forman: "foraldrapenning", FormanKod: "FK:FP", Utlamnare: "FK", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{fp},
					Utbetalningar: []*ssbtekv1.Utbetalning{{
						Utbetalningsdatum: "2026-02-25", From: "2026-01-12", Tom: "2026-01-16", Status: ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UTBETALD,
						BruttoOre: ore(5080), SkattOre: ore(1524), AvdragOre: ore(0), NettoOre: ore(3556),
						TypKod: "1", Utbetalare: "1001", FormanKod: "FP", Valuta: "SEK",
						Rader: []*ssbtekv1.Beloppsrad{
							rad("FP", "Föräldrapenning", 5080, ersattning, "2026-01-12", "2026-01-16", "FP"),
							rad("PS", "Preliminär skatt", 1524, skatt, "2026-01-12", "2026-01-16", "FP"),
						},
					}}},
				{Forman: "barnbidrag", FormanKod: "FK:ABB", Utlamnare: "FK", Beslut: []*ssbtekv1.Beslut{
					fkBeslut("2024-05-10", true, "2024-06-01", "", tillsvidare, 1250, "ABB", "1"),
				}},
				{Forman: "bostadsbidrag", FormanKod: "FK:BOB", Utlamnare: "FK", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
					fkBeslut("2025-12-15", true, "2026-01-01", "2026-06-30", ssbtekv1.Periodtyp_PERIODTYP_UNSPECIFIED, 1850, "BOB", "1"),
				}},
				// At 114, allmän pension from PM: Q1's three monthly payments.
				{Forman: "allmanpension", FormanKod: "PM:AP", Utlamnare: "PM", AnsokanInkommen: true,
					Beslut:        []*ssbtekv1.Beslut{tolvanBeslut(6120, "PM:IP"), tolvanBeslut(4280, "PM:GARP")},
					Utbetalningar: []*ssbtekv1.Utbetalning{tolvanPension("2026-01-19"), tolvanPension("2026-02-19"), tolvanPension("2026-03-19")},
				},
			},
			OvrigInformation: []*ssbtekv1.Ovriguppgift{{
				Typ: "sjukpenninggrundandeInkomstuppgift", Kod: "0", BeloppOre: ore(412000), Utlamnare: "FK",
				Falt: map[string]string{"anstallning/summa": "412000", "anstallning/valuta": "SEK", "dagar": "260",
					"faststalldes": "2026-01-15", "typ/beskrivning": "A- eller B-inkomst", "typ/id": "0"},
			}},
		}, nil},
		{"Nyanland has etableringsersättning", simkit.Nyanland, ssbtekv1.StatusKod_STATUS_KOD_OK, sff(
			&ssbtekv1.FormansBeslut{Forman: "etableringsersattning", FormanKod: "FK:PROG", Utlamnare: "FK", Beslut: []*ssbtekv1.Beslut{nyanland}},
		), nil},
		{"Pensionar has FK bostadstillägg and PM allmän pension", simkit.Pensionar, ssbtekv1.StatusKod_STATUS_KOD_OK, sff(
			&ssbtekv1.FormansBeslut{Forman: "bostadstillagg", FormanKod: "FK:BST", Utlamnare: "FK", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
				fkBeslut("2024-10-01", true, "2024-10-01", "", tillsvidare, 5120, "BST", "1"),
			}},
			&ssbtekv1.FormansBeslut{Forman: "allmanpension", FormanKod: "PM:AP", Utlamnare: "PM", AnsokanInkommen: true,
				Ansprak:                  []*ssbtekv1.Ansprak{{FormanKod: "PM:AP", Inkommen: "2024-06-03", From: "2024-09-01"}},
				Beslut:                   []*ssbtekv1.Beslut{pmBeslut(9850, "PM:IP"), pmBeslut(2140, "PM:GARP")},
				Utbetalningar:            []*ssbtekv1.Utbetalning{perPension("2026-01-19", utbetald), perPension("2026-02-19", utbetald)},
				PreliminaraUtbetalningar: []*ssbtekv1.Utbetalning{perPension("2026-03-19", preliminar)},
			},
		), nil},
		{"Samordningsnummer has a provisional bostadsbidrag", simkit.Samordningsnummer, ssbtekv1.StatusKod_STATUS_KOD_OK, sff(
			&ssbtekv1.FormansBeslut{Forman: "bostadsbidrag", FormanKod: "FK:BOB", Utlamnare: "FK", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
				fkBeslut("2026-01-25", false, "2026-02-01", "2026-07-31", ssbtekv1.Periodtyp_PERIODTYP_UNSPECIFIED, 1400, "BOB", "1"),
			}},
		), nil},
		{"Skyddad has data, flagged", simkit.Skyddad, ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET, sff(
			&ssbtekv1.FormansBeslut{Forman: "barnbidrag", FormanKod: "FK:ABB", Utlamnare: "FK", Beslut: []*ssbtekv1.Beslut{
				fkBeslut("2023-03-01", true, "2023-04-01", "", tillsvidare, 1250, "ABB", "1"),
			}},
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

// The adapter's own question asks for every information type LEFI v9
// offers, as its OpenAPI contract lists them.
func TestQuestionAsksForEveryType(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(xsdcheck.Schema(t, specPath))
	if err != nil {
		t.Fatalf("loading the LEFI contract: %v", err)
	}
	enum := func(name string) []string {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Fatalf("the contract has no schema %s", name)
		}
		var out []string
		for _, v := range ref.Value.Enum {
			out = append(out, fmt.Sprint(v))
		}
		if len(out) == 0 {
			t.Fatalf("%s lists no codes", name)
		}
		return out
	}
	q := fragaFor(simkit.Tolvan, &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"})
	for _, tt := range []struct {
		field  string
		got    []string
		schema string
	}{
		{"formansinformation", q.Formansinformation, "LefiFkFormanGruppKod"},
		{"ansprak", q.Ansprak, "LefiPmFormanGruppKod"},
		{"beslut", q.Beslut, "LefiPmFormanGruppKod"},
		{"preliminaraUtbetalningar", q.PreliminaraUtbetalningar, "LefiExternFormanGruppKod"},
		{"utbetalningar", q.Utbetalningar, "LefiExternFormanGruppKod"},
		{"ovrigInformation", q.OvrigInformation, "LefiExternOvrigInformationTypKod"},
	} {
		want := enum(tt.schema)
		if !slices.Equal(slices.Sorted(slices.Values(tt.got)), slices.Sorted(slices.Values(want))) {
			t.Errorf("%s asks for %v, want every %s: %v", tt.field, tt.got, tt.schema, want)
		}
	}
}

// The simulator answers for the period asked: Tolvan's autumn föräldrapenning
// (decisions touching the period, payments made in it), nothing of January.
func TestSimulatorAnswersForThePeriod(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency())
	for _, tt := range []struct {
		from, tom string
		beslut    []string // from of the föräldrapenning decisions
		paid      []string // utbetalningsdatum of the payments made
		planned   []string
	}{
		{"2026-08-01", "2026-10-31", []string{"2026-08-03", "2026-09-07", "2026-10-05"}, []string{"2026-08-25", "2026-09-25", "2026-10-26"}, nil},
		{"2026-11-01", "2026-11-30", nil, nil, []string{"2026-11-25"}},
		{"2026-01-01", "2026-01-31", []string{"2026-01-12"}, nil, nil},
	} {
		f := adaptertest.Fraga(simkit.Tolvan)
		f.Period = &ssbtekv1.Tidsperiod{From: tt.from, Tom: tt.tom}
		res, err := a.Hamta(t.Context(), f, nil)
		if err != nil {
			t.Fatalf("Hamta: %v", err)
		}
		var beslut, paid, planned []string
		for _, fb := range res.GetFk().GetFormaner() {
			if fb.GetForman() != "foraldrapenning" {
				continue
			}
			for _, b := range fb.GetBeslut() {
				beslut = append(beslut, b.GetFrom())
			}
			for _, u := range fb.GetUtbetalningar() {
				paid = append(paid, u.GetUtbetalningsdatum())
			}
			for _, u := range fb.GetPreliminaraUtbetalningar() {
				planned = append(planned, u.GetUtbetalningsdatum())
			}
		}
		if !slices.Equal(beslut, tt.beslut) || !slices.Equal(paid, tt.paid) || !slices.Equal(planned, tt.planned) {
			t.Errorf("%s..%s: decisions %v, paid %v, planned %v; want %v, %v, %v", tt.from, tt.tom, beslut, paid, planned, tt.beslut, tt.paid, tt.planned)
		}
	}
}

// LEFI's avdragsbelopp includes the tax; the typed avdrag does not, so that
// brutto = skatt + avdrag + netto.
func TestPaymentWithDeduction(t *testing.T) {
	f := adaptertest.Fraga(simkit.Tolvan)
	f.Period = &ssbtekv1.Tidsperiod{From: "2026-10-01", Tom: "2026-10-31"}
	res, err := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency()).Hamta(t.Context(), f, nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	u := res.GetFk().GetFormaner()[0].GetUtbetalningar()[0]
	if u.GetBruttoOre() != 508000 || u.GetSkattOre() != 152400 || u.GetAvdragOre() != 30000 || u.GetNettoOre() != 325600 {
		t.Errorf("payment = %v, want brutto 5080, skatt 1524, avdrag 300, netto 3256 kronor", u)
	}
	if n := len(u.GetRader()); n != 3 || u.GetRader()[2].GetArt() != ssbtekv1.Beloppsart_BELOPPSART_AVDRAG || u.GetRader()[1].GetArt() != skatt {
		t.Errorf("lines = %v, want ersättning, tax, deduction", u.GetRader())
	}
}
