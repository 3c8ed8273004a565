package folkbokforing

import (
	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// New returns the population register's adapter for the endpoint in cfg.
// The register answers as of today: a question's period is not sent.
func New(cfg adapters.Config) bastjanst.Adapter {
	return adapters.NewSOAP(cfg, adapters.SOAPAgency{
		Bastjanst: ssbtekv1.Bastjanst_BASTJANST_FOLKBOKFORING,
		Ask: func(f *ssbtekv1.Fraga, _ *ssbtekv1.Tidsperiod) (adapters.Call, error) {
			return adapters.Call{Action: SOAPAction, Body: buildFraga(f)}, nil
		},
		Map: readResponse,
		Probe: func(operator string) (adapters.Call, func(*soap.Envelope) error, error) {
			ping := etree.NewElement(prefix + ":" + elemPing)
			ping.CreateAttr("xmlns:"+prefix, Namespace)
			ping.CreateElement(prefix + ":organisationsnummer").SetText(streckatOrganisationsnummer(operator))
			return adapters.Call{Action: SOAPActionPing, Body: ping}, adapters.AnswerProbe(readPingSvar), nil
		},
	})
}

// buildFraga builds HamtaPersonuppgifter from the question: §12.1's fields
// in the forms §12.1 gives (ÅÅÅÅMMDD-NNNN, NNNNNN-NNNN), then the purpose and
// legal basis of the disclosure.
func buildFraga(f *ssbtekv1.Fraga) *etree.Element {
	root := etree.NewElement(prefix + ":" + elemFraga)
	root.CreateAttr("xmlns:"+prefix, Namespace)
	add(root, "organisationsnummer", streckatOrganisationsnummer(f.GetOrganisationsnummer()))
	add(root, "identitetsbeteckningfysiskperson", streckadIdentitet(f.GetPersonidentitet()))
	for _, b := range bastjanst.Bitraden(f) {
		pb := add(root, "personuppgiftsbitrade", "")
		add(pb, "namn", b.GetNamn())
		add(pb, "organisationsnummer", streckatOrganisationsnummer(b.GetOrganisationsnummer()))
	}
	add(root, "syfte", f.GetSyfte())
	add(root, "lagtext", f.GetLagtext())
	return root
}

// add appends the qualified child name with text (none when text is empty).
func add(parent *etree.Element, name, text string) *etree.Element {
	e := parent.CreateElement(prefix + ":" + name)
	if text != "" {
		e.SetText(text)
	}
	return e
}

// streckadIdentitet writes a 12-digit personidentitet as ÅÅÅÅMMDD-NNNN
// (§12.1); anything else as it is, for the register to judge.
func streckadIdentitet(pnr string) string {
	if len(pnr) != 12 {
		return pnr
	}
	return pnr[:8] + "-" + pnr[8:]
}

// streckatOrganisationsnummer writes a 12-digit organisationsnummer (16 and
// the ten digits) as NNNNNN-NNNN (§12.1); anything else as it is.
func streckatOrganisationsnummer(orgnr string) string {
	if len(orgnr) != 12 {
		return orgnr
	}
	return orgnr[2:8] + "-" + orgnr[8:]
}
