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

// version is one version of the contract, in one namespace.
type version struct {
	// name ends the namespace ("1" … "11") and names the version's
	// documents; the v1 contract in the namespace of seed 000's appendix
	// WSDL is "SSBTEK1".
	name, ns string
	// n is the release the contract is (1 … 11): which agencies it has and
	// how it asks FK.
	n            int
	hamta, testa *elemDef
}

// Which release brought what (seed 002's release notes): Transportstyrelsen
// came with v6, Migrationsverket with v8, LEFI's JSON question with v10
// (before it, FK was asked by formansforteckning) and Skatteverket's fraga
// block with v11. An agency a version did not have is not in its contract.
const (
	firstTNS, firstMIV, firstLefiJSON, firstSKVFraga = 6, 8, 10, 11
	newest                                           = 11
)

// seedV1NS is the namespace seed 000's appendix WSDL declares for v1; its
// clients send v1 questions in it.
const seedV1NS = "http://schema.forsakringskassan.se/integration/SSBTEK/1"

// versionIDs are every version served, newest first: each release 1-11 in
// its own namespace, and v1 also in seedV1NS.
func versionIDs() []*version {
	var out []*version
	for n := newest; n >= 1; n-- {
		out = append(out, &version{name: strconv.Itoa(n), ns: ssbtNSBase + strconv.Itoa(n), n: n})
	}
	return append(out, &version{name: "SSBTEK1", ns: seedV1NS, n: 1})
}

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

// versionByName returns the version called name ("1" … "11", "SSBTEK1"), or nil.
func versionByName(name string) *version {
	for _, v := range versions {
		if name == v.name {
			return v
		}
	}
	return nil
}

// versionNames lists the served versions' names, newest first.
func versionNames() []string {
	var out []string
	for _, v := range versionIDs() {
		out = append(out, v.name)
	}
	return out
}

// has reports whether agency kod (AF, CSN, …) is in v's contract.
func (v *version) has(kod string) bool {
	switch kod {
	case "TNS":
		return v.n >= firstTNS
	case "MIV":
		return v.n >= firstMIV
	}
	return true
}

// newVersions reads every version's request shape from its XSDs.
func newVersions(d *documents) ([]*version, error) {
	var out []*version
	for _, v := range versionIDs() {
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
			return nil, fmt.Errorf("schema v%s: %w", v.name, err)
		}
		out = append(out, v)
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
