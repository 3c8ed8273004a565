package tns

import (
	"errors"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// New returns an adapter calling the TS endpoint at cfg.URL. The person goes
// in the body; the rest of the question goes in TS's header (see header.go).
func New(cfg adapters.Config) bastjanst.Adapter { return adapters.NewSOAP(cfg, soapAgency) }

// soapAgency is how TS is asked. Its probe: the contract has no test
// service, so we designed one in a namespace of our own
// (urn:ssbtek-gateway:tns:ping:1, testdata/Ping_1.xsd):
//
//	request:  <tsp:Ping xmlns:tsp="urn:ssbtek-gateway:tns:ping:1"/>
//	answer:   <tsp:PingResponse xmlns:tsp="…"><tsp:resultat>OK</tsp:resultat></tsp:PingResponse>
//
// It takes no header, since it discloses nothing about anybody.
var soapAgency = adapters.SOAPAgency{
	Bastjanst: bastjanstTNS,
	Ask: func(f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (adapters.Call, error) {
		body, err := hamtaUppgifter(f.GetPersonidentitet())
		return adapters.Call{Action: ActionHamtaUppgifter, Body: body, Headers: []*etree.Element{anropsinformation(f, p)}}, err
	},
	Map: func(env *soap.Envelope, _ *ssbtekv1.Fraga) (*ssbtekv1.BastjanstResultat, error) { return mapSvar(env) },
	Probe: func(string) (adapters.Call, func(*soap.Envelope) error, error) {
		ping := etree.NewElement("tsp:Ping")
		ping.CreateAttr("xmlns:tsp", NSPing)
		return adapters.Call{Action: ActionPing, Body: ping}, readPingSvar, nil
	},
}

// errIdentitet is returned for a personidentitet that TS's identifikation
// (sekel 19|20 plus ten digits, the third 0 or 1) cannot express. It never
// names the number.
var errIdentitet = errors.New("personidentitet cannot be expressed as TS identifikation")

// hamtaUppgifter builds the request body: TS splits the 12-digit
// personidentitet into sekel and a 10-digit personnummer.
func hamtaUppgifter(personidentitet string) (*etree.Element, error) {
	if !isIdentifikation(personidentitet) {
		return nil, errIdentitet
	}
	req := etree.NewElement("hu:HamtaUppgifter")
	req.CreateAttr("xmlns:hu", NSResponder)
	req.CreateAttr("xmlns:per", NSPerson)
	id := req.CreateElement("hu:identifikation")
	id.CreateElement("per:sekel").SetText(personidentitet[:2])
	id.CreateElement("per:personnummer").SetText(personidentitet[2:])
	return req, nil
}

// isIdentifikation checks a 12-digit personidentitet against person_1.0.xsd's
// SekelType and PersonnummerType.
func isIdentifikation(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return (s[:2] == "19" || s[:2] == "20") && s[4] <= '1'
}
