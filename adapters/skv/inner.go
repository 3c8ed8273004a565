package skv

import (
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
)

// The inner documents travel as strings in forfragan and svar. Their
// namespaces are those of SKV's answer sample: the document itself in
// "standardiserad information", its parts in the components for taxation
// (besko) and population registration (folko).
const (
	nsStandard      = "http://xmls.skatteverket.se/se/skatteverket/zg/instans/standardiseradInformation/1.0"
	nsBeskattning   = "http://xmls.skatteverket.se/se/skatteverket/zg/komponent/infoForBeskattning/1.0"
	nsFolkbokforing = "http://xmls.skatteverket.se/se/skatteverket/zg/komponent/infoForFolkbokforing/1.0"

	rootForfragan = "FragaBeskattningsuppgifterEnligtSFS2008-975"
	rootSvar      = "SvarBeskattningsuppgifterEnligtSFS2008-975"
)

// innerDocument serializes root as a complete XML document, the form SKV's
// strings carry (declaration included, as in the sample).
func innerDocument(root *etree.Element) string {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	doc.SetRoot(root)
	doc.Indent(2)
	s, _ := doc.WriteToString() // writing to memory cannot fail
	return s
}

// newInnerRoot starts an inner document whose root is in nsStandard, the
// default namespace, declaring the prefix folko and, for a svar, besko.
func newInnerRoot(name string) *etree.Element {
	root := etree.NewElement(name)
	root.CreateAttr("xmlns", nsStandard)
	if name == rootSvar {
		root.CreateAttr("xmlns:besko", nsBeskattning)
	}
	root.CreateAttr("xmlns:folko", nsFolkbokforing)
	return root
}

// readInner parses an inner document strictly and returns its root, which
// must be {nsStandard}name. The string was already decoded with the SOAP
// envelope, so the declaration's encoding is ignored (etree's default
// pass-through charset reader, as soap.ReadTree has). DOCTYPEs are refused, as everywhere in the
// gateway, and so is anything beside the one root element.
func readInner(s, name string) (*etree.Element, error) {
	// soap.ReadTree reads as etree's strict reader does, with fewer allocations.
	doc, err := soap.ReadTree([]byte(s), 0)
	if err != nil {
		return nil, fmt.Errorf("inner document is not XML: %w", err)
	}
	var root *etree.Element
	for _, tok := range doc.Child {
		switch t := tok.(type) {
		case *etree.Directive:
			return nil, errors.New("inner document has a DOCTYPE")
		case *etree.Element:
			if root != nil {
				return nil, errors.New("inner document has more than one root element")
			}
			root = t
		case *etree.CharData:
			if !t.IsWhitespace() {
				return nil, errors.New("inner document has text outside its root element")
			}
		}
	}
	if root == nil || root.Tag != name || root.NamespaceURI() != nsStandard {
		return nil, fmt.Errorf("inner document is not {%s}%s", nsStandard, name)
	}
	return root, nil
}

// text returns the trimmed text of el's child {ns}local, or "" when absent.
func text(el *etree.Element, ns, local string) string {
	c := soap.Child(el, ns, local)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Text())
}

// children returns el's child elements named {ns}local.
func children(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for c := range el.ChildElementsSeq() {
		if c.Tag == local && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

// child returns el's first child {nsStandard}local, or nil.
func child(el *etree.Element, local string) *etree.Element {
	return soap.Child(el, nsStandard, local)
}
