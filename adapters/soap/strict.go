package soap

import (
	"encoding/xml"
	"errors"
	"maps"
	"strings"
	"unicode/utf8"

	"fmt"

	"github.com/beevik/etree"
)

// Reading XML strictly on etree, for agency answers and SSBTEK requests
// alike: any charset UTF8 knows, a depth limit, DOCTYPEs refused, one root,
// and the Namespaces in XML rules encoding/xml leaves out. Problems name what
// is wrong in Swedish (the SSBTEK shim passes them on in its faults), never
// a value, and quote names at most MaxQuoted characters long.

// XMLError is a document ReadStrict refuses.
type XMLError struct{ Problem string }

func (e *XMLError) Error() string { return e.Problem }

func invalid(format string, args ...any) *XMLError {
	return &XMLError{Problem: fmt.Sprintf(format, args...)}
}

// MaxQuoted bounds a name from a document quoted back in an error.
const MaxQuoted = 64

// Quoted caps a name from a document for an error text.
func Quoted(s string) string {
	if utf8.RuneCountInString(s) <= MaxQuoted {
		return s
	}
	return string([]rune(s)[:MaxQuoted]) + "…"
}

// ReadStrict returns the root element of doc, which came with contentType.
func ReadStrict(doc []byte, contentType string, lim Limits) (*etree.Element, error) {
	root, _, err := readStrict(doc, contentType, lim, nil)
	return root, err
}

// readStrict is ReadStrict that, given loc, also locates the answer element
// in the same pass (located reports whether it did).
func readStrict(doc []byte, contentType string, lim Limits, loc *locator) (root *etree.Element, located bool, err error) {
	in, err := UTF8(doc, contentType)
	if err != nil {
		return nil, false, invalid("teckenkodningen stöds inte, använd UTF-8")
	}
	var d *etree.Document
	if loc != nil {
		d, err = readLocating(in, lim, loc)
		located = !errors.Is(err, errUnusualName)
	}
	if !located {
		d, err = readTree(in, lim)
	}
	if err != nil {
		return nil, false, syntaxProblem(err, lim)
	}
	root, err = checkRoot(d)
	return root, located, err
}

// checkRoot returns d's one root element, checked.
func checkRoot(d *etree.Document) (*etree.Element, error) {
	var root *etree.Element
	for _, t := range d.Child {
		switch t := t.(type) {
		case *etree.Element:
			if root != nil {
				return nil, invalid("dokumentet har mer än ett rotelement")
			}
			root = t
		case *etree.Directive:
			// encoding/xml expands no entity a DOCTYPE declares; refusing
			// the DOCTYPE keeps them out of sight as well.
			return nil, invalid("DOCTYPE är inte tillåtet")
		case *etree.CharData:
			if strings.Trim(t.Data, " \t\r\n") != "" {
				return nil, invalid("text utanför rotelementet")
			}
		}
	}
	if root == nil {
		return nil, invalid("dokumentet saknar rotelement")
	}
	return root, checkNamespaces(root)
}

// syntaxProblem words a parse error without repeating the document.
func syntaxProblem(err error, lim Limits) error {
	if p := limitProblem(err, lim); p != nil {
		return p
	}
	var se *xml.SyntaxError
	switch {
	case errors.Is(err, etree.ErrXML):
		return invalid("ett element avslutas inte, eller matchar inte sin sluttagg")
	case errors.Is(err, etree.ErrMaxDepth):
		return invalid("elementen är nästlade djupare än %d", lim.depth())
	case !errors.As(err, &se):
		return invalid("förfrågan är inte välformad XML")
	}
	what := "förfrågan är inte välformad XML"
	for _, p := range [...][2]string{
		{"unexpected EOF", "dokumentet avslutas inte"}, {"entity", "okänd eller ogiltig entitet"},
		{"UTF-8", "ogiltig UTF-8"}, {"illegal character", "otillåtet tecken"},
		{"closed by", "start- och sluttagg matchar inte"}, {"unexpected end element", "start- och sluttagg matchar inte"},
	} {
		if strings.Contains(se.Msg, p[0]) {
			what = p[1]
			break
		}
	}
	return invalid("%s (rad %d)", what, se.Line)
}

// LookupNS resolves prefix ("" for the default namespace) at el.
func LookupNS(el *etree.Element, prefix string) (string, bool) {
	if prefix == "xml" {
		return "http://www.w3.org/XML/1998/namespace", true
	}
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if prefix == "" && a.Space == "" && a.Key == "xmlns" || prefix != "" && a.Space == "xmlns" && a.Key == prefix {
				return a.Value, true
			}
		}
	}
	return "", prefix == ""
}

// ResolveQName reads a QName value (of xsi:type, or a schema's type) at el.
func ResolveQName(el *etree.Element, q string) (ns, local string) {
	prefix, local, ok := strings.Cut(strings.TrimSpace(q), ":")
	if !ok {
		prefix, local = "", prefix
	}
	ns, _ = LookupNS(el, prefix)
	return ns, local
}

// Space returns el's namespace name.
func Space(el *etree.Element) string {
	ns, _ := LookupNS(el, el.Space)
	return ns
}

// checkNamespaces applies the Namespaces in XML rules encoding/xml leaves
// out: every prefix declared, no reserved prefix misused, no attribute twice.
func checkNamespaces(el *etree.Element) error { return checkScope(el, nil) }

// checkScope is checkNamespaces for el inside scope, the prefixes its
// ancestors declare ("" the default namespace). Carrying the scope down
// makes each name's lookup one map access: LookupNS, which walks up the
// ancestors' attributes, made an element's attributes cost their count
// squared.
func checkScope(el *etree.Element, scope map[string]string) error {
	own, cloned := scope, false
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns" && a.Value == "":
			return invalid("prefixet %s binds till en tom namnrymd", Quoted(a.Key))
		case a.Space == "xmlns" && (a.Key == "xmlns" || (a.Key == "xml") != (a.Value == "http://www.w3.org/XML/1998/namespace") || a.Value == "http://www.w3.org/2000/xmlns/"):
			return invalid("reserverad namnrymd eller prefix xmlns:%s", Quoted(a.Key))
		case a.Space == "xmlns", a.Space == "" && a.Key == "xmlns":
			if !cloned {
				own, cloned = make(map[string]string, len(scope)+4), true
				maps.Copy(own, scope)
			}
			// The reader keeps one attribute of a name per element.
			if a.Space == "" {
				own[""] = a.Value
			} else {
				own[a.Key] = a.Value
			}
		}
	}
	lookup := func(prefix string) (string, bool) {
		if prefix == "xml" {
			return "http://www.w3.org/XML/1998/namespace", true
		}
		ns, ok := own[prefix]
		return ns, ok || prefix == ""
	}
	seen := make(map[[2]string]bool, len(el.Attr))
	for _, a := range el.Attr {
		if a.Space == "xmlns" || a.Space == "" && a.Key == "xmlns" {
			continue
		}
		ns, ok := "", true // unprefixed attributes are in no namespace
		if a.Space != "" {
			ns, ok = lookup(a.Space)
		}
		if !ok {
			return invalid("prefixet %s är inte deklarerat", Quoted(a.Space))
		}
		if seen[[2]string{ns, a.Key}] {
			return invalid("attributet %s förekommer två gånger", Quoted(a.Key))
		}
		seen[[2]string{ns, a.Key}] = true
	}
	if _, ok := lookup(el.Space); !ok {
		return invalid("prefixet %s är inte deklarerat", Quoted(el.Space))
	}
	for c := range el.ChildElementsSeq() {
		if err := checkScope(c, own); err != nil {
			return err
		}
	}
	return nil
}

// Content returns el's child elements and its text. Element content
// (simple false) may hold only white space, simple content no elements.
func Content(el *etree.Element, simple bool) ([]*etree.Element, string, error) {
	var kids []*etree.Element
	var text strings.Builder
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.Element:
			if simple {
				return nil, "", invalid("elementet %s får inte innehålla element", Quoted(el.Tag))
			}
			kids = append(kids, t)
		case *etree.CharData:
			if !simple && strings.Trim(t.Data, " \t\r\n") != "" {
				return nil, "", invalid("text är inte tillåten i %s", Quoted(el.Tag))
			}
			text.WriteString(t.Data)
		case *etree.Directive:
			return nil, "", invalid("DOCTYPE är inte tillåtet")
		}
	}
	return kids, text.String(), nil
}
