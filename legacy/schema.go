package legacy

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
)

// The shape of the SSBTEK request is read from the XSDs the shim serves
// (schema/), so there is one source of truth: the content models of
// hamtaBastjanstInformation and testaBastjanstInformation in each version.
// The tests check that the decoder accepts exactly what xmllint accepts with
// the real v10 XSD and with our v1 and v11 XSDs. The lexical rules of the
// simple types the contract uses are in lexical.go.

// Namespaces of the contract.
const (
	soapNS = "http://schemas.xmlsoap.org/soap/envelope/"
	xsiNS  = "http://www.w3.org/2001/XMLSchema-instance"
	xsdNS  = "http://www.w3.org/2001/XMLSchema"
	iipNS  = "http://www.idainfront.se/ns/iip/1.0"
	// fkNS holds the v1 FK formansforteckning elements.
	fkNS = "http://schema.forsakringskassan.se/extern_samverkan/hamtaformansinformation/1"
	// ssbtNSBase + version is each version's namespace.
	ssbtNSBase = "http://schema.forsakringskassan.se/integration/ssbt/"
)

const unbounded = -1

// elemDef is one element declaration.
type elemDef struct {
	name, ns string
	// simple is the lexical rule of simple content; nil for element content.
	simple *rule
	// typeNS and typeName name the element's type, for xsi:type.
	typeNS, typeName string
	min, max         int
	dflt             string // the default value of an empty element, if any
	inkludera        bool   // the element carries the required boolean attribute inkludera
	all              bool   // the children may come in any order, each at most once (xsd:all)
	kids             []*elemDef
}

// version is one version of the contract. Versions without a contract of
// their own (named in the release notes) only have the ping.
type version struct {
	name, ns     string   // name ends the namespace: "1", "10", "11"
	hamta, testa *elemDef // hamta is nil where only testa is served
}

// contractVersions have a contract (and a WSDL); pingVersions are the other
// versions the release notes name (seed 002), whose clients may still ping.
var (
	contractVersions = []string{"11", "10", "1"}
	pingVersions     = []string{"8", "7", "6", "5", "4", "3", "2"}
)

// versions are the served versions. They come from the embedded XSDs, so
// failing to read them is a build defect that every test shows.
var versions = func() []*version {
	vs, err := newVersions(newDocuments())
	if err != nil {
		panic(err)
	}
	return vs
}()

// versionByNS returns the version whose namespace is ns, or nil.
func versionByNS(ns string) *version {
	for _, v := range versions {
		if ns == v.ns {
			return v
		}
	}
	return nil
}

// versionByName returns the version called name ("1", "10", "11"), or nil.
func versionByName(name string) *version { return versionByNS(ssbtNSBase + name) }

// newVersions reads every contract version's request shape from its XSDs.
func newVersions(d *documents) ([]*version, error) {
	var out []*version
	for _, name := range contractVersions {
		v := &version{name: name, ns: ssbtNSBase + name}
		types, elements := map[[2]string]*etree.Element{}, map[string]*etree.Element{}
		for _, doc := range []string{schemaName(v), fkSchema} {
			raw, err := d.render(doc, "", "")
			x := etree.NewDocument()
			if err == nil {
				err = x.ReadFromBytes(raw)
			}
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", doc, err)
			}
			tns := x.Root().SelectAttrValue("targetNamespace", "")
			for _, c := range x.Root().ChildElements() {
				if c.Tag == "complexType" {
					types[[2]string{tns, c.SelectAttrValue("name", "")}] = c
				} else if c.Tag == "element" && tns == v.ns {
					elements[c.SelectAttrValue("name", "")] = c
				}
			}
		}
		var errH, errT error
		v.hamta, errH = element(types, elements["hamtaBastjanstInformation"], v.ns, 0)
		v.testa, errT = element(types, elements["testaBastjanstInformation"], v.ns, 0)
		if err := errors.Join(errH, errT); err != nil {
			return nil, fmt.Errorf("schema v%s: %w", name, err)
		}
		out = append(out, v)
	}
	for _, name := range pingVersions {
		ns := ssbtNSBase + name
		t := *out[1].testa // v10's, in the version's own namespace
		t.ns, t.typeNS = ns, ns
		out = append(out, &version{name: name, ns: ns, testa: &t})
	}
	return out, nil
}

// element builds the declaration decl of an element in namespace ns from
// the complex types it refers to.
func element(types map[[2]string]*etree.Element, decl *etree.Element, ns string, depth int) (*elemDef, error) {
	if decl == nil || depth > 16 {
		return nil, fmt.Errorf("missing or too deeply nested declaration")
	}
	def := &elemDef{name: decl.SelectAttrValue("name", ""), ns: ns, dflt: decl.SelectAttrValue("default", "")}
	def.min, _ = strconv.Atoi(decl.SelectAttrValue("minOccurs", "1"))
	if def.max, _ = strconv.Atoi(decl.SelectAttrValue("maxOccurs", "1")); decl.SelectAttrValue("maxOccurs", "") == "unbounded" {
		def.max = unbounded
	}
	def.typeNS, def.typeName = soap.ResolveQName(decl, decl.SelectAttrValue("type", ""))
	if r, ok := rules[def.typeName]; ok && (def.typeNS == xsdNS || def.typeNS == ns) {
		def.simple = r
		return def, nil
	}
	ct := types[[2]string{def.typeNS, def.typeName}]
	if ct == nil {
		return nil, fmt.Errorf("element %s has unknown type {%s}%s", def.name, def.typeNS, def.typeName)
	}
	for _, a := range ct.SelectElements("attribute") {
		def.inkludera = def.inkludera || a.SelectAttrValue("name", "") == "inkludera" && a.SelectAttrValue("use", "") == "required"
	}
	group := ct.SelectElement("sequence")
	if group == nil {
		group, def.all = ct.SelectElement("all"), true
	}
	if group == nil {
		return nil, fmt.Errorf("type %s has neither sequence nor all", def.typeName)
	}
	for _, k := range group.SelectElements("element") {
		kid, err := element(types, k, def.typeNS, depth+1)
		if err != nil {
			return nil, err
		}
		def.kids = append(def.kids, kid)
	}
	return def, nil
}
