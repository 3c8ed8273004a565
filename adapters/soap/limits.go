package soap

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
)

// Limits bound what reading one document may cost, so that the cost stays
// linear in its size. etree's CreateAttr looks for an existing attribute of
// the same name before adding one, so an element's attributes cost their
// count squared: 70 000 attributes on one element took 19.5 s of CPU before
// these bounds. A document over a bound is refused as soon as the reader
// meets the token that breaks it.
type Limits struct {
	// MaxDepth bounds the nesting of elements; 0 means etree's default, 1024.
	MaxDepth int
	// MaxAttrs bounds the attributes of one element, namespace declarations
	// included; 0 means DefaultMaxAttrs.
	MaxAttrs int
	// MaxNamespaces bounds the namespace declarations of one element; 0
	// means DefaultMaxNamespaces.
	MaxNamespaces int
	// MaxTokens bounds the tokens (start and end tags, text, comments,
	// processing instructions) of the whole document; 0 means no bound.
	MaxTokens int
}

// The bounds a zero Limits stands for: far above what any SOAP document of
// the contract or an agency carries (a handful of attributes, an envelope
// declaring some twenty namespaces), far below what would cost time.
const (
	DefaultMaxAttrs      = 128
	DefaultMaxNamespaces = 64
)

func (l Limits) depth() int {
	if l.MaxDepth <= 0 {
		return etreeDefaultMaxDepth
	}
	return l.MaxDepth
}

// Errors of a document over its Limits, worded by syntaxProblem.
var (
	errTooManyAttrs      = errors.New("too many attributes on one element")
	errTooManyNamespaces = errors.New("too many namespace declarations on one element")
	errTooManyTokens     = errors.New("too many tokens")
)

// budget counts a document's tokens against its Limits as it is read.
type budget struct {
	lim    Limits
	tokens int
}

// take accounts for the token t.
func (b *budget) take(t xml.Token) error {
	b.tokens++
	if b.lim.MaxTokens > 0 && b.tokens > b.lim.MaxTokens {
		return errTooManyTokens
	}
	s, ok := t.(xml.StartElement)
	if !ok {
		return nil
	}
	if len(s.Attr) > cmp.Or(b.lim.MaxAttrs, DefaultMaxAttrs) {
		return errTooManyAttrs
	}
	decls := 0
	for _, a := range s.Attr {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
			decls++
		}
	}
	if decls > cmp.Or(b.lim.MaxNamespaces, DefaultMaxNamespaces) {
		return errTooManyNamespaces
	}
	return nil
}

// prescan checks the UTF-8 document doc against lim in one pass of
// encoding/xml's tokenizer, which is linear, before a reader that is not
// (etree's own, for the documents readLocating leaves to it) sees it.
// Syntax errors are left to that reader, which words them its own way.
func prescan(doc []byte, lim Limits) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.CharsetReader = PassThrough
	b := budget{lim: lim}
	depth := 0
	for {
		t, err := dec.RawToken()
		if err != nil {
			return nil
		}
		if err := b.take(t); err != nil {
			return err
		}
		switch t.(type) {
		case xml.StartElement:
			if depth++; depth > lim.depth() {
				return nil // etree's own reader refuses it with its error
			}
		case xml.EndElement:
			depth--
		}
	}
}

// limitProblem words a Limits error, or returns nil for another error.
func limitProblem(err error, lim Limits) *XMLError {
	switch {
	case errors.Is(err, errTooManyAttrs):
		return invalid("ett element har fler än %d attribut", cmp.Or(lim.MaxAttrs, DefaultMaxAttrs))
	case errors.Is(err, errTooManyNamespaces):
		return invalid("ett element har fler än %d namnrymdsdeklarationer", cmp.Or(lim.MaxNamespaces, DefaultMaxNamespaces))
	case errors.Is(err, errTooManyTokens):
		return invalid("dokumentet har fler än %d XML-delar (taggar, texter)", lim.MaxTokens)
	}
	return nil
}
