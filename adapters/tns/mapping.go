package tns

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

// mapSvar turns TS's answer into a result. resultat OK is a valid answer
// (with or without vehicles), resultat FEL is TS's own error (kalla BT, seed
// 000 §6.3.2), and anything that does not read as HamtaUppgifterResponse is
// unreadable (2003).
func mapSvar(env *soap.Envelope) (*ssbtekv1.BastjanstResultat, error) {
	// The legacy shim copies the children of this element into SSBTEK's TNS
	// data element (seed 000 §5.12), so it is kept whole and standalone.
	radata := rawdata.FromEnvelope(env, SSBTEK)
	if f := env.Fault; f != nil {
		return adapters.FaultResult(bastjanstTNS, f, radata)
	}
	svar := env.Body
	if svar.Tag != "HamtaUppgifterResponse" || svar.NamespaceURI() != NSResponder {
		return nil, bastjanst.Unreadable(fmt.Errorf("answer is {%s}%s, want {%s}HamtaUppgifterResponse", svar.NamespaceURI(), svar.Tag, NSResponder))
	}
	resultat, err := need(svar, NSResponder, "resultat")
	if err != nil {
		return nil, bastjanst.Unreadable(err)
	}
	switch r := strings.TrimSpace(resultat.Text()); r {
	case resultatOK:
		fordon, err := fordonsinnehav(svar)
		if err != nil {
			return nil, bastjanst.Unreadable(err)
		}
		res := &ssbtekv1.BastjanstResultat{
			Bastjanst: bastjanstTNS,
			// TS's contract has no protected-identity flag: a protected
			// person's vehicles come as anybody's, so the status is OK.
			Status: bastjanst.Status(len(fordon) > 0, false),
			Radata: radata,
		}
		if len(fordon) > 0 {
			res.Innehall = &ssbtekv1.BastjanstResultat_Tns{Tns: &ssbtekv1.Fordonsinnehav{Fordon: fordon, Resultat: resultatOK}}
		}
		return res, nil
	case resultatFel:
		felkod, feltext, err := felresultat(svar)
		if err != nil {
			return nil, bastjanst.Unreadable(err)
		}
		if felkod == strconv.Itoa(felkodUtanMedgivande) {
			// No medgivande om direktåtkomst: TS refuses to disclose.
			return bastjanst.AgencyRefused(bastjanstTNS, felkod, feltext, radata), nil
		}
		return bastjanst.NativeError(bastjanstTNS, felkod, feltext, radata), nil
	default:
		return nil, bastjanst.Unreadable(fmt.Errorf("resultat %q is neither OK nor FEL", r))
	}
}

// fordonsinnehav reads the vehicles of an OK answer; fordonsinnehav itself
// may be absent or empty, which both mean none.
func fordonsinnehav(svar *etree.Element) ([]*ssbtekv1.Fordonsinnehav_Fordon, error) {
	innehav := soap.Child(svar, NSResponder, "fordonsinnehav")
	if innehav == nil {
		return nil, nil
	}
	var out []*ssbtekv1.Fordonsinnehav_Fordon
	for el := range innehav.ChildElementsSeq() {
		if el.Tag != "fordon" || el.NamespaceURI() != NSFordon {
			continue // the schema's xs:any ##other extension point
		}
		var v [5]string
		for i, name := range []string{"regnr", "fabrikat", "fordonsar", "fordonsslag", "handelsbeteckning"} {
			c, err := need(el, NSFordon, name)
			if err != nil {
				return nil, fmt.Errorf("fordon %d: %w", len(out)+1, err)
			}
			v[i] = strings.TrimSpace(c.Text())
		}
		out = append(out, &ssbtekv1.Fordonsinnehav_Fordon{
			Registreringsnummer: v[0],
			Fabrikat:            v[1],
			Fordonsar:           fordonsar(v[2]),
			FordonsarText:       v[2],
			Fordonsslag:         v[3],
			Handelsbeteckning:   v[4],
		})
	}
	return out, nil
}

// fordonsar reads the vehicle year. The schema types it xs:string, so a
// value that is no year is valid TS data, not an unreadable answer: it maps
// to 0 and stays readable in Radata.
func fordonsar(s string) int32 {
	y, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0
	}
	return int32(y)
}

// felresultat reads TS's error: the first felresultat's felkod, and every
// feltext (TS may send several; the gateway's Fel holds one text).
func felresultat(svar *etree.Element) (felkod, feltext string, err error) {
	var texter []string
	for fr := range svar.ChildElementsSeq() {
		if fr.Tag != "felresultat" || fr.NamespaceURI() != NSResponder {
			continue
		}
		kod, err := need(fr, NSResponder, "felkod")
		if err != nil {
			return "", "", err
		}
		text, err := need(fr, NSResponder, "feltext")
		if err != nil {
			return "", "", err
		}
		k := strings.TrimSpace(kod.Text())
		if _, err := strconv.ParseInt(k, 10, 32); err != nil {
			return "", "", fmt.Errorf("felkod %q is not an xs:int", k)
		}
		if felkod == "" {
			felkod = k
		}
		texter = append(texter, strings.TrimSpace(text.Text()))
	}
	if felkod == "" {
		return "", "", errors.New("resultat FEL without felresultat")
	}
	return felkod, strings.Join(texter, "; "), nil
}

// readPingSvar checks the answer to our ping (see Adapter.Testa).
func readPingSvar(env *soap.Envelope) error {
	if env.Fault != nil {
		return bastjanst.Unavailable(env.Fault)
	}
	if env.Body.Tag != "PingResponse" || env.Body.NamespaceURI() != NSPing {
		return bastjanst.Unreadable(fmt.Errorf("ping answer is {%s}%s, want {%s}PingResponse", env.Body.NamespaceURI(), env.Body.Tag, NSPing))
	}
	resultat, err := need(env.Body, NSPing, "resultat")
	if err != nil {
		return bastjanst.Unreadable(err)
	}
	if r := strings.TrimSpace(resultat.Text()); r != resultatOK {
		return bastjanst.Unavailable(fmt.Errorf("ping resultat %q", r))
	}
	return nil
}

// need returns a required child element, or an error naming it.
func need(el *etree.Element, ns, local string) (*etree.Element, error) {
	c := soap.Child(el, ns, local)
	if c == nil {
		return nil, fmt.Errorf("%s has no {%s}%s", el.Tag, ns, local)
	}
	return c, nil
}
