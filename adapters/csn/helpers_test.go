package csn

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// fragaFor is a case worker's question about pnr.
func fragaFor(pnr string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162120000142",
		Ingivare:            "Exempelby kommun",
		Handlaggare:         "handl-4711",
		Personidentitet:     pnr,
		Arendeidentitet:     "SOC-2024-00042",
		Period:              &ssbtekv1.Tidsperiod{From: "2024-01-01", Tom: "2024-03-31"},
		Syfte:               "Utredning av ekonomiskt bistånd",
		Lagtext:             "4 kap. 1 § socialtjänstlagen",
		Personuppgiftsbitrade: []*ssbtekv1.Personuppgiftsbitrade{
			{Ordningsnummer: 1, Organisationsnummer: "165560000001", Namn: "Biträdet AB"},
		},
	}
}

// serve starts h on a loopback server and returns an adapter pointed at it.
func serve(t *testing.T, h http.Handler) bastjanst.Adapter {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return New(adapters.Config{URL: srv.URL + "/csn", HTTP: srv.Client()})
}

// deadline is a context that ends after d, cancelled when the test ends.
func deadline(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// felkod is the gateway's felkod for an adapter error.
func felkod(err error) string { return bastjanst.FelFor(err).GetFelkod() }

// recordRequest hands every request body to the returned channel (which holds
// one) before h answers it.
func recordRequest(h http.Handler) (http.Handler, <-chan []byte) {
	ch := make(chan []byte, 1)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		select {
		case ch <- body:
		default:
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	}), ch
}

// rewriteAnswer lets h answer, then changes the SOAP body element with mutate
// before the answer goes out.
func rewriteAnswer(h http.Handler, mutate func(body *etree.Element)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		env, err := soap.Parse(rec.Body.Bytes())
		if err != nil || env.Body == nil {
			http.Error(w, "test handler: simulator answer unreadable", http.StatusTeapot)
			return
		}
		mutate(env.Body)
		simkit.WriteSOAP(w, env.Body)
	})
}

// parseBody returns the body element of a SOAP envelope.
func parseBody(t *testing.T, raw []byte) *etree.Element {
	t.Helper()
	env, err := soap.Parse(raw)
	if err != nil || env.Body == nil {
		t.Fatalf("not a SOAP envelope with a body: %v", err)
	}
	return env.Body
}

// post sends a question to h in process and records the answer.
func post(t *testing.T, h http.Handler, q *etree.Element) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/csn", bytes.NewReader(soap.Build(q)))
	req.Header.Set("Content-Type", soap.ContentType)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// ask posts a question to h in process and returns the raw answer.
func ask(t *testing.T, h http.Handler, q *etree.Element) []byte {
	t.Helper()
	rec := post(t, h, q)
	if rec.Code != http.StatusOK {
		t.Fatalf("simulator answered HTTP %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// questionFor is the SOAP body the adapter sends about pnr.
func questionFor(pnr string) *etree.Element {
	f := fragaFor(pnr)
	return begaran(f, f.GetPeriod())
}
