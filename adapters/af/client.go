package af

import (
	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// New returns an adapter calling AF at cfg.URL.
func New(cfg adapters.Config) bastjanst.Adapter { return adapters.NewSOAP(cfg, soapAgency()) }

// soapAgency is how AF is asked. AF publishes no separate ping operation, so
// the test service is the ordinary one with Fraga/Test=true for a fixed test
// person (Tolvan): AF answers it without treating it as a real lookup, and a
// valid SvarMeddelande with a normal status code (≤ 99) means AF is up.
func soapAgency() adapters.SOAPAgency {
	return adapters.SOAPAgency{
		Bastjanst: agency,
		Ask: func(f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (adapters.Call, error) {
			return adapters.Call{Action: SOAPAction, Body: fragaMeddelande(f, p, false)}, nil
		},
		Map: func(env *soap.Envelope, f *ssbtekv1.Fraga) (*ssbtekv1.BastjanstResultat, error) {
			return mapAnswer(env, f.GetPersonidentitet())
		},
		Probe: func(operator string) (adapters.Call, func(*soap.Envelope) error, error) {
			f := testaFraga(operator)
			return adapters.Call{Action: SOAPAction, Body: fragaMeddelande(f, f.GetPeriod(), true)}, soapAgency().Mapped(f), nil
		},
	}
}

// testaFraga is the question Testa sends: about Tolvan, on behalf of operator.
func testaFraga(operator string) *ssbtekv1.Fraga {
	return adapters.TestaFraga(operator, simkit.Tolvan, "TESTA")
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
