package folkbokforing

import (
	"errors"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/personnummer"
)

// Simulator plays the population register for the test persons, at any path
// under its mount:
//   - Tolvan: folkbokförd, married (samhörig: his wife), one child in his
//     custody;
//   - Skyddad: SKYDDADIDENTITET, addresses, children and samhörig withheld;
//   - Samordningsnummer: not folkbokförd, a vistelseadress only;
//   - Student: folkbokförd at her parents', a vistelseadress where she studies;
//   - Jobbsokare, Nyanland, Pensionar: folkbokförd, nothing else of note;
//   - Felperson: ANNATFEL, the register's own error;
//   - Langsam: UPPGIFTSAKNAS after simkit.SlowDelay;
//   - a number with a wrong check digit: IDENTITETFELAKTIG; one that is no
//     personnummer at all: VALIDERINGSFEL;
//   - everybody else: UPPGIFTSAKNAS.
type Simulator = simkit.SOAPSimulator

// The test persons' family, known only to the population register.
const (
	// TolvansMake is Tolvan's wife, his samhörig.
	TolvansMake = "191303131310"
	// TolvansBarn is Tolvan's child, in his custody.
	TolvansBarn = "201505052421"
)

// NewSimulator returns a simulator with no faults injected.
func NewSimulator() adapters.Simulator {
	return simkit.NewSOAPSimulator(func(env *soap.Envelope) (string, func(bool) simkit.Reply) {
		if env.Body.NamespaceURI() == Namespace && env.Body.Tag == elemPing {
			return "", func(wrong bool) simkit.Reply { return simkit.Reply{Body: element(ns(wrong), elemPingSvar)} }
		}
		pnr, err := readFraga(env.Body)
		if err != nil {
			return "", func(bool) simkit.Reply { return simkit.FaultReply("soap:Client", err.Error()) }
		}
		return pnr, func(wrong bool) simkit.Reply { return simkit.Reply{Body: svar(ns(wrong), pnr)} }
	})
}

// wrongNamespace is where a misconfigured simulator puts its answers.
const wrongNamespace = "urn:ssbtek-gateway:folkbokforing:personuppgifter:2"

func ns(wrong bool) string {
	if wrong {
		return wrongNamespace
	}
	return Namespace
}

// readFraga checks HamtaPersonuppgifter as the register would and returns
// the identity asked about, normalised to 12 digits when it has a form.
func readFraga(body *etree.Element) (string, error) {
	if body.Tag != elemFraga || body.NamespaceURI() != Namespace {
		return "", errors.New("unknown operation; this service offers HamtaPersonuppgifter and Ping")
	}
	for _, name := range []string{"organisationsnummer", "identitetsbeteckningfysiskperson", "syfte", "lagtext"} {
		if text(body, name) == "" {
			return "", errors.New("HamtaPersonuppgifter needs organisationsnummer, identitetsbeteckningfysiskperson, syfte and lagtext")
		}
	}
	return personnummer.Normalise(text(body, "identitetsbeteckningfysiskperson")), nil
}

// person is what the register knows about one test person.
type person struct {
	namn, civilstand, medborgarskap string
	folkbokforing, vistelse         []string // utdelningsadress, coadress, postnummer, postort
	barn                            [][3]string
	samhorig                        *[3]string
	skyddad                         bool
}

var persons = map[string]person{
	simkit.Tolvan: {
		namn: "Tolvansson Tolvan", civilstand: "Gift", medborgarskap: "Sverige",
		folkbokforing: []string{"Tolvgatan 12 lgh 1201", "", "12121", "TOLVSTAD"},
		barn:          [][3]string{{TolvansBarn, "Tolvansson Tolva", "true"}},
		samhorig:      &[3]string{TolvansMake, "Tolvansson Elva", "Make/maka"},
	},
	simkit.Skyddad: {namn: "Andersson Sara", civilstand: "Ogift", medborgarskap: "Sverige", skyddad: true},
	simkit.Samordningsnummer: {
		namn: "Kowalski Jan", civilstand: "Ogift", medborgarskap: "Polen",
		vistelse: []string{"Hamngatan 3", "Bemanning Väst AB", "41117", "GÖTEBORG"},
	},
	simkit.Student: {
		namn: "Student Stina", civilstand: "Ogift", medborgarskap: "Sverige",
		folkbokforing: []string{"Björkvägen 5", "", "57131", "NÄSSJÖ"},
		vistelse:      []string{"Studentvägen 14 lgh 1102", "Studentbostäder i Lund", "22363", "LUND"},
	},
	simkit.Jobbsokare: {
		namn: "Sökande Sam", civilstand: "Ogift", medborgarskap: "Sverige",
		folkbokforing: []string{"Storgatan 1", "", "11122", "STOCKHOLM"},
	},
	simkit.Nyanland: {
		namn: "Nyanländ Amal", civilstand: "Gift", medborgarskap: "Syrien",
		folkbokforing: []string{"Parkvägen 7", "", "75320", "UPPSALA"},
	},
	simkit.Pensionar: {
		namn: "Pension Per", civilstand: "Änkling", medborgarskap: "Sverige",
		folkbokforing: []string{"Lärkstigen 2", "", "90325", "UMEÅ"},
	},
}

// svar is the register's answer about pnr in namespace ns.
func svar(ns, pnr string) *etree.Element {
	root := element(ns, elemSvar)
	status := func(kod, meddelande string) *etree.Element {
		st := root.CreateElement(prefix + ":status")
		add(st, "kod", kod)
		add(st, "meddelande", meddelande)
		return root
	}
	if err := personnummer.Check(pnr, time.Now()); errors.Is(err, personnummer.ErrKontroll) {
		return status("IDENTITETFELAKTIG", "Felaktig kontrollsiffra i identiteten")
	} else if err != nil {
		return status("VALIDERINGSFEL", "Identiteten är inget personnummer eller samordningsnummer")
	}
	if pnr == simkit.Felperson {
		return status("ANNATFEL", "Folkbokföringsregistret kunde inte läsas: tekniskt fel")
	}
	p, known := persons[pnr]
	if !known {
		return status("UPPGIFTSAKNAS", "Det finns inga uppgifter om personen")
	}
	if p.skyddad {
		status("SKYDDADIDENTITET", "Personen har skyddad identitet: adresser och anhöriga lämnas inte ut")
	} else {
		status("OK", "")
	}
	pu := root.CreateElement(prefix + ":personuppgifter")
	add(pu, "identitetsbeteckningfysiskperson", streckadIdentitet(pnr))
	add(pu, "fullstandigtnamn", p.namn)
	adressElement(pu, "folkbokforingsadress", p.folkbokforing)
	adressElement(pu, "vistelseadress", p.vistelse)
	add(pu, "civilstand", p.civilstand)
	add(pu, "medborgarskap", p.medborgarskap)
	for _, b := range p.barn {
		be := add(pu, "barn", "")
		add(be, "identitetsbeteckningfysiskperson", streckadIdentitet(b[0]))
		add(be, "fullstandigtnamn", b[1])
		add(be, "vardnadshavare", b[2])
	}
	if s := p.samhorig; s != nil {
		se := add(pu, "samhorig", "")
		add(se, "identitetsbeteckningfysiskperson", streckadIdentitet(s[0]))
		add(se, "fullstandigtnamn", s[1])
		add(se, "samhorighet", s[2])
	}
	return root
}

// adressElement adds the address name, unless a is empty; the c/o is left
// out when there is none.
func adressElement(parent *etree.Element, name string, a []string) {
	if len(a) == 0 {
		return
	}
	e := add(parent, name, "")
	add(e, "utdelningsadress", a[0])
	if a[1] != "" {
		add(e, "coadress", a[1])
	}
	add(e, "postnummer", a[2])
	add(e, "postort", a[3])
}

// element is a global element of the wire format in namespace ns.
func element(ns, name string) *etree.Element {
	e := etree.NewElement(prefix + ":" + name)
	e.CreateAttr("xmlns:"+prefix, ns)
	return e
}
