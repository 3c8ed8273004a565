package skv

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// schemaPath is SKV's real schema inside the shared contracts folder.
const schemaPath = "v10/se/rsv/zg/bs/service/ws/beskattningws/ZgBsBeskattningWSService_schema.xsd"

// env is a simulator on a real loopback server with the real adapter in front of it.
type env struct {
	sim     *Simulator
	adapter bastjanst.Adapter
	// requests records every request body the server received.
	requests *recorder
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith serves h instead of a simulator when h is not nil.
func newEnvWith(t *testing.T, h http.Handler) *env {
	t.Helper()
	sim := NewSimulator().(*Simulator)
	if h == nil {
		h = sim
	}
	rec := &recorder{next: h}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return &env{
		sim:      sim,
		adapter:  New(adapters.Config{URL: srv.URL + "/skv/beskattningws", HTTP: srv.Client()}),
		requests: rec,
	}
}

// recorder keeps the bodies of the requests it passes on.
type recorder struct {
	next   http.Handler
	mu     sync.Mutex
	bodies [][]byte
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.bodies = append(r.bodies, body)
	r.mu.Unlock()
	req.Body = io.NopCloser(bytes.NewReader(body))
	r.next.ServeHTTP(w, req)
}

func (r *recorder) last(t *testing.T) []byte {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bodies) == 0 {
		t.Fatal("no request reached the server")
	}
	return r.bodies[len(r.bodies)-1]
}

// fraga is a complete question about pnr, as the gateway would pass it on.
func fraga(pnr string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162120000142",
		Ingivare:            "Exempelkommunen socialtjänst",
		Handlaggare:         "Hanna Handläggare",
		Personidentitet:     pnr,
		Arendeidentitet:     "EB-2026-0042",
		Period:              &ssbtekv1.Tidsperiod{From: "2026-01-01", Tom: "2026-03-31"},
		Syfte:               "Handläggning av ekonomiskt bistånd",
		Lagtext:             "SoL 11 kap. 11 §",
		Korrelationsid:      "3f1c2a9e-5b7d-4c11-9e2a-00000000c0de",
	}
}

// fragaMedUrval is fraga with an ombud, a data processor and SSBTEK v11's SKV block.
func fragaMedUrval(pnr string, ar ...int32) *ssbtekv1.Fraga {
	f := fraga(pnr)
	f.Ombud = "556677889900"
	f.Personuppgiftsbitrade = []*ssbtekv1.Personuppgiftsbitrade{{Ordningsnummer: 1, Organisationsnummer: "556677889900", Namn: "Exempel Ombud AB"}}
	f.Skv = &ssbtekv1.SkvParametrar{Ar: ar, Individuppgifter: true, Skatteuppgifter: true}
	return f
}

// validate checks a SOAP payload against SKV's schema in a subtest, so that
// a missing contracts folder skips only the check.
func validate(t *testing.T, name string, payload []byte) {
	t.Helper()
	t.Run("xsd/"+name, func(t *testing.T) {
		xsdcheck.Validate(t, xsdcheck.Schema(t, schemaPath), payload)
	})
}

// checkSchema reports whether payload fails SKV's schema; a missing xmllint
// fails the test, so a negative check cannot pass vacuously.
func checkSchema(t *testing.T, payload []byte) error {
	t.Helper()
	err := xsdcheck.Check(xsdcheck.Schema(t, schemaPath), payload)
	if err != nil && strings.Contains(err.Error(), "xmllint not installed") {
		t.Fatal(err)
	}
	return err
}

// wellFormed checks an inner document with xmllint, a parser other than the
// one the adapter uses, and with the adapter's own strict reading.
func wellFormed(t *testing.T, doc, root string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint not installed: apt-get install -y libxml2-utils")
	}
	cmd := exec.Command(bin, "--noout", "--nonet", "-")
	cmd.Stdin = strings.NewReader(doc)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("inner document is not well formed: %v\n%s\n--- document ---\n%s", err, out, doc)
	}
	if _, err := readInner(doc, root); err != nil {
		t.Errorf("readInner: %v", err)
	}
}

// parse reads a SOAP envelope the test expects to be well formed.
func parse(t *testing.T, raw []byte) *soap.Envelope {
	t.Helper()
	e, err := soap.Parse(raw)
	if err != nil {
		t.Fatalf("parsing envelope: %v", err)
	}
	if e.Body == nil {
		t.Fatal("envelope has an empty body")
	}
	return e
}

// payload is what SKV's schema describes inside an envelope: the body's
// element, or for a fault SKV's Exception in the detail.
func payload(t *testing.T, raw []byte) []byte {
	t.Helper()
	e := parse(t, raw)
	if e.Fault != nil {
		if e.Fault.Detail == nil {
			t.Fatal("fault has no detail")
		}
		return soap.Bytes(e.Fault.Detail)
	}
	return soap.Bytes(e.Body)
}
