package so

import (
	"fmt"
	"net/http"
	"regexp"

	"github.com/beevik/etree"
	"golang.org/x/text/encoding/unicode"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
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
type Simulator struct {
	opts SimulatorOptions
	simkit.Front
}

// NewSimulator returns a simulator answering like the real service.
func NewSimulator() adapters.Simulator { return NewSimulatorWith(SimulatorOptions{}) }

// NewSimulatorWith returns a simulator answering as opts say.
func NewSimulatorWith(opts SimulatorOptions) *Simulator {
	s := &Simulator{opts: opts}
	s.Answer(s.answer)
	return s
}

// identityPattern is the schema's pattern for IdentificationNumber.
var identityPattern = regexp.MustCompile(`^[0-9]{12}$`)

func (s *Simulator) answer(w http.ResponseWriter, r *http.Request) {
	env := simkit.ReadSOAP(w, r)
	if env == nil {
		return
	}
	fraga := env.Body
	if fraga.Tag != RequestElement || fraga.NamespaceURI() != Namespace {
		s.fault(w, soap.Fault{Code: "soap:Client", String: fmt.Sprintf("expected {%s}%s", Namespace, RequestElement)})
		return
	}
	pnr, err := required(fraga, "IdentificationNumber")
	if err == nil && !identityPattern.MatchString(pnr) {
		err = fmt.Errorf("IdentificationNumber does not match [0-9]{12}")
	}
	if err != nil {
		s.fault(w, soap.Fault{Code: "soap:Client", String: err.Error()})
		return
	}
	if !simkit.Delay(r.Context(), pnr) {
		return
	}
	if pnr == simkit.Felperson {
		s.fault(w, soap.Fault{Code: FelpersonFaultcode, String: FelpersonFaultstring})
		return
	}
	ns := Namespace
	if s.opts.WrongNamespace {
		ns = WrongNamespace
	}
	svar, err := response(ns, fraga, kassorFor(pnr))
	if err != nil {
		s.fault(w, soap.Fault{Code: "soap:Client", String: err.Error()})
		return
	}
	if s.opts.Charset == UTF8 {
		simkit.WriteSOAP(w, svar)
		return
	}
	s.writeUTF16(w, http.StatusOK, soap.Build(svar))
}

// fault answers with a SOAP fault in the simulator's charset.
func (s *Simulator) fault(w http.ResponseWriter, f soap.Fault) {
	if s.opts.Charset == UTF8 {
		simkit.WriteFault(w, f)
		return
	}
	s.writeUTF16(w, http.StatusInternalServerError, soap.BuildFault(f))
}

// writeUTF16 sends a serialized UTF-8 envelope re-encoded as UTF-16.
func (s *Simulator) writeUTF16(w http.ResponseWriter, status int, envelope []byte) {
	order := unicode.LittleEndian
	if s.opts.Charset == UTF16BE {
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
