// Package adapters describes how an agency plugs into the gateway. Each agency
// is its own package below this one (af, csn, fk, skv, so, tns, miv) holding
// its client, mappings, simulator and golden files; package registry lists them.
package adapters

import (
	"errors"
	"net/http"

	"github.com/ssbtek/gateway/adapters/httpcall"
	"github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// DefaultOperator is the organisationsnummer (with the 16 prefix) of
// Försäkringskassan, which runs SSBTEK: the operator a gateway names unless
// it is told otherwise (Config.Operator).
const DefaultOperator = "162021005521"

// Config points an adapter at its agency.
type Config struct {
	// URL is the agency's endpoint: the SOAP endpoint URL, or for REST
	// agencies (FK/LEFI) the base URL that API paths are appended to.
	URL string
	// HTTP is the client to call with; nil means httpcall.DefaultHTTPClient().
	HTTP *http.Client
	// MaxBody bounds an answer's size; 0 means httpcall.DefaultMaxBody.
	MaxBody int64
	// Operator is the organisationsnummer of the organisation running the
	// gateway, which agencies see on the calls no case worker makes (Testa);
	// "" means DefaultOperator.
	Operator string
}

// OperatorOrDefault is the operator's organisationsnummer: Operator, or
// DefaultOperator when it is empty.
func (c Config) OperatorOrDefault() string {
	if c.Operator == "" {
		return DefaultOperator
	}
	return c.Operator
}

// SOAPClient is a client for a SOAP agency's endpoint as the config gives it.
func (c Config) SOAPClient() soap.Client {
	return soap.Client{URL: c.URL, HTTP: c.HTTPClient()}
}

// HTTPClient sends an agency's requests as the config says.
func (c Config) HTTPClient() httpcall.Client { return httpcall.New(c.HTTP, c.MaxBody) }

// ErrOtherPerson guards against an answer about someone else: passing it on
// would disclose another person's data, so it counts as unreadable.
var ErrOtherPerson = errors.New("answer is about another person than the one asked about")

// FaultResult passes a SOAP fault on as the agency's own error (kalla BT,
// faultcode and faultstring): even where the agency's schema defines no
// fault, a fault is its word on the question, not ours. A fault without a
// faultcode gives nothing to pass on and is unreadable (2003).
func FaultResult(b ssbtekv1.Bastjanst, f *soap.Fault, rd *ssbtekv1.Radata) (*ssbtekv1.BastjanstResultat, error) {
	if f.Code == "" {
		return nil, bastjanst.Unreadable(errors.New("SOAP fault without faultcode"))
	}
	return bastjanst.NativeError(b, f.Code, f.String, rd), nil
}

// Simulator is an agency simulator: an HTTP handler speaking the agency's
// native protocol for the test persons, with fault injection.
type Simulator interface {
	http.Handler
	// Faults is the simulator's fault injector.
	Faults() *simkit.Injector
}

// Agency is one agency's registration.
type Agency struct {
	Bastjanst ssbtekv1.Bastjanst
	// Name is the lower-case code used in flags, env and simulator paths, e.g. "af".
	Name string
	// New builds the adapter.
	New func(Config) bastjanst.Adapter
	// NewSimulator builds a simulator with the test persons.
	NewSimulator func() Simulator
	// SSBTEK is how the legacy SSBTEK answer embeds the agency's answer in
	// its data element; the adapter records it in every Radata it keeps.
	SSBTEK radata.Embedding
	// Tjanster are the source's own calls, for a source that answers a
	// question of its own (bastjanst.EgenFraga); none for the agencies of
	// the compiled answer, which the server's per-agency calls cover.
	Tjanster []Tjanst
}

// Mount serves h, the agency's simulator, on mux under /<name>, so that the
// adapter reaches it at URL(base).
func (a Agency) Mount(mux *http.ServeMux, h http.Handler) {
	mux.Handle("/"+a.Name+"/", http.StripPrefix("/"+a.Name, h))
	mux.Handle("/"+a.Name, http.StripPrefix("/"+a.Name, h))
}

// URL is where the agency's simulator answers when mounted on a server at base.
func (a Agency) URL(base string) string { return base + "/" + a.Name }
