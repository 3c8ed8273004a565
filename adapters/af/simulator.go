package af

import (
	"errors"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/personnummer"
)

// wrongNamespace is where the simulator answers when asked to be wrong.
const wrongNamespace = "http://example.org/not-af"

// NewSimulator returns a simulator answering FragaMeddelande like AF's
// ersättningsstöd service for the test persons of DESIGN §6, at any path,
// with fault injection in front.
func NewSimulator() adapters.Simulator { return newSimulator() }

func newSimulator() *simkit.SOAPSimulator {
	return simkit.NewSOAPSimulator(simkit.OneQuestion(Namespace, wrongNamespace, readFragaMeddelande, svarMeddelande))
}

// Person is whom the question is about.
func (q *fraga) Person() string { return q.personidentitet }

// fraga is what the simulator needs from a FragaMeddelande.
type fraga struct {
	el              *etree.Element // the Fraga element, echoed in the answer
	personidentitet string
	inkludera       inkludera
	// from and tom are the period asked, YYYY-MM-DD.
	from, tom string
}

// overlaps reports whether a decision from..tom (xs:date, perhaps with a
// time zone) touches the period asked: AF leaves out decisions outside it.
func (q *fraga) overlaps(from, tom string) bool {
	day := func(d string) string { return d[:min(len(d), len("2006-01-02"))] }
	return day(from) <= q.tom && day(tom) >= q.from
}

// inkludera are FragaMeddelande's Inkludera flags.
type inkludera struct{ arbetssokandeInfo, akasseInfo, beslutInfo bool }

var errFraga = errors.New("request is not a valid FragaMeddelande")

// readFragaMeddelande checks the question as far as the simulator relies on it.
func readFragaMeddelande(root *etree.Element) (*fraga, error) {
	if root.Tag != "FragaMeddelande" || root.NamespaceURI() != Namespace {
		return nil, errFraga
	}
	el := soap.Child(root, Namespace, "Fraga")
	pnr := soap.Text(el, "IdentitetsbeteckningFysiskPerson")
	if el == nil || !personnummer.HasForm(pnr) {
		return nil, errFraga
	}
	// Without Inkludera AF leaves nothing out.
	ink := inkludera{true, true, true}
	if e := soap.Child(root, Namespace, "Inkludera"); e != nil {
		ink = inkludera{
			arbetssokandeInfo: attrBool(e, "ArbetssokandeInfo"),
			akasseInfo:        attrBool(e, "AkasseInfo"),
			beslutInfo:        attrBool(e, "BeslutInfo"),
		}
	}
	return &fraga{el: el, personidentitet: pnr, inkludera: ink, from: soap.Text(el, "From"), tom: soap.Text(el, "Tom")}, nil
}

// attrBool reads an optional xs:boolean attribute; absent means false.
func attrBool(e *etree.Element, name string) bool {
	v := e.SelectAttrValue(name, "false")
	return v == "true" || v == "1"
}
