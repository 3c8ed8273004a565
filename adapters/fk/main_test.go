package fk

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"go.uber.org/goleak"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// specPath is LEFI's real OpenAPI contract inside the shared contracts folder.
const specPath = "v10/se/forsakringskassan/schema/lefi/lefi-formansinformation-v9.openapi.yaml"

// The paths of the two operations for the test actor, as the contract's
// server (http://localhost) sees them.
const (
	testAktor   = "162120000142"
	fragaURL    = "/lefi-extern-formansinformation/v9/aktorer/" + testAktor + "/formansinformation/fraga"
	typerURL    = "/lefi-extern-formansinformation/v9/aktorer/" + testAktor + "/tillgangligaInformationstyper"
	contractURL = "http://localhost"
)

// env is a simulator on a real loopback server with the real adapter in front of it.
type env struct {
	sim     *Simulator
	adapter bastjanst.Adapter
	// requests records every request the server received.
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
		adapter:  New(adapters.Config{URL: srv.URL + "/fk/", HTTP: srv.Client()}),
		requests: rec,
	}
}

// recorder keeps the requests it passes on.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	method, path string
	header       http.Header
	body         []byte
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{req.Method, req.URL.EscapedPath(), req.Header.Clone(), body})
	r.mu.Unlock()
	req.Body = io.NopCloser(bytes.NewReader(body))
	r.next.ServeHTTP(w, req)
}

func (r *recorder) last(t *testing.T) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	return r.reqs[len(r.reqs)-1]
}

// fragaOm is a complete question about pnr, as the gateway would pass it on.
func fragaOm(pnr string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: testAktor,
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

// contract validates exchanges against LEFI's OpenAPI contract. Strict, it
// also refuses members the schemas do not declare: the contract allows them,
// but in our own payloads an undeclared member is a misspelt one.
type contract struct {
	router routers.Router
}

func loadContract(t *testing.T, strict bool) *contract {
	t.Helper()
	path := xsdcheck.Schema(t, specPath)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		t.Fatalf("loading the LEFI contract: %v", err)
	}
	// The contract's own example answer shows avvikelser as a list where the
	// schema has an object, so its examples cannot be held to it.
	if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation()); err != nil {
		t.Fatalf("the LEFI contract does not validate: %v", err)
	}
	if strict {
		no := false
		for _, ref := range doc.Components.Schemas {
			if s := ref.Value; s.Type.Is(openapi3.TypeObject) && len(s.Properties) > 0 {
				s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
			}
		}
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("routing the LEFI contract: %v", err)
	}
	return &contract{router: r}
}

// check validates a request (its body, if any) and the answer given to it
// against the operation's schemas, and returns what the contract says.
func (c *contract) check(method, path string, reqBody []byte, status int, respBody []byte) error {
	ctx := context.Background()
	req, err := http.NewRequest(method, contractURL+path, bytes.NewReader(reqBody))
	if err != nil {
		return err
	}
	if reqBody != nil {
		req.Header.Set("Content-Type", mediaTypeJSON)
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return err
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return err
	}
	if respBody == nil {
		return nil
	}
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 http.Header{"Content-Type": {mediaTypeJSON}},
		Body:                   io.NopCloser(bytes.NewReader(respBody)),
		Options:                opts,
	})
}

// validate fails the test unless the exchange conforms to the contract.
func (c *contract) validate(t *testing.T, method, path string, reqBody []byte, status int, respBody []byte) {
	t.Helper()
	if err := c.check(method, path, reqBody, status, respBody); err != nil {
		t.Errorf("%s %s → %d does not conform to the LEFI contract: %v\n--- request ---\n%s\n--- answer ---\n%s",
			method, path, status, err, reqBody, respBody)
	}
}

// ask sends one request straight to a simulator.
func ask(t *testing.T, sim http.Handler, method, path string, body []byte) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", mediaTypeJSON)
	}
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}
