package af

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	rawdata "github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// mapAnswer turns AF's SOAP answer into a result for personidentitet. AF's
// own errors are results (kalla BT); an answer that cannot be read is a 2003
// error.
func mapAnswer(env *soap.Envelope, personidentitet string) (*ssbtekv1.BastjanstResultat, error) {
	if f := env.Fault; f != nil {
		return adapters.FaultResult(agency, f, rawAnswer(env))
	}
	svar, err := readSvarMeddelande(env.Body)
	if err != nil {
		return nil, bastjanst.Unreadable(err)
	}
	if svar.personidentitet != personidentitet {
		return nil, bastjanst.Unreadable(adapters.ErrOtherPerson)
	}
	rd := rawAnswer(env)
	if svar.kod > maxSvarKod {
		return bastjanst.NativeError(agency, strconv.Itoa(svar.kod), svar.kodText, rd), nil
	}
	found := svar.kod != KodEjRegistrerad && svar.harUppgifter()
	res := &ssbtekv1.BastjanstResultat{
		Bastjanst: agency,
		Status:    rapportStatus(bastjanst.Status(found, svar.innehall.GetSekretessmarkering()), svar.innehall.GetAktivitetsrapportMeddelande()),
		Radata:    rd,
	}
	if found || svar.innehall.GetSekretessmarkering() {
		res.Innehall = &ssbtekv1.BastjanstResultat_Af{Af: svar.innehall}
	}
	return res, nil
}

// rapportStatus is the answer's status once the aktivitetsrapport code has
// its say (seed 002, SSBTEK v4): 502 "Tekniskt fel" means AF could not tell
// whether a report came in, so the answer is incomplete: ANNATFEL with the
// reason, whatever else AF sent (which is kept). 500 "saknas i ALF" and 501
// "inte lämnat in" are facts about the person and leave the status as it
// is. A protected identity is never overridden.
func rapportStatus(st *ssbtekv1.Status, kod string) *ssbtekv1.Status {
	if kod != rapportTeknisktFel || st.GetKod() == ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET {
		return st
	}
	return &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL,
		Meddelande: "Aktivitetsrapporten kunde inte hämtas: tekniskt fel hos Arbetsförmedlingen (kod 502)"}
}

// rawAnswer keeps the answer as received; the SSBTEK shim embeds it as SSBTEK
// declares.
func rawAnswer(env *soap.Envelope) *ssbtekv1.Radata { return rawdata.FromEnvelope(env, SSBTEK) }

// svar is what the adapter needs from a SvarMeddelande.
type svar struct {
	personidentitet string
	kod             int
	kodText         string
	innehall        *ssbtekv1.Arbetsmarknadsatgarder
}

// harUppgifter reports whether AF said anything about the person.
func (s *svar) harUppgifter() bool {
	in := s.innehall
	return in.GetArbetssokande() || in.GetSokandekategori() != "" || in.GetRegistrerad() != "" ||
		in.GetAvaktualiserad() != "" || in.GetAktivitetsrapportMeddelande() != "" ||
		in.GetAkassetillhorighet() != "" || len(in.GetBeslut()) > 0
}

// readSvarMeddelande reads AF's answer element strictly where the gateway
// relies on it: the root, Fraga, Svar, the person, the status code and text,
// and every element it maps must be there and in AF's namespace. Elements the
// schema requires but that carry nothing we map (Schemaversion,
// Referensnummer, LagParagraf, AktivetetsRapportDatum) are not demanded, as
// AF's own published sample answer goes without some of them. Error texts
// name elements, never values: a value may be a personnummer.
func readSvarMeddelande(root *etree.Element) (*svar, error) {
	if root == nil {
		return nil, errors.New("empty SOAP body")
	}
	if root.Tag != "SvarMeddelande" || root.NamespaceURI() != Namespace {
		return nil, fmt.Errorf("answer element is {%s}%s, want {%s}SvarMeddelande", root.NamespaceURI(), root.Tag, Namespace)
	}
	r := &reader{}
	r.child(root, "Fraga", true)
	s := r.child(root, "Svar", true)
	out := &svar{innehall: &ssbtekv1.Arbetsmarknadsatgarder{}}
	if s != nil {
		out.personidentitet = r.text(s, "IdentitetsbeteckningFysiskPerson", true)
		out.kod = int(r.integer(s, "StatusSokandeinformationKod", true))
		out.kodText = r.text(s, "StatusSokandeinformationKodText", true)
		in := out.innehall
		in.StatusKod, in.StatusText = int32(out.kod), out.kodText
		in.Schemaversion = r.text(s, "Schemaversion", false)
		in.Sekretessmarkering = r.boolean(s, "Sekretessmarkering")
		in.Akassetillhorighet = r.text(s, "Akassetillhorighet", false)
		r.arbetssokandeInfo(r.child(s, "ArbetssokandeInfo", false), in)
		in.Beslut = r.beslutInfo(r.child(s, "BeslutInfo", false))
	}
	if r.Err != nil {
		return nil, r.Err
	}
	return out, nil
}

// arbetssokandeInfo maps ArbetssokandeInfo, if present, into in.
func (r *reader) arbetssokandeInfo(info *etree.Element, in *ssbtekv1.Arbetsmarknadsatgarder) {
	if info == nil {
		return
	}
	in.Arbetssokande = r.boolean(info, "Arbetssokande")
	// ArbetssokandeSKAT is an xs:normalizedString: white space is not content.
	in.Sokandekategori = strings.Join(strings.Fields(r.text(info, "ArbetssokandeSKAT", false)), " ")
	in.Registrerad = r.date(info, "ArbetssokandeRegistrerad", false)
	in.Omfattning = r.integer(info, "ArbetssokandeOmfattning", false)
	in.OmfattningAngiven = r.child(info, "ArbetssokandeOmfattning", false) != nil
	in.Avaktualiserad = r.date(info, "ArbetssokandeAvaktualiserad", false)
	if rapport := r.child(info, "AktivetetsRapportDatum", false); rapport != nil {
		in.AktivitetsrapportMeddelande = r.text(rapport, "AktivitetsRapportMeddelande", true)
		in.SenasteAktivitetsrapport = r.date(rapport, "SenasteAktivitetsRapportDatum", false)
	}
}

// beslutInfo maps AF's economic decisions to one FormansBeslut per
// ErsattningTyp, in the order AF first names each, keeping AF's order of
// decisions within it. ErsattningTyp is both the förmån and each decision's
// periodtyp_kod, verbatim; AF decides what others pay, so there are no payments.
func (r *reader) beslutInfo(info *etree.Element) []*ssbtekv1.FormansBeslut {
	eko := r.child(info, "EkonomiskaBeslut", info != nil)
	if eko == nil {
		return nil
	}
	var out []*ssbtekv1.FormansBeslut
	byTyp := map[string]*ssbtekv1.FormansBeslut{}
	for b := range eko.ChildElementsSeq() {
		if b.Tag != "Beslut" || b.NamespaceURI() != Namespace {
			continue
		}
		typ := r.text(b, "ErsattningTyp", true)
		beslut := &ssbtekv1.Beslut{
			PeriodtypKod: typ,
			Omfattning:   r.integer(b, "Omfattning", true),
			From:         r.date(b, "BeslutFrom", true),
			Tom:          r.date(b, "BeslutTom", true),
		}
		fb, ok := byTyp[typ]
		if !ok {
			fb = &ssbtekv1.FormansBeslut{Forman: typ, Utlamnare: "AF"}
			byTyp[typ] = fb
			out = append(out, fb)
		}
		fb.Beslut = append(fb.Beslut, beslut)
	}
	return out
}

// reader reads elements of AF's namespace (adapters.Reader).
type reader struct{ adapters.Reader }

func (r *reader) child(el *etree.Element, local string, required bool) *etree.Element {
	return r.Child(el, Namespace, local, required)
}

func (r *reader) text(el *etree.Element, local string, required bool) string {
	return r.Text(el, Namespace, local, required)
}

// boolean reads an optional xs:boolean; absent means false.
func (r *reader) boolean(el *etree.Element, local string) bool {
	switch v := r.text(el, local, false); v {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	default:
		r.Fail(fmt.Errorf("element %s is not an xs:boolean", local))
		return false
	}
}

// integer reads an xs:int; absent means 0.
func (r *reader) integer(el *etree.Element, local string, required bool) int32 {
	v := r.text(el, local, required)
	if v == "" {
		if r.child(el, local, false) != nil {
			r.Fail(fmt.Errorf("element %s is empty", local))
		}
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		r.Fail(fmt.Errorf("element %s is not an xs:int", local))
	}
	return int32(n)
}

// date reads an xs:date as YYYY-MM-DD; absent means "".
func (r *reader) date(el *etree.Element, local string, required bool) string {
	v := r.text(el, local, required)
	if v == "" {
		if r.child(el, local, false) != nil {
			r.Fail(fmt.Errorf("element %s is empty", local))
		}
		return ""
	}
	d, err := xsDate(v)
	if err != nil {
		r.Fail(fmt.Errorf("element %s: %w", local, err))
	}
	return d
}

// xsDate normalises AF's xs:date (adapters.Date).
func xsDate(v string) (string, error) { return adapters.Date(v) }
