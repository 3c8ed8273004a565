package so

import (
	"errors"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// New returns an adapter calling the UBPService endpoint at cfg.URL. Answers
// are accepted in UTF-8 and UTF-16.
func New(cfg adapters.Config) bastjanst.Adapter {
	return adapters.NewSOAP(cfg, adapters.SOAPAgency{
		Bastjanst: bastjanstSO,
		Ask: func(f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (adapters.Call, error) {
			if p == nil {
				return adapters.Call{}, errNoPeriod
			}
			return adapters.Call{Action: Action, Body: request(f, p)}, nil
		},
		Map: func(env *soap.Envelope, f *ssbtekv1.Fraga) (*ssbtekv1.BastjanstResultat, error) {
			return mapSvar(env, f.GetPersonidentitet())
		},
		Probe: probe,
	})
}

// errNoPeriod is returned for a question without any period, which the
// request schema cannot express (From and Tom are required dates).
var errNoPeriod = errors.New("the question has no tidsperiod")

// The contract has no test service, so Testa asks an ordinary, schema-valid
// GetUnemploymentBenefitPaymentRequest about ProbeIdentitet: twelve zeros,
// which no personnummer or samordningsnummer can be (month 00), so the ping
// discloses nothing about anybody and the service can only answer with an
// empty ArbetsloshetsersattningLista. The other fields say who is asking and
// why, for the agency's own logs; no case worker asks, so the ingivare is the
// gateway's operator (adapters.Config.Operator):
//
//	<GetUnemploymentBenefitPaymentRequest xmlns="http://INT014.UBPService.Schemas">
//	  <OrganisationsnummerIngivare>operator</OrganisationsnummerIngivare>
//	  <NamnIngivare>SSBTEK</NamnIngivare>
//	  <KontonamnHandlaggare>SSBTEK</KontonamnHandlaggare>
//	  <Referensnummer>TESTA</Referensnummer>
//	  <From>today</From><Tom>today</Tom>
//	  <Syfte>Test av förbindelse (testaBastjanstInformation)</Syfte>
//	  <Paragraf/>
//	  <IdentificationNumber>000000000000</IdentificationNumber>
//	</GetUnemploymentBenefitPaymentRequest>
//
// The service is up when it answers a readable GetUnemploymentBenefitPaymentResponse
// about the probe; a SOAP fault means it is not (2002), an unreadable answer 2003.
const (
	ProbeIdentitet = "000000000000"
	probeReferens  = "TESTA"
	probeSyfte     = "Test av förbindelse (testaBastjanstInformation)"
)

// probe is the question described above, on behalf of operator.
func probe(operator string) (adapters.Call, func(*soap.Envelope) error, error) {
	idag := time.Now().Format(time.DateOnly)
	f := &ssbtekv1.Fraga{
		Organisationsnummer: operator,
		Ingivare:            "SSBTEK",
		Handlaggare:         "SSBTEK",
		Personidentitet:     ProbeIdentitet,
		Arendeidentitet:     probeReferens,
		Syfte:               probeSyfte,
	}
	return adapters.Call{Action: Action, Body: request(f, &ssbtekv1.Tidsperiod{From: idag, Tom: idag})},
		adapters.AnswerProbe(func(body *etree.Element) error {
			_, err := readSvar(body, ProbeIdentitet)
			return err
		}), nil
}

// request builds GetUnemploymentBenefitPaymentRequest (seed 000 §5.5):
// ingivare, handläggare and ärende as the schema names them, lagtext as
// Paragraf, and the personuppgiftsbiträden as two parallel lists, both in
// ordningsnummer order so that the n:th number and the n:th name belong
// together.
func request(f *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) *etree.Element {
	req := etree.NewElement(RequestElement)
	req.CreateAttr("xmlns", Namespace)
	add := func(name, text string) { req.CreateElement(name).SetText(text) }
	add("OrganisationsnummerIngivare", f.GetOrganisationsnummer())
	add("NamnIngivare", f.GetIngivare())
	add("KontonamnHandlaggare", f.GetHandlaggare())
	add("Referensnummer", f.GetArendeidentitet())
	add("From", period.GetFrom())
	add("Tom", period.GetTom())
	add("Syfte", f.GetSyfte())
	add("Paragraf", f.GetLagtext())
	bitraden := bastjanst.Bitraden(f)
	for _, b := range bitraden {
		add("OrganisationsnummerPersonuppgiftsbitrade", b.GetOrganisationsnummer())
	}
	for _, b := range bitraden {
		add("NamnPersonuppgiftsbitrade", b.GetNamn())
	}
	add("IdentificationNumber", f.GetPersonidentitet())
	return req
}
