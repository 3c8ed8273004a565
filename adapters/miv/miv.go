// Package miv is the adapter for Migrationsverket (MIV): residence and work
// permits through its SSBTEK web service, operation findByPersonnummer, SOAP
// 1.1 in the namespace http://schema.migrationsverket.se/ssbtek/1/
// (SSBTEKWebService_schema1.xsd). It holds the client, the mapping of answers
// and of SSBTEKSoapException faults, a simulator for the test persons and the
// golden files.
package miv

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/radata"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Namespace is the target namespace of MIV's SSBTEK schema. Only the global
// elements (findByPersonnummer, findByPersonnummerResponse,
// SSBTEKSoapException) are qualified; their children are unqualified, as the
// schema leaves elementFormDefault at its default.
const Namespace = "http://schema.migrationsverket.se/ssbtek/1/"

// SOAPAction is sent with every call. The service is a JAX-WS endpoint whose
// operation declares no soapAction, so the empty action is the contract's own.
const SOAPAction = ""

// The global elements of the contract.
const (
	elemFraga   = "findByPersonnummer"
	elemSvar    = "findByPersonnummerResponse"
	elemFelsvar = "SSBTEKSoapException"
	prefix      = "miv"
)

// Agency registers Migrationsverket with the gateway.
func Agency() adapters.Agency {
	return adapters.Agency{
		Bastjanst:    ssbtekv1.Bastjanst_BASTJANST_MIV,
		Name:         "miv",
		New:          New,
		NewSimulator: NewSimulator,
		SSBTEK:       SSBTEK,
	}
}

// SSBTEK is how the legacy SSBTEK answer carries MIV's answer: the content of findByPersonnummerResponse.
var SSBTEK = radata.AnswerContent()
