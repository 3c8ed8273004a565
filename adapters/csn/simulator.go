package csn

import (
	"errors"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/personnummer"
)

// wrongNamespace is where the simulator answers when asked to be wrong: an
// older version of the contract.
const wrongNamespace = "http://schema.csn.se/v3.0/kommunfraga"

// NewSimulator returns a simulator answering SBNUppgEkBistandBegar like
// CSN's Kommunfråga service for the test persons of DESIGN §6, at any path,
// with fault injection in front.
func NewSimulator() adapters.Simulator { return newSimulator() }

func newSimulator() *simkit.SOAPSimulator {
	return simkit.NewSOAPSimulator(simkit.OneQuestion(NSKommunfraga, wrongNamespace, readBegaran, csnSvar))
}

// Person is whom the question is about.
func (q *begaranIn) Person() string { return q.personidentitet }

// begaranIn is what the simulator needs from an SBNUppgEkBistandBegar.
type begaranIn struct {
	el              *etree.Element // echoed in GemensamtFragaEkbistand
	personidentitet string
	// from and tom are the Tidsperiod asked, as CSN writes dates (YYYYMMDD).
	from, tom string
}

var errBegaran = errors.New("request is not a valid SBNUppgEkBistandBegar")

// readBegaran checks the question as far as the simulator relies on it.
func readBegaran(root *etree.Element) (*begaranIn, error) {
	if root.Tag != "SBNUppgEkBistandBegar" || root.NamespaceURI() != NSKommunfraga {
		return nil, errBegaran
	}
	pnr := ""
	if e := soap.Child(root, NSSambruk, "Personidentitet"); e != nil {
		pnr = e.Text()
	}
	if !personnummer.HasForm(pnr) {
		return nil, errBegaran
	}
	q := &begaranIn{el: root, personidentitet: pnr}
	if tp := soap.Child(root, NSSambruk, "Tidsperiod"); tp != nil {
		compact := func(d string) string { return strings.ReplaceAll(strings.TrimSpace(d), "-", "") }
		q.from, q.tom = compact(soap.Text(tp, "FromDatum")), compact(soap.Text(tp, "TomDatum"))
	}
	return q, nil
}
