package miv

import (
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

// New returns the MIV adapter for the endpoint in cfg. The period is not
// sent: MIV's query has no period, and its answer is passed on unfiltered
// (DESIGN §2), so every permit MIV knows of comes back whatever the period.
func New(cfg adapters.Config) bastjanst.Adapter {
	return adapters.NewSOAP(cfg, adapters.SOAPAgency{
		Bastjanst: ssbtekv1.Bastjanst_BASTJANST_MIV,
		Ask: func(f *ssbtekv1.Fraga, _ *ssbtekv1.Tidsperiod) (adapters.Call, error) {
			return adapters.Call{Action: SOAPAction, Body: buildFraga(queryFor(f))}, nil
		},
		Map: func(env *soap.Envelope, _ *ssbtekv1.Fraga) (*ssbtekv1.BastjanstResultat, error) {
			return readResponse(env)
		},
		Probe: func(string) (adapters.Call, func(*soap.Envelope) error, error) {
			ping := query{korrelationsid: pingKorrelationsid, personnummer: pingPersonnummer, handlaggare: pingHandlaggare}
			return adapters.Call{Action: SOAPAction, Body: buildFraga(ping)}, adapters.AnswerProbe(func(body *etree.Element) error {
				_, err := readSvar(body)
				return err
			}), nil
		},
	})
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
