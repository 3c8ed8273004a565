package csn

import (
	"regexp"
	"slices"
	"strconv"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// The simulator's Resultat texts and its native error.
const (
	textOK      = "Frågan är besvarad."
	textEjTraff = "Personen finns inte i CSN:s register."
	// ResultatKodTeknisktFel is the simulator's native error, given for Felperson.
	ResultatKodTeknisktFel = "9"
	textTeknisktFel        = "Tekniskt fel: uppgifterna kunde inte hämtas från CSN:s register."
)

// Blank fillers CSN writes for "nothing" in its fixed-width attributes.
const (
	blankStatus    = "          "
	blankSekretess = "  "
	sekretessJa    = "J"
)

// person is what CSN knows about one test person: Arenden per kind of study
// aid, indexed like kinds.
type person struct {
	sekretess bool
	arenden   [len(kinds)][]arende
}

// arende is one of CSN's cases. Dates are CSN's YYYYMMDD.
type arende struct {
	lopnummer, stodform, klartext, status string
	relarende                             string // a related Arende's lopnummer, if any
	sokt                                  []sokt
	beviljade                             []period
	utbetalningar                         []utbetalning
}

// sokt is a soktTid: the period and extent applied for.
type sokt struct {
	from, tom, omfattning string
	lan                   bool
}

// period is a BeviljadTid (start, slut required, takt or grTakt) or an
// Utbetaldtid (start, slut optional).
type period struct {
	start, slut  string
	takt, grTakt string
	belopp       []belopp
}

// utbetalning is one payment of an UtbetalningsPlan.
type utbetalning struct {
	datum, status string
	tider         []period
}

// belopp is one amount of a Beloppen: belopp per unit (week, month or once),
// totbelopp over the whole period.
type belopp struct {
	typ, klartext     string
	belopp, totbelopp int
}

// Amounts CSN pays the test persons, in kronor, for a number of weeks or
// months: full-time studiemedel per week (bidrag and lån), half-time
// studiemedel at grundskolenivå, studiehjälp per month, studiestartsstöd per
// week.
func grundbidrag(veckor int) belopp   { return belopp{"GRUNDB", "Bidrag", 917, 917 * veckor} }
func grundlan(veckor int) belopp      { return belopp{"GRUNDL", "Lån", 2252, 2252 * veckor} }
func halvBidrag(veckor int) belopp    { return belopp{"GRUNDB", "Bidrag", 459, 459 * veckor} }
func halvLan(veckor int) belopp       { return belopp{"GRUNDL", "Lån", 1126, 1126 * veckor} }
func studiebidrag(manader int) belopp { return belopp{"STUDB", "Studiebidrag", 1250, 1250 * manader} }

// The 2026 autumn rates (a new calendar year's price base amount).
func grundbidrag2026(veckor int) belopp { return belopp{"GRUNDB", "Bidrag", 1011, 1011 * veckor} }
func grundlan2026(veckor int) belopp    { return belopp{"GRUNDL", "Lån", 2358, 2358 * veckor} }

// fyraVeckor is one monthly studiemedel payment for the four weeks start..slut at the 2026 autumn rates.
func fyraVeckor(datum, status, start, slut string) utbetalning {
	return utbetalning{datum: datum, status: status, tider: []period{{start: start, slut: slut, belopp: []belopp{grundbidrag2026(4), grundlan2026(4)}}}}
}

func startbidrag(veckor int) belopp {
	return belopp{"STÖDB", "Studiestartsstöd bidrag", 2750, 2750 * veckor}
}

// testperson returns CSN's data for pnr, and whether CSN knows the person.
// Felperson is handled before: it gets CSN's native error.
func testperson(pnr string) (person, bool) {
	var p person
	switch pnr {
	case simkit.Tolvan:
		p.arenden[studiemedel] = []arende{
			{
				lopnummer: "1", stodform: "GRUND", klartext: "Studiemedel för studier i Sverige", status: "BESLUTAD",
				sokt:      []sokt{{from: "20260112", tom: "20260531", omfattning: "100", lan: true}},
				beviljade: []period{{start: "20260112", slut: "20260531", takt: "100", belopp: []belopp{grundbidrag(20), grundlan(20)}}},
				utbetalningar: []utbetalning{
					{datum: "20260122", status: "Utbetald", tider: []period{{start: "20260112", slut: "20260208", belopp: []belopp{grundbidrag(4), grundlan(4)}}}},
					{datum: "20260220", status: "Utbetald", tider: []period{{start: "20260209", slut: "20260308", belopp: []belopp{grundbidrag(4), grundlan(4)}}}},
					{datum: "20260323", status: "Planerad", tider: []period{{start: "20260309", slut: "20260405", belopp: []belopp{grundbidrag(4), grundlan(4)}}}},
				},
			},
			{
				// Applied for and refused: decided with nothing granted.
				lopnummer: "2", stodform: "TLÅN", klartext: "Tilläggslån", status: "BESLUTAD", relarende: "1",
				sokt: []sokt{{from: "20260112", tom: "20260531", omfattning: "100", lan: true}},
			},
			{
				// The autumn term 2026, paid monthly for four weeks at a time.
				lopnummer: "3", stodform: "GRUND", klartext: "Studiemedel för studier i Sverige", status: "BESLUTAD",
				sokt:      []sokt{{from: "20260817", tom: "20270117", omfattning: "100", lan: true}},
				beviljade: []period{{start: "20260817", slut: "20270117", takt: "100", belopp: []belopp{grundbidrag2026(22), grundlan2026(22)}}},
				utbetalningar: []utbetalning{
					fyraVeckor("20260825", "Utbetald", "20260817", "20260913"),
					fyraVeckor("20260925", "Utbetald", "20260914", "20261011"),
					fyraVeckor("20261023", "Utbetald", "20261012", "20261108"),
					fyraVeckor("20261125", "Utbetald", "20261109", "20261206"),
					fyraVeckor("20261223", "Planerad", "20261207", "20270103"),
				},
			},
		}
	case simkit.Student:
		p.arenden[studiemedel] = []arende{{
			lopnummer: "1", stodform: "GRUND", klartext: "Studiemedel för studier i Sverige", status: "BESLUTAD",
			sokt:      []sokt{{from: "20260105", tom: "20260607", omfattning: "50", lan: true}},
			beviljade: []period{{start: "20260105", slut: "20260607", grTakt: "50", belopp: []belopp{halvBidrag(22), halvLan(22)}}},
			utbetalningar: []utbetalning{
				{datum: "20260122", status: "Utbetald", tider: []period{{start: "20260105", slut: "20260201", belopp: []belopp{halvBidrag(4), halvLan(4)}}}},
				{datum: "20260220", status: "Utbetald", tider: []period{{start: "20260202", slut: "20260301", belopp: []belopp{halvBidrag(4), halvLan(4)}}}},
				{datum: "20260320", status: "Utbetald", tider: []period{{start: "20260302", slut: "20260329", belopp: []belopp{halvBidrag(4), halvLan(4)}}}},
			},
		}}
		p.arenden[studiehjalp] = []arende{{
			lopnummer: "1", stodform: "SH", klartext: "Studiehjälp", status: "BESLUTAD",
			beviljade: []period{{start: "20250818", slut: "20260612", takt: "100", belopp: []belopp{studiebidrag(10)}}},
			utbetalningar: []utbetalning{
				{datum: "20260123", status: "Utbetald", tider: []period{{start: "20260101", slut: "20260131", belopp: []belopp{studiebidrag(1)}}}},
				{datum: "20260225", status: "Utbetald", tider: []period{{start: "20260201", slut: "20260228", belopp: []belopp{studiebidrag(1)}}}},
				{datum: "20260325", status: "Utbetald", tider: []period{{start: "20260301", slut: "20260331", belopp: []belopp{studiebidrag(1)}}}},
			},
		}}
	case simkit.Skyddad:
		p.sekretess = true
		p.arenden[studiestartsstod] = []arende{{
			lopnummer: "1", stodform: "SSSTÖD", klartext: "Studiestartsstöd", status: "BESLUTAD",
			sokt:      []sokt{{from: "20260105", tom: "20260614", omfattning: "100"}},
			beviljade: []period{{start: "20260105", slut: "20260614", takt: "100", belopp: []belopp{startbidrag(23)}}},
			utbetalningar: []utbetalning{
				{datum: "20260122", status: "Utbetald", tider: []period{{start: "20260105", slut: "20260201", belopp: []belopp{startbidrag(4)}}}},
				// Paid late, after the period: retroactive.
				{datum: "20260306", status: "Utbetald", tider: []period{{start: "20260202", slut: "20260301", belopp: []belopp{startbidrag(4)}}}},
			},
		}}
		p.arenden[hemutrustningslan] = []arende{{
			lopnummer: "1024", stodform: "HUT", klartext: "Hemutrustningslån", status: "AVSLUTAD",
			utbetalningar: []utbetalning{
				{datum: "20260107", status: "UTBETALAD", tider: []period{{belopp: []belopp{{"HUT", "Hemutrustningslån", 30000, 30000}}}}},
			},
		}}
		p.arenden[omstallningsstudiestod] = []arende{{
			// Applied for, not yet decided.
			lopnummer: "1", stodform: "OSS", klartext: "Omställningsstudiestöd", status: "INITIERAD",
			sokt: []sokt{{from: "20260330", tom: "20260816", omfattning: "100"}},
		}}
	default:
		return p, false
	}
	return p, true
}

// inPeriod is what of a CSN gives for the period from..tom (YYYYMMDD): the
// granted periods overlapping it and the payments made in it; an Arende with
// nothing in the period, not even an application, is left out (false).
func (a arende) inPeriod(from, tom string) (arende, bool) {
	overlaps := func(start, slut string) bool { return start <= tom && slut >= from }
	a.beviljade = slices.DeleteFunc(slices.Clone(a.beviljade), func(b period) bool { return !overlaps(b.start, b.slut) })
	a.utbetalningar = slices.DeleteFunc(slices.Clone(a.utbetalningar), func(u utbetalning) bool { return u.datum < from || u.datum > tom })
	keep := len(a.beviljade) > 0 || len(a.utbetalningar) > 0
	for _, st := range a.sokt {
		keep = keep || overlaps(st.from, st.tom)
	}
	return a, keep
}

// inPeriod is what CSN gives about p for the period from..tom (YYYYMMDD);
// everything when the question names no period.
func (p person) inPeriod(from, tom string) person {
	if from == "" || tom == "" {
		return p
	}
	for i, list := range p.arenden {
		var kept []arende
		for _, a := range list {
			if a, ok := a.inPeriod(from, tom); ok {
				kept = append(kept, a)
			}
		}
		p.arenden[i] = kept
	}
	return p
}

// csnPersonnummer is the form of CSN's personnummer type. A number it cannot
// hold, such as a samordningsnummer (day + 60), cannot be named in an answer.
var csnPersonnummer = regexp.MustCompile(`^(18|19|20)[0-9][0-9][0-1][0-9][0-3][0-9][0-9]{4}$`)

// csnSvar builds the simulator's answer to q.
func csnSvar(q *begaranIn, namespace string) *etree.Element {
	root := etree.NewElement("CSNSvar")
	root.CreateAttr("xmlns", namespace)
	root.CreateAttr("xmlns:pers", NSPerson)
	root.CreateAttr("xmlns:typ", NSTyper)
	root.CreateAttr("xmlns:"+pfxSambruk, NSSambruk)
	for _, k := range kinds {
		root.CreateAttr("xmlns:"+k.prefix, k.ns)
	}
	root.CreateAttr("schemaVersion", SchemaVersion)

	pnr := q.personidentitet
	p, known := testperson(pnr)
	p = p.inPeriod(q.from, q.tom)
	kod, text := ResultatKodOK, textOK
	switch {
	case pnr == simkit.Felperson:
		kod, text = ResultatKodTeknisktFel, textTeknisktFel
	case !known:
		text = textEjTraff
	}
	resultat := root.CreateElement("GemensamtSvarEkbistand").CreateElement("Resultat")
	resultat.CreateElement("ResultatKod").SetText(kod)
	resultat.CreateElement("ResultatText").SetText(text)
	echo(root.CreateElement("GemensamtFragaEkbistand"), q.el)

	personer := root.CreateElement("Personer")
	if kod == ResultatKodOK && csnPersonnummer.MatchString(pnr) {
		writePerson(personer.CreateElement("Person"), pnr, p, known)
	}
	return root
}

// echo copies the question's children into dst, in our Sambruk prefix.
func echo(dst, src *etree.Element) {
	for _, c := range src.ChildElements() {
		if c.NamespaceURI() != NSSambruk {
			dst.AddChild(soap.Standalone(c))
			continue
		}
		e := dst.CreateElement(pfxSambruk + ":" + c.Tag)
		if len(c.ChildElements()) == 0 {
			e.SetText(c.Text())
		}
		echo(e, c)
	}
}

// writePerson fills a Person element. A person CSN does not know is written
// as CSN does: Status "Ej träff", nothing in any kind.
func writePerson(el *etree.Element, pnr string, p person, known bool) {
	el.CreateAttr("personnummer", pnr[2:])
	status := blankStatus
	if !known {
		status = PersonstatusEjTraff
	}
	el.CreateAttr("Status", status)
	sekretess := blankSekretess
	if p.sekretess {
		sekretess = sekretessJa
	}
	el.CreateAttr("sekretess", sekretess)
	el.CreateAttr("sekel", pnr[:2])

	// The listing gives the number of Arenden of each kind.
	forteckning := el.CreateElement("pers:Studiestodstypforteckning")
	for i, k := range kinds {
		forteckning.CreateElement("typ:" + k.forman).SetText(strconv.Itoa(len(p.arenden[i])))
	}
	for i, k := range kinds {
		kindEl := el.CreateElement("pers:" + k.element)
		if len(p.arenden[i]) == 0 {
			continue
		}
		arenden := kindEl.CreateElement("pers:Arenden")
		for _, a := range p.arenden[i] {
			writeArende(arenden.CreateElement("pers:Arende"), i, a)
		}
	}
}

// writeArende fills an Arende of kinds[i]. Hemutrustningslån has no
// applications or granted periods in the contract, only a payment plan.
func writeArende(el *etree.Element, i int, a arende) {
	k := kinds[i]
	own := func(parent *etree.Element, local string) *etree.Element {
		return parent.CreateElement(k.prefix + ":" + local)
	}
	typ := func(parent *etree.Element, local, text string) { parent.CreateElement("typ:" + local).SetText(text) }
	// optional writes an element the contract lets us leave out, when there is something to write.
	optional := func(parent *etree.Element, local, text string) {
		if text != "" {
			typ(parent, local, text)
		}
	}

	el.CreateAttr("lopnummer", a.lopnummer)
	own(el, "stodform").SetText(a.stodform)
	own(el, "klartext").SetText(a.klartext)
	status := a.status
	if status == "" {
		status = blankStatus
	}
	own(el, "status").SetText(status)
	if a.relarende != "" && i != hemutrustningslan {
		own(el, "relarende").SetText(a.relarende)
	}
	if i != hemutrustningslan {
		soktaTider := own(el, "soktaTider")
		for _, st := range a.sokt {
			e := own(soktaTider, "soktTid")
			typ(e, "soktfrom", st.from)
			typ(e, "sokttom", st.tom)
			typ(e, "soktomfattning", st.omfattning)
			if st.lan {
				typ(e, "soktlan", "J")
			}
		}
		beviljade := own(el, "BeviljadeTider")
		for _, b := range a.beviljade {
			e := own(beviljade, "BeviljadTid")
			typ(e, "starttid", b.start)
			typ(e, "sluttid", b.slut)
			optional(e, "takt", b.takt)
			optional(e, "gr_takt", b.grTakt)
			total := writeBeloppen(e, b.belopp)
			typ(e, "totbelopp", strconv.Itoa(total))
		}
	}
	plan := own(el, "UtbetalningsPlan")
	for _, u := range a.utbetalningar {
		e := own(plan, "Utbetalning")
		typ(e, "utbetdatum", u.datum)
		typ(e, "utbetstatus", u.status)
		tider := e.CreateElement("typ:Utbetaldatider")
		sum := 0
		for _, t := range u.tider {
			te := tider.CreateElement("typ:Utbetaldtid")
			optional(te, "startvecka", t.start)
			optional(te, "slutvecka", t.slut)
			total := writeBeloppen(te, t.belopp)
			typ(te, "totbelopp", strconv.Itoa(total))
			sum += total
		}
		typ(e, "totbelopp", strconv.Itoa(sum))
	}
}

// writeBeloppen adds a Beloppen with amounts to el and returns their total.
func writeBeloppen(el *etree.Element, amounts []belopp) int {
	beloppen := el.CreateElement("typ:Beloppen")
	total := 0
	for _, b := range amounts {
		e := beloppen.CreateElement("typ:Belopp")
		e.CreateElement("typ:beloppstyp").SetText(b.typ)
		e.CreateElement("typ:klartext").SetText(b.klartext)
		e.CreateElement("typ:belopp").SetText(strconv.Itoa(b.belopp))
		e.CreateElement("typ:totbelopp").SetText(strconv.Itoa(b.totbelopp))
		total += b.totbelopp
	}
	return total
}
