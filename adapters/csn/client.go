package csn

import (
	"context"
	"fmt"
	"strconv"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Adapter asks CSN's Kommunfråga service. It is safe for concurrent use.
type Adapter struct {
	client soap.Client
	// operator is the organisationsnummer Testa names as ingivare.
	operator string
}

// New returns an adapter calling CSN at cfg.URL.
func New(cfg adapters.Config) bastjanst.Adapter {
	return &Adapter{client: cfg.SOAPClient(), operator: cfg.OperatorOrDefault()}
}

// Bastjanst reports that this adapter asks CSN.
func (a *Adapter) Bastjanst() ssbtekv1.Bastjanst { return agency }

// Hamta asks CSN about fraga's person for period (nil means the period that
// applies to CSN in fraga, its own tidsperiod if the question has one).
func (a *Adapter) Hamta(ctx context.Context, fraga *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if period == nil {
		period = bastjanst.PeriodFor(fraga, agency)
	}
	resp, err := a.client.Call(ctx, SOAPAction, begaran(fraga, period))
	if err != nil {
		return nil, fmt.Errorf("asking CSN: %w", err)
	}
	res, err := mapAnswer(resp.Envelope, fraga.GetPersonidentitet())
	if err != nil {
		return nil, fmt.Errorf("asking CSN: %w", err)
	}
	return res, nil
}

// The ping. Kommunfråga has no test operation, so Testa sends an ordinary
// question about pingPersonidentitet, a number whose check digit is wrong so
// that it can never be anybody's: the answer is CSN's "Ej träff" and carries
// no personal data. The arendeidentitet tags the call so CSN can tell pings
// from lookups in its logs; no case worker asks, so the ingivare is the
// gateway's operator (adapters.Config.Operator). The service is up when it
// answers with a readable CSNSvar whose ResultatKod is 0.
const (
	pingPersonidentitet = "190001010000"
	pingArendeidentitet = "SSBTEK-TESTA"
)

// pingFraga is the question Testa sends on behalf of operator.
func pingFraga(operator string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: operator,
		Ingivare:            "SSBTEK testanrop",
		Handlaggare:         "ssbtek-testa",
		Personidentitet:     pingPersonidentitet,
		Arendeidentitet:     pingArendeidentitet,
		Period:              &ssbtekv1.Tidsperiod{From: "2024-01-01", Tom: "2024-01-31"},
		Syfte:               "Test av tjänsten",
		Lagtext:             "Test",
	}
}

// Testa pings CSN with the designed ping question (see pingPersonidentitet).
func (a *Adapter) Testa(ctx context.Context) error {
	f := pingFraga(a.operator)
	resp, err := a.client.Call(ctx, SOAPAction, begaran(f, f.GetPeriod()))
	if err != nil {
		return fmt.Errorf("testing CSN: %w", err)
	}
	res, err := mapAnswer(resp.Envelope, f.GetPersonidentitet())
	if err != nil {
		return fmt.Errorf("testing CSN: %w", err)
	}
	if fel := res.GetFel(); fel != nil {
		// CSN answered, but with its own error: the service cannot answer questions.
		return fmt.Errorf("testing CSN: %w", bastjanst.Unavailable(
			fmt.Errorf("test answer carries ResultatKod %s: %s", fel.GetFelkod(), fel.GetFelmeddelande())))
	}
	return nil
}

// begaran builds CSN's question, the kommunfraga element
// SBNUppgEkBistandBegar. Its type is Sambruk's SBNUppgEkBistandBegar, whose
// schema the contracts lack; its children are our rendering of SSBTEK's
// generellaFrageparametrar in the Sambruk namespace (README.md;
// testdata/SBNUppgEkBistandBegar_standin.xsd describes them).
func begaran(f *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) *etree.Element {
	q := etree.NewElement(pfxKommunfraga + ":SBNUppgEkBistandBegar")
	q.CreateAttr("xmlns:"+pfxKommunfraga, NSKommunfraga)
	q.CreateAttr("xmlns:"+pfxSambruk, NSSambruk)
	add := func(parent *etree.Element, local, text string) *etree.Element {
		e := parent.CreateElement(pfxSambruk + ":" + local)
		e.SetText(text)
		return e
	}

	ing := add(q, "Ingivare", "")
	add(ing, "Organisationsnummer", f.GetOrganisationsnummer())
	add(ing, "Namn", f.GetIngivare())
	add(ing, "Handlaggare", f.GetHandlaggare())
	for _, pub := range bastjanst.Bitraden(f) {
		p := add(q, "Personuppgiftsbitrade", "")
		if n := pub.GetOrdningsnummer(); n > 0 {
			add(p, "Ordningsnummer", strconv.Itoa(int(n)))
		}
		add(p, "Organisationsnummer", pub.GetOrganisationsnummer())
		add(p, "Namn", pub.GetNamn())
	}
	if o := f.GetOmbud(); o != "" {
		add(q, "Ombud", o)
	}
	add(q, "Arendeidentitet", f.GetArendeidentitet())
	add(q, "Personidentitet", f.GetPersonidentitet())
	tp := add(q, "Tidsperiod", "")
	add(tp, "FromDatum", period.GetFrom())
	add(tp, "TomDatum", period.GetTom())
	add(q, "Syfte", f.GetSyfte())
	add(q, "Lagtext", f.GetLagtext())
	return q
}
