package csn

import (
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	rawdata "github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// mapAnswer turns CSN's SOAP answer into a result for personidentitet. CSN's
// own errors (ResultatKod ≠ 0) are results with kalla BT; an answer that
// cannot be read is a 2003 error.
func mapAnswer(env *soap.Envelope, personidentitet string) (*ssbtekv1.BastjanstResultat, error) {
	if f := env.Fault; f != nil {
		return adapters.FaultResult(agency, f, rawAnswer(env))
	}
	svar, err := readCSNSvar(env.Body, personidentitet)
	if err != nil {
		return nil, bastjanst.Unreadable(err)
	}
	rd := rawAnswer(env)
	if svar.resultatKod != ResultatKodOK {
		return bastjanst.NativeError(agency, svar.resultatKod, svar.resultatText, rd), nil
	}
	res := &ssbtekv1.BastjanstResultat{
		Bastjanst: agency,
		Status:    bastjanst.Status(svar.found, svar.innehall.GetSekretess()),
		Radata:    rd,
	}
	if svar.found || svar.innehall.GetSekretess() {
		res.Innehall = &ssbtekv1.BastjanstResultat_Csn{Csn: svar.innehall}
	}
	return res, nil
}

// rawAnswer keeps the answer as received; the SSBTEK shim embeds it as SSBTEK
// declares.
func rawAnswer(env *soap.Envelope) *ssbtekv1.Radata { return rawdata.FromEnvelope(env, SSBTEK) }

// svar is what the adapter needs from a CSNSvar.
type svar struct {
	resultatKod, resultatText string
	found                     bool
	innehall                  *ssbtekv1.Studiestod
}

// readCSNSvar reads CSN's answer strictly where the gateway relies on it: the
// root, the Resultat with code and text, and, in an answer without error,
// Personer with every element the mapping reads. GemensamtFragaEkbistand (the
// echoed question) is not demanded: nothing is taken from it. Error texts
// name elements, never values: a value may be a personnummer.
func readCSNSvar(root *etree.Element, personidentitet string) (*svar, error) {
	if root == nil {
		return nil, errors.New("empty SOAP body")
	}
	if root.Tag != "CSNSvar" || root.NamespaceURI() != NSKommunfraga {
		return nil, fmt.Errorf("answer element is {%s}%s, want {%s}CSNSvar", root.NamespaceURI(), root.Tag, NSKommunfraga)
	}
	r := &reader{}
	resultat := r.Child(r.Child(root, NSKommunfraga, "GemensamtSvarEkbistand", true), NSKommunfraga, "Resultat", true)
	out := &svar{
		resultatKod:  r.Text(resultat, NSKommunfraga, "ResultatKod", true),
		resultatText: r.Text(resultat, NSKommunfraga, "ResultatText", true),
		innehall:     &ssbtekv1.Studiestod{},
	}
	if r.Err == nil && out.resultatKod == "" {
		r.Fail(errors.New("element ResultatKod is empty"))
	}
	out.innehall.ResultatKod, out.innehall.ResultatText = out.resultatKod, out.resultatText
	if r.Err != nil || out.resultatKod != ResultatKodOK {
		// An error answer is taken on its code and text alone.
		return out, r.Err
	}
	personer := r.Child(root, NSKommunfraga, "Personer", true)
	for _, p := range r.Children(personer, NSKommunfraga, "Person") {
		if !r.samePerson(p, personidentitet) {
			return nil, adapters.ErrOtherPerson
		}
		if r.person(p, out.innehall) {
			out.found = true
		}
	}
	if r.Err != nil {
		return nil, r.Err
	}
	return out, nil
}

// samePerson reports whether Person p is about personidentitet (12 digits):
// CSN writes the last ten digits and, optionally, the century apart.
func (r *reader) samePerson(p *etree.Element, personidentitet string) bool {
	pnr := r.Attr(p, "personnummer", true)
	sekel := r.Attr(p, "sekel", false)
	if len(personidentitet) != 12 {
		return false
	}
	return pnr == personidentitet[2:] && (sekel == "" || sekel == personidentitet[:2])
}

// person maps one Person into in and reports whether CSN knows anything about
// the person. A sekretess marking is any non-blank value: the contract types it
// as up to two characters and blanks mean no marking.
func (r *reader) person(p *etree.Element, in *ssbtekv1.Studiestod) bool {
	if r.Attr(p, "sekretess", false) != "" {
		in.Sekretess = true
	}
	status := r.Attr(p, "Status", false)
	in.Personstatus = strings.TrimSpace(status)
	if status == PersonstatusEjTraff {
		return false
	}
	// The listing of study aid kinds says what CSN has even where the
	// Arenden themselves are left out; "0" or blank means none.
	found := false
	forteckning := r.Child(p, NSPerson, "Studiestodstypforteckning", false)
	for _, k := range kinds {
		v := r.Text(forteckning, NSTyper, k.forman, false)
		if r.Child(forteckning, NSTyper, k.forman, false) != nil {
			if in.Studiestodstyper == nil {
				in.Studiestodstyper = map[string]string{}
			}
			in.Studiestodstyper[k.forman] = v
		}
		if v != "" && v != "0" {
			found = true
		}
	}
	for _, k := range kinds {
		arenden := r.Child(r.Child(p, NSPerson, k.element, false), NSPerson, "Arenden", false)
		for _, a := range r.Children(arenden, NSPerson, "Arende") {
			fb, grundskola := r.arende(a, k)
			in.Formaner = append(in.Formaner, fb)
			in.Grundskoleniva = in.Grundskoleniva || grundskola
			found = true
		}
	}
	return found
}
