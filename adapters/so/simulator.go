package so

import (
	"fmt"
	"net/http"

	"github.com/beevik/etree"
	"golang.org/x/text/encoding/unicode"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/personnummer"
)

// Charset is the encoding the simulator answers in.
type Charset int

// The encodings BizTalk may answer in.
const (
	UTF8 Charset = iota
	UTF16LE
	UTF16BE
)

// SimulatorOptions shape the simulator's answers to exercise the adapter's
// edges. The zero value answers like the real service, in UTF-8.
type SimulatorOptions struct {
	// Charset of every answer, faults included. UTF-16 answers start with a
	// byte order mark and declare encoding="utf-16", as BizTalk writes them.
	// (Requests the simulator cannot read get simkit's UTF-8 client fault.)
	Charset Charset
	// WrongNamespace puts the answer element in WrongNamespace, which the
	// adapter must refuse as unreadable (2003).
	WrongNamespace bool
}

// WrongNamespace is the answer namespace under SimulatorOptions.WrongNamespace:
// a plausible next version, which the v1 adapter must not read as its own.
const WrongNamespace = "http://INT014.UBPService.Schemas/v2"

// The SOAP fault the simulator answers for simkit.Felperson.
const (
	FelpersonFaultcode   = "soap:Server"
	FelpersonFaultstring = "INT014: Utbetalningsuppgifter kunde inte hämtas från a-kassan"
)

// Simulator is Sveriges a-kassor's UBPService for the test persons, behind
// fault injection. It answers at any path.
type Simulator = simkit.SOAPSimulator

// NewSimulator returns a simulator answering like the real service.
func NewSimulator() adapters.Simulator { return NewSimulatorWith(SimulatorOptions{}) }

// NewSimulatorWith returns a simulator answering as opts say.
func NewSimulatorWith(opts SimulatorOptions) *Simulator {
	s := simkit.NewSOAPSimulator(serve)
	s.SetWrongNamespace(opts.WrongNamespace)
	if opts.Charset != UTF8 {
		s.Write = func(w http.ResponseWriter, r simkit.Reply) {
			if r.Fault != nil {
				writeUTF16(w, opts.Charset, http.StatusInternalServerError, soap.BuildFault(*r.Fault))
				return
			}
			writeUTF16(w, opts.Charset, http.StatusOK, soap.Build(r.Body))
		}
	}
	return s
}

func serve(env *soap.Envelope) (string, func(bool) simkit.Reply) {
	refuse := func(err error) (string, func(bool) simkit.Reply) {
		return "", func(bool) simkit.Reply { return simkit.FaultReply("soap:Client", err.Error()) }
	}
	fraga := env.Body
	if fraga.Tag != RequestElement || fraga.NamespaceURI() != Namespace {
		return refuse(fmt.Errorf("expected {%s}%s", Namespace, RequestElement))
	}
	pnr, err := required(fraga, "IdentificationNumber")
	if err == nil && !personnummer.HasForm(pnr) {
		err = fmt.Errorf("IdentificationNumber does not match [0-9]{12}")
	}
	if err != nil {
		return refuse(err)
	}
	return pnr, func(wrong bool) simkit.Reply {
		if pnr == simkit.Felperson {
			return simkit.FaultReply(FelpersonFaultcode, FelpersonFaultstring)
		}
		ns := Namespace
		if wrong {
			ns = WrongNamespace
		}
		from, _ := required(fraga, "From")
		tom, _ := required(fraga, "Tom")
		svar, err := response(ns, fraga, inPeriod(kassorFor(pnr), from, tom))
		if err != nil {
			return simkit.FaultReply("soap:Client", err.Error())
		}
		return simkit.Reply{Body: svar}
	}
}

// writeUTF16 sends a serialized UTF-8 envelope re-encoded as UTF-16.
func writeUTF16(w http.ResponseWriter, charset Charset, status int, envelope []byte) {
	order := unicode.LittleEndian
	if charset == UTF16BE {
		order = unicode.BigEndian
	}
	body, err := utf16Document(envelope, order)
	if err != nil {
		http.Error(w, "simulator: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-16")
	w.WriteHeader(status)
	w.Write(body)
}

// utf16Document re-encodes an XML document as UTF-16 with a byte order mark,
// declaring the new encoding.
func utf16Document(doc []byte, order unicode.Endianness) ([]byte, error) {
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		return nil, fmt.Errorf("re-encoding answer: %w", err)
	}
	declared := false
	for _, t := range d.Child {
		if pi, ok := t.(*etree.ProcInst); ok && pi.Target == "xml" {
			pi.Inst = `version="1.0" encoding="utf-16"`
			declared = true
		}
	}
	if !declared {
		d.InsertChildAt(0, etree.NewProcInst("xml", `version="1.0" encoding="utf-16"`))
	}
	utf8, err := d.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("re-encoding answer: %w", err)
	}
	return unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes(utf8)
}
