package folkbokforing

import (
	"errors"
	"fmt"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	rawdata "github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/personnummer"
)

// The register's status codes (seed 004 §12.2) as the gateway's StatusKod.
// Those after the first four are the register refusing the question: they
// come back as its own error (kalla BT) with the code as felkod.
var statusKoder = map[string]ssbtekv1.StatusKod{
	"OK":                ssbtekv1.StatusKod_STATUS_KOD_OK,
	"SKYDDADIDENTITET":  ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET,
	"UPPGIFTSAKNAS":     ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS,
	"IDENTITETFELAKTIG": ssbtekv1.StatusKod_STATUS_KOD_IDENTITETFELAKTIG,
	"ATKOMSTNEKAD":      ssbtekv1.StatusKod_STATUS_KOD_ATKOMSTNEKAD,
	"VALIDERINGSFEL":    ssbtekv1.StatusKod_STATUS_KOD_VALIDERINGSFEL,
	"ANNATFEL":          ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL,
}

// readResponse maps the register's answer to a question about f's person: a
// SOAP fault is its own error (kalla BT); a HamtaPersonuppgifterResponse its
// status and, for OK and SKYDDADIDENTITET, the personuppgifter, which must be
// about f's person. Anything else is unreadable (2003); errors never quote
// the answer, which holds personnummer.
func readResponse(env *soap.Envelope, f *ssbtekv1.Fraga) (*ssbtekv1.BastjanstResultat, error) {
	const b = ssbtekv1.Bastjanst_BASTJANST_FOLKBOKFORING
	rd := rawdata.FromEnvelope(env, SSBTEK)
	if env.Fault != nil {
		return adapters.FaultResult(b, env.Fault, rd)
	}
	body := env.Body
	if body.Tag != elemSvar || body.NamespaceURI() != Namespace {
		return nil, bastjanst.Unreadable(fmt.Errorf("answer is not {%s}%s", Namespace, elemSvar))
	}
	st := soap.Child(body, Namespace, "status")
	kodText, meddelande := soap.Text(st, "kod"), soap.Text(st, "meddelande")
	kod, known := statusKoder[kodText]
	if !known {
		return nil, bastjanst.Unreadable(errors.New("status has no known kod"))
	}
	pu := soap.Child(body, Namespace, "personuppgifter")
	switch kod {
	case ssbtekv1.StatusKod_STATUS_KOD_OK, ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET:
	case ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, ssbtekv1.StatusKod_STATUS_KOD_IDENTITETFELAKTIG:
		if pu != nil {
			return nil, bastjanst.Unreadable(fmt.Errorf("status %s with personuppgifter", kodText))
		}
		return &ssbtekv1.BastjanstResultat{Bastjanst: b, Status: &ssbtekv1.Status{Kod: kod, Meddelande: meddelande}, Radata: rd}, nil
	default:
		if meddelande == "" {
			meddelande = kodText
		}
		res := bastjanst.NativeError(b, kodText, meddelande, rd)
		res.Status.Kod = kod
		return res, nil
	}
	if pu == nil {
		return nil, bastjanst.Unreadable(fmt.Errorf("status %s without personuppgifter", kodText))
	}
	p, err := readPersonuppgifter(pu)
	if err != nil {
		return nil, bastjanst.Unreadable(err)
	}
	if p.GetPersonidentitet() != f.GetPersonidentitet() {
		return nil, bastjanst.Unreadable(adapters.ErrOtherPerson)
	}
	p.SkyddadIdentitet = kod == ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET
	if meddelande == "" {
		meddelande = bastjanst.Status(true, p.SkyddadIdentitet).GetMeddelande()
	}
	return &ssbtekv1.BastjanstResultat{
		Bastjanst: b,
		Status:    &ssbtekv1.Status{Kod: kod, Meddelande: meddelande},
		Innehall:  &ssbtekv1.BastjanstResultat_Folkbokforing{Folkbokforing: p},
		Radata:    rd,
	}, nil
}

// readPersonuppgifter reads the personuppgifter element. The identities in
// it are in the ÅÅÅÅMMDD-NNNN form and come back as 12 digits.
func readPersonuppgifter(pu *etree.Element) (*ssbtekv1.Personuppgifter, error) {
	id, err := identitet(pu, "personuppgifter")
	if err != nil {
		return nil, err
	}
	p := &ssbtekv1.Personuppgifter{
		Personidentitet:  id,
		FullstandigtNamn: text(pu, "fullstandigtnamn"),
		Civilstand:       text(pu, "civilstand"),
		Medborgarskap:    text(pu, "medborgarskap"),
	}
	if p.FullstandigtNamn == "" {
		return nil, errors.New("personuppgifter without fullstandigtnamn")
	}
	if p.Folkbokforingsadress, err = adress(pu, "folkbokforingsadress"); err != nil {
		return nil, err
	}
	if p.Vistelseadress, err = adress(pu, "vistelseadress"); err != nil {
		return nil, err
	}
	for c := range pu.ChildElementsSeq() {
		if c.Tag != "barn" || c.NamespaceURI() != Namespace {
			continue
		}
		id, err := identitet(c, "barn")
		if err != nil {
			return nil, err
		}
		vh := text(c, "vardnadshavare")
		if vh != "true" && vh != "false" {
			return nil, errors.New("barn: vardnadshavare is not true or false")
		}
		p.Barn = append(p.Barn, &ssbtekv1.Barn{Personidentitet: id, FullstandigtNamn: text(c, "fullstandigtnamn"), Vardnadshavare: vh == "true"})
	}
	if s := soap.Child(pu, Namespace, "samhorig"); s != nil {
		id, err := identitet(s, "samhorig")
		if err != nil {
			return nil, err
		}
		p.Samhorig = &ssbtekv1.Samhorig{Personidentitet: id, FullstandigtNamn: text(s, "fullstandigtnamn"), Samhorighet: text(s, "samhorighet")}
	}
	return p, nil
}

// identitet reads el's identitetsbeteckningfysiskperson, ÅÅÅÅMMDD-NNNN (or
// 12 digits), as 12 digits.
func identitet(el *etree.Element, where string) (string, error) {
	id := personnummer.Normalise(text(el, "identitetsbeteckningfysiskperson"))
	if !personnummer.HasForm(id) {
		return "", fmt.Errorf("%s: identitetsbeteckningfysiskperson is not ÅÅÅÅMMDD-NNNN", where)
	}
	return id, nil
}

// adress reads the address element name of el; nil when it is absent.
func adress(el *etree.Element, name string) (*ssbtekv1.Adress, error) {
	a := soap.Child(el, Namespace, name)
	if a == nil {
		return nil, nil
	}
	out := &ssbtekv1.Adress{
		Utdelningsadress: text(a, "utdelningsadress"),
		Coadress:         text(a, "coadress"),
		Postnummer:       text(a, "postnummer"),
		Postort:          text(a, "postort"),
	}
	if out.Utdelningsadress == "" || out.Postnummer == "" {
		return nil, fmt.Errorf("%s without utdelningsadress or postnummer", name)
	}
	return out, nil
}

// text is the trimmed text of el's child name in the wire format's namespace.
func text(el *etree.Element, name string) string {
	c := soap.Child(el, Namespace, name)
	if c == nil {
		return ""
	}
	return soap.Text(c)
}

// readPingSvar accepts the ping's answer, PingResponse.
func readPingSvar(body *etree.Element) error {
	if body.Tag != elemPingSvar || body.NamespaceURI() != Namespace {
		return bastjanst.Unreadable(fmt.Errorf("ping answer is not {%s}%s", Namespace, elemPingSvar))
	}
	return nil
}
