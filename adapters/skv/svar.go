package skv

import (
	"errors"
	"fmt"
	"slices"
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
// The typed Beskattning has one Taxeringsuppgift per taxeringsår, in the
// order SKV first names the year, with that year's Kapitaluppgift and
// Taxeringsuppgift merged; any other figure of either is kept in ovriga. The
// first version's top-level fields hold the latest year's Kapitaluppgift.

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
	out := &ssbtekv1.Beskattning{}
	year := map[int32]*ssbtekv1.Taxeringsuppgift{}
	// uppgift returns the year's entry, adding it in the order sent.
	uppgift := func(ar int32) *ssbtekv1.Taxeringsuppgift {
		if year[ar] == nil {
			year[ar] = &ssbtekv1.Taxeringsuppgift{Taxeringsar: ar}
			out.Taxeringar = append(out.Taxeringar, year[ar])
		}
		return year[ar]
	}
	// latest is the latest year's Kapitaluppgift, for the top-level fields.
	var latest *ssbtekv1.Taxeringsuppgift
	for i, p := range children(lista, nsStandard, "Personuppgift") {
		// An answer about somebody else must never reach the case worker.
		if text(p, nsFolkbokforing, "IdentitetsbeteckningFysiskPerson") != pnr {
			return nil, fmt.Errorf("Personuppgift %d does not concern the person asked about", i+1)
		}
		if k := text(p, nsStandard, "StatusPersonuppgiftKod"); k != "" {
			out.StatusPersonuppgiftKod = k
		}
		for _, part := range []struct {
			elem   string
			fields []field
		}{
			{"Kapitaluppgift", kapitalFields},
			{"Taxeringsuppgift", taxeringFields},
		} {
			for j, el := range children(p, nsStandard, part.elem) {
				ar, err := taxeringsar(el)
				if err != nil {
					return nil, fmt.Errorf("Personuppgift %d, %s %d: %w", i+1, part.elem, j+1, err)
				}
				u := uppgift(ar)
				if err := readFields(el, u, part.fields); err != nil {
					return nil, fmt.Errorf("Personuppgift %d, %s %d: %w", i+1, part.elem, j+1, err)
				}
				if part.elem == "Kapitaluppgift" && (latest == nil || ar > latest.GetTaxeringsar()) {
					latest = u
				}
			}
		}
	}
	if len(out.Taxeringar) == 0 {
		return nil, nil
	}
	if latest != nil {
		out.Taxeringsar = latest.GetTaxeringsar()
		out.SummaIntakterKapital = latest.GetSummaIntakterKapitalKronor()
		out.OverskottKapital = latest.GetOverskottKapitalKronor()
		out.UtbetaltBeloppTillKontohavare = latest.GetUtbetaltBeloppTillKontohavareKronor()
		out.BokforingsdagForUtbetalningar = latest.GetBokforingsdagForUtbetalningar()
	} else {
		// Taxation without capital data still tells which year was taxed.
		for _, u := range out.Taxeringar {
			out.Taxeringsar = max(out.Taxeringsar, u.GetTaxeringsar())
		}
	}
	return out, nil
}

// field is one element of a Kapitaluppgift or Taxeringsuppgift with its
// place in Taxeringsuppgift: whole kronor or a date.
type field struct {
	elem   string
	kronor func(*ssbtekv1.Taxeringsuppgift) **int64
	datum  func(*ssbtekv1.Taxeringsuppgift) *string
}

var kapitalFields = []field{
	{elem: "SummaIntakterPaKapital", kronor: func(u *ssbtekv1.Taxeringsuppgift) **int64 { return &u.SummaIntakterKapitalKronor }},
	{elem: "OverskottPaKapital", kronor: func(u *ssbtekv1.Taxeringsuppgift) **int64 { return &u.OverskottKapitalKronor }},
	{elem: "UtbetaltBeloppTillKontohavare", kronor: func(u *ssbtekv1.Taxeringsuppgift) **int64 { return &u.UtbetaltBeloppTillKontohavareKronor }},
	{elem: "BokforingsdagForUtbetalningar", datum: func(u *ssbtekv1.Taxeringsuppgift) *string { return &u.BokforingsdagForUtbetalningar }},
}

var taxeringFields = []field{
	{elem: "TaxeradInkomst", kronor: func(u *ssbtekv1.Taxeringsuppgift) **int64 { return &u.TaxeradInkomstKronor }},
	{elem: "SlutligSkatt", kronor: func(u *ssbtekv1.Taxeringsuppgift) **int64 { return &u.SlutligSkattKronor }},
	{elem: "Taxeringsdatum", datum: func(u *ssbtekv1.Taxeringsuppgift) *string { return &u.Taxeringsdatum }},
	{elem: "FromDatum", datum: func(u *ssbtekv1.Taxeringsuppgift) *string { return &u.From }},
	{elem: "TomDatum", datum: func(u *ssbtekv1.Taxeringsuppgift) *string { return &u.Tom }},
}

// readFields maps the children of el (a Kapitaluppgift or Taxeringsuppgift)
// into u: the known ones into their fields, any other into ovriga (as whole
// kronor when it is an integer), so that a new element is never lost.
func readFields(el *etree.Element, u *ssbtekv1.Taxeringsuppgift, fields []field) error {
	for c := range el.ChildElementsSeq() {
		if c.Tag == "Taxeringsar" && c.NamespaceURI() == nsBeskattning {
			continue
		}
		v := strings.TrimSpace(c.Text())
		i := slices.IndexFunc(fields, func(f field) bool { return f.elem == c.Tag })
		switch {
		case i < 0 || c.NamespaceURI() != nsBeskattning:
			o := &ssbtekv1.Skatteuppgift{Element: c.Tag, Varde: v}
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				o.Kronor = &n
			}
			u.Ovriga = append(u.Ovriga, o)
		case fields[i].kronor != nil:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("%s is not whole kronor", c.Tag)
			}
			*fields[i].kronor(u) = &n
		default:
			d, err := datum(v)
			if err != nil {
				return fmt.Errorf("%s: %w", c.Tag, err)
			}
			*fields[i].datum(u) = d
		}
	}
	return nil
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
