package af

import (
	"context"
	"fmt"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Adapter asks AF's ersättningsstöd service. It is safe for concurrent use.
type Adapter struct {
	client soap.Client
	// operator is the organisationsnummer Testa names as ingivare.
	operator string
}

// New returns an adapter calling AF at cfg.URL.
func New(cfg adapters.Config) bastjanst.Adapter {
	return &Adapter{client: cfg.SOAPClient(), operator: cfg.OperatorOrDefault()}
}

// Bastjanst reports that this adapter asks AF.
func (a *Adapter) Bastjanst() ssbtekv1.Bastjanst { return agency }

// Hamta asks AF about fraga's person for period (nil means the period that
// applies to AF in fraga).
func (a *Adapter) Hamta(ctx context.Context, fraga *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if period == nil {
		period = bastjanst.PeriodFor(fraga, agency)
	}
	resp, err := a.client.Call(ctx, SOAPAction, fragaMeddelande(fraga, period, false))
	if err != nil {
		return nil, fmt.Errorf("asking AF: %w", err)
	}
	res, err := mapAnswer(resp.Envelope, fraga.GetPersonidentitet())
	if err != nil {
		return nil, fmt.Errorf("asking AF: %w", err)
	}
	return res, nil
}

// testaFraga is the question Testa sends. AF publishes no separate ping
// operation, so the test service is the ordinary one with Fraga/Test=true for
// a fixed test person (Tolvan): AF answers it without treating it as a real
// lookup, and a valid SvarMeddelande with a normal status code (≤ 99) means AF
// is up. No case worker asks, so the ingivare is the gateway's operator
// (adapters.Config.Operator).
func testaFraga(operator string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: operator,
		Ingivare:            "SSBTEK testanrop",
		Handlaggare:         "ssbtek-testa",
		Personidentitet:     "191212121212",
		Arendeidentitet:     "TESTA",
		Period:              &ssbtekv1.Tidsperiod{From: "2024-01-01", Tom: "2024-01-31"},
		Syfte:               "Test av tjänsten",
		Lagtext:             "Test",
	}
}

// Testa calls AF with a test question and checks that the answer is valid.
func (a *Adapter) Testa(ctx context.Context) error {
	f := testaFraga(a.operator)
	resp, err := a.client.Call(ctx, SOAPAction, fragaMeddelande(f, f.GetPeriod(), true))
	if err != nil {
		return fmt.Errorf("testing AF: %w", err)
	}
	res, err := mapAnswer(resp.Envelope, f.GetPersonidentitet())
	if err != nil {
		return fmt.Errorf("testing AF: %w", err)
	}
	if fel := res.GetFel(); fel != nil {
		// AF answered, but with its own error: its test service is not well.
		return fmt.Errorf("testing AF: %w", bastjanst.Unavailable(
			fmt.Errorf("test answer carries felkod %s: %s", fel.GetFelkod(), fel.GetFelmeddelande())))
	}
	return nil
}

// fragaMeddelande builds AF's question. Every Inkludera flag is set: SSBTEK
// passes on all AF knows. test marks the question as a test call.
func fragaMeddelande(f *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod, test bool) *etree.Element {
	msg := etree.NewElement(prefix + ":FragaMeddelande")
	msg.CreateAttr("xmlns:"+prefix, Namespace)
	ink := msg.CreateElement(prefix + ":Inkludera")
	ink.CreateAttr("ArbetssokandeInfo", "true")
	ink.CreateAttr("AkasseInfo", "true")
	ink.CreateAttr("BeslutInfo", "true")

	q := msg.CreateElement(prefix + ":Fraga")
	add := func(local, text string) { q.CreateElement(prefix + ":" + local).SetText(text) }
	if test {
		add("Test", "true")
	}
	add("OrganisationsnummerForIngivare", f.GetOrganisationsnummer())
	add("NamnPaIngivare", f.GetIngivare())
	add("KontonamnForHandlaggare", f.GetHandlaggare())
	add("Referensnummer", f.GetArendeidentitet())
	add("From", period.GetFrom())
	add("Tom", period.GetTom())
	add("SyfteMedFraga", f.GetSyfte())
	add("LagParagraf", f.GetLagtext())
	if all := bastjanst.Bitraden(f); len(all) > 0 {
		pub := all[0]
		// AF takes one personuppgiftsbiträde; SSBTEK may carry several, and
		// the first in order is the one acting directly for the ingivare.
		add("OrganisationsnummerForPersonuppgiftsbitrade", pub.GetOrganisationsnummer())
		add("NamnPaPersonuppgiftsbitrade", pub.GetNamn())
	}
	add("IdentitetsbeteckningFysiskPerson", f.GetPersonidentitet())
	return msg
}
