package so

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Adapter asks Sveriges a-kassor's INT014 UBPService about one person's
// unemployment benefit payments.
type Adapter struct {
	client soap.Client
	// operator is the organisationsnummer Testa names as ingivare.
	operator string
}

// New returns an adapter calling the UBPService endpoint at cfg.URL. Answers
// are accepted in UTF-8 and UTF-16.
func New(cfg adapters.Config) bastjanst.Adapter {
	return &Adapter{
		client:   soap.Client{URL: cfg.URL, HTTP: utf8Client(cfg.HTTP), MaxBody: cfg.MaxBody},
		operator: cfg.OperatorOrDefault(),
	}
}

// Bastjanst reports BASTJANST_SO.
func (a *Adapter) Bastjanst() ssbtekv1.Bastjanst { return bastjanstSO }

// errNoPeriod is returned for a question without any period, which the
// request schema cannot express (From and Tom are required dates).
var errNoPeriod = errors.New("the question has no tidsperiod")

// Hamta asks the a-kassor for the person's payments in period (falling back
// to the question's period for SO).
func (a *Adapter) Hamta(ctx context.Context, fraga *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if period == nil {
		period = bastjanst.PeriodFor(fraga, bastjanstSO)
	}
	if period == nil {
		return nil, fmt.Errorf("asking SO: %w", errNoPeriod)
	}
	resp, err := a.client.Call(ctx, Action, request(fraga, period))
	if err != nil {
		return nil, fmt.Errorf("asking SO: %w", err)
	}
	res, err := mapSvar(resp.Envelope, fraga.GetPersonidentitet())
	if err != nil {
		return nil, fmt.Errorf("reading SO answer: %w", err)
	}
	return res, nil
}

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

// Testa pings the UBPService with the probe question described above.
func (a *Adapter) Testa(ctx context.Context) error {
	idag := time.Now().Format(time.DateOnly)
	probe := &ssbtekv1.Fraga{
		Organisationsnummer: a.operator,
		Ingivare:            "SSBTEK",
		Handlaggare:         "SSBTEK",
		Personidentitet:     ProbeIdentitet,
		Arendeidentitet:     probeReferens,
		Syfte:               probeSyfte,
	}
	resp, err := a.client.Call(ctx, Action, request(probe, &ssbtekv1.Tidsperiod{From: idag, Tom: idag}))
	if err != nil {
		return fmt.Errorf("testing SO: %w", err)
	}
	if f := resp.Fault; f != nil {
		return fmt.Errorf("testing SO: %w", bastjanst.Unavailable(f))
	}
	if _, err := readSvar(resp.Body, ProbeIdentitet); err != nil {
		return fmt.Errorf("testing SO: %w", bastjanst.Unreadable(err))
	}
	return nil
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
