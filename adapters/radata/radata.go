// Package radata keeps an agency's answer as it came over the wire and says
// where in it the part lies that the legacy SSBTEK answer embeds. Each
// adapter declares its Embedding; the SOAP shim then copies bytes and knows
// no agency.
package radata

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"

	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Embedding is how the legacy SSBTEK answer carries an agency's answer in its
// data element (seed 000 §5.7-5.12). The zero value embeds nothing.
type Embedding struct {
	form    ssbtekv1.Inbaddning_Form
	element string
	// whole embeds the whole body instead of the answer element.
	whole bool
}

// AnswerContent embeds the children of the answer element (the SOAP Body's
// element, or the document's root when it is no envelope) as XML, with the
// namespace declarations in scope there: AF, SKV, SO, TNS and MIV.
func AnswerContent() Embedding { return Embedding{form: ssbtekv1.Inbaddning_FORM_XML} }

// AnswerBase64 embeds the answer element itself, base64-encoded, as the text
// of data's child called element: CSN's svar.
func AnswerBase64(element string) Embedding {
	return Embedding{form: ssbtekv1.Inbaddning_FORM_BASE64, element: element}
}

// BodyBase64 embeds the whole HTTP body base64-encoded as the text of data's
// child called element: FK's lefiJsonSvar.
func BodyBase64(element string) Embedding {
	return Embedding{form: ssbtekv1.Inbaddning_FORM_BASE64, element: element, whole: true}
}

// New keeps body, an agency's answer as received with its Content-Type, and
// locates the part e embeds. An XML answer whose part cannot be located is
// still kept, without Inbaddning: the shim then reports it unreadable.
func New(body []byte, contentType string, e Embedding) *ssbtekv1.Radata {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		media = contentType
	}
	rd := &ssbtekv1.Radata{Innehall: body, MediaType: media, Charset: params["charset"]}
	if e.form == ssbtekv1.Inbaddning_FORM_UNSPECIFIED {
		return rd
	}
	text, err := soap.UTF8(body, contentType)
	if err != nil {
		return rd
	}
	if e.whole {
		rd.Inbaddning = &ssbtekv1.Inbaddning{Form: e.form, Start: 0, Slut: uint32(len(text)), Element: e.element}
		return rd
	}
	a, err := locate(text)
	if err != nil {
		return rd
	}
	in := &ssbtekv1.Inbaddning{Form: e.form, Element: e.element}
	switch e.form {
	case ssbtekv1.Inbaddning_FORM_XML:
		in.Start, in.Slut, in.Namnrymder = uint32(a.contentStart), uint32(a.contentEnd), a.inScope(true)
	case ssbtekv1.Inbaddning_FORM_BASE64:
		in.Start, in.Slut, in.Namnrymder = uint32(a.start), uint32(a.end), a.inScope(false)
	}
	rd.Inbaddning = in
	return rd
}

// FromEnvelope is New for a parsed SOAP answer.
func FromEnvelope(env *soap.Envelope, e Embedding) *ssbtekv1.Radata {
	return New(env.Raw, env.ContentType, e)
}

// Part returns the bytes rd's Inbaddning points at, as UTF-8 and ready to
// embed: for FORM_BASE64 the namespaces an XML part inherited from the
// envelope are declared on its root's start tag, so the encoded document
// stands alone.
func Part(rd *ssbtekv1.Radata) ([]byte, error) {
	in := rd.GetInbaddning()
	switch {
	case in == nil || in.GetForm() == ssbtekv1.Inbaddning_FORM_UNSPECIFIED:
		return nil, errors.New("raw answer has no embeddable part")
	case in.GetForm() == ssbtekv1.Inbaddning_FORM_BASE64 && !isName(in.GetElement()):
		return nil, errors.New("embedding element is not a name")
	}
	text, err := soap.UTF8(rd.GetInnehall(), "text/plain; charset="+rd.GetCharset())
	if err != nil {
		return nil, err
	}
	if in.GetStart() > in.GetSlut() || int(in.GetSlut()) > len(text) {
		return nil, fmt.Errorf("embedded part [%d, %d) outside the %d-byte answer", in.GetStart(), in.GetSlut(), len(text))
	}
	part := text[in.GetStart():in.GetSlut()]
	end := bytes.IndexAny(part, " \t\r\n/>")
	if in.GetForm() != ssbtekv1.Inbaddning_FORM_BASE64 || len(in.GetNamnrymder()) == 0 || !bytes.HasPrefix(part, []byte("<")) || end < 0 {
		return part, nil
	}
	var b bytes.Buffer
	b.Write(part[:end])
	for _, n := range in.GetNamnrymder() {
		b.WriteString(" xmlns")
		if n.GetPrefix() != "" {
			b.WriteString(":" + n.GetPrefix())
		}
		b.WriteString(`="`)
		xml.EscapeText(&b, []byte(n.GetUri()))
		b.WriteString(`"`)
	}
	b.Write(part[end:])
	return b.Bytes(), nil
}

// isName reports whether s is a plain ASCII XML name, as embedding element
// names are.
func isName(s string) bool {
	for i, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// answer is the located answer element.
type answer struct {
	start, end               int // the element, start tag to end tag
	contentStart, contentEnd int // its content
	// decls are the declarations of the element's ancestors, outermost
	// first, then its own.
	ancestors, own []xml.Attr
}

// inScope returns the declarations in scope at the element, innermost
// winning; withOwn includes the element's own (which its bytes repeat
// anyway when it is copied whole).
func (a *answer) inScope(withOwn bool) []*ssbtekv1.Namnrymd {
	all := a.ancestors
	if withOwn {
		all = append(append([]xml.Attr(nil), a.ancestors...), a.own...)
	}
	byPrefix := map[string]int{}
	var out []*ssbtekv1.Namnrymd
	for _, at := range all {
		prefix := at.Name.Local
		if at.Name.Space == "" {
			prefix = ""
		}
		if !withOwn && declares(a.own, prefix) {
			continue
		}
		if i, ok := byPrefix[prefix]; ok {
			out[i].Uri = at.Value
			continue
		}
		byPrefix[prefix] = len(out)
		out = append(out, &ssbtekv1.Namnrymd{Prefix: prefix, Uri: at.Value})
	}
	// xmlns="" only undoes a default; it declares nothing to copy.
	kept := out[:0]
	for _, n := range out {
		if n.GetPrefix() != "" || n.GetUri() != "" {
			kept = append(kept, n)
		}
	}
	return kept
}

func declares(attrs []xml.Attr, prefix string) bool {
	for _, at := range attrs {
		if (at.Name.Space == "" && prefix == "") || (at.Name.Space == "xmlns" && at.Name.Local == prefix) {
			return true
		}
	}
	return false
}

func nsDecls(attrs []xml.Attr) []xml.Attr {
	var out []xml.Attr
	for _, at := range attrs {
		if at.Name.Space == "xmlns" || (at.Name.Space == "" && at.Name.Local == "xmlns") {
			out = append(out, at)
		}
	}
	return out
}

// maxDepth bounds the nesting of an answer being located; the adapter has
// read it with its own limits already.
const maxDepth = 256

// locate finds the answer element in a UTF-8 document: the first element of
// a SOAP 1.1 Body, or else the root. It records byte offsets, which etree
// does not give.
func locate(doc []byte) (*answer, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = soap.PassThrough
	var (
		a      answer
		stack  [][]xml.Attr // the declarations of each open element
		names  []xml.Name
		target = -1 // depth of the answer element once found
	)
	for {
		before := int(d.InputOffset())
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no answer element")
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, errors.New("answer nested too deep")
			}
			depth := len(stack)
			isEnvelopePart := depth < 2 && isSOAP(t.Name, stack, t.Attr)
			stack = append(stack, nsDecls(t.Attr))
			names = append(names, t.Name)
			if target < 0 && !isEnvelopePart && !(depth == 1 && isHeader(t.Name, stack)) {
				// Inside soap:Header nothing is the answer.
				if depth == 0 || depth == 2 && isBody(names[1], stack) {
					target = depth
					a.start, a.contentStart = before, int(d.InputOffset())
					for _, s := range stack[:depth] {
						a.ancestors = append(a.ancestors, s...)
					}
					a.own = stack[depth]
				}
			}
			if len(stack) == target+1 && selfClosing(doc, before, int(d.InputOffset())) {
				a.contentEnd, a.end = a.contentStart, int(d.InputOffset())
				return &a, nil
			}
		case xml.EndElement:
			if len(stack) == 0 {
				// RawToken does not match end tags to start tags.
				return nil, errors.New("end tag without start tag")
			}
			stack, names = stack[:len(stack)-1], names[:len(names)-1]
			if len(stack) == target {
				a.contentEnd, a.end = before, int(d.InputOffset())
				return &a, nil
			}
		}
	}
}

// selfClosing reports whether the start tag doc[from:to] is an empty-element tag.
func selfClosing(doc []byte, from, to int) bool {
	return to-from >= 2 && to <= len(doc) && doc[to-2] == '/' && doc[to-1] == '>'
}

// resolve returns the namespace prefix is bound to in the open elements.
func resolve(prefix string, stack [][]xml.Attr) string {
	for i := len(stack) - 1; i >= 0; i-- {
		for _, at := range stack[i] {
			if (prefix == "" && at.Name.Space == "" && at.Name.Local == "xmlns") || (at.Name.Space == "xmlns" && at.Name.Local == prefix) {
				return at.Value
			}
		}
	}
	return ""
}

// isSOAP reports whether the element n (with attrs, at depth len(stack)) is
// a SOAP 1.1 Envelope at the root or a Header/Body below it.
func isSOAP(n xml.Name, stack [][]xml.Attr, attrs []xml.Attr) bool {
	all := append(append([][]xml.Attr(nil), stack...), nsDecls(attrs))
	if resolve(n.Space, all) != soap.EnvelopeNS {
		return false
	}
	switch len(stack) {
	case 0:
		return n.Local == "Envelope"
	case 1:
		return n.Local == "Header" || n.Local == "Body"
	}
	return false
}

func isHeader(n xml.Name, stack [][]xml.Attr) bool {
	return n.Local == "Header" && resolve(n.Space, stack) == soap.EnvelopeNS
}

func isBody(n xml.Name, stack [][]xml.Attr) bool {
	return n.Local == "Body" && resolve(n.Space, stack[:2]) == soap.EnvelopeNS
}
