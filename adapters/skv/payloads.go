package skv

import (
	"strconv"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// The simulator's payloads. The SOAP parts validate against
// ZgBsBeskattningWSService_schema.xsd and the svar documents are well formed
// (see the tests); element order is the schema's and the designs' order.

// wrongNamespace is where a misconfigured simulator puts its answers.
const wrongNamespace = "http://beskattningws.ws.service.bs.zg.rsv.se/v2/"

// simSystemversion is what the simulator's faults give as Systemversion.
const simSystemversion = "ZgBsBeskattningWS 10.0 (simulator)"

// SKV's native errors the simulator gives. The codes lie in the contract's
// range 9071000–9071999; texts stay within its 300 characters.
const (
	felpersonKod  = "9071205"
	felpersonText = "Beskattningsuppgifter kan inte lämnas: tekniskt fel vid läsning av beskattningsdatabasen"
	otolkbarKod   = "9071001"
	otolkbarText  = "Förfrågan kunde inte tolkas"
)

// felsvar is SKV's native error: a fault carrying the contract's Exception.
// faultcode tells whose fault it was (soap:Client, soap:Server).
func felsvar(faultcode, kod, text string) soap.Fault {
	exc := etree.NewElement(prefix + ":" + elemFelsvar)
	exc.CreateAttr("xmlns:"+prefix, Namespace)
	exc.CreateElement("MeddelandeKod").SetText(kod)
	exc.CreateElement("MeddelandeText").SetText(text)
	exc.CreateElement("Systemversion").SetText(simSystemversion)
	return soap.Fault{Code: faultcode, String: text, Detail: exc}
}

// svarElement wraps a svar document in BeskattningsuppgifterResponse.
func svarElement(ns, svar string) *etree.Element {
	root := etree.NewElement(prefix + ":" + elemSvar)
	root.CreateAttr("xmlns:"+prefix, ns)
	root.CreateElement("svar").SetText(svar)
	return root
}

// taxering is one taxeringsår of a simulated person.
type taxering struct {
	ar                           int
	summaIntakter, overskott     int64
	utbetalt                     int64
	bokforingsdag                string // ÅÅÅÅMMDD
	taxeradInkomst, slutligSkatt int64
	taxeringsdatum, from, tom    string // ÅÅÅÅMMDD
}

// person is what SKV knows of a simulated person; taxeringar run oldest first.
type person struct {
	fornamn, efternamn string
	taxeringar         []taxering
}

// personFor returns the simulated person with taxation data, if pnr is one.
// Only Tolvan and the protected person are taxed at SKV; SKV has no
// protected-identity flag, so the protected person's data comes unmarked.
func personFor(pnr string) (person, bool) {
	switch pnr {
	case simkit.Tolvan:
		return person{"Tolvan", "Tolvansson", []taxering{
			{2024, 8412, 6130, 2150, "20230315", 298700, 87650, "20240618", "20230101", "20231231"},
			{2025, 11250, 9870, 3420, "20240314", 312400, 94300, "20250617", "20240101", "20241231"},
			// Income year 2025, with a refund after a reassessment paid in September 2026.
			{2026, 12840, 10290, 4180, "20260911", 325600, 97100, "20260616", "20250101", "20251231"},
		}}, true
	case simkit.Skyddad:
		return person{"Sara", "Skyddad", []taxering{
			{2025, 1540, 1120, 950, "20240228", 241800, 63100, "20250617", "20240101", "20241231"},
		}}, true
	}
	return person{}, false
}

// taxeringarFor returns the taxeringar asked for: the given years, or the latest.
func (p person) taxeringarFor(ar []int) []taxering {
	if len(p.taxeringar) == 0 {
		return nil
	}
	if len(ar) == 0 {
		return p.taxeringar[len(p.taxeringar)-1:]
	}
	var out []taxering
	for _, t := range p.taxeringar {
		for _, a := range ar {
			if t.ar == a {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// inPeriod reports whether the ÅÅÅÅMMDD day lies in q's Tidsperiod; any day
// does when q gives none.
func (q forfraganFields) inPeriod(day string) bool {
	if q.from == "" || q.tom == "" {
		return true
	}
	d, err := datum(day)
	return err == nil && d >= q.from && d <= q.tom
}

// svarDokument is the svar document about q's person for the years asked; an
// empty PersonuppgiftLista when SKV knows nothing about the person. A payment
// outside the period asked is left out.
func svarDokument(q forfraganFields) string {
	pnr := q.personidentitet
	root := newInnerRoot(rootSvar)
	lista := root.CreateElement("PersonuppgiftLista")
	p, ok := personFor(pnr)
	taxeringar := p.taxeringarFor(q.ar)
	if !ok || len(taxeringar) == 0 {
		return innerDocument(root)
	}
	pu := lista.CreateElement("Personuppgift")
	add(pu, "folko:",
		"IdentitetsbeteckningFysiskPerson", pnr,
		"Fornamn", p.fornamn,
		"Efternamn", p.efternamn,
	)
	// 999, as in SKV's sample; the code list is not part of the contract.
	pu.CreateElement("StatusPersonuppgiftKod").SetText("999")
	for _, t := range taxeringar {
		k := pu.CreateElement("Kapitaluppgift")
		add(k, "besko:",
			"Taxeringsar", strconv.Itoa(t.ar),
			"SummaIntakterPaKapital", kronor(t.summaIntakter),
			"OverskottPaKapital", kronor(t.overskott),
		)
		if q.inPeriod(t.bokforingsdag) {
			add(k, "besko:",
				"UtbetaltBeloppTillKontohavare", kronor(t.utbetalt),
				"BokforingsdagForUtbetalningar", t.bokforingsdag,
			)
		}
	}
	for _, t := range taxeringar {
		add(pu.CreateElement("Taxeringsuppgift"), "besko:",
			"Taxeringsar", strconv.Itoa(t.ar),
			"TaxeradInkomst", kronor(t.taxeradInkomst),
			"SlutligSkatt", kronor(t.slutligSkatt),
			"Taxeringsdatum", t.taxeringsdatum,
			"FromDatum", t.from,
			"TomDatum", t.tom,
		)
	}
	return innerDocument(root)
}

func kronor(n int64) string { return strconv.FormatInt(n, 10) }

// add appends text children with the given prefix, given as name, text pairs.
func add(parent *etree.Element, prefix string, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		parent.CreateElement(prefix + pairs[i]).SetText(pairs[i+1])
	}
}
