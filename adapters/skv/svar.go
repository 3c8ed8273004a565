package skv

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// The svar document, as in SKV's sample, extended with the fields of seed
// 004 §8 and the taxation fields of its §2.2. Elements in order, those
// marked ? optional, * repeating:
//
//	<SvarBeskattningsuppgifterEnligtSFS2008-975 xmlns=nsStandard xmlns:besko=… xmlns:folko=…>
//	  <PersonuppgiftLista>              empty when SKV knows nothing
//	    <Personuppgift>*
//	      <folko:IdentitetsbeteckningFysiskPerson>   the asked person
//	      <folko:Fornamn>? <folko:Efternamn>?
//	      <StatusPersonuppgiftKod>?     passed on in Radata, not interpreted
//	      <Kapitaluppgift>*             one per taxeringsår
//	        <besko:Taxeringsar>         YYYY
//	        <besko:SummaIntakterPaKapital>?        whole kronor
//	        <besko:OverskottPaKapital>?            whole kronor
//	        <besko:UtbetaltBeloppTillKontohavare>? whole kronor
//	        <besko:BokforingsdagForUtbetalningar>? ÅÅÅÅMMDD
//	      </Kapitaluppgift>
//	      <Taxeringsuppgift>*           one per taxeringsår
//	        <besko:Taxeringsar>         YYYY
//	        <besko:TaxeradInkomst>? <besko:SlutligSkatt>?  whole kronor
//	        <besko:Taxeringsdatum>? <besko:FromDatum>? <besko:TomDatum>?  ÅÅÅÅMMDD
//	      </Taxeringsuppgift>
//	    </Personuppgift>
//	  </PersonuppgiftLista>
//	</SvarBeskattningsuppgifterEnligtSFS2008-975>
//
// The typed Beskattning holds one taxation, the latest (seed 004 §8: "senaste
// taxering"); the rest, Taxeringsuppgift included, stays in Radata.

// readSvarsdokument maps the svar document for the person pnr. It returns nil
// content when SKV knows nothing: an empty PersonuppgiftLista or, since the
// contract allows it, an empty svar string. Errors never quote the document,
// which holds personal data.
func readSvarsdokument(s, pnr string) (*ssbtekv1.Beskattning, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	root, err := readInner(s, rootSvar)
	if err != nil {
		return nil, err
	}
	lista := child(root, "PersonuppgiftLista")
	if lista == nil {
		return nil, errors.New("svar has no PersonuppgiftLista")
	}
	// kapital is the latest Kapitaluppgift; taxerad the latest year of a
	// Taxeringsuppgift, the content only when there is no capital data.
	var kapital *ssbtekv1.Beskattning
	var taxerad int32
	for i, p := range children(lista, nsStandard, "Personuppgift") {
		// An answer about somebody else must never reach the case worker.
		if text(p, nsFolkbokforing, "IdentitetsbeteckningFysiskPerson") != pnr {
			return nil, fmt.Errorf("Personuppgift %d does not concern the person asked about", i+1)
		}
		for j, k := range children(p, nsStandard, "Kapitaluppgift") {
			b, err := readKapitaluppgift(k)
			if err != nil {
				return nil, fmt.Errorf("Personuppgift %d, Kapitaluppgift %d: %w", i+1, j+1, err)
			}
			if kapital == nil || b.GetTaxeringsar() > kapital.GetTaxeringsar() {
				kapital = b
			}
		}
		// Of a Taxeringsuppgift only the year is read: its fields have no
		// place in the model and stay in Radata.
		for j, t := range children(p, nsStandard, "Taxeringsuppgift") {
			ar, err := taxeringsar(t)
			if err != nil {
				return nil, fmt.Errorf("Personuppgift %d, Taxeringsuppgift %d: %w", i+1, j+1, err)
			}
			taxerad = max(taxerad, ar)
		}
	}
	switch {
	case kapital != nil:
		return kapital, nil
	case taxerad != 0:
		// Taxation without capital data still tells which year was taxed.
		return &ssbtekv1.Beskattning{Taxeringsar: taxerad}, nil
	default:
		return nil, nil
	}
}

// readKapitaluppgift maps one Kapitaluppgift; amounts left out are 0.
func readKapitaluppgift(k *etree.Element) (*ssbtekv1.Beskattning, error) {
	ar, err := taxeringsar(k)
	if err != nil {
		return nil, err
	}
	b := &ssbtekv1.Beskattning{Taxeringsar: ar}
	for _, f := range []struct {
		elem string
		dst  *int64
	}{
		{"SummaIntakterPaKapital", &b.SummaIntakterKapital},
		{"OverskottPaKapital", &b.OverskottKapital},
		{"UtbetaltBeloppTillKontohavare", &b.UtbetaltBeloppTillKontohavare},
	} {
		v := text(k, nsBeskattning, f.elem)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not whole kronor", f.elem)
		}
		*f.dst = n
	}
	if v := text(k, nsBeskattning, "BokforingsdagForUtbetalningar"); v != "" {
		d, err := datum(v)
		if err != nil {
			return nil, fmt.Errorf("BokforingsdagForUtbetalningar: %w", err)
		}
		b.BokforingsdagForUtbetalningar = d
	}
	return b, nil
}

// taxeringsar reads the required besko:Taxeringsar of el, a four-digit year.
func taxeringsar(el *etree.Element) (int32, error) {
	v := text(el, nsBeskattning, "Taxeringsar")
	if len(v) != 4 {
		return 0, errors.New("Taxeringsar is missing or not YYYY")
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errors.New("Taxeringsar is not YYYY")
	}
	return int32(n), nil
}

// datum turns SKV's ÅÅÅÅMMDD (seed 004 §8) into the model's YYYY-MM-DD
// (adapters.DateOrCompact, which also takes a date already in that form).
func datum(s string) (string, error) { return adapters.DateOrCompact(s) }
