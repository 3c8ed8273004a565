// Package so is the adapter for Sveriges a-kassor (SO): the INT014 UBPService
// that tells which unemployment benefit payments the a-kassor made to one
// person. It speaks SOAP 1.1 to a BizTalk service whose schema
// (UnemploymentBenefitPaymentService.xsd, namespace http://INT014.UBPService.Schemas)
// has one operation: GetUnemploymentBenefitPaymentRequest →
// GetUnemploymentBenefitPaymentResponse. The agency's own errors are SOAP
// faults, mapped to kalla BT with faultcode and faultstring (seed 000 §6.3.2).
//
// BizTalk may answer in UTF-8 or UTF-16; see charset.go.
package so

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/radata"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Namespace is the target namespace of the INT014 schema.
const Namespace = "http://INT014.UBPService.Schemas"

// The INT014 message elements.
const (
	RequestElement  = "GetUnemploymentBenefitPaymentRequest"
	ResponseElement = "GetUnemploymentBenefitPaymentResponse"
)

// Action is the SOAPAction the adapter sends. The schema comes without a WSDL,
// so this follows BizTalk's WCF convention of namespace plus operation name.
// The simulator dispatches on the body's root element and ignores it.
const Action = Namespace + "/GetUnemploymentBenefitPayment"

const bastjanstSO = ssbtekv1.Bastjanst_BASTJANST_SO

// Agency registers Sveriges a-kassor with the gateway.
func Agency() adapters.Agency {
	return adapters.Agency{
		Bastjanst:    bastjanstSO,
		Name:         "so",
		New:          New,
		NewSimulator: NewSimulator,
		SSBTEK:       SSBTEK,
	}
}

// SSBTEK is how the legacy SSBTEK answer carries SO's answer: everything under GetUnemploymentBenefitPaymentResponse (seed 000 §5.11).
var SSBTEK = radata.AnswerContent()
