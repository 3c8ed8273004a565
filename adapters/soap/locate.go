package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// Answer is where in a UTF-8 document its answer element lies: the first
// element of a SOAP 1.1 Body, or else the root. etree keeps no byte
// offsets, and the legacy SSBTEK answer copies the agency's bytes, so
// package radata needs these.
type Answer struct {
	Start, End               int // the element, start tag to end tag
	ContentStart, ContentEnd int // its content
	// Ancestors are the namespace declarations of the element's ancestors,
	// outermost first; Own its own.
	Ancestors, Own []xml.Attr
}

// maxLocateDepth bounds the nesting of an answer being located; the adapter
// has read it with its own limits already.
const maxLocateDepth = 256

// Locate finds the answer element in the UTF-8 document doc. ParseAs finds
// it in the same pass that reads the envelope (Envelope.Locate); this is for
// documents nothing has parsed.
func Locate(doc []byte) (*Answer, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = PassThrough
	var l locator
	l.reset()
	for {
		before := int(d.InputOffset())
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil, errNoAnswer
		}
		if err != nil {
			return nil, err
		}
		if l.token(tok, before, int(d.InputOffset()), doc) {
			return l.result()
		}
	}
}

var errNoAnswer = errors.New("no answer element")

// locator is Locate's state, fed one raw token at a time, so that ParseAs
// can run it beside building the tree instead of tokenising the answer a
// second time.
type locator struct {
	a      Answer
	stack  [][]xml.Attr // the declarations of each open element
	names  []xml.Name
	target int // depth of the answer element once found, else -1
	done   bool
	err    error
}

func (l *locator) reset() { *l = locator{target: -1} }

// result is what Locate returns once token has reported done.
func (l *locator) result() (*Answer, error) {
	if l.err != nil {
		return nil, l.err
	}
	return &l.a, nil
}

// token takes the raw token tok, which doc[before:after] holds, and reports
// whether the answer is located (or cannot be: l.err).
func (l *locator) token(tok xml.Token, before, after int, doc []byte) bool {
	if l.done {
		return true
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if len(l.stack) >= maxLocateDepth {
			return l.fail(errors.New("answer nested too deep"))
		}
		depth := len(l.stack)
		isEnvelopePart := depth < 2 && isSOAP(t.Name, l.stack, t.Attr)
		l.stack = append(l.stack, nsDecls(t.Attr))
		l.names = append(l.names, t.Name)
		if l.target < 0 && !isEnvelopePart && !(depth == 1 && isHeader(t.Name, l.stack)) {
			// Inside soap:Header nothing is the answer.
			if depth == 0 || depth == 2 && isBody(l.names[1], l.stack) {
				l.target = depth
				l.a.Start, l.a.ContentStart = before, after
				for _, s := range l.stack[:depth] {
					l.a.Ancestors = append(l.a.Ancestors, s...)
				}
				l.a.Own = l.stack[depth]
			}
		}
		if len(l.stack) == l.target+1 && selfClosing(doc, before, after) {
			l.a.ContentEnd, l.a.End = l.a.ContentStart, after
			l.done = true
		}
	case xml.EndElement:
		if len(l.stack) == 0 {
			// RawToken does not match end tags to start tags.
			return l.fail(errors.New("end tag without start tag"))
		}
		l.stack, l.names = l.stack[:len(l.stack)-1], l.names[:len(l.names)-1]
		if len(l.stack) == l.target {
			l.a.ContentEnd, l.a.End = before, after
			l.done = true
		}
	}
	return l.done
}

func (l *locator) fail(err error) bool {
	l.err, l.done = err, true
	return true
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
	if resolve(n.Space, all) != EnvelopeNS {
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
	return n.Local == "Header" && resolve(n.Space, stack) == EnvelopeNS
}

func isBody(n xml.Name, stack [][]xml.Attr) bool {
	return n.Local == "Body" && resolve(n.Space, stack[:2]) == EnvelopeNS
}

// errUnusualName reports a document readLocating leaves to etree: an
// unprefixed attribute name holding a colon, which etree's public API
// cannot set exactly as its reader does.
var errUnusualName = errors.New("attribute name etree's API cannot set")

// readLocating reads the UTF-8 document doc into a tree exactly as etree's
// Document.ReadFromBytes does with ReadSettings{MaxDepth: maxDepth,
// CharsetReader: PassThrough} (the same encoding/xml raw tokens, the same
// elements, attributes, character data and errors) within lim, and hands every token
// with its byte offsets to loc, so that the answer is located without
// tokenising the document twice. loc (if not nil) ends done, with
// errNoAnswer when the document has no answer element.
func readLocating(doc []byte, lim Limits, loc *locator) (*etree.Document, error) {
	maxDepth := lim.depth()
	b := budget{lim: lim}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.CharsetReader = PassThrough
	d := etree.NewDocument()
	// Room for an agency answer's usual depth and open children, so that
	// these grow seldom.
	stack := append(make([]*etree.Element, 0, 16), &d.Element)
	// An element's children wait in pending (from marks[depth]) until its
	// end tag, so that its Child slice is allocated once, at its size.
	pending := make([]etree.Token, 0, 64)
	marks := append(make([]int, 0, 16), 0)
	for {
		before := int(dec.InputOffset())
		t, err := dec.RawToken()
		switch {
		case err == io.EOF:
			if loc != nil && !loc.done {
				loc.fail(errNoAnswer)
			}
			if len(stack) != 1 {
				return nil, etree.ErrXML
			}
			adopt(&d.Element, pending)
			return d, nil
		case err != nil:
			return nil, err
		case len(stack) == 0:
			return nil, etree.ErrXML
		}
		if err := b.take(t); err != nil {
			return nil, err
		}
		if loc != nil && !loc.done {
			loc.token(t, before, int(dec.InputOffset()), doc)
		}
		top := stack[len(stack)-1]
		switch t := t.(type) {
		case xml.StartElement:
			if len(stack) > maxDepth {
				return nil, etree.ErrMaxDepth
			}
			e := etree.NewElement("")
			e.Space, e.Tag = t.Name.Space, t.Name.Local
			if len(t.Attr) > 0 {
				e.Attr = make([]etree.Attr, 0, len(t.Attr))
			}
			for _, a := range t.Attr {
				// CreateAttr splits its key at the first colon and, like
				// etree's reader, lets a repeated name overwrite the value.
				switch {
				case a.Name.Space != "":
					e.CreateAttr(a.Name.Space+":"+a.Name.Local, a.Value)
				case strings.IndexByte(a.Name.Local, ':') >= 0:
					return nil, errUnusualName
				default:
					e.CreateAttr(a.Name.Local, a.Value)
				}
			}
			pending = append(pending, e)
			stack = append(stack, e)
			marks = append(marks, len(pending))
		case xml.EndElement:
			if top.Tag != t.Name.Local || top.Space != t.Name.Space {
				return nil, etree.ErrXML
			}
			mark := marks[len(marks)-1]
			adopt(top, pending[mark:])
			clear(pending[mark:])
			pending, stack, marks = pending[:mark], stack[:len(stack)-1], marks[:len(marks)-1]
		case xml.CharData:
			c := etree.NewText("")
			c.SetData(string(t)) // marks white space as etree's reader does
			pending = append(pending, c)
		case xml.Comment:
			pending = append(pending, etree.NewComment(string(t)))
		case xml.Directive:
			pending = append(pending, etree.NewDirective(string(t)))
		case xml.ProcInst:
			pending = append(pending, etree.NewProcInst(t.Target, string(t.Inst)))
		}
	}
}

// adopt makes kids el's children, in order.
func adopt(el *etree.Element, kids []etree.Token) {
	if len(kids) == 0 {
		return
	}
	el.Child = make([]etree.Token, 0, len(kids))
	for _, k := range kids {
		el.AddChild(k)
	}
}

// ReadTree reads doc as an etree Document's ReadFromBytes does with
// ReadSettings{MaxDepth: maxDepth, CharsetReader: PassThrough} (0: etree's
// default depth), to the same tree and the same errors, allocating each
// element's children once instead of growing them; an element with more
// than DefaultMaxAttrs attributes or DefaultMaxNamespaces namespace
// declarations is refused.
func ReadTree(doc []byte, maxDepth int) (*etree.Document, error) {
	return readTree(doc, Limits{MaxDepth: maxDepth})
}

// readTree is ReadTree within lim.
func readTree(doc []byte, lim Limits) (*etree.Document, error) {
	d, err := readLocating(doc, lim, nil)
	if errors.Is(err, errUnusualName) {
		// etree's own reader is quadratic in an element's attributes:
		// it reads only what the same bounds allow.
		if err := prescan(doc, lim); err != nil {
			return nil, err
		}
		d = etree.NewDocument()
		d.ReadSettings = etree.ReadSettings{MaxDepth: lim.MaxDepth, CharsetReader: PassThrough}
		err = d.ReadFromBytes(doc)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// etreeDefaultMaxDepth is the depth etree allows when ReadSettings.MaxDepth is 0.
const etreeDefaultMaxDepth = 1024
