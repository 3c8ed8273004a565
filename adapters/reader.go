package adapters

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
)

// Reader reads an agency's answer and keeps the first problem, so a mapping
// reads straight through and checks Err once. Its problems name elements,
// never values (a value may be a personnummer).
type Reader struct{ Err error }

// Fail records err unless a problem is recorded already.
func (r *Reader) Fail(err error) {
	if r.Err == nil {
		r.Err = err
	}
}

// Child returns el's child {ns}local, or nil; a missing required child is a
// problem. A nil el has no children.
func (r *Reader) Child(el *etree.Element, ns, local string, required bool) *etree.Element {
	c := soap.Child(el, ns, local)
	if c == nil && required {
		r.Fail(fmt.Errorf("required element %s is missing", local))
	}
	return c
}

// Children returns el's children {ns}local. Any other element child is a
// problem: a list entry in a foreign namespace would otherwise be dropped
// without a word, and the person reported as having nothing.
func (r *Reader) Children(el *etree.Element, ns, local string) []*etree.Element {
	if el == nil {
		return nil
	}
	var out []*etree.Element
	for c := range el.ChildElementsSeq() {
		if c.Tag != local || c.NamespaceURI() != ns {
			r.Fail(fmt.Errorf("unexpected element %s in %s", c.Tag, el.Tag))
			continue
		}
		out = append(out, c)
	}
	return out
}

// Text returns the trimmed text of el's child {ns}local; "" when absent.
func (r *Reader) Text(el *etree.Element, ns, local string, required bool) string {
	c := r.Child(el, ns, local, required)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Text())
}

// Attr returns el's trimmed unqualified attribute name; "" when absent.
func (r *Reader) Attr(el *etree.Element, name string, required bool) string {
	a := el.SelectAttr(name)
	if a == nil || a.Space != "" {
		if required {
			r.Fail(fmt.Errorf("required attribute %s of %s is missing", name, el.Tag))
		}
		return ""
	}
	return strings.TrimSpace(a.Value)
}
