package so

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

type utb = ssbtekv1.Arbetsloshetsersattning_Utbetalning

// Typed content per test person with SO data; amounts rounded to whole kronor.
var (
	tolvanTyped = &ssbtekv1.Arbetsloshetsersattning{Utbetalningar: []*utb{
		{Akassa: "Akademikernas a-kassa", Utbetalningsdatum: "2025-02-10", NettoEfterSkatt: 9417, Dagar: 20, From: "2025-01-06", Tom: "2025-02-02"},
		{Akassa: "Akademikernas a-kassa", Utbetalningsdatum: "2025-03-10", NettoEfterSkatt: 9416, Dagar: 20, From: "2025-02-03", Tom: "2025-03-02"},
		{Akassa: "Akademikernas a-kassa", Utbetalningsdatum: "2025-04-07", NettoEfterSkatt: 4708, Dagar: 10, From: "2025-03-03", Tom: "2025-03-30"},
	}}
	jobbsokareTyped = &ssbtekv1.Arbetsloshetsersattning{Utbetalningar: []*utb{
		{Akassa: "Byggnadsarbetarnas a-kassa", Utbetalningsdatum: "2025-03-14", NettoEfterSkatt: 7812, Dagar: 17, From: "2025-02-10", Tom: "2025-03-09"},
		{Akassa: "Byggnadsarbetarnas a-kassa", Utbetalningsdatum: "2025-04-11", NettoEfterSkatt: 8640, Dagar: 19, From: "2025-03-10", Tom: "2025-04-06"},
	}}
	skyddadTyped = &ssbtekv1.Arbetsloshetsersattning{Utbetalningar: []*utb{
		{Akassa: "Kommunalarbetarnas a-kassa", Utbetalningsdatum: "2025-03-12", NettoEfterSkatt: 6120, Dagar: 15, From: "2025-02-10", Tom: "2025-03-02"},
	}}
)

func TestTestPersons(t *testing.T) {
	tests := []struct {
		name  string
		pnr   string
		kod   ssbtekv1.StatusKod
		typed *ssbtekv1.Arbetsloshetsersattning // nil: no typed content
		fel   *ssbtekv1.Fel
	}{
		{"Tolvan", simkit.Tolvan, ssbtekv1.StatusKod_STATUS_KOD_OK, tolvanTyped, nil},
		{"Jobbsokare", simkit.Jobbsokare, ssbtekv1.StatusKod_STATUS_KOD_OK, jobbsokareTyped, nil},
		// INT014 has no protection flag: data, and nothing to mark it by.
		{"Skyddad", simkit.Skyddad, ssbtekv1.StatusKod_STATUS_KOD_OK, skyddadTyped, nil},
		{"Nyanland", simkit.Nyanland, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"Student", simkit.Student, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"Pensionar", simkit.Pensionar, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"Samordningsnummer", simkit.Samordningsnummer, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"unknown", "194107086995", ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"Felperson", simkit.Felperson, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil,
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: FelpersonFaultcode, Felmeddelande: FelpersonFaultstring}},
	}
	tp := &tap{next: NewSimulator()}
	a := start(t, tp)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := a.Hamta(t.Context(), fraga(tc.pnr), fraga(tc.pnr).GetPeriod())
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			if res.GetBastjanst() != ssbtekv1.Bastjanst_BASTJANST_SO {
				t.Errorf("bastjanst = %v", res.GetBastjanst())
			}
			if got := res.GetStatus().GetKod(); got != tc.kod {
				t.Errorf("status = %v, want %v", got, tc.kod)
			}
			if got := res.GetSo(); !proto.Equal(got, tc.typed) {
				t.Errorf("typed content:\n got %v\nwant %v", prototext.Format(got), prototext.Format(tc.typed))
			}
			if !proto.Equal(res.GetFel(), tc.fel) {
				t.Errorf("fel = %v, want %v", res.GetFel(), tc.fel)
			}
			if res.GetRadata().GetMediaType() != "application/xml" || len(res.GetRadata().GetInnehall()) == 0 {
				t.Errorf("radata = %q (%s)", res.GetRadata().GetInnehall(), res.GetRadata().GetMediaType())
			}
			ex := tp.last(t)
			validate(t, bodyOf(t, ex.request))
			if tc.fel == nil {
				// Radata is the answer element itself, standalone.
				answer := bodyOf(t, ex.answer)
				validate(t, answer)
				validate(t, res.GetRadata().GetInnehall())
				if !bytes.Equal(res.GetRadata().GetInnehall(), answer) {
					t.Errorf("radata differs from the answer element:\n%s\n---\n%s", res.GetRadata().GetInnehall(), answer)
				}
			}
		})
	}
}

func TestSlowPersonHonoursDeadline(t *testing.T) {
	a := start(t, NewSimulator())
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := a.Hamta(ctx, fraga(simkit.Langsam), fraga(simkit.Langsam).GetPeriod())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context deadline", err)
	}
	if got := bastjanst.FelFor(err).GetFelkod(); got != bastjanst.FelkodTimeout {
		t.Errorf("felkod = %s, want %s", got, bastjanst.FelkodTimeout)
	}
	if d := time.Since(start); d > simkit.SlowDelay/2 {
		t.Errorf("took %v; the deadline was not honoured", d)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name   string
		opts   SimulatorOptions
		fault  simkit.Fault
		felkod string // "" means a context deadline
	}{
		{"hang", SimulatorOptions{}, simkit.Fault{Kind: simkit.FaultHang}, ""},
		{"http500", SimulatorOptions{}, simkit.Fault{Kind: simkit.FaultHTTP500}, bastjanst.FelkodOtillganglig},
		{"malformed", SimulatorOptions{}, simkit.Fault{Kind: simkit.FaultMalformed}, bastjanst.FelkodOlasbart},
		{"truncated", SimulatorOptions{}, simkit.Fault{Kind: simkit.FaultTruncated}, bastjanst.FelkodOlasbart},
		{"truncated UTF-16", SimulatorOptions{Charset: UTF16LE}, simkit.Fault{Kind: simkit.FaultTruncated}, bastjanst.FelkodOlasbart},
		{"oversized", SimulatorOptions{}, simkit.Fault{Kind: simkit.FaultOversized}, bastjanst.FelkodOlasbart},
		{"wrong namespace", SimulatorOptions{WrongNamespace: true}, simkit.Fault{}, bastjanst.FelkodOlasbart},
		{"wrong namespace UTF-16", SimulatorOptions{WrongNamespace: true, Charset: UTF16BE}, simkit.Fault{}, bastjanst.FelkodOlasbart},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim := NewSimulatorWith(tc.opts)
			sim.Faults().Set(tc.fault)
			a := start(t, sim)
			// Only the hang should meet the deadline; the oversized answer
			// takes a while to read up to the limit under -race.
			deadline := 10 * time.Second
			if tc.felkod == "" {
				deadline = 300 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(t.Context(), deadline)
			defer cancel()
			res, err := a.Hamta(ctx, fraga(simkit.Tolvan), fraga(simkit.Tolvan).GetPeriod())
			if err == nil {
				t.Fatalf("no error; result %v", res)
			}
			if tc.felkod == "" {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("err = %v, want context deadline", err)
				}
				return
			}
			if got := bastjanst.FelFor(err).GetFelkod(); got != tc.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tc.felkod, err)
			}
			if bytes.Contains([]byte(err.Error()), []byte(simkit.Tolvan)) {
				t.Errorf("error text holds the personnummer: %v", err)
			}
		})
	}
}

// BizTalk may answer in UTF-16 either way round; the adapter must read it
// exactly as the UTF-8 answer, non-ASCII text included.
func TestUTF16Answers(t *testing.T) {
	utf8 := start(t, NewSimulator())
	want, err := utf8.Hamta(t.Context(), fraga(simkit.Tolvan), fraga(simkit.Tolvan).GetPeriod())
	if err != nil {
		t.Fatalf("UTF-8 Hamta: %v", err)
	}
	for _, cs := range []struct {
		name    string
		charset Charset
		bom     []byte
	}{
		{"LE", UTF16LE, []byte{0xFF, 0xFE}},
		{"BE", UTF16BE, []byte{0xFE, 0xFF}},
	} {
		t.Run(cs.name, func(t *testing.T) {
			tp := &tap{next: NewSimulatorWith(SimulatorOptions{Charset: cs.charset})}
			a := start(t, tp)
			got, err := a.Hamta(t.Context(), fraga(simkit.Tolvan), fraga(simkit.Tolvan).GetPeriod())
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			if !proto.Equal(got, want) {
				t.Errorf("UTF-16 result differs from UTF-8:\n got %v\nwant %v", prototext.Format(got), prototext.Format(want))
			}
			wire := tp.last(t).answer
			if !bytes.HasPrefix(wire, cs.bom) {
				t.Errorf("answer does not start with the %s byte order mark: % x", cs.name, wire[:min(4, len(wire))])
			}
			validate(t, bodyOf(t, wire))

			fel, err := a.Hamta(t.Context(), fraga(simkit.Felperson), fraga(simkit.Felperson).GetPeriod())
			if err != nil {
				t.Fatalf("Hamta Felperson: %v", err)
			}
			if fel.GetFel().GetFelkod() != FelpersonFaultcode || fel.GetFel().GetFelmeddelande() != FelpersonFaultstring {
				t.Errorf("fel = %v", fel.GetFel())
			}
		})
	}
}

func TestTesta(t *testing.T) {
	t.Run("up", func(t *testing.T) {
		tp := &tap{next: NewSimulator()}
		if err := start(t, tp).Testa(t.Context()); err != nil {
			t.Fatalf("Testa: %v", err)
		}
		ex := tp.last(t)
		validate(t, bodyOf(t, ex.request))
		validate(t, bodyOf(t, ex.answer))
	})
	t.Run("UTF-16", func(t *testing.T) {
		if err := start(t, NewSimulatorWith(SimulatorOptions{Charset: UTF16LE})).Testa(t.Context()); err != nil {
			t.Fatalf("Testa: %v", err)
		}
	})
	tests := []struct {
		name    string
		handler http.Handler
		felkod  string
	}{
		{"http500", func() http.Handler {
			sim := NewSimulator()
			sim.Faults().Set(simkit.Fault{Kind: simkit.FaultHTTP500})
			return sim
		}(), bastjanst.FelkodOtillganglig},
		{"SOAP fault", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			simkit.WriteFault(w, soap.Fault{Code: "soap:Server", String: "UBPService is down for maintenance"})
		}), bastjanst.FelkodOtillganglig},
		{"wrong namespace", NewSimulatorWith(SimulatorOptions{WrongNamespace: true}), bastjanst.FelkodOlasbart},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := start(t, tc.handler).Testa(t.Context())
			if got := bastjanst.FelFor(err).GetFelkod(); err == nil || got != tc.felkod {
				t.Errorf("Testa = %v (felkod %s), want felkod %s", err, got, tc.felkod)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	tp := &tap{next: NewSimulator()}
	a := start(t, tp)
	for _, tc := range []struct {
		pnr, request, answer string
		valid                bool // the answer is an INT014 message, not a fault
	}{
		{simkit.Tolvan, "request_tolvan.xml", "answer_tolvan.xml", true},
		{simkit.Felperson, "", "answer_felperson.xml", false},
	} {
		if _, err := a.Hamta(t.Context(), fraga(tc.pnr), fraga(tc.pnr).GetPeriod()); err != nil {
			t.Fatalf("Hamta: %v", err)
		}
		ex := tp.last(t)
		if tc.request != "" {
			golden(t, tc.request, ex.request)
			validate(t, bodyOf(t, ex.request))
		}
		golden(t, tc.answer, ex.answer)
		if tc.valid {
			validate(t, bodyOf(t, ex.answer))
		}
	}
}

// The simulator's requests must hold the question: a request it cannot read
// gets a client fault, which the adapter passes on as the agency's own error.
func TestSimulatorRejectsBadRequests(t *testing.T) {
	for _, body := range []string{
		`<Other xmlns="` + Namespace + `"/>`,
		`<GetUnemploymentBenefitPaymentRequest xmlns="` + Namespace + `"><IdentificationNumber>12345</IdentificationNumber></GetUnemploymentBenefitPaymentRequest>`,
		`<GetUnemploymentBenefitPaymentRequest xmlns="` + Namespace + `"><IdentificationNumber>191212121212</IdentificationNumber></GetUnemploymentBenefitPaymentRequest>`,
	} {
		el, err := simkit.Document(body)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		NewSimulator().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(soap.Build(el))))
		if rec.Code != http.StatusInternalServerError || !bytes.Contains(rec.Body.Bytes(), []byte("soap:Client")) {
			t.Errorf("%s: answer %d %s", body, rec.Code, rec.Body)
		}
	}
}

// Without an own period the adapter asks for the question's SO period; a
// question without any period cannot be put to the agency at all.
func TestPeriodFallback(t *testing.T) {
	tp := &tap{next: NewSimulator()}
	a := start(t, tp)
	f := fraga(simkit.Tolvan)
	f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_SO, Period: &ssbtekv1.Tidsperiod{From: "2025-03-01", Tom: "2025-03-31"}}}
	if _, err := a.Hamta(t.Context(), f, nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if req := tp.last(t).request; !bytes.Contains(req, []byte("<From>2025-03-01</From><Tom>2025-03-31</Tom>")) {
		t.Errorf("request does not ask for the SO period:\n%s", req)
	}
	f.Period, f.BastjanstPerioder = nil, nil
	if _, err := a.Hamta(t.Context(), f, nil); !errors.Is(err, errNoPeriod) {
		t.Errorf("err = %v, want %v", err, errNoPeriod)
	}
}
