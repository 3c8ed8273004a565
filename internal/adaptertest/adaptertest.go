// Package adaptertest is what the agency adapters' tests share: a standard
// question, a loopback server that records every exchange, golden files,
// envelope and schema helpers, and Conformance, the behaviour every adapter
// owes the fan-out core (faults, deadlines, native errors, unknown persons).
// It is imported by tests only.
package adaptertest

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

// Update rewrites golden files instead of comparing with them (go test -update).
var Update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Nobody is a valid personnummer no simulator knows.
const Nobody = "198001011231"

// Fraga is a complete question about pnr, as the gateway passes it on: every
// optional field set, personuppgiftsbiträden out of order on purpose.
func Fraga(pnr string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162120000142",
		Ingivare:            "Exempelkommunen socialtjänst",
		Handlaggare:         "handlaggare01",
		Personidentitet:     pnr,
		Arendeidentitet:     "EB-2026-0042",
		Period:              &ssbtekv1.Tidsperiod{From: "2026-01-01", Tom: "2026-03-31"},
		Syfte:               "Handläggning av ekonomiskt bistånd",
		Lagtext:             "11 kap. 11 a § socialtjänstlagen (2001:453)",
		Korrelationsid:      "3f1c2a9e-5b7d-4c11-9e2a-00000000c0de",
		Personuppgiftsbitrade: []*ssbtekv1.Personuppgiftsbitrade{
			{Ordningsnummer: 2, Organisationsnummer: "165599201122", Namn: "Andra Ombudet AB"},
			{Ordningsnummer: 1, Organisationsnummer: "165566778899", Namn: "Första Ombudet AB"},
		},
	}
}

// Exchange is one request and its answer as they crossed the wire.
type Exchange struct {
	Method, Path string
	Header       http.Header
	Request      []byte
	Status       int
	Answer       []byte
}

// Server is a loopback HTTP server in front of an agency's handler (its
// simulator, or a test's stand-in), mounted as the registry mounts it, that
// records every exchange.
type Server struct {
	// URL is the agency's endpoint on this server, for adapters.Config.
	URL string
	// HTTP is a client with its own transport, closed with the test, so that
	// no idle connection outlives it (goleak).
	HTTP *http.Client

	mu  sync.Mutex
	log []Exchange
}

// Serve starts h on loopback for agency a until the test ends.
func Serve(t testing.TB, a adapters.Agency, h http.Handler) *Server {
	t.Helper()
	s := &Server{}
	mux := http.NewServeMux()
	a.Mount(mux, h)
	srv := httptest.NewServer(s.record(mux))
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	s.URL = a.URL(srv.URL)
	s.HTTP = &http.Client{Transport: tr}
	return s
}

// Config points an adapter at the server.
func (s *Server) Config() adapters.Config { return adapters.Config{URL: s.URL, HTTP: s.HTTP} }

// Adapter is agency a's real adapter pointed at the server.
func (s *Server) Adapter(a adapters.Agency) bastjanst.Adapter { return a.New(s.Config()) }

func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(req))
		tee := &teeWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(tee, r)
		s.mu.Lock()
		s.log = append(s.log, Exchange{
			Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(),
			Request: req, Status: tee.status, Answer: tee.buf.Bytes(),
		})
		s.mu.Unlock()
	})
}

// Last is the latest exchange; it fails the test when there was none.
func (s *Server) Last(t testing.TB) Exchange {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) == 0 {
		t.Fatal("no request reached the server")
	}
	return s.log[len(s.log)-1]
}

// Exchanges is every exchange so far.
func (s *Server) Exchanges() []Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Exchange(nil), s.log...)
}

// teeWriter copies an answer as it is written.
type teeWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *teeWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

// Flush passes on flushes, which the simulators' streaming faults rely on.
func (w *teeWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Post sends body to h in process (no network) and returns the answer.
func Post(t testing.TB, h http.Handler, path, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// PostSOAP wraps body in an envelope and posts it to h in process.
func PostSOAP(t testing.TB, h http.Handler, path string, body *etree.Element) (int, []byte) {
	t.Helper()
	return Post(t, h, path, soap.ContentType, soap.Build(body))
}

// Deadline is a context that ends after d, cancelled when the test ends.
func Deadline(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// Felkod is the gateway's felkod for an adapter error ("" for nil).
func Felkod(err error) string { return bastjanst.FelFor(err).GetFelkod() }

// Golden compares got with testdata/name, or rewrites the file under -update.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("writing golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (rerun with -update if intended)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// Indent returns an XML document indented by two spaces, so golden files read
// well and compare regardless of how the wire form was laid out.
func Indent(t testing.TB, raw []byte) []byte {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatalf("not XML: %v\n%s", err, raw)
	}
	doc.Indent(2)
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Envelope parses a SOAP envelope the test expects to be well formed, with a body.
func Envelope(t testing.TB, raw []byte) *soap.Envelope {
	t.Helper()
	e, err := soap.Parse(raw)
	if err != nil {
		t.Fatalf("parsing envelope: %v\n%s", err, raw)
	}
	if e.Body == nil {
		t.Fatalf("envelope has an empty body:\n%s", raw)
	}
	return e
}

// Payload is what an agency schema describes inside an envelope: the body's
// element, or for a fault the agency's element in the detail.
func Payload(t testing.TB, raw []byte) []byte {
	t.Helper()
	e := Envelope(t, raw)
	if e.Fault != nil {
		if e.Fault.Detail == nil {
			t.Fatal("fault has no detail")
		}
		return soap.Bytes(e.Fault.Detail)
	}
	return soap.Bytes(e.Body)
}

// Validate checks doc against schema in a subtest, so that a missing
// contracts folder skips only the check. A relative schema path is inside the
// shared contracts folder; an absolute one (a package's own schema) is used
// as it is.
func Validate(t *testing.T, schema, name string, doc []byte) {
	t.Helper()
	t.Run("xsd/"+name, func(t *testing.T) {
		xsdcheck.Validate(t, schemaPath(t, schema), doc)
	})
}

// Invalid reports whether doc fails schema (a path as for Validate). A
// missing xmllint fails the test, so a negative check cannot pass vacuously.
func Invalid(t testing.TB, schema string, doc []byte) bool {
	t.Helper()
	err := xsdcheck.Check(schemaPath(t, schema), doc)
	if err != nil && strings.Contains(err.Error(), "xmllint not installed") {
		t.Fatal(err)
	}
	return err != nil
}

// RewriteSOAP lets h answer, then changes the SOAP body element with mutate
// before the answer goes out: a way to break a simulator's answer in one
// precise place.
func RewriteSOAP(h http.Handler, mutate func(body *etree.Element)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		env, err := soap.Parse(rec.Body.Bytes())
		if err != nil || env.Body == nil {
			http.Error(w, "adaptertest: simulator answer unreadable", http.StatusTeapot)
			return
		}
		mutate(env.Body)
		w.Header().Set("Content-Type", soap.ContentType)
		w.WriteHeader(rec.Code)
		w.Write(soap.Build(env.Body))
	})
}

func schemaPath(t testing.TB, schema string) string {
	if filepath.IsAbs(schema) {
		return schema
	}
	return xsdcheck.Schema(t, schema)
}

// AskSOAP posts body to a simulator in process and returns its answer,
// failing the test unless it is HTTP 200.
func AskSOAP(t testing.TB, h http.Handler, path string, body *etree.Element) []byte {
	t.Helper()
	status, answer := PostSOAP(t, h, path, body)
	if status != http.StatusOK {
		t.Fatalf("simulator answered HTTP %d: %s", status, answer)
	}
	return answer
}

// Remove is a RewriteSOAP mutation deleting the element at path (an etree
// path below the answer's body element).
func Remove(path string) func(body *etree.Element) {
	return func(body *etree.Element) {
		e := body.FindElement(path)
		e.Parent().RemoveChild(e)
	}
}

// SetText is a RewriteSOAP mutation replacing the text of the element at path.
func SetText(path, text string) func(body *etree.Element) {
	return func(body *etree.Element) { body.FindElement(path).SetText(text) }
}

// SetAttr is a RewriteSOAP mutation setting an attribute of the element at path.
func SetAttr(path, name, value string) func(body *etree.Element) {
	return func(body *etree.Element) { body.FindElement(path).CreateAttr(name, value) }
}

// FaultServer answers every request with the SOAP fault f, as an agency
// that refuses every question would.
func FaultServer(f soap.Fault) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { simkit.WriteFault(w, f) })
}
