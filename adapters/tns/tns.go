// Package tns is the gateway's adapter for Transportstyrelsen (TS): the
// HamtaUppgifter responder v1 (SOAP 1.1) that lists the vehicles a person
// holds in the vägtrafikregister, with its simulator and golden files.
//
// TS takes only the person in the request body; who asks, in which case and
// on what legal ground travel in TS's own SOAP header (seed 000 §5.6), which
// this package designs as Anropsinformation (see header.go and README.md).
package tns

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/radata"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// The namespaces of TS's contract (HamtaUppgifterResponder_1.0.xsd and the
// fordon and person schemas it imports).
const (
	NSResponder = "http://schema.transportstyrelsen.se/ssbtek/hamtauppgifterresponder/1"
	NSFordon    = "http://schema.transportstyrelsen.se/ssbtek/fordon/1"
	NSPerson    = "http://schema.transportstyrelsen.se/ssbtek/person/1"
)

// The namespaces of our own design: the TS SOAP header and the ping, which
// the contract lacks. Their schemas are in testdata/.
const (
	NSHeader = "urn:ssbtek-gateway:tns:header:1"
	NSPing   = "urn:ssbtek-gateway:tns:ping:1"
)

// SOAPActions. The contract ships no WSDL, so the actions are ours; the
// simulator dispatches on the body element, as TS's stack is assumed to.
const (
	ActionHamtaUppgifter = NSResponder + "/HamtaUppgifter"
	ActionPing           = NSPing + ":Ping"
)

// The values of resultat (ResultatTypEnum).
const (
	resultatOK  = "OK"
	resultatFel = "FEL"
)

const bastjanstTNS = ssbtekv1.Bastjanst_BASTJANST_TNS

// Agency registers Transportstyrelsen with the gateway.
func Agency() adapters.Agency {
	return adapters.Agency{
		Bastjanst:    bastjanstTNS,
		Name:         "tns",
		New:          New,
		NewSimulator: NewSimulator,
		SSBTEK:       SSBTEK,
	}
}

// SSBTEK is how the legacy SSBTEK answer carries TNS's answer: everything under HamtaUppgifterResponse (seed 000 §5.12).
var SSBTEK = radata.AnswerContent()
