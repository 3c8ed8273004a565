package csn

import (
	"strconv"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// New returns an adapter calling CSN at cfg.URL.
func New(cfg adapters.Config) bastjanst.Adapter { return adapters.NewSOAP(cfg, soapAgency()) }

// The ping. Kommunfråga has no test operation, so Testa sends an ordinary
// question about pingPersonidentitet, a number whose check digit is wrong so
// that it can never be anybody's: the answer is CSN's "Ej träff" and carries
// no personal data. The arendeidentitet tags the call so CSN can tell pings
// from lookups in its logs. The service is up when it answers with a
// readable CSNSvar whose ResultatKod is 0.
const (
	pingPersonidentitet = "190001010000"
	pingArendeidentitet = "SSBTEK-TESTA"
)

// soapAgency is how CSN is asked.
func soapAgency() adapters.SOAPAgency {
	ask := func(f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (adapters.Call, error) {
		return adapters.Call{Action: SOAPAction, Body: begaran(f, p)}, nil
	}
	a := adapters.SOAPAgency{
		Bastjanst: agency,
		Ask:       ask,
		Map: func(env *soap.Envelope, f *ssbtekv1.Fraga) (*ssbtekv1.BastjanstResultat, error) {
			return mapAnswer(env, f.GetPersonidentitet())
		},
	}
	a.Probe = func(operator string) (adapters.Call, func(*soap.Envelope) error, error) {
		f := pingFraga(operator)
		call, err := ask(f, f.GetPeriod())
		return call, a.Mapped(f), err
	}
	return a
}

// pingFraga is the question Testa sends on behalf of operator.
func pingFraga(operator string) *ssbtekv1.Fraga {
	return adapters.TestaFraga(operator, pingPersonidentitet, pingArendeidentitet)
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
