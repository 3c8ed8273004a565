package adapters

import (
	"context"
	"errors"
	"fmt"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Call is one SOAP request to an agency.
type Call struct {
	Action  string
	Body    *etree.Element
	Headers []*etree.Element
}

// SOAPAgency is what one SOAP agency supplies to the shared driver (NewSOAP):
// how to ask, how to read the answer, and how to probe. The driver does the
// rest the same way for every agency: the period that applies, the call with
// its limits, and errors wrapped with the agency's code.
type SOAPAgency struct {
	Bastjanst ssbtekv1.Bastjanst
	// Ask builds the question about f for period: the one that applies to
	// the agency, nil when the question has none.
	Ask func(f *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (Call, error)
	// Map turns the agency's answer to Ask's question about f into a result.
	Map func(env *soap.Envelope, f *ssbtekv1.Fraga) (*ssbtekv1.BastjanstResultat, error)
	// Probe builds Testa's call, made on behalf of operator, and the check of
	// its answer: nil means the agency is up. Mapped is the check for
	// agencies whose probe is an ordinary question.
	Probe func(operator string) (Call, func(*soap.Envelope) error, error)
}

// Mapped checks the answer to a probe that asks the ordinary question f:
// it must map, without the agency's own error.
func (a SOAPAgency) Mapped(f *ssbtekv1.Fraga) func(*soap.Envelope) error {
	return func(env *soap.Envelope) error {
		res, err := a.Map(env, f)
		if err != nil {
			return err
		}
		if fel := res.GetFel(); fel != nil {
			// The agency answered, but with its own error: it cannot answer questions.
			return bastjanst.Unavailable(fmt.Errorf("test answer carries felkod %s: %s", fel.GetFelkod(), fel.GetFelmeddelande()))
		}
		return nil
	}
}

// AnswerProbe checks a probe's answer: any fault, even the agency's own,
// means the service cannot answer questions (2002); else read must accept
// the Body's element (2003 when it cannot).
func AnswerProbe(read func(body *etree.Element) error) func(*soap.Envelope) error {
	return func(env *soap.Envelope) error {
		if env.Fault != nil {
			return bastjanst.Unavailable(env.Fault)
		}
		var be *bastjanst.Error
		if err := read(env.Body); err != nil && !errors.As(err, &be) {
			return bastjanst.Unreadable(err)
		} else if err != nil {
			return err
		}
		return nil
	}
}

// NewSOAP returns the adapter for a SOAP agency a at cfg.URL. It is safe for
// concurrent use.
func NewSOAP(cfg Config, a SOAPAgency) bastjanst.Adapter {
	return &soapAdapter{SOAPAgency: a, client: cfg.SOAPClient(), operator: cfg.OperatorOrDefault()}
}

type soapAdapter struct {
	SOAPAgency
	client   soap.Client
	operator string
}

func (d *soapAdapter) Bastjanst() ssbtekv1.Bastjanst { return d.SOAPAgency.Bastjanst }

// Hamta asks the agency about f's person for period (nil means the period
// that applies to the agency in f, its own tidsperiod if it has one).
func (d *soapAdapter) Hamta(ctx context.Context, f *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if period == nil {
		period = bastjanst.PeriodFor(f, d.SOAPAgency.Bastjanst)
	}
	kod := bastjanst.Kod(d.SOAPAgency.Bastjanst)
	call, err := d.Ask(f, period)
	if err != nil {
		return nil, fmt.Errorf("asking %s: %w", kod, err)
	}
	resp, err := d.client.Call(ctx, call.Action, call.Body, call.Headers...)
	if err != nil {
		return nil, fmt.Errorf("asking %s: %w", kod, err)
	}
	res, err := d.Map(resp.Envelope, f)
	if err != nil {
		return nil, fmt.Errorf("reading %s's answer: %w", kod, err)
	}
	return res, nil
}

// Testa probes the agency's test service.
func (d *soapAdapter) Testa(ctx context.Context) error {
	kod := bastjanst.Kod(d.SOAPAgency.Bastjanst)
	call, check, err := d.Probe(d.operator)
	var resp *soap.Response
	if err == nil {
		resp, err = d.client.Call(ctx, call.Action, call.Body, call.Headers...)
	}
	if err == nil {
		err = check(resp.Envelope)
	}
	if err != nil {
		return fmt.Errorf("testing %s: %w", kod, err)
	}
	return nil
}

// TestaFraga is the question an agency's probe asks when the agency has no
// test operation: an ordinary question on behalf of the gateway's operator
// (no case worker asks) about personidentitet, tagged by arendeidentitet.
func TestaFraga(operator, personidentitet, arendeidentitet string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: operator,
		Ingivare:            "SSBTEK testanrop",
		Handlaggare:         "ssbtek-testa",
		Personidentitet:     personidentitet,
		Arendeidentitet:     arendeidentitet,
		Period:              &ssbtekv1.Tidsperiod{From: "2024-01-01", Tom: "2024-01-31"},
		Syfte:               "Test av tjänsten",
		Lagtext:             "Test",
	}
}
