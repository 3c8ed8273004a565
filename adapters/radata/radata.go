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
	return keep(body, contentType, e, func() (*soap.Answer, error) {
		text, err := soap.UTF8(body, contentType)
		if err != nil {
			return nil, err
		}
		return soap.Locate(text)
	})
}

// FromEnvelope is New for a parsed SOAP answer. The answer element was
// located while the envelope was read, so its bytes are not read again.
func FromEnvelope(env *soap.Envelope, e Embedding) *ssbtekv1.Radata {
	return keep(env.Raw, env.ContentType, e, env.Locate)
}

// keep is New with the answer element located by locate (in body as UTF-8).
func keep(body []byte, contentType string, e Embedding, locate func() (*soap.Answer, error)) *ssbtekv1.Radata {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		media = contentType
	}
	rd := &ssbtekv1.Radata{Innehall: body, MediaType: media, Charset: params["charset"]}
	if e.form == ssbtekv1.Inbaddning_FORM_UNSPECIFIED {
		return rd
	}
	if e.whole {
		text, err := soap.UTF8(body, contentType)
		if err != nil {
			return rd
		}
		rd.Inbaddning = &ssbtekv1.Inbaddning{Form: e.form, Start: 0, Slut: uint32(len(text)), Element: e.element}
		return rd
	}
	a, err := locate()
	if err != nil {
		return rd
	}
	in := &ssbtekv1.Inbaddning{Form: e.form, Element: e.element}
	switch e.form {
	case ssbtekv1.Inbaddning_FORM_XML:
		in.Start, in.Slut, in.Namnrymder = uint32(a.ContentStart), uint32(a.ContentEnd), inScope(a, true)
	case ssbtekv1.Inbaddning_FORM_BASE64:
		in.Start, in.Slut, in.Namnrymder = uint32(a.Start), uint32(a.End), inScope(a, false)
	}
	rd.Inbaddning = in
	return rd
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

// inScope returns the declarations in scope at the answer element a,
// innermost winning; withOwn includes the element's own (which its bytes
// repeat anyway when it is copied whole).
func inScope(a *soap.Answer, withOwn bool) []*ssbtekv1.Namnrymd {
	all := a.Ancestors
	if withOwn {
		all = append(append([]xml.Attr(nil), a.Ancestors...), a.Own...)
	}
	byPrefix := map[string]int{}
	var out []*ssbtekv1.Namnrymd
	for _, at := range all {
		prefix := at.Name.Local
		if at.Name.Space == "" {
			prefix = ""
		}
		if !withOwn && declares(a.Own, prefix) {
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
