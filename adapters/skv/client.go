package skv

import (
	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// The ping. SKV's contract has no test operation, so Testa sends an ordinary
// BeskattningsuppgifterRequest about an identity that can never be a person
// (month and day 00), with the ärende "SSBTEK-TESTA" so SKV can tell pings
// from lookups in its logs; no case worker asks, so the organisationsnummer
// is the gateway's operator (adapters.Config.Operator). The service is alive
// when it answers with a BeskattningsuppgifterResponse whose svar is a
// readable svar document (it knows nobody by that number, so the
// PersonuppgiftLista is empty). A fault, even SKV's own Exception, means the
// service cannot answer questions and fails the ping.
const (
	pingPersonidentitet = "000000000000"
	pingArende          = "SSBTEK-TESTA"
	pingHandlaggare     = "SSBTEK Testa"
)

// New returns the SKV adapter for the endpoint in cfg: the parts over the
// JSON interface, or Beskattningsuppgifter when the question asks for it
// (SkvParametrar.beskattningsuppgifter). The period travels in the question;
// SKV's answer is passed on unfiltered (DESIGN §2).
func New(cfg adapters.Config) bastjanst.Adapter {
	return newAdapter(cfg, newSOAP(cfg))
}

// newSOAP is the adapter for the SOAP service Beskattningsuppgifter.
func newSOAP(cfg adapters.Config) bastjanst.Adapter {
	return adapters.NewSOAP(cfg, adapters.SOAPAgency{
		Bastjanst: bastjanstSKV,
		Ask: func(f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (adapters.Call, error) {
			return adapters.Call{Action: SOAPAction, Body: buildRequest(buildForfragan(f, p))}, nil
		},
		Map: func(env *soap.Envelope, f *ssbtekv1.Fraga) (*ssbtekv1.BastjanstResultat, error) {
			return readResponse(env, f.GetPersonidentitet())
		},
		Probe: func(operator string) (adapters.Call, func(*soap.Envelope) error, error) {
			call := adapters.Call{Action: SOAPAction, Body: buildRequest(buildForfragan(pingFraga(operator), nil))}
			return call, adapters.AnswerProbe(func(body *etree.Element) error {
				_, err := readSvar(body, pingPersonidentitet)
				return err
			}), nil
		},
	})
}

// pingFraga is the question Testa asks on behalf of operator.
func pingFraga(operator string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: operator,
		Handlaggare:         pingHandlaggare,
		Personidentitet:     pingPersonidentitet,
		Arendeidentitet:     pingArende,
	}
}

// buildRequest wraps a forfragan document in BeskattningsuppgifterRequest;
// etree escapes it into the string the contract wants.
func buildRequest(forfragan string) *etree.Element {
	root := etree.NewElement(prefix + ":" + elemFraga)
	root.CreateAttr("xmlns:"+prefix, Namespace)
	root.CreateElement("forfragan").SetText(forfragan)
	return root
}
