package af

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// Simulator answers FragaMeddelande like AF's ersättningsstöd service for the
// test persons of DESIGN §6, at any path, with fault injection in front.
type Simulator struct {
	simkit.Front
	namespace string
}

// SimulatorOption changes how a simulator answers.
type SimulatorOption func(*Simulator)

// AnswerInNamespace makes the simulator answer in ns instead of AF's
// namespace, so tests can watch the adapter refuse a foreign answer (2003).
func AnswerInNamespace(ns string) SimulatorOption {
	return func(s *Simulator) { s.namespace = ns }
}

// NewSimulator returns an AF simulator answering in AF's namespace.
func NewSimulator() adapters.Simulator { return NewSimulatorWith() }

// NewSimulatorWith returns an AF simulator with the given options.
func NewSimulatorWith(opts ...SimulatorOption) *Simulator {
	s := &Simulator{namespace: Namespace}
	for _, o := range opts {
		o(s)
	}
	s.Answer(s.serveSOAP)
	return s
}

func (s *Simulator) serveSOAP(w http.ResponseWriter, r *http.Request) {
	env := simkit.ReadSOAP(w, r)
	if env == nil {
		return
	}
	q, err := readFragaMeddelande(env.Body)
	if err != nil {
		simkit.WriteFault(w, soap.Fault{Code: "soap:Client", String: err.Error()})
		return
	}
	if !simkit.Delay(r.Context(), q.personidentitet) {
		return
	}
	simkit.WriteSOAP(w, s.svarMeddelande(q))
}

// fraga is what the simulator needs from a FragaMeddelande.
type fraga struct {
	el              *etree.Element // the Fraga element, echoed in the answer
	personidentitet string
	inkludera       inkludera
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
	if el == nil || len(pnr) != 12 {
		return nil, errFraga
	}
	if _, err := strconv.ParseUint(pnr, 10, 64); err != nil {
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
	return &fraga{el: el, personidentitet: pnr, inkludera: ink}, nil
}

// attrBool reads an optional xs:boolean attribute; absent means false.
func attrBool(e *etree.Element, name string) bool {
	v := e.SelectAttrValue(name, "false")
	return v == "true" || v == "1"
}
