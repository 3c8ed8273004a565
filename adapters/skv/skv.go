// Package skv is the adapter for Skatteverket (SKV): taxation data through
// the Beskattningsuppgifter web service, SOAP 1.1 in the namespace
// http://beskattningws.ws.service.bs.zg.rsv.se/
// (ZgBsBeskattningWSService_schema.xsd).
//
// The SOAP contract only carries strings: BeskattningsuppgifterRequest{forfragan}
// and BeskattningsuppgifterResponse{svar}, each holding an escaped XML
// document. Those inner documents are not in the contract; this package
// designs them after the sample answer and seeds 000 §5.10 and 004 §8 (see
// forfragan.go and svar.go). SKV's own errors are SOAP faults whose detail is
// the contract's Exception element {MeddelandeKod 9071000–9071999,
// MeddelandeText, Systemversion}; they become kalla BT errors.
//
// The package holds the client, the mappings, a simulator for the test persons
// and the golden files.
package skv

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/radata"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Namespace is the target namespace of SKV's web service schema. Only the
// global elements (BeskattningsuppgifterRequest, BeskattningsuppgifterResponse,
// Exception) are qualified; their children are unqualified, as the schema
// leaves elementFormDefault at its default.
const Namespace = "http://beskattningws.ws.service.bs.zg.rsv.se/"

// SOAPAction is sent with every call. The schema comes from a JAX-WS service
// (ZgBsBeskattningWSService) and no WSDL names an action, so the empty action
// is used and the service dispatches on the body element.
const SOAPAction = ""

// The global elements of the SOAP contract.
const (
	elemFraga   = "BeskattningsuppgifterRequest"
	elemSvar    = "BeskattningsuppgifterResponse"
	elemFelsvar = "Exception"
	prefix      = "bes"
)

// bastjanstSKV is this agency.
const bastjanstSKV = ssbtekv1.Bastjanst_BASTJANST_SKV

// Agency registers Skatteverket with the gateway.
func Agency() adapters.Agency {
	return adapters.Agency{
		Bastjanst:    bastjanstSKV,
		Name:         "skv",
		New:          New,
		NewSimulator: NewSimulator,
		SSBTEK:       SSBTEK,
	}
}

// SSBTEK is how the legacy SSBTEK answer carries SKV's answer: the children of BeskattningsuppgifterResponse: svar, still an escaped string (seed 000 §5.10).
var SSBTEK = radata.AnswerContent()
