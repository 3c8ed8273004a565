package miv

import (
	"errors"
	"fmt"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	rawdata "github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// readResponse maps one MIV answer: a fault is MIV's own error (kalla BT),
// a findByPersonnummerResponse its data; anything else is unreadable.
func readResponse(resp *soap.Envelope) (*ssbtekv1.BastjanstResultat, error) {
	// The legacy shim copies Radata's children into SSBTEK's data element,
	// so Radata is the Body's child on its own: findByPersonnummerResponse,
	// or for an error the soap:Fault with MIV's exception in its detail.
	radata := rawdata.FromEnvelope(resp, SSBTEK)
	if resp.Fault != nil {
		code, text := faultFields(resp.Fault)
		return bastjanst.NativeError(ssbtekv1.Bastjanst_BASTJANST_MIV, code, text, radata), nil
	}
	svar, err := readSvar(resp.Body)
	if err != nil {
		return nil, err
	}
	res := &ssbtekv1.BastjanstResultat{
		Bastjanst: ssbtekv1.Bastjanst_BASTJANST_MIV,
		// MIV's contract has no protected-identity flag.
		Status: bastjanst.Status(len(svar.GetTillstand()) > 0, false),
		Radata: radata,
	}
	if len(svar.GetTillstand()) > 0 {
		res.Innehall = &ssbtekv1.BastjanstResultat_Miv{Miv: svar}
	}
	return res, nil
}

// faultFields returns the code and text of a fault: those of MIV's
// SSBTEKSoapException in the detail, falling back to the SOAP fault's own
// faultcode and faultstring where the exception is missing, nil or empty
// (the SOAP stack's faults carry no exception).
func faultFields(f *soap.Fault) (code, text string) {
	code, text = f.Code, f.String
	if d := f.Detail; d != nil && d.Tag == elemFelsvar && d.NamespaceURI() == Namespace {
		if c := soap.Text(d, "faultCode"); c != "" {
			code = c
		}
		if s := soap.Text(d, "faultString"); s != "" {
			text = s
		}
	}
	return code, text
}

// readSvar reads findByPersonnummerResponse. An empty one (no response, or
// no svar) is MIV knowing nothing, not an error. Errors are 2003 and never
// quote the answer, which holds a personnummer.
func readSvar(body *etree.Element) (*ssbtekv1.Uppehallstillstand, error) {
	if body.Tag != elemSvar || body.NamespaceURI() != Namespace {
		return nil, bastjanst.Unreadable(fmt.Errorf("answer is not {%s}%s", Namespace, elemSvar))
	}
	out := &ssbtekv1.Uppehallstillstand{}
	resp := soap.Child(body, "", "response")
	if resp == nil {
		return out, nil
	}
	if soap.Child(resp, "", "correlationid") == nil {
		return nil, bastjanst.Unreadable(errors.New("response has no correlationid"))
	}
	out.Hemland = soap.Text(resp, "hemland")
	inrese, err := datum(soap.Text(resp, "inresedatum"))
	if err != nil {
		return nil, bastjanst.Unreadable(fmt.Errorf("inresedatum: %w", err))
	}
	out.Inresedatum = inrese
	coll := soap.Child(resp, "", "svarCollection")
	if coll == nil {
		return out, nil
	}
	i := 0 // the position of s among coll's elements, counting from 1
	for s := range coll.ChildElementsSeq() {
		i++
		if s.Tag != "svar" || isNil(s) {
			continue
		}
		t, err := readTillstand(s)
		if err != nil {
			return nil, bastjanst.Unreadable(fmt.Errorf("svar %d: %w", i, err))
		}
		out.Tillstand = append(out.Tillstand, t)
	}
	return out, nil
}

// readTillstand maps one fkSvar: MIV's codes and their names verbatim, the
// dates, and the validity both verbatim and as Giltighet.
func readTillstand(s *etree.Element) (*ssbtekv1.Uppehallstillstand_Tillstand, error) {
	t := &ssbtekv1.Uppehallstillstand_Tillstand{
		Arendetyp:      soap.Text(s, "arendeTyp"),
		ArendetypNamn:  soap.Text(s, "arendeTypNamn"),
		Beslutstyp:     soap.Text(s, "beslutsTyp"),
		BeslutstypNamn: soap.Text(s, "beslutsTypNamn"),
		Beslutskod:     soap.Text(s, "beslutsKod"),
		BeslutskodNamn: soap.Text(s, "beslutsKodNamn"),
		Anledning:      soap.Text(s, "anledning"),
		AnledningNamn:  soap.Text(s, "anledningNamn"),
		Giltighetstid:  soap.Text(s, "giltighetstid"),
	}
	t.Giltighet = giltighet[t.GetGiltighetstid()]
	for _, d := range []struct {
		elem string
		dst  *string
	}{
		{"ansokningsdatum", &t.Ansokningsdatum},
		{"beslutsdatum", &t.Beslutsdatum},
		{"fromDatum", &t.From},
		{"tomDatum", &t.Tom},
	} {
		v, err := datum(soap.Text(s, d.elem))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.elem, err)
		}
		*d.dst = v
	}
	return t, nil
}

// giltighet is MIV's giltighetstid as the enum; another code stays only in
// giltighetstid, as GILTIGHET_UNSPECIFIED.
var giltighet = map[string]ssbtekv1.Giltighet{
	"PERMANENT":    ssbtekv1.Giltighet_GILTIGHET_PERMANENT,
	"TIDBEGRANSAT": ssbtekv1.Giltighet_GILTIGHET_TIDBEGRANSAT,
}

// datum turns MIV's xs:date, sent with a time zone (1998-05-12+02:00), into
// the model's YYYY-MM-DD (adapters.Date); absent stays absent.
func datum(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	return adapters.Date(s)
}

// isNil reports xsi:nil="true" (svar is nillable).
func isNil(el *etree.Element) bool {
	for _, a := range el.Attr {
		if a.Key == "nil" && a.NamespaceURI() == "http://www.w3.org/2001/XMLSchema-instance" {
			return a.Value == "true" || a.Value == "1"
		}
	}
	return false
}
