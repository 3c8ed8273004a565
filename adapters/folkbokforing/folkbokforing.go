// Package folkbokforing is the adapter for Skatteverket's population register
// (folkbokföring): seed 004 §12, HamtaPersonuppgifter, a person's public
// population-register data (name, addresses, civilstånd, medborgarskap,
// children, samhörig). No public schema of this service is in the shared
// contracts, so its SOAP 1.1 wire format is this gateway's own, designed from
// the seed's fields (see README.md). The source answers a question of its
// own, so the package also holds that call (Tjanst): FolkbokforingService on
// gRPC and REST, asked through the lookup service.
package folkbokforing

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/radata"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Namespace is the wire format's namespace: ours, not Skatteverket's (see
// README.md). Every element is qualified.
const Namespace = "urn:ssbtek-gateway:folkbokforing:personuppgifter:1"

// The SOAP actions of the two operations.
const (
	SOAPAction     = Namespace + ":HamtaPersonuppgifter"
	SOAPActionPing = Namespace + ":Ping"
)

// The global elements of the wire format.
const (
	elemFraga    = "HamtaPersonuppgifter"
	elemSvar     = "HamtaPersonuppgifterResponse"
	elemPing     = "Ping"
	elemPingSvar = "PingResponse"
	prefix       = "fb"
)

// Agency registers the population register with the gateway.
func Agency() adapters.Agency {
	return adapters.Agency{
		Bastjanst:    ssbtekv1.Bastjanst_BASTJANST_FOLKBOKFORING,
		Name:         "folkbokforing",
		New:          New,
		NewSimulator: NewSimulator,
		SSBTEK:       SSBTEK,
		Tjanster:     []adapters.Tjanst{Tjanst},
	}
}

// SSBTEK is the embedding every Radata records. The legacy SSBTEK contract
// has no element for the population register, so no legacy answer carries
// it; the content of HamtaPersonuppgifterResponse is what one would.
var SSBTEK = radata.AnswerContent()
