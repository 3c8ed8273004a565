package tns

import (
	"context"
	"errors"
	"fmt"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Adapter asks Transportstyrelsen's HamtaUppgifter responder about one
// person's vehicles.
type Adapter struct {
	client soap.Client
}

// New returns an adapter calling the TS endpoint at cfg.URL.
func New(cfg adapters.Config) bastjanst.Adapter {
	return &Adapter{client: cfg.SOAPClient()}
}

// Bastjanst reports BASTJANST_TNS.
func (a *Adapter) Bastjanst() ssbtekv1.Bastjanst { return bastjanstTNS }

// Hamta asks TS for the person's vehicle holdings. The person goes in the
// body; the rest of the question goes in TS's header (see header.go).
func (a *Adapter) Hamta(ctx context.Context, fraga *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	body, err := hamtaUppgifter(fraga.GetPersonidentitet())
	if err != nil {
		return nil, fmt.Errorf("asking TNS: %w", err)
	}
	resp, err := a.client.Call(ctx, ActionHamtaUppgifter, body, anropsinformation(fraga, period))
	if err != nil {
		return nil, fmt.Errorf("asking TNS: %w", err)
	}
	res, err := mapSvar(resp.Envelope)
	if err != nil {
		return nil, fmt.Errorf("reading TNS answer: %w", err)
	}
	return res, nil
}

// Testa pings TS. The contract has no test service, so we designed one in a
// namespace of our own (urn:ssbtek-gateway:tns:ping:1, testdata/Ping_1.xsd):
//
//	request:  <tsp:Ping xmlns:tsp="urn:ssbtek-gateway:tns:ping:1"/>
//	answer:   <tsp:PingResponse xmlns:tsp="…"><tsp:resultat>OK</tsp:resultat></tsp:PingResponse>
//
// It takes no header, since it discloses nothing about anybody.
func (a *Adapter) Testa(ctx context.Context) error {
	ping := etree.NewElement("tsp:Ping")
	ping.CreateAttr("xmlns:tsp", NSPing)
	resp, err := a.client.Call(ctx, ActionPing, ping)
	if err != nil {
		return fmt.Errorf("pinging TNS: %w", err)
	}
	if err := readPingSvar(resp.Envelope); err != nil {
		return fmt.Errorf("pinging TNS: %w", err)
	}
	return nil
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
