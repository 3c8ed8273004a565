// Package csn asks Centrala studiestödsnämnden (CSN) about a person through
// its Kommunfråga v4 service: a SOAP 1.1 call whose body is the question
// SBNUppgEkBistandBegar and whose answer body is a CSNSvar document (schema
// kommunfraga.xsd with csntyper, person and one schema per kind of study aid).
// It holds the adapter, the mapping to ssbtekv1.Studiestod and a simulator
// that knows the test persons. README.md explains the wire and the choices
// the contract leaves open.
package csn

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/radata"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// The namespaces of CSN's Kommunfråga v4 schemas.
const (
	// NSKommunfraga holds the question and answer elements (SBNUppgEkBistandBegar, CSNSvar).
	NSKommunfraga = "http://schema.csn.se/v4.0/kommunfraga"
	// NSPerson holds the children of CSNSvar/Personer/Person.
	NSPerson = "http://schema.csn.se/v4.0/person"
	// NSTyper holds the shared types: Studiestodstypforteckning, Beviljadtid, Utbetalning, Belopp.
	NSTyper = "http://schema.csn.se/v4.0/csntyper"
	// The namespaces of an Arende's own elements, one per kind of study aid.
	NSStudiemedel            = "http://schema.csn.se/v4.0/studiemedel"
	NSStudiehjalp            = "http://schema.csn.se/v4.0/studiehjalp"
	NSHemutrustningslan      = "http://schema.csn.se/v4.0/hemutrustningslan"
	NSStudiestartsstod       = "http://schema.csn.se/v4.0/studiestartsstod"
	NSOmstallningsstudiestod = "http://schema.csn.se/v4.0/omstallningsstudiestod"
	// NSSambruk is the namespace of the question's type (Sambruk's
	// SBNUppgEkBistandBegar), whose schema the contracts do not include.
	NSSambruk = "http://www.sambruk.se/SBNyttomeddelanden"
)

// SOAPAction is sent with every call. The contracts hold CSN's schemas but no
// WSDL, so no action is published; the body element (SBNUppgEkBistandBegar)
// names the operation, as in a document/literal binding, and we send the
// empty action.
const SOAPAction = ""

// SchemaVersion is the CSNSvar schemaVersion of Kommunfråga v4.
const SchemaVersion = "4.0"

// ResultatKodOK is the ResultatKod of an answer without error. Any other code
// is CSN's own error (seed 000 §6.3.2).
const ResultatKodOK = "0"

// PersonstatusEjTraff is Person/@Status for a person CSN does not know.
const PersonstatusEjTraff = "Ej träff"

// Prefixes our payloads use; receivers must not care.
const (
	pfxKommunfraga = "kf"
	pfxSambruk     = "sbn"
)

// kind is one kind of study aid: the Person child that holds its Arenden, the
// namespace of the Arende's elements, the Studiestodstypforteckning entry,
// and the forman name in ssbtekv1.FormansBeslut.
type kind struct {
	forman     string
	element    string
	ns, prefix string
}

// kinds are the study aids in the order the schema's Person lists them.
var kinds = [...]kind{
	{forman: "studiemedel", element: "Studiemedel", ns: NSStudiemedel, prefix: "sm"},
	{forman: "studiehjalp", element: "Studiehjalp", ns: NSStudiehjalp, prefix: "sh"},
	{forman: "hemutrustningslan", element: "HemutrustningsLan", ns: NSHemutrustningslan, prefix: "hut"},
	{forman: "studiestartsstod", element: "Studiestartsstod", ns: NSStudiestartsstod, prefix: "sss"},
	{forman: "omstallningsstudiestod", element: "Omstallningsstudiestod", ns: NSOmstallningsstudiestod, prefix: "oss"},
}

// Indexes into kinds.
const (
	studiemedel = iota
	studiehjalp
	hemutrustningslan
	studiestartsstod
	omstallningsstudiestod
)

// Agency registers CSN with the gateway.
func Agency() adapters.Agency {
	return adapters.Agency{
		Bastjanst:    agency,
		Name:         "csn",
		New:          New,
		NewSimulator: NewSimulator,
		SSBTEK:       SSBTEK,
	}
}

// agency is the bastjänst this package speaks for.
const agency = ssbtekv1.Bastjanst_BASTJANST_CSN

// SSBTEK is how the legacy SSBTEK answer carries CSN's answer: the CSNSvar document base64-encoded in svar (seed 000 §5.8).
var SSBTEK = radata.AnswerBase64("svar")
