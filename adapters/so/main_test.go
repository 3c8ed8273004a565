package so

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

var update = adaptertest.Update

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// int014XSD is the a-kassor's real schema, relative to the contracts folder.
// It is stored in UTF-16, which xmllint reads as it is.
const int014XSD = "v10/schemas/ubpservice/int014/UnemploymentBenefitPaymentService.xsd"

// start serves h on loopback and returns the real adapter pointed at it. The
// adapter gets its own transport so that no connection outlives the test.
func start(t *testing.T, h http.Handler) bastjanst.Adapter {
	t.Helper()
	srv := httptest.NewServer(h)
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return New(adapters.Config{URL: srv.URL + "/UBPService", HTTP: &http.Client{Transport: tr}})
}

// fraga is a complete question about pnr, as the gateway passes it. The
// personuppgiftsbiträden come out of order on purpose.
func fraga(pnr string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162125550008",
		Ingivare:            "Provstadens socialnämnd",
		Handlaggare:         "HL000042",
		Personidentitet:     pnr,
		Arendeidentitet:     "AID-2025-0042",
		Personuppgiftsbitrade: []*ssbtekv1.Personuppgiftsbitrade{
			{Ordningsnummer: 2, Organisationsnummer: "559900112233", Namn: "Andra Ombudet AB"},
			{Ordningsnummer: 1, Organisationsnummer: "559988776655", Namn: "Första Ombudet AB"},
		},
		Period:  &ssbtekv1.Tidsperiod{From: "2025-01-01", Tom: "2025-04-30"},
		Syfte:   "Beslut om eller kontroll av ekonomiskt bistånd",
		Lagtext: "11 kap. 11 a § socialtjänstlagen (2001:453)",
	}
}

// exchange is one request and its answer as they crossed the wire.
type exchange struct{ request, answer []byte }

// tap records every exchange that passes through it.
type tap struct {
	next http.Handler
	mu   sync.Mutex
	log  []exchange
}

func (tp *tap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(req))
	rec := httptest.NewRecorder()
	tp.next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
	tp.mu.Lock()
	tp.log = append(tp.log, exchange{request: req, answer: rec.Body.Bytes()})
	tp.mu.Unlock()
}

// last returns the latest exchange.
func (tp *tap) last(t *testing.T) exchange {
	t.Helper()
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if len(tp.log) == 0 {
		t.Fatal("no exchange recorded")
	}
	return tp.log[len(tp.log)-1]
}

// bodyOf returns the SOAP Body's child of an envelope (UTF-8 or UTF-16) as a
// standalone UTF-8 document.
func bodyOf(t *testing.T, envelope []byte) []byte {
	t.Helper()
	utf8, err := io.ReadAll(utf8Reader(bytes.NewReader(envelope)))
	if err != nil {
		t.Fatalf("decoding envelope: %v", err)
	}
	env, err := soap.Parse(utf8)
	if err != nil {
		t.Fatalf("parsing envelope: %v\n%s", err, utf8)
	}
	if env.Body == nil {
		t.Fatalf("envelope has an empty body:\n%s", utf8)
	}
	return soap.Bytes(env.Body)
}

// validate checks an INT014 message against the real schema.
func validate(t *testing.T, doc []byte) {
	t.Helper()
	xsdcheck.Validate(t, xsdcheck.Schema(t, int014XSD), doc)
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("writing golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (rerun with -update if intended)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
