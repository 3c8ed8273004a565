package fk

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"go.uber.org/goleak"

	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// specPath is LEFI's real OpenAPI contract inside the shared contracts folder.
const specPath = "v10/se/forsakringskassan/schema/lefi/lefi-formansinformation-v9.openapi.yaml"

// The paths of the two operations for the test actor (adaptertest.Fraga's
// organisationsnummer), as the contract's server (http://localhost) sees them.
const (
	testAktor   = "162120000142"
	fragaURL    = "/lefi-extern-formansinformation/v9/aktorer/" + testAktor + "/formansinformation/fraga"
	typerURL    = "/lefi-extern-formansinformation/v9/aktorer/" + testAktor + "/tillgangligaInformationstyper"
	contractURL = "http://localhost"
)

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

// validateExchange holds an exchange recorded by adaptertest.Serve, question
// and answer, to the contract. The server mounts LEFI under /fk as the
// registry does; the contract knows only the paths below the mount.
func (c *contract) validateExchange(t *testing.T, ex adaptertest.Exchange) {
	t.Helper()
	req := ex.Request
	if len(req) == 0 {
		req = nil // a GET: no body to check
	}
	c.validate(t, ex.Method, strings.TrimPrefix(ex.Path, "/"+Agency().Name), req, ex.Status, ex.Answer)
}

// get asks a simulator in process, as adaptertest.Post does for POST: Testa's
// operation is a GET.
func get(t *testing.T, sim http.Handler, path string) (int, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, path, nil))
	return rec.Code, rec.Body.Bytes()
}
