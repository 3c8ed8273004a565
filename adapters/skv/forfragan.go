package skv

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// The forfragan document, designed after the svar of SKV's sample (same
// namespaces, a person list mirroring PersonuppgiftLista). Elements in
// order, those marked ? optional, * repeating:
//
//	<FragaBeskattningsuppgifterEnligtSFS2008-975 xmlns=nsStandard xmlns:folko=nsFolkbokforing>
//	  <Korrelationsid>?                 the caller's correlation id
//	  <Ingivare>
//	    <Organisationsnummer>           12 digits
//	    <Namn>?
//	    <Handlaggare>
//	  </Ingivare>
//	  <Ombud>?                          organisationsnummer of an ombud
//	  <Personuppgiftsbitrade>*          {Ordningsnummer, Organisationsnummer, Namn}
//	  <Arendeidentitet>
//	  <Syfte>?
//	  <Lagtext>?
//	  <Tidsperiod>?                     {FromDatum, TomDatum}, YYYY-MM-DD
//	  <PersonLista>
//	    <folko:IdentitetsbeteckningFysiskPerson>   12 digits
//	  </PersonLista>
//	  <Urval>?                          SSBTEK v11's SKV fraga block, when given
//	    <Ar>*                           taxeringsår, YYYY
//	    <Foretagsinformation> <Individuppgifter> <Skattekonto>
//	    <Skatteuppgifter> <Beskattningsbilagor>    xs:boolean each
//	  </Urval>
//	</FragaBeskattningsuppgifterEnligtSFS2008-975>
//
// Without Urval SKV answers with the latest taxation (seed 004 §8).

// buildForfragan returns the forfragan document asking about f's person for period.
func buildForfragan(f *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) string {
	root := newInnerRoot(rootForfragan)
	optional(root, "Korrelationsid", f.GetKorrelationsid())
	ing := root.CreateElement("Ingivare")
	ing.CreateElement("Organisationsnummer").SetText(f.GetOrganisationsnummer())
	optional(ing, "Namn", f.GetIngivare())
	ing.CreateElement("Handlaggare").SetText(f.GetHandlaggare())
	optional(root, "Ombud", f.GetOmbud())
	for _, b := range bastjanst.Bitraden(f) {
		pb := root.CreateElement("Personuppgiftsbitrade")
		pb.CreateElement("Ordningsnummer").SetText(strconv.Itoa(int(b.GetOrdningsnummer())))
		pb.CreateElement("Organisationsnummer").SetText(b.GetOrganisationsnummer())
		pb.CreateElement("Namn").SetText(b.GetNamn())
	}
	root.CreateElement("Arendeidentitet").SetText(f.GetArendeidentitet())
	optional(root, "Syfte", f.GetSyfte())
	optional(root, "Lagtext", f.GetLagtext())
	if period != nil {
		tp := root.CreateElement("Tidsperiod")
		tp.CreateElement("FromDatum").SetText(period.GetFrom())
		tp.CreateElement("TomDatum").SetText(period.GetTom())
	}
	root.CreateElement("PersonLista").CreateElement("folko:IdentitetsbeteckningFysiskPerson").SetText(f.GetPersonidentitet())
	if p := f.GetSkv(); urval(p) {
		u := root.CreateElement("Urval")
		for _, ar := range p.GetAr() {
			u.CreateElement("Ar").SetText(strconv.Itoa(int(ar)))
		}
		for _, b := range []struct {
			name string
			on   bool
		}{
			{"Foretagsinformation", p.GetForetagsinformation()},
			{"Individuppgifter", p.GetIndividuppgifter()},
			{"Skattekonto", p.GetSkattekonto()},
			{"Skatteuppgifter", p.GetSkatteuppgifter()},
			{"Beskattningsbilagor", p.GetBeskattningsbilagor()},
		} {
			u.CreateElement(b.name).SetText(strconv.FormatBool(b.on))
		}
	}
	return innerDocument(root)
}

// urval reports whether p selects anything: the flag choosing this SOAP
// service alone is no selection, and a question with it is sent as SSBTEK
// v1-v10 sent theirs.
func urval(p *ssbtekv1.SkvParametrar) bool {
	return len(p.GetAr()) > 0 || p.GetForetagsinformation() || p.GetIndividuppgifter() || p.GetSkattekonto() ||
		p.GetSkatteuppgifter() || p.GetBeskattningsbilagor()
}

// optional adds child name with text unless text is empty.
func optional(parent *etree.Element, name, text string) {
	if text != "" {
		parent.CreateElement(name).SetText(text)
	}
}

// forfraganFields is what the simulator needs of a forfragan.
type forfraganFields struct {
	personidentitet string
	// ar are the taxeringsår asked for in Urval; none means the latest.
	ar []int
	// from and tom are the Tidsperiod asked for, YYYY-MM-DD; empty when not given.
	from, tom string
}

// readForfragan reads a forfragan document, demanding what its design
// requires of it (ingivare, ärende and exactly one person).
func readForfragan(s string) (forfraganFields, error) {
	root, err := readInner(s, rootForfragan)
	if err != nil {
		return forfraganFields{}, err
	}
	ing := child(root, "Ingivare")
	if text(ing, nsStandard, "Organisationsnummer") == "" || text(ing, nsStandard, "Handlaggare") == "" {
		return forfraganFields{}, errors.New("forfragan needs Ingivare with Organisationsnummer and Handlaggare")
	}
	if text(root, nsStandard, "Arendeidentitet") == "" {
		return forfraganFields{}, errors.New("forfragan needs Arendeidentitet")
	}
	lista := child(root, "PersonLista")
	if lista == nil {
		return forfraganFields{}, errors.New("forfragan needs PersonLista")
	}
	ids := children(lista, nsFolkbokforing, "IdentitetsbeteckningFysiskPerson")
	if len(ids) != 1 || strings.TrimSpace(ids[0].Text()) == "" {
		return forfraganFields{}, errors.New("forfragan must name exactly one person")
	}
	out := forfraganFields{personidentitet: strings.TrimSpace(ids[0].Text())}
	if tp := child(root, "Tidsperiod"); tp != nil {
		out.from, out.tom = text(tp, nsStandard, "FromDatum"), text(tp, nsStandard, "TomDatum")
	}
	if u := child(root, "Urval"); u != nil {
		for _, a := range children(u, nsStandard, "Ar") {
			ar, err := strconv.Atoi(strings.TrimSpace(a.Text()))
			if err != nil {
				return forfraganFields{}, fmt.Errorf("Urval/Ar: %w", err)
			}
			out.ar = append(out.ar, ar)
		}
	}
	return out, nil
}
