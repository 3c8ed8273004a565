// Package soap is the SOAP 1.1 envelope handling that every SOAP agency adapter
// and simulator shares: building envelopes, calling an endpoint with limits,
// and reading answers and faults strictly, through github.com/beevik/etree.
package soap

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// EnvelopeNS is the SOAP 1.1 envelope namespace.
const EnvelopeNS = "http://schemas.xmlsoap.org/soap/envelope/"

// ContentType is what SOAP 1.1 travels as.
const ContentType = "text/xml; charset=utf-8"

// Envelope is a parsed SOAP envelope.
type Envelope struct {
	// Raw is the document as received, byte for byte; ContentType the
	// Content-Type it came with ("" when unknown).
	Raw         []byte
	ContentType string
	// Headers are the children of soap:Header, if any.
	Headers []*etree.Element
	// Body is the first element child of soap:Body; nil when the body is empty.
	Body *etree.Element
	// Fault is set when the body holds a soap:Fault.
	Fault *Fault

	// located is set when ParseAs found the answer element (answer, or
	// locateErr) while reading raw with contentType, which Raw and
	// ContentType must still be for Locate to use it.
	located     bool
	answer      *Answer
	locateErr   error
	raw         []byte
	contentType string
}

// Locate returns what Locate returns for e.Raw in UTF-8: the answer's
// place, found in the same pass when ParseAs read e.Raw (then e.Raw must
// not have been changed in place since).
func (e *Envelope) Locate() (*Answer, error) {
	if e.located && e.ContentType == e.contentType && sameSlice(e.Raw, e.raw) {
		return e.answer, e.locateErr
	}
	text, err := UTF8(e.Raw, e.ContentType)
	if err != nil {
		return nil, err
	}
	return Locate(text)
}

// sameSlice reports whether a and b are the same bytes in memory.
func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// Fault is a SOAP 1.1 fault.
type Fault struct {
	Code   string
	String string
	Actor  string
	// Detail is the first element child of the fault's detail, if any.
	Detail *etree.Element
}

func (f *Fault) Error() string { return fmt.Sprintf("soap fault %s: %s", f.Code, f.String) }

// MaxAnswerDepth bounds the nesting of an agency's answer.
const MaxAnswerDepth = 256

// ErrNotSOAP is wrapped by Parse errors for documents that are not SOAP 1.1 envelopes.
var ErrNotSOAP = errors.New("not a SOAP 1.1 envelope")

// Build returns a serialized envelope with the given header and body elements.
// The elements are not changed, so callers may reuse them.
func Build(body *etree.Element, headers ...*etree.Element) []byte {
	// What etree writes for a document of the XML declaration and an
	// Envelope holding the elements, without building that document: the
	// elements themselves are written by etree, copied (Standalone) only
	// when they inherit namespaces from a tree they are part of.
	var b bytes.Buffer
	b.Grow(buildSize)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="` + EnvelopeNS + `">`)
	if len(headers) > 0 {
		b.WriteString("<soap:Header>")
		for _, e := range headers {
			writeStandalone(&b, e)
		}
		b.WriteString("</soap:Header>")
	}
	if body == nil {
		b.WriteString("<soap:Body/>")
	} else {
		b.WriteString("<soap:Body>")
		writeStandalone(&b, body)
		b.WriteString("</soap:Body>")
	}
	b.WriteString("</soap:Envelope>")
	return b.Bytes()
}

// buildSize is room for a typical request, so that Build allocates once.
const buildSize = 2048

// writeSettings are a new etree document's, which Build used to write.
var writeSettings = etree.WriteSettings{}

func writeStandalone(b *bytes.Buffer, el *etree.Element) {
	if el.Parent() != nil {
		el = Standalone(el)
	}
	el.WriteTo(b, &writeSettings)
}

// BuildFault returns a serialized envelope holding a SOAP 1.1 fault.
func BuildFault(f Fault) []byte {
	fault := etree.NewElement("soap:Fault")
	fault.CreateElement("faultcode").SetText(f.Code)
	fault.CreateElement("faultstring").SetText(f.String)
	if f.Actor != "" {
		fault.CreateElement("faultactor").SetText(f.Actor)
	}
	if f.Detail != nil {
		fault.CreateElement("detail").AddChild(Standalone(f.Detail))
	}
	return Build(fault)
}

// Parse reads a SOAP 1.1 envelope strictly (ReadStrict): the root must be
// Envelope in the SOAP 1.1 namespace with a Body.
func Parse(raw []byte) (*Envelope, error) { return ParseAs(raw, "") }

// ParseAs is Parse for a document that came with the given Content-Type,
// whose charset (or else the document's own) it is decoded from.
func ParseAs(raw []byte, contentType string) (*Envelope, error) {
	var loc locator
	loc.reset()
	root, located, err := readStrict(raw, contentType, Limits{MaxDepth: MaxAnswerDepth}, &loc)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotSOAP, err)
	}
	if root.Tag != "Envelope" || root.NamespaceURI() != EnvelopeNS {
		return nil, fmt.Errorf("%w: root is not {%s}Envelope", ErrNotSOAP, EnvelopeNS)
	}
	env := &Envelope{Raw: raw, ContentType: contentType, located: located, raw: raw, contentType: contentType}
	if located {
		env.answer, env.locateErr = loc.result()
	}
	var body *etree.Element
	for c := range root.ChildElementsSeq() {
		if c.NamespaceURI() != EnvelopeNS {
			return nil, fmt.Errorf("%w: unexpected element %s in Envelope", ErrNotSOAP, c.Tag)
		}
		switch c.Tag {
		case "Header":
			env.Headers = c.ChildElements()
		case "Body":
			body = c
		default:
			return nil, fmt.Errorf("%w: unexpected element %s in Envelope", ErrNotSOAP, c.Tag)
		}
	}
	if body == nil {
		return nil, fmt.Errorf("%w: no Body", ErrNotSOAP)
	}
	first := firstElement(body)
	if first == nil {
		return env, nil
	}
	if first.Tag == "Fault" && first.NamespaceURI() == EnvelopeNS {
		env.Fault = readFault(first)
	}
	env.Body = first
	return env, nil
}

// firstElement is el's first child element, or nil.
func firstElement(el *etree.Element) *etree.Element {
	for c := range el.ChildElementsSeq() {
		return c
	}
	return nil
}

func readFault(el *etree.Element) *Fault {
	f := &Fault{}
	// faultcode etc. are unqualified in SOAP 1.1, but some stacks qualify them.
	for c := range el.ChildElementsSeq() {
		switch c.Tag {
		case "faultcode":
			f.Code = strings.TrimSpace(c.Text())
		case "faultstring":
			f.String = strings.TrimSpace(c.Text())
		case "faultactor":
			f.Actor = strings.TrimSpace(c.Text())
		case "detail":
			if d := firstElement(c); d != nil {
				f.Detail = d
			}
		}
	}
	return f
}

// Standalone returns a copy of el that carries every namespace declaration it
// inherits, so it can be serialized or moved on its own.
func Standalone(el *etree.Element) *etree.Element {
	cp := el.Copy()
	declared := map[string]bool{}
	for _, a := range cp.Attr {
		if a.Space == "xmlns" {
			declared[a.Key] = true
		} else if a.Space == "" && a.Key == "xmlns" {
			declared[""] = true
		}
	}
	for p := el.Parent(); p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			var prefix string
			switch {
			case a.Space == "xmlns":
				prefix = a.Key
			case a.Space == "" && a.Key == "xmlns":
				prefix = ""
			default:
				continue
			}
			if declared[prefix] {
				continue
			}
			declared[prefix] = true
			if prefix == "" {
				cp.CreateAttr("xmlns", a.Value)
			} else {
				cp.CreateAttr("xmlns:"+prefix, a.Value)
			}
		}
	}
	return cp
}

// Bytes serializes el as a standalone XML document (no XML declaration).
func Bytes(el *etree.Element) []byte {
	doc := etree.NewDocument()
	doc.SetRoot(Standalone(el))
	out, _ := doc.WriteToBytes()
	return out
}

// Child returns the first child element of el with the given local name in
// namespace ns ("" matches any namespace), or nil.
func Child(el *etree.Element, ns, local string) *etree.Element {
	if el == nil {
		return nil
	}
	for c := range el.ChildElementsSeq() {
		if c.Tag == local && (ns == "" || c.NamespaceURI() == ns) {
			return c
		}
	}
	return nil
}

// Text returns the trimmed text of the child element at the given path of
// local names (any namespace), or "" when it is absent.
func Text(el *etree.Element, path ...string) string {
	for _, p := range path {
		el = Child(el, "", p)
		if el == nil {
			return ""
		}
	}
	return strings.TrimSpace(el.Text())
}
