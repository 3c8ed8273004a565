// Package af asks Arbetsförmedlingen (AF) about a person through its
// ersättningsstöd v2 service: a SOAP 1.1 FragaMeddelande answered by a
// SvarMeddelande (schema ers_stod.xsd). It holds the adapter, the mapping to
// ssbtekv1.Arbetsmarknadsatgarder and a simulator that knows the test persons.
package af

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/radata"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Namespace is the target namespace of AF's ers_stod.xsd.
const Namespace = "http://api.arbetsformedlingen.se/arbetssokande/ersattningsstod/v2"

// SOAPAction is sent with every call. AF's contract reaches us as a bare XSD
// without a WSDL, so no action is published; like SSBTEK's own document-style
// binding we send the empty action and let the body element (FragaMeddelande)
// select the operation.
const SOAPAction = ""

// prefix is the namespace prefix our payloads use; receivers must not care.
const prefix = "ers"

// StatusSokandeinformationKod values. AF reports its own errors with codes
// above 99 (seed 000 §6.3.2); codes up to 99 are normal answers.
const (
	// KodOK means the question was handled and a valid answer returned.
	KodOK = 0
	// KodEjRegistrerad means AF has nothing on the person.
	KodEjRegistrerad = 1
	// maxSvarKod is the highest code that is still a normal answer.
	maxSvarKod = 99
)

// Agency registers AF with the gateway.
func Agency() adapters.Agency {
	return adapters.Agency{
		Bastjanst:    ssbtekv1.Bastjanst_BASTJANST_AF,
		Name:         "af",
		New:          New,
		NewSimulator: NewSimulator,
		SSBTEK:       SSBTEK,
	}
}

// agency is the bastjänst this package speaks for.
const agency = ssbtekv1.Bastjanst_BASTJANST_AF

// SSBTEK is how the legacy SSBTEK answer carries AF's answer: the children of SvarMeddelande (seed 000 §5.7).
var SSBTEK = radata.AnswerContent()
