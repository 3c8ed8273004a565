package csn

import (
	"errors"

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
	return &begaranIn{el: root, personidentitet: pnr}, nil
}
