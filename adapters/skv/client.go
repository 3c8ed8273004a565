package skv

import (
	"context"
	"fmt"

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

// adapter asks Skatteverket over SOAP.
type adapter struct {
	client soap.Client
	// operator is the organisationsnummer Testa asks on behalf of.
	operator string
}

// New returns the SKV adapter for the endpoint in cfg.
func New(cfg adapters.Config) bastjanst.Adapter {
	return &adapter{client: cfg.SOAPClient(), operator: cfg.OperatorOrDefault()}
}

func (a *adapter) Bastjanst() ssbtekv1.Bastjanst { return bastjanstSKV }

// Hamta asks for the person's taxation. The period (nil means the one that
// applies to SKV in fraga) travels in the forfragan; SKV's answer is passed
// on unfiltered (DESIGN §2).
func (a *adapter) Hamta(ctx context.Context, fraga *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if period == nil {
		period = bastjanst.PeriodFor(fraga, bastjanstSKV)
	}
	resp, err := a.client.Call(ctx, SOAPAction, buildRequest(buildForfragan(fraga, period)))
	if err != nil {
		return nil, fmt.Errorf("asking SKV: %w", err)
	}
	res, err := readResponse(resp, fraga.GetPersonidentitet())
	if err != nil {
		return nil, fmt.Errorf("reading SKV's answer: %w", err)
	}
	return res, nil
}

// Testa pings SKV with the designed ping question (see pingPersonidentitet).
func (a *adapter) Testa(ctx context.Context) error {
	resp, err := a.client.Call(ctx, SOAPAction, buildRequest(buildForfragan(pingFraga(a.operator), nil)))
	if err != nil {
		return fmt.Errorf("pinging SKV: %w", err)
	}
	if resp.Fault != nil {
		code, _ := faultFields(resp.Fault)
		return bastjanst.Unavailable(fmt.Errorf("pinging SKV: answered with fault %s", code))
	}
	if _, err := readSvar(resp.Body, pingPersonidentitet); err != nil {
		return fmt.Errorf("pinging SKV: %w", err)
	}
	return nil
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
