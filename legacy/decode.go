package legacy

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"
)

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
// names what is wrong by element and attribute names; it never repeats a
// value from the request, so it is safe to log.
type requestError struct {
	faultcode string
	problem   string
}

func (e *requestError) Error() string { return e.problem }

func invalid(format string, args ...any) *requestError {
	return &requestError{faultcode: faultClient, problem: fmt.Sprintf(format, args...)}
}

// node is one element of a decoded request, in document order.
type node struct {
	def *elemDef
	// value is simple content: trimmed for every type but the strings,
	// without white space for base64Binary.
	value []byte
	// inkludera is the trimmed attribute value; nil when absent.
	inkludera []byte
	// Children as indices into decoder.nodes; -1 for none.
	first, last, next int32
}

// decoder reads one SOAP request against the contract. Its buffers are
// reused between requests.
type decoder struct {
	sc       scanner
	maxDepth int
	// buf holds joined text and latin-1 input; it only grows by appending.
	buf []byte

	ver   *version
	op    operation
	ombud string
	nodes []node
}

func (d *decoder) reset(maxDepth int) {
	d.maxDepth = maxDepth
	d.buf = d.buf[:0]
	d.ver, d.op, d.ombud = nil, opUnknown, ""
	d.nodes = d.nodes[:0]
}

// decode reads a SOAP 1.1 request. contentType is the HTTP Content-Type,
// whose charset (if any) overrides the XML declaration's.
func (d *decoder) decode(body []byte, contentType string) error {
	in, err := d.toUTF8(body, contentType)
	if err != nil {
		return err
	}
	d.sc.reset(in, d.maxDepth)
	if err := d.sc.prolog(); err != nil {
		return wrapSyntax(err)
	}
	if err := d.envelope(); err != nil {
		return wrapSyntax(err)
	}
	return nil
}

func wrapSyntax(err error) error {
	var re *requestError
	if errors.As(err, &re) {
		return err
	}
	return &requestError{faultcode: faultClient, problem: err.Error()}
}

// toUTF8 returns the body as UTF-8. We take UTF-8 (and so US-ASCII) and
// ISO-8859-1, which older Swedish integrations still send.
func (d *decoder) toUTF8(body []byte, contentType string) ([]byte, error) {
	if bytes.HasPrefix(body, []byte{0xFE, 0xFF}) || bytes.HasPrefix(body, []byte{0xFF, 0xFE}) {
		return nil, invalid("teckenkodningen UTF-16 stöds inte, använd UTF-8")
	}
	enc := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		enc = params["charset"]
	}
	if enc == "" && bytes.HasPrefix(body, []byte("<?xml")) {
		if end := bytes.Index(body, []byte("?>")); end > 0 {
			enc, _ = parseXMLDecl(body[5:end])
		}
	}
	switch strings.ToLower(strings.Trim(enc, `"' `)) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return body, nil
	case "iso-8859-1", "iso_8859-1", "latin1", "l1", "iso-latin-1":
		start := len(d.buf)
		for _, c := range body {
			d.buf = utf8.AppendRune(d.buf, rune(c))
		}
		return d.buf[start:len(d.buf):len(d.buf)], nil
	}
	return nil, invalid("teckenkodningen %.40q stöds inte, använd UTF-8", enc)
}

func (d *decoder) envelope() error {
	if _, err := d.sc.next(); err != nil {
		return err
	}
	if string(d.sc.local) != "Envelope" || string(d.sc.space) != soapNS {
		if string(d.sc.local) == "Envelope" {
			return &requestError{faultcode: faultVersionMismatch, problem: "kuvertet är inte SOAP 1.1 (namnrymd " + soapNS + ")"}
		}
		return invalid("rotelementet är inte ett SOAP 1.1-Envelope")
	}
	const (
		wantHeader = iota
		wantBody
		afterBody
	)
	state := wantHeader
	for {
		k, err := d.content("Envelope")
		if err != nil {
			return err
		}
		switch k {
		case tokEnd:
			if state != afterBody {
				return invalid("Body saknas i Envelope")
			}
			_, err := d.sc.next() // only EOF may follow
			return err
		case tokStart:
			soap := string(d.sc.space) == soapNS
			local := string(d.sc.local)
			switch {
			case soap && local == "Header" && state == wantHeader:
				if err := d.header(); err != nil {
					return err
				}
				state = wantBody
			case soap && local == "Body" && state != afterBody:
				if err := d.body(); err != nil {
					return err
				}
				state = afterBody
			case state == afterBody && len(d.sc.space) > 0 && !soap:
				// SOAP 1.1 lets qualified elements follow the Body.
				if err := d.skip(); err != nil {
					return err
				}
			default:
				return invalid("oväntat element %s i Envelope", d.sc.local)
			}
		}
	}
}

// content reads the next token of element-only content in the element
// called name: white space is skipped, other text refused.
func (d *decoder) content(name string) (tokKind, error) {
	for {
		k, err := d.sc.next()
		if err != nil || k != tokText {
			return k, err
		}
		if !allSpace(d.sc.text) {
			return 0, invalid("text är inte tillåten i %s", name)
		}
	}
}

// header reads the iip ombud header and refuses other headers the caller
// says we must understand.
func (d *decoder) header() error {
	for {
		k, err := d.content("Header")
		if err != nil {
			return err
		}
		switch k {
		case tokEnd:
			return nil
		case tokStart:
			if string(d.sc.space) == iipNS && string(d.sc.local) == "Iipax" {
				if err := d.iipax(); err != nil {
					return err
				}
				continue
			}
			if d.mustUnderstand() {
				return &requestError{faultcode: faultMustUnderstand, problem: fmt.Sprintf("huvudet %s förstås inte", d.sc.local)}
			}
			if err := d.skip(); err != nil {
				return err
			}
		}
	}
}

// mustUnderstand reports whether the current header element is addressed to
// us with soap:mustUnderstand="1".
func (d *decoder) mustUnderstand() bool {
	must := false
	for _, a := range d.sc.attrs {
		if a.decl || string(a.space) != soapNS {
			continue
		}
		switch string(a.local) {
		case "mustUnderstand":
			v := string(trimSpace(a.value))
			must = v == "1" || v == "true"
		case "actor":
			if string(trimSpace(a.value)) != "http://schemas.xmlsoap.org/soap/actor/next" {
				return false
			}
		}
	}
	return must
}

// iipax reads Iipax/From/Address, the ombud's organisationsnummer.
func (d *decoder) iipax() error {
	base := d.sc.depth()
	inFrom := false
	for {
		k, err := d.sc.next()
		if err != nil {
			return err
		}
		switch k {
		case tokEnd:
			if d.sc.depth() < base {
				return nil
			}
			inFrom = false
		case tokStart:
			iip := string(d.sc.space) == iipNS
			switch {
			case iip && d.sc.depth() == base+1 && string(d.sc.local) == "From":
				inFrom = true
			case iip && inFrom && d.sc.depth() == base+2 && string(d.sc.local) == "Address":
				text, err := d.simpleText("Address")
				if err != nil {
					return err
				}
				if d.ombud == "" {
					if d.ombud, err = normaliseOmbud(trimSpace(text)); err != nil {
						return err
					}
				}
			default:
				if err := d.skip(); err != nil {
					return err
				}
			}
		}
	}
}

// normaliseOmbud turns the iip Address into a 12-digit organisationsnummer.
// SSBTEK's own example gives 10 digits; those get the prefix 16.
func normaliseOmbud(b []byte) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	if len(b) == 10 {
		b = append([]byte("16"), b...)
	}
	if !validPersonidentitet(b) || b[4] < '2' || b[4] > '9' {
		return "", invalid("iip:Address är inget organisationsnummer")
	}
	return string(b), nil
}

func (d *decoder) body() error {
	seen := false
	for {
		k, err := d.content("Body")
		if err != nil {
			return err
		}
		switch k {
		case tokEnd:
			if !seen {
				return invalid("Body är tom")
			}
			return nil
		case tokStart:
			if seen {
				return invalid("Body får bara innehålla ett element")
			}
			seen = true
			if err := d.operation(); err != nil {
				return err
			}
		}
	}
}

// operation reads the Body's element against the version its namespace names.
func (d *decoder) operation() error {
	local := string(d.sc.local)
	var root *elemDef
	if v := versionByNS(d.sc.space); v != nil {
		switch local {
		case "hamtaBastjanstInformation":
			d.ver, d.op, root = v, opHamta, v.hamta
		case "testaBastjanstInformation":
			d.ver, d.op, root = v, opTesta, v.testa
		}
	}
	if root == nil {
		return invalid("okänd operation %s i namnrymden %.100s", local, d.sc.space)
	}
	_, err := d.element(root)
	return err
}

// element reads the current start tag's element as def and returns its index.
func (d *decoder) element(def *elemDef) (int32, error) {
	idx := int32(len(d.nodes))
	d.nodes = append(d.nodes, node{def: def, first: -1, last: -1, next: -1})
	inkl, err := d.attributes(def)
	if err != nil {
		return 0, err
	}
	d.nodes[idx].inkludera = inkl
	if def.typ == complexContent {
		return idx, d.children(idx, def)
	}
	text, err := d.simpleText(def.name)
	if err != nil {
		return 0, err
	}
	v, err := d.lexical(def, text)
	d.nodes[idx].value = v
	return idx, err
}

func (d *decoder) attributes(def *elemDef) ([]byte, error) {
	var inkl []byte
	for i := range d.sc.attrs {
		a := &d.sc.attrs[i]
		switch {
		case a.decl:
		case a.space == nil && string(a.local) == "inkludera" && def.inkludera:
			v := trimSpace(a.value)
			if _, ok := parseBoolean(v); !ok {
				return nil, invalid("attributet inkludera på %s är inte ett giltigt xsd:boolean (true, false, 1 eller 0)", def.name)
			}
			inkl = v
		case string(a.space) == xsiNS:
			switch string(a.local) {
			case "schemaLocation", "noNamespaceSchemaLocation":
			case "type":
				if !d.ownType(def, trimSpace(a.value)) {
					return nil, invalid("xsi:type på %s anger en annan typ än elementets", def.name)
				}
			default:
				return nil, invalid("attributet xsi:%s är inte tillåtet på %s", a.local, def.name)
			}
		default:
			return nil, invalid("attributet %s är inte tillåtet på %s", a.local, def.name)
		}
	}
	if def.inkludera && inkl == nil {
		return nil, invalid("attributet inkludera saknas på %s", def.name)
	}
	return inkl, nil
}

// ownType reports whether the xsi:type QName names def's own type.
func (d *decoder) ownType(def *elemDef, qname []byte) bool {
	prefix, local := splitQName(qname)
	space := string(d.sc.lookup(prefix))
	var wantNS, wantName string
	switch {
	case def.typ == complexContent && def.fkType:
		wantNS, wantName = fkNS, def.typeName
	case def.typ == complexContent:
		wantNS, wantName = d.ver.ns, def.typeName
	case typeNames[def.typ].inContract:
		wantNS, wantName = d.ver.ns, typeNames[def.typ].name
	default:
		wantNS, wantName = xsdNS, typeNames[def.typ].name
	}
	return space == wantNS && string(local) == wantName
}

func (d *decoder) elemNS(def *elemDef) string {
	if def.fk {
		return fkNS
	}
	return d.ver.ns
}

// children reads def's element content into child nodes of parent.
func (d *decoder) children(parent int32, def *elemDef) error {
	at, count := 0, 0 // the sequence position and its occurrences
	var seen uint64   // for xsd:all
	for {
		k, err := d.content(def.name)
		if err != nil {
			return err
		}
		switch k {
		case tokEnd:
			return missing(def, at, count, seen)
		case tokStart:
			local := string(d.sc.local)
			i := -1
			for j, kd := range def.kids {
				if kd.name == local && (def.all || j >= at) {
					i = j
					break
				}
			}
			switch {
			case i < 0 && def.kid(local) != nil:
				return invalid("elementet %s står i fel ordning eller för många gånger i %s", local, def.name)
			case i < 0:
				return invalid("okänt element %s i %s", local, def.name)
			case def.all:
				if seen&(1<<i) != 0 {
					return invalid("elementet %s förekommer mer än en gång i %s", local, def.name)
				}
				seen |= 1 << i
			default:
				if i > at {
					if j := firstMissing(def, at, count); j < i {
						return invalid("elementet %s saknas i %s", def.kids[j].name, def.name)
					}
					at, count = i, 0
				}
				count++
				if m := def.kids[i].max; m != unbounded && count > m {
					return invalid("elementet %s förekommer för många gånger i %s", local, def.name)
				}
			}
			kd := def.kids[i]
			if string(d.sc.space) != d.elemNS(kd) {
				return invalid("elementet %s i %s har fel namnrymd", local, def.name)
			}
			child, err := d.element(kd)
			if err != nil {
				return err
			}
			p := &d.nodes[parent]
			if p.last < 0 {
				p.first = child
			} else {
				d.nodes[p.last].next = child
			}
			p.last = child
		}
	}
}

// firstMissing returns the index of the first required child not seen from
// sequence position at on, or len(kids).
func firstMissing(def *elemDef, at, count int) int {
	for j := at; j < len(def.kids); j++ {
		c := 0
		if j == at {
			c = count
		}
		if c < def.kids[j].min {
			return j
		}
	}
	return len(def.kids)
}

// missing reports the first required child that did not occur.
func missing(def *elemDef, at, count int, seen uint64) error {
	if def.all {
		for j, kd := range def.kids {
			if kd.min > 0 && seen&(1<<j) == 0 {
				return invalid("elementet %s saknas i %s", kd.name, def.name)
			}
		}
		return nil
	}
	if j := firstMissing(def, at, count); j < len(def.kids) {
		return invalid("elementet %s saknas i %s", def.kids[j].name, def.name)
	}
	return nil
}

// simpleText reads the text content of the current element up to its end
// tag; child elements are refused.
func (d *decoder) simpleText(name string) ([]byte, error) {
	var text []byte
	chunks := 0
	for {
		k, err := d.sc.next()
		if err != nil {
			return nil, err
		}
		switch k {
		case tokText:
			switch chunks {
			case 0:
				text = d.sc.text
			case 1:
				start := len(d.buf)
				d.buf = append(d.buf, text...)
				d.buf = append(d.buf, d.sc.text...)
				text = d.buf[start:len(d.buf):len(d.buf)]
			default:
				start := len(d.buf) - len(text)
				d.buf = append(d.buf, d.sc.text...)
				text = d.buf[start:len(d.buf):len(d.buf)]
			}
			chunks++
		case tokStart:
			return nil, invalid("elementet %s får inte innehålla element", name)
		case tokEnd:
			return text, nil
		}
	}
}

// lexical checks simple content against def's type and returns its value.
func (d *decoder) lexical(def *elemDef, text []byte) ([]byte, error) {
	v := trimSpace(text)
	ok := true
	switch def.typ {
	case xsString:
		return text, nil
	case xsNonEmptyString:
		if len(text) == 0 {
			return nil, invalid("elementet %s får inte vara tomt", def.name)
		}
		return text, nil
	case xsBoolean:
		if len(text) == 0 && def.dflt != "" {
			return []byte(def.dflt), nil
		}
		_, ok = parseBoolean(v)
	case xsPersonidentitet:
		ok = validPersonidentitet(v)
	case xsOrganisationsnummer:
		ok = validOrganisationsnummer(v)
	case xsDate:
		ok = validDate(v)
	case xsDateTime:
		ok = validDateTime(v)
	case xsShort:
		_, ok = parseInteger(v, -32768, 32767)
	case xsAr:
		_, ok = parseInteger(v, 1900, 2100)
	case xsBase64:
		if bytes.ContainsAny(v, " \t\r\n") {
			start := len(d.buf)
			for _, c := range v {
				if !isSpace(c) {
					d.buf = append(d.buf, c)
				}
			}
			v = d.buf[start:len(d.buf):len(d.buf)]
		}
		_, ok = decodeBase64(v)
	}
	if !ok {
		return nil, invalid("elementet %s är inte ett giltigt värde av typen %s", def.name, typeLabel(def.typ))
	}
	return v, nil
}

func typeLabel(t simpleType) string {
	switch t {
	case xsDate:
		return "xsd:date (ÅÅÅÅ-MM-DD)"
	case xsDateTime:
		return "xsd:dateTime (ÅÅÅÅ-MM-DDThh:mm:ss)"
	case xsPersonidentitet:
		return "Personidentitet (12 siffror)"
	case xsOrganisationsnummer:
		return "Organisationsnummer (12 siffror)"
	case xsBoolean:
		return "xsd:boolean (true, false, 1 eller 0)"
	case xsAr:
		return "Ar (1900–2100)"
	}
	if typeNames[t].inContract {
		return typeNames[t].name
	}
	return "xsd:" + typeNames[t].name
}

// skip reads past the current element's subtree.
func (d *decoder) skip() error {
	base := d.sc.depth()
	for d.sc.depth() >= base {
		if _, err := d.sc.next(); err != nil {
			return err
		}
	}
	return nil
}
