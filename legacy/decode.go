package legacy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/personnummer"
)

// Reading a SOAP 1.1 request against the contract of the version its
// namespace names (schema.go).

// operation is the SOAP operation a request asks for.
type operation uint8

const (
	opUnknown operation = iota
	opHamta
	opTesta
)

// Fault codes of SOAP 1.1 (without prefix).
const (
	faultClient          = "Client"
	faultServer          = "Server"
	faultVersionMismatch = "VersionMismatch"
	faultMustUnderstand  = "MustUnderstand"
)

// requestError is a request the shim refuses (felkod 1001). Its problem
// names what is wrong by element and attribute names, capped (quoted); it
// never repeats a value from the request, so it is safe to log.
type requestError struct{ faultcode, problem string }

func (e *requestError) Error() string { return e.problem }

func invalid(format string, args ...any) *requestError {
	return &requestError{faultcode: faultClient, problem: fmt.Sprintf(format, args...)}
}

// node is one element of a decoded request, checked against its declaration.
type node struct {
	def *elemDef
	// value is simple content: trimmed for every type but the strings,
	// without white space for base64Binary.
	value     string
	inkludera string // trimmed; "" when absent
	kids      []*node
}

// child returns n's first child called name, or nil.
func (n *node) child(name string) *node {
	if n != nil {
		for _, c := range n.kids {
			if c.def.name == name {
				return c
			}
		}
	}
	return nil
}

// request is a decoded SOAP request.
type request struct {
	ver *version
	op  operation
	// customer is the iip Address: the organisation an ombud sends for.
	customer string
	root     *node
}

// decodeRequest reads a SOAP 1.1 request; contentType's charset (if any)
// overrides the XML declaration's. On error the request holds what was
// found before it, for the fault's namespace and operation.
func decodeRequest(body []byte, contentType string, lim soap.Limits) (*request, error) {
	req := &request{}
	err := req.decode(body, contentType, lim)
	// A refusal of the XML reader is a refused request.
	if xe := (*soap.XMLError)(nil); errors.As(err, &xe) {
		err = invalid("%s", xe.Problem)
	}
	return req, err
}

// parseDocument returns the root element of a request body, read strictly
// (soap.ReadStrict) as UTF-8 or ISO-8859-1, which older Swedish
// integrations still send. SSBTEK clients never send UTF-16, which stays
// refused as it always was.
func parseDocument(body []byte, contentType string, lim soap.Limits) (*etree.Element, error) {
	if len(body) > 1 && (body[0] == 0xFE && body[1] == 0xFF || body[0] == 0xFF && body[1] == 0xFE) ||
		strings.HasPrefix(strings.ToLower(soap.Charset(contentType)), "utf-16") {
		return nil, invalid("teckenkodningen UTF-16 stöds inte, använd UTF-8")
	}
	return soap.ReadStrict(body, contentType, lim)
}

func (r *request) decode(body []byte, contentType string, lim soap.Limits) error {
	env, err := parseDocument(body, contentType, lim)
	if err != nil {
		return err
	}
	switch {
	case env.Tag != "Envelope":
		return invalid("rotelementet är inte ett SOAP 1.1-Envelope")
	case soap.Space(env) != soapNS:
		return &requestError{faultcode: faultVersionMismatch, problem: "kuvertet är inte SOAP 1.1 (namnrymd " + soapNS + ")"}
	}
	kids, _, err := soap.Content(env, false)
	if err != nil {
		return err
	}
	// Header?, Body, then (SOAP 1.1) any qualified elements.
	sawHeader, sawBody := false, false
	for _, c := range kids {
		soapEl := soap.Space(c) == soapNS
		switch {
		case soapEl && c.Tag == "Header" && !sawHeader && !sawBody:
			sawHeader = true
			err = r.header(c)
		case soapEl && c.Tag == "Body" && !sawBody:
			sawBody = true
			err = r.body(c)
		case !sawBody || soapEl || soap.Space(c) == "":
			err = invalid("oväntat element %s i Envelope", soap.Quoted(c.Tag))
		}
		if err != nil {
			return err
		}
	}
	if !sawBody {
		return invalid("Body saknas i Envelope")
	}
	return nil
}

// header reads the iip header and refuses other headers the caller says we
// must understand.
func (r *request) header(h *etree.Element) error {
	kids, _, err := soap.Content(h, false)
	for _, c := range kids {
		switch {
		case err != nil:
		case soap.Space(c) == iipNS && c.Tag == "Iipax":
			err = r.iipax(c)
		case mustUnderstand(c):
			err = &requestError{faultcode: faultMustUnderstand, problem: fmt.Sprintf("huvudet %s förstås inte", soap.Quoted(c.Tag))}
		}
	}
	return err
}

// mustUnderstand reports whether a header element is addressed to us with
// soap:mustUnderstand="1".
func mustUnderstand(el *etree.Element) bool {
	must := false
	for _, a := range el.Attr {
		if ns, _ := soap.LookupNS(el, a.Space); a.Space == "" || a.Space == "xmlns" || ns != soapNS {
			continue
		}
		switch v := strings.Trim(a.Value, " \t\r\n"); a.Key {
		case "mustUnderstand":
			must = v == "1" || v == "true"
		case "actor":
			if v != "http://schemas.xmlsoap.org/soap/actor/next" {
				return false
			}
		}
	}
	return must
}

// iipax reads Iipax/From/Address: the customer an ombud sends for, as a
// 12-digit organisationsnummer (SSBTEK's own example gives 10 digits; those
// get the prefix 16).
func (r *request) iipax(el *etree.Element) error {
	for _, from := range el.ChildElements() {
		for _, addr := range from.ChildElements() {
			if from.Tag != "From" || soap.Space(from) != iipNS || addr.Tag != "Address" || soap.Space(addr) != iipNS || r.customer != "" {
				continue
			}
			_, text, err := soap.Content(addr, true)
			s := lookup.Organisationsnummer(strings.Trim(text, " \t\r\n"))
			switch {
			case err != nil:
				return err
			case s != "" && (!personnummer.HasForm(s) || s[4] < '2' || s[4] > '9'):
				return invalid("iip:Address är inget organisationsnummer")
			}
			r.customer = s // an empty Address leaves the customer to a later one
		}
	}
	return nil
}

func (r *request) body(b *etree.Element) error {
	kids, _, err := soap.Content(b, false)
	switch {
	case err != nil:
		return err
	case len(kids) == 0:
		return invalid("Body är tom")
	}
	// The operation is read first, so the fault answers in its version.
	if err = r.operation(kids[0]); len(kids) > 1 && (err == nil || r.ver != nil) {
		return invalid("Body får bara innehålla ett element")
	}
	return err
}

// operation reads the Body's element against the version its namespace names.
func (r *request) operation(el *etree.Element) error {
	ns, op, def := soap.Space(el), opUnknown, (*elemDef)(nil)
	v := versionByNS(ns)
	switch {
	case v != nil && el.Tag == "hamtaBastjanstInformation" && v.hamta != nil:
		op, def = opHamta, v.hamta
	case v != nil && el.Tag == "testaBastjanstInformation":
		op, def = opTesta, v.testa
	}
	if def == nil {
		served := ""
		if strings.HasPrefix(ns, ssbtNSBase) || ns == seedV1NS {
			served = "; tjänsten besvarar hamtaBastjanstInformation och testaBastjanstInformation i version " + strings.Join(versionNames(), ", ")
		}
		return invalid("okänd operation %s i namnrymden %s%s", soap.Quoted(el.Tag), soap.Quoted(ns), served)
	}
	r.ver, r.op = v, op
	var err error
	r.root, err = r.element(el, def)
	return err
}

// element reads el as def.
func (r *request) element(el *etree.Element, def *elemDef) (*node, error) {
	n := &node{def: def}
	if err := attributes(el, n); err != nil {
		return nil, err
	}
	kids, text, err := soap.Content(el, def.simple != nil)
	switch {
	case err != nil:
		return nil, err
	case def.simple != nil:
		n.value, err = lexical(def, text)
		return n, err
	}
	return n, r.children(kids, n)
}

func attributes(el *etree.Element, n *node) error {
	def, found := n.def, false
	for _, a := range el.Attr {
		ns, _ := soap.LookupNS(el, a.Space)
		switch {
		case a.Space == "xmlns", a.Space == "" && a.Key == "xmlns":
		case a.Space == "" && a.Key == "inkludera" && def.inkludera:
			n.inkludera, found = strings.Trim(a.Value, " \t\r\n"), true
			if _, ok := parseBoolean(n.inkludera); !ok {
				return invalid("attributet inkludera på %s är inte ett giltigt xsd:boolean (true, false, 1 eller 0)", def.name)
			}
		case a.Space != "" && ns == xsiNS && (a.Key == "schemaLocation" || a.Key == "noNamespaceSchemaLocation"):
		case a.Space != "" && ns == xsiNS && a.Key == "type":
			if tns, local := soap.ResolveQName(el, a.Value); tns != def.typeNS || local != def.typeName {
				return invalid("xsi:type på %s anger en annan typ än elementets", def.name)
			}
		case a.Space != "" && ns == xsiNS:
			return invalid("attributet xsi:%s är inte tillåtet på %s", soap.Quoted(a.Key), def.name)
		default:
			return invalid("attributet %s är inte tillåtet på %s", soap.Quoted(a.Key), def.name)
		}
	}
	if def.inkludera && !found {
		return invalid("attributet inkludera saknas på %s", def.name)
	}
	return nil
}

// children reads element content into n's children as its declaration says:
// a sequence, or (xsd:all) any order, each at most once.
func (r *request) children(kids []*etree.Element, n *node) error {
	def := n.def
	at, count := 0, 0 // the sequence position and its occurrences
	var seen uint64   // for xsd:all
	for _, c := range kids {
		// i is the declaration c may be here; known, whether def has one at all.
		i, known := -1, false
		for j, kd := range def.kids {
			known = known || kd.name == c.Tag
			if kd.name == c.Tag && (def.all || j >= at) {
				i = j
				break
			}
		}
		switch {
		case i < 0 && known:
			return invalid("elementet %s står i fel ordning eller för många gånger i %s", c.Tag, def.name)
		case i < 0:
			return invalid("okänt element %s i %s", soap.Quoted(c.Tag), def.name)
		case def.all && seen&(1<<i) != 0:
			return invalid("elementet %s förekommer mer än en gång i %s", c.Tag, def.name)
		case def.all:
			seen |= 1 << i
		case i > at && firstMissing(def, at, count, seen) < i:
			return invalid("elementet %s saknas i %s", def.kids[firstMissing(def, at, count, seen)].name, def.name)
		case i > at:
			at, count = i, 0
		}
		if !def.all {
			if count++; def.kids[i].max != unbounded && count > def.kids[i].max {
				return invalid("elementet %s förekommer för många gånger i %s", c.Tag, def.name)
			}
		}
		if soap.Space(c) != def.kids[i].ns {
			return invalid("elementet %s i %s har fel namnrymd", c.Tag, def.name)
		}
		// A child is kept even when it fails, with what was read of it
		// before the problem (a value that fails its type is not): the
		// record of a refused question holds what the request did say.
		child, err := r.element(c, def.kids[i])
		if child != nil {
			n.kids = append(n.kids, child)
		}
		if err != nil {
			return err
		}
	}
	if j := firstMissing(def, at, count, seen); j < len(def.kids) {
		return invalid("elementet %s saknas i %s", def.kids[j].name, def.name)
	}
	return nil
}

// firstMissing returns the index of the first required child not seen from
// sequence position at on (for xsd:all, at is 0 and seen says what was), or
// len(kids).
func firstMissing(def *elemDef, at, count int, seen uint64) int {
	for j := at; j < len(def.kids); j++ {
		if j != at {
			count = 0 // the occurrences counted are those at position at
		}
		if count < def.kids[j].min && seen&(1<<j) == 0 {
			return j
		}
	}
	return len(def.kids)
}
