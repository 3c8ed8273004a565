package legacy

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Writing answers and faults: one writer, appending to one byte slice with
// fixed prefixes (soap for the envelope, ssbt for the contract) and
// encoding/xml's escaping. No default namespace is ever declared, so
// unqualified agency content stays unqualified when copied in.

const (
	envelopeOpen  = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<soap:Envelope xmlns:soap="` + soapNS + `">`
	envelopeStart = envelopeOpen + `<soap:Body>`
	envelopeEnd   = `</soap:Body></soap:Envelope>`
	contract      = "ssbt"
)

// encoder builds one answer.
type encoder struct {
	b  []byte
	ns string // the contract namespace of the answer being written
	// scratch holds the text being escaped: xml.EscapeText takes bytes,
	// and converting each string would allocate.
	scratch []byte
}

// encoders keep answers' encoders, with their grown buffers, between
// requests: an answer is several KB, written once and then dropped.
var encoders = sync.Pool{New: func() any { return new(encoder) }}

// maxPooledAnswer bounds the buffers kept: a rare huge answer is not held
// on to for every later one.
const maxPooledAnswer = 1 << 20

// getEncoder returns an empty encoder; putEncoder gives it back once its
// bytes are written and no longer referenced.
func getEncoder() *encoder { return encoders.Get().(*encoder) }

func putEncoder(e *encoder) {
	if cap(e.b) > maxPooledAnswer || cap(e.scratch) > maxPooledAnswer {
		return
	}
	*e = encoder{b: e.b[:0], scratch: e.scratch[:0]}
	encoders.Put(e)
}

func (e *encoder) raw(s ...string) {
	for _, x := range s {
		e.b = append(e.b, x...)
	}
}

func (e *encoder) open(name string)  { e.raw("<"+contract+":", name, ">") }
func (e *encoder) close(name string) { e.raw("</"+contract+":", name, ">") }

// text writes s as XML character data or attribute value (in double
// quotes): encoding/xml escapes every character that line-end or attribute
// normalisation would change, and writes U+FFFD for what is no XML
// character (agency error texts may hold anything).
func (e *encoder) text(s string) {
	e.scratch = append(e.scratch[:0], s...)
	xml.EscapeText(e, e.scratch)
}

// Write appends p as it is.
func (e *encoder) Write(p []byte) (int, error) { e.b = append(e.b, p...); return len(p), nil }

// escaped returns s escaped as text does.
func escaped(s string) string {
	var e encoder
	e.text(s)
	return string(e.b)
}

// attr writes name="value".
func (e *encoder) attr(name, value string) {
	e.raw(" ", name, `="`)
	e.text(value)
	e.raw(`"`)
}

func (e *encoder) element(name, value string) {
	e.open(name)
	e.text(value)
	e.close(name)
}

// start begins an envelope whose body element is name in ns; a status
// other than nil goes before the body, in a SOAP header (svarsstatus).
func (e *encoder) start(name, ns string, status *ssbtekv1.Status) {
	e.ns = ns
	e.b = append(e.b[:0], envelopeOpen...)
	if status != nil {
		e.svarsstatus(status)
	}
	e.raw("<soap:Body><", contract, ":", name)
	e.attr("xmlns:"+contract, ns)
	if v := versionByNS(ns); v != nil && v.n < firstLefiJSON {
		// The echoed question's formansforteckning is in FK's namespace.
		e.attr("xmlns:fk", fkNS)
	}
	e.raw(">")
}

func (e *encoder) end(name string) {
	e.close(name)
	e.raw(envelopeEnd)
}

// byAgency indexes results by their Bastjanst number.
func byAgency[T interface{ GetBastjanst() ssbtekv1.Bastjanst }](rs []T) map[ssbtekv1.Bastjanst]T {
	m := make(map[ssbtekv1.Bastjanst]T, len(rs))
	for _, r := range rs {
		m[r.GetBastjanst()] = r
	}
	return m
}

// answer writes the hamtaBastjanstInformationResponse for the decoded
// request and the lookup's results.
func (e *encoder) answer(r *request, res []*ssbtekv1.BastjanstResultat) {
	const name = "hamtaBastjanstInformationResponse"
	var status *ssbtekv1.Status
	if s := bastjanst.Sammantagen(res); s.GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK {
		status = s
	}
	e.start(name, r.ver.ns, status)
	if r.generella().flag("fraganSkallInkluderasISvaret") {
		e.open("fraga")
		for _, c := range r.root.kids {
			e.echo(c)
		}
		e.close("fraga")
	}
	for _, n := range [...]string{"frageTidpunkt", "korrelationsid"} {
		if c := r.generella().child(n); c != nil {
			e.element(n, c.value)
		}
	}
	got := byAgency(res)
	e.open("svarsdata")
	for _, n := range r.agencies() {
		if n.included() {
			e.result(bastjanstFor(n.def.name), got[bastjanstFor(n.def.name)])
		}
	}
	e.close("svarsdata")
	e.end(name)
}

// svarsstatus writes the status of the whole answer as a SOAP header. The
// contract's body has no place for it: an agency's protected-identity mark
// is inside that agency's own data, where a case system reading another
// agency would miss it (seed 004 §6.3 wants the answer to say so). A header
// is where SOAP puts what is about the whole message, and a client that
// does not know it ignores it (no mustUnderstand), so every client built
// from the contract still reads the body as before. Written only when the
// status is not OK: an ordinary answer is the contract's, byte for byte.
func (e *encoder) svarsstatus(s *ssbtekv1.Status) {
	e.raw("<soap:Header><", contract, ":svarsstatus")
	e.attr("xmlns:"+contract, e.ns)
	e.raw(">")
	e.element("kod", strings.TrimPrefix(s.GetKod().String(), "STATUS_KOD_"))
	e.element("meddelande", s.GetMeddelande())
	e.raw("</", contract, ":svarsstatus></soap:Header>")
}

// echo writes node n of the question as it was asked, values normalised.
func (e *encoder) echo(n *node) {
	prefix := contract
	if n.def.ns == fkNS {
		prefix = "fk"
	}
	e.raw("<", prefix, ":", n.def.name)
	if n.inkludera != "" {
		e.attr("inkludera", n.inkludera)
	}
	e.raw(">")
	e.text(n.value)
	for _, c := range n.kids {
		e.echo(c)
	}
	e.raw("</", prefix, ":", n.def.name, ">")
}

// result writes one agency's element: its data, or error. The adapter has
// read the agency's answer and says which bytes of it data holds and how;
// the shim copies them without reading them again.
func (e *encoder) result(b ssbtekv1.Bastjanst, r *ssbtekv1.BastjanstResultat) {
	kod := bastjanst.Kod(b)
	e.open(kod)
	defer e.close(kod)
	if r == nil {
		// The lookup left this agency out: it has no adapter here.
		e.fel(bastjanst.FelFor(bastjanst.Unavailable(errors.New("no result"))))
		return
	}
	if len(r.GetDelsvar()) > 0 {
		e.delsvar(r)
		return
	}
	if r.GetFel() != nil {
		e.fel(r.GetFel())
		return
	}
	part, err := radata.Part(r.GetRadata())
	switch in := r.GetRadata().GetInbaddning(); {
	case err != nil:
		e.fel(bastjanst.FelFor(bastjanst.Unreadable(err)))
	case in.GetForm() == ssbtekv1.Inbaddning_FORM_BASE64:
		e.open("data")
		e.open(in.GetElement())
		e.b = base64.StdEncoding.AppendEncode(e.b, part)
		e.close(in.GetElement())
		e.close("data")
	default:
		e.xmlData(in.GetNamnrymder(), part)
	}
}

// delsvar writes the parts of an agency that answers in parts (SKV in
// v11): one element per part, named as the part, holding its bytes
// base64-encoded in the element its Inbaddning names, or its error; then
// the error of the whole, if any.
func (e *encoder) delsvar(r *ssbtekv1.BastjanstResultat) {
	for _, d := range r.GetDelsvar() {
		if !isXMLName(d.GetNamn()) {
			e.fel(bastjanst.FelFor(bastjanst.Unreadable(errors.New("part without a name"))))
			continue
		}
		e.open(d.GetNamn())
		part, err := radata.Part(d.GetRadata())
		switch in := d.GetRadata().GetInbaddning(); {
		case d.GetFel() != nil:
			e.fel(d.GetFel())
		case err != nil:
			e.fel(bastjanst.FelFor(bastjanst.Unreadable(err)))
		case in.GetForm() != ssbtekv1.Inbaddning_FORM_BASE64:
			e.fel(bastjanst.FelFor(bastjanst.Unreadable(errors.New("part is not embedded base64"))))
		default:
			e.open(in.GetElement())
			e.b = base64.StdEncoding.AppendEncode(e.b, part)
			e.close(in.GetElement())
		}
		e.close(d.GetNamn())
	}
	if r.GetFel() != nil {
		e.fel(r.GetFel())
	}
}

// isXMLName reports whether s is a plain ASCII XML name, as the parts' are.
func isXMLName(s string) bool {
	for i, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// xmlData writes data holding content, the agency answer element's content
// as the agency sent it, with the namespace declarations in scope there.
// data's own prefix is chosen so that it hides none of them.
func (e *encoder) xmlData(decls []*ssbtekv1.Namnrymd, content []byte) {
	prefix := contract
	for slices.ContainsFunc(decls, func(d *ssbtekv1.Namnrymd) bool { return d.GetPrefix() == prefix }) {
		prefix += "_"
	}
	e.raw("<", prefix, ":data")
	if prefix != contract {
		e.attr("xmlns:"+prefix, e.ns)
	}
	for _, d := range decls {
		if d.GetPrefix() == "" {
			e.attr("xmlns", d.GetUri())
		} else {
			e.attr("xmlns:"+d.GetPrefix(), d.GetUri())
		}
	}
	e.raw(">")
	e.b = append(e.b, content...)
	e.raw("</", prefix, ":data>")
}

func (e *encoder) fel(f *ssbtekv1.Fel) {
	kalla := "SSBT"
	if f.GetKalla() == ssbtekv1.Kalla_KALLA_BT {
		kalla = "BT"
	}
	e.open("error")
	e.element("kalla", kalla)
	e.element("felkod", f.GetFelkod())
	e.element("felmeddelande", f.GetFelmeddelande())
	e.close("error")
}

// testAnswer writes the testaBastjanstInformationResponse, in contract order.
func (e *encoder) testAnswer(ver *version, svar []*ssbtekv1.TestSvar) {
	const name = "testaBastjanstInformationResponse"
	e.start(name, ver.ns, nil)
	got := byAgency(svar)
	for b := ssbtekv1.Bastjanst_BASTJANST_AF; b <= ssbtekv1.Bastjanst_BASTJANST_MIV; b++ {
		if s := got[b]; s != nil && ver.has(bastjanst.Kod(b)) {
			e.open(bastjanst.Kod(b))
			e.element("anropad", strconv.FormatBool(s.GetAnropad()))
			if s.GetFel() != nil {
				e.fel(s.GetFel())
			}
			e.close(bastjanst.Kod(b))
		}
	}
	e.end(name)
}

// fault writes a SOAP fault whose detail is the operation's fault element.
func (e *encoder) fault(ns string, op operation, faultcode, felkod, msg string) {
	detail := "hamtaBastjanstInformationFault"
	if op == opTesta {
		detail = "testaBastjanstInformationFault"
	}
	e.b = append(e.b[:0], envelopeStart...)
	e.raw("<soap:Fault><faultcode>soap:", faultcode, "</faultcode><faultstring>")
	e.text(msg)
	e.raw("</faultstring><detail><", contract, ":", detail)
	e.attr("xmlns:"+contract, ns)
	e.raw(">")
	e.element("felkod", felkod)
	e.element("felmeddelande", msg)
	e.close(detail)
	e.raw("</detail></soap:Fault>", envelopeEnd)
}
