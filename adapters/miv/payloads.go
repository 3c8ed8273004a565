package miv

import (
	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
)

// The simulator's payloads. Each validates against SSBTEKWebService_schema1.xsd
// (see the tests); element order is the schema's sequence order.

// wrongNamespace is where a misconfigured simulator puts its answers.
const wrongNamespace = "http://schema.migrationsverket.se/ssbtek/2/"

// What Felperson's SSBTEKSoapException says.
const (
	felpersonFaultCode   = "MIV-5001"
	felpersonFaultString = "Uppgifter om personen kan inte lämnas ut: tekniskt fel i ärendesystemet"
)

// The simulator's own correlation id, when the question brings none to echo.
const simCorrelationid = "00000000-0000-4000-8000-00000000a1f0"

// felsvar is MIV's native error: a server fault carrying SSBTEKSoapException.
func felsvar() soap.Fault {
	exc := etree.NewElement(prefix + ":" + elemFelsvar)
	exc.CreateAttr("xmlns:"+prefix, Namespace)
	exc.CreateElement("faultCode").SetText(felpersonFaultCode)
	exc.CreateElement("faultString").SetText(felpersonFaultString)
	return soap.Fault{Code: "soap:Server", String: felpersonFaultString, Detail: exc}
}

// tomtSvar is MIV's answer for a person it knows nothing about.
func tomtSvar(ns string) *etree.Element {
	root := etree.NewElement(prefix + ":" + elemSvar)
	root.CreateAttr("xmlns:"+prefix, ns)
	return root
}

// svarNyanland is the newly arrived person: a refugee with a granted
// time-limited residence and work permit. Dates carry a time zone, as MIV's do.
func svarNyanland(ns, korrelationsid, pnr string) *etree.Element {
	root := tomtSvar(ns)
	resp := root.CreateElement("response")
	correlationid := simCorrelationid
	if korrelationsid != "" {
		resp.CreateElement("korrelationsid").SetText(korrelationsid)
		correlationid = korrelationsid
	}
	add(resp,
		"correlationid", correlationid,
		"efternamn", "Nyanländ",
		"fornamn", "Amal",
		"hemland", "SYRIEN",
		"inresedatum", "2023-08-14+02:00",
		"personnummer", pnr,
	)
	add(resp.CreateElement("svarCollection").CreateElement("svar"),
		"anledning", "FLY",
		"anledningNamn", "FLYKTINGSTATUSFÖRKLARING",
		"ansokningsdatum", "2023-08-21+02:00",
		"arendeTyp", "UAT",
		"arendeTypNamn", "UPPEHÅLLS- OCH ARBETSTILLSTÅND",
		"beslutsKod", "BEV",
		"beslutsKodNamn", "ANSÖKAN BEVILJAS",
		"beslutsTyp", "TUT",
		"beslutsTypNamn", "TIDSBEGRÄNSAT UPPEHÅLLSTILLSTÅND",
		"beslutsdatum", "2024-01-10+01:00",
		"fromDatum", "2024-01-15+01:00",
		"giltighetstid", "TIDBEGRANSAT",
		"tomDatum", "2027-01-14+01:00",
	)
	return root
}

// add appends unqualified text children given as name, text pairs.
func add(parent *etree.Element, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		parent.CreateElement(pairs[i]).SetText(pairs[i+1])
	}
}
