package tns

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// responderXSD is TS's real schema, relative to the contracts folder.
const responderXSD = "v10/se/transportstyrelsen/schema/ssbtek/hamtauppgifterresponder/_1/HamtaUppgifterResponder_1.0.xsd"

// Our own schemas for the parts the contract lacks.
const (
	headerXSD = "testdata/Anropsinformation_1.xsd"
	pingXSD   = "testdata/Ping_1.xsd"
)

// start serves h on loopback and returns the real adapter pointed at it, with
// its own transport so that no connection outlives the test.
func start(t *testing.T, h http.Handler) bastjanst.Adapter {
	t.Helper()
	srv := httptest.NewServer(h)
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return New(adapters.Config{URL: srv.URL + "/tns", HTTP: &http.Client{Transport: tr}})
}

// fraga is a complete question about pnr, as the gateway would pass it.
func fraga(pnr string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162120001355",
		Ingivare:            "Exempelkommunens socialnämnd",
		Handlaggare:         "handlaggare01",
		Personidentitet:     pnr,
		Arendeidentitet:     "EKB-2026-0042",
		Personuppgiftsbitrade: []*ssbtekv1.Personuppgiftsbitrade{
			{Ordningsnummer: 1, Organisationsnummer: "556677889900", Namn: "Exempel IT AB"},
		},
		Period:         period(),
		Syfte:          "Utredning av rätt till ekonomiskt bistånd",
		Lagtext:        "Lag (2008:975) om uppgiftsskyldighet i vissa fall enligt socialtjänstlagen",
		Korrelationsid: "korr-0001",
	}
}

func period() *ssbtekv1.Tidsperiod {
	return &ssbtekv1.Tidsperiod{From: "2026-01-01", Tom: "2026-03-31"}
}

// exchange is one request and its answer as they crossed the wire.
type exchange struct{ request, answer []byte }

// recorder keeps every exchange that passes through it.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	log  []exchange
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(req))
	tee := &teeWriter{ResponseWriter: w}
	rec.next.ServeHTTP(tee, r)
	rec.mu.Lock()
	rec.log = append(rec.log, exchange{request: req, answer: tee.buf.Bytes()})
	rec.mu.Unlock()
}

func (rec *recorder) last(t *testing.T) exchange {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.log) == 0 {
		t.Fatal("no exchange recorded")
	}
	return rec.log[len(rec.log)-1]
}

type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

// validate checks doc against TS's real schema.
func validate(t *testing.T, doc []byte) {
	t.Helper()
	xsdcheck.Validate(t, xsdcheck.Schema(t, responderXSD), doc)
}
