package miv

import (
	"context"
	"fmt"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// The ping. MIV's contract has no test operation, so Testa asks
// findByPersonnummer about an identity that can never be a person (month and
// day 00), tagged so the agency can tell pings from lookups in its logs. The
// service is alive when it answers that question with a findByPersonnummerResponse
// (it knows nobody by that number, so the answer is empty). A fault, even
// MIV's own SSBTEKSoapException, means the service cannot answer questions
// and fails the ping.
const (
	pingPersonnummer   = "000000000000"
	pingKorrelationsid = "SSBTEK-TESTA"
	pingHandlaggare    = "SSBTEK Testa"
)

// adapter asks Migrationsverket over SOAP.
type adapter struct {
	client soap.Client
}

// New returns the MIV adapter for the endpoint in cfg.
func New(cfg adapters.Config) bastjanst.Adapter {
	return &adapter{client: cfg.SOAPClient()}
}

func (a *adapter) Bastjanst() ssbtekv1.Bastjanst { return ssbtekv1.Bastjanst_BASTJANST_MIV }

// Hamta asks for the person's permits. The period is not sent: MIV's query
// has no period, and its answer is passed on unfiltered (DESIGN §2), so every
// permit MIV knows of comes back whatever the period.
func (a *adapter) Hamta(ctx context.Context, fraga *ssbtekv1.Fraga, _ *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	resp, err := a.client.Call(ctx, SOAPAction, buildFraga(queryFor(fraga)))
	if err != nil {
		return nil, fmt.Errorf("asking MIV: %w", err)
	}
	res, err := readResponse(resp)
	if err != nil {
		return nil, fmt.Errorf("reading MIV's answer: %w", err)
	}
	return res, nil
}

// Testa pings MIV with the designed ping question (see pingPersonnummer).
func (a *adapter) Testa(ctx context.Context) error {
	resp, err := a.client.Call(ctx, SOAPAction, buildFraga(query{
		korrelationsid: pingKorrelationsid,
		personnummer:   pingPersonnummer,
		handlaggare:    pingHandlaggare,
	}))
	if err != nil {
		return fmt.Errorf("pinging MIV: %w", err)
	}
	if resp.Fault != nil {
		code, _ := faultFields(resp.Fault)
		return bastjanst.Unavailable(fmt.Errorf("pinging MIV: answered with fault %s", code))
	}
	if _, err := readSvar(resp.Body); err != nil {
		return fmt.Errorf("pinging MIV: %w", err)
	}
	return nil
}

// query is what MIV's fkQuery carries.
type query struct {
	korrelationsid string
	personnummer   string
	handlaggare    string
	// ingivare's name and organisationsnummer; optional in the contract.
	namn                string
	organisationsnummer string
}

// queryFor takes what fits MIV's query from the question. Ärendeidentitet,
// syfte, lagtext, ombud and period have no place in it.
func queryFor(f *ssbtekv1.Fraga) query {
	return query{
		korrelationsid:      f.GetKorrelationsid(),
		personnummer:        f.GetPersonidentitet(),
		handlaggare:         f.GetHandlaggare(),
		namn:                f.GetIngivare(),
		organisationsnummer: f.GetOrganisationsnummer(),
	}
}

// buildFraga builds the findByPersonnummer element, children in the schema's
// order and unqualified; optional elements are left out when empty.
func buildFraga(q query) *etree.Element {
	root := etree.NewElement(prefix + ":" + elemFraga)
	root.CreateAttr("xmlns:"+prefix, Namespace)
	qe := root.CreateElement("query")
	optional(qe, "korrelationsid", q.korrelationsid)
	qe.CreateElement("personnummer").SetText(q.personnummer)
	ing := qe.CreateElement("ingivare")
	ing.CreateElement("handlaggare").SetText(q.handlaggare)
	optional(ing, "namn", q.namn)
	optional(ing, "organisationsnummer", q.organisationsnummer)
	return root
}

// optional adds child name with text unless text is empty.
func optional(parent *etree.Element, name, text string) {
	if text != "" {
		parent.CreateElement(name).SetText(text)
	}
}
