package legacy

import (
	"bytes"
	"embed"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"text/template"
)

// The WSDL and XSDs the shim serves, one set per contract version, written
// for this project (schema/). Their schemaLocations and soap:address point
// at the configured public URL (or the listener), so SOAP tools can import
// the WSDL URL. The XSDs are also where the decoder reads the request's
// shape from (schema.go).

//go:embed schema
var schemaFiles embed.FS

// defaultVersion is what ?wsdl without a version gives: v10, which FK publishes.
const defaultVersion = "10"

const fkSchema = "formansforteckning_v1.xsd"

// staticSchemas are the schemas served as they are: FK's formansforteckning
// (v1-v9 questions) and our schemas of the agency answers the contract
// types (its data elements).
var staticSchemas = []string{fkSchema, "af_svar_v2.xsd", "so_svar_v1.xsd", "miv_svar_v1.xsd", "tns_svar_v1.xsd", "tns_fordon_v1.xsd"}

type documents struct{ templates *template.Template }

func newDocuments() *documents {
	return &documents{template.Must(template.ParseFS(schemaFiles, "schema/*"))}
}

// docData fills the templates.
type docData struct {
	Version, NS, SchemaName string
	// N is the release (1 … 11) whose contract the documents are.
	N int
	// Address is the endpoint URL; base is what a document name is appended
	// to for its location.
	Address, base string
}

// Loc returns the location of the named document, escaped for XML.
func (d docData) Loc(name string) string { return escaped(d.base + name) }

// The releases that brought agencies and blocks, for the templates.
func (docData) FirstTNS() int      { return firstTNS }
func (docData) FirstMIV() int      { return firstMIV }
func (docData) FirstLefiJSON() int { return firstLefiJSON }
func (docData) FirstSKVFraga() int { return firstSKVFraga }
func (d docData) Versions() string { return strings.Join(versionNames(), ", ") }

func schemaName(v *version) string { return "ssbtek_v" + v.name + ".xsd" }

func wsdlName(v *version) string { return "ssbtek_v" + v.name + ".wsdl" }

// documentNames lists every document render knows.
func documentNames() []string {
	names := slices.Clone(staticSchemas)
	for _, v := range versionIDs() {
		names = append(names, schemaName(v), wsdlName(v))
	}
	return names
}

// render returns the named document (nil for none). Document names are
// appended to base to locate each other; address is the SOAP endpoint.
func (d *documents) render(name, base, address string) ([]byte, error) {
	var buf bytes.Buffer
	if slices.Contains(staticSchemas, name) {
		// The same in every version; only the locations of the schemas
		// they import are filled in.
		if err := d.templates.ExecuteTemplate(&buf, name, docData{base: base}); err != nil {
			return nil, fmt.Errorf("rendering %s: %w", name, err)
		}
		return buf.Bytes(), nil
	}
	for _, v := range versionIDs() {
		tmpl := map[string]string{schemaName(v): "ssbtek.xsd.tmpl", wsdlName(v): "ssbtek.wsdl.tmpl"}[name]
		if tmpl == "" {
			continue
		}
		data := docData{Version: v.name, N: v.n, NS: v.ns, SchemaName: schemaName(v), Address: escaped(address), base: base}
		if err := d.templates.ExecuteTemplate(&buf, tmpl, data); err != nil {
			return nil, fmt.Errorf("rendering %s: %w", name, err)
		}
		return buf.Bytes(), nil
	}
	return nil, nil
}

// serveDocs answers GET ?wsdl[=version] and ?xsd=name.
func (h *handler) serveDocs(w http.ResponseWriter, r *http.Request) {
	endpoint := h.endpointURL(r)
	var name string
	for k, vs := range r.URL.Query() {
		switch strings.ToLower(k) {
		case "wsdl":
			v := strings.TrimPrefix(cmpOr(vs, defaultVersion), "v")
			if ver := versionByName(v); ver != nil {
				name = wsdlName(ver)
			}
		case "xsd":
			name = cmpOr(vs, "")
		}
	}
	doc, err := h.docs.render(name, endpoint+"?xsd=", endpoint)
	switch {
	case err != nil:
		h.log.Error("ssbtek document", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	case doc == nil:
		http.Error(w, "SSBTEK SOAP endpoint. WSDL: "+endpoint+"?wsdl (version 10; ?wsdl=N for version N, one of "+strings.Join(versionNames(), ", ")+")", http.StatusNotFound)
	default:
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write(doc)
	}
}

// cmpOr is the first of vs when it is not empty, else dflt.
func cmpOr(vs []string, dflt string) string {
	if len(vs) > 0 && vs[0] != "" {
		return vs[0]
	}
	return dflt
}

// endpointURL is this endpoint's absolute URL: the configured public URL,
// else the address of the listener the request came in on. The Host header
// is the caller's to choose and is never used.
func (h *handler) endpointURL(r *http.Request) string {
	if h.cfg.PublicURL != "" {
		return h.cfg.PublicURL
	}
	scheme, host := "http", "localhost"
	if r.TLS != nil {
		scheme = "https"
	}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		host = a.String()
	}
	return scheme + "://" + host + Path
}
