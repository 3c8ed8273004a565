package legacy

import (
	"bytes"
	"embed"
	"fmt"
	"net/http"
	"strings"
	"text/template"
)

// The WSDL and XSDs the shim serves, one set per contract version, written
// for this project (schema/). Their schemaLocations and soap:address point
// back at the server that served them, so SOAP tools can import the WSDL URL.

//go:embed schema
var schemaFiles embed.FS

// defaultVersion is what ?wsdl without a version gives: the newest.
const defaultVersion = "11"

type documents struct {
	wsdl, xsd *template.Template
	fk        []byte
}

func newDocuments() *documents {
	fk, err := schemaFiles.ReadFile("schema/formansforteckning_v1.xsd")
	if err != nil {
		panic(err) // embedded at build time
	}
	return &documents{
		wsdl: template.Must(template.ParseFS(schemaFiles, "schema/ssbtek.wsdl.tmpl")),
		xsd:  template.Must(template.ParseFS(schemaFiles, "schema/ssbtek.xsd.tmpl")),
		fk:   fk,
	}
}

// docData fills the templates.
type docData struct {
	Version    string
	NS         string
	SchemaName string
	V1, V11    bool
	// Address is the endpoint URL; base is what a document name is appended
	// to for its location.
	Address string
	base    string
}

// Loc returns the location of the named document, escaped for XML.
func (d docData) Loc(name string) string { return string(appendEscaped(nil, d.base+name, true)) }

func schemaName(v *version) string { return "ssbtek_v" + v.name + ".xsd" }

func wsdlName(v *version) string { return "ssbtek_v" + v.name + ".wsdl" }

// documentNames lists every document render knows.
func documentNames() []string {
	names := []string{"formansforteckning_v1.xsd"}
	for _, v := range versions {
		names = append(names, schemaName(v), wsdlName(v))
	}
	return names
}

// render returns the named document. Document names are appended to base
// to locate each other; address is the SOAP endpoint.
func (d *documents) render(name, base, address string) ([]byte, error) {
	if name == "formansforteckning_v1.xsd" {
		return d.fk, nil
	}
	for _, v := range versions {
		data := docData{
			Version: v.name, NS: v.ns, SchemaName: schemaName(v),
			V1: v.name == "1", V11: v.name == "11",
			Address: string(appendEscaped(nil, address, true)), base: base,
		}
		var t *template.Template
		switch name {
		case schemaName(v):
			t = d.xsd
		case wsdlName(v):
			t = d.wsdl
		default:
			continue
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return nil, fmt.Errorf("rendering %s: %w", name, err)
		}
		return buf.Bytes(), nil
	}
	return nil, nil
}

// serveDocs answers GET ?wsdl[=version] and ?xsd=name.
func (h *handler) serveDocs(w http.ResponseWriter, r *http.Request) {
	endpoint := endpointURL(r)
	var name string
	for k, vs := range r.URL.Query() {
		v := ""
		if len(vs) > 0 {
			v = vs[0]
		}
		switch strings.ToLower(k) {
		case "wsdl":
			if v == "" {
				v = defaultVersion
			}
			if ver := versionByName(strings.TrimPrefix(v, "v")); ver != nil {
				name = wsdlName(ver)
			}
		case "xsd":
			name = v
		}
	}
	if name == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "SSBTEK SOAP endpoint. WSDL: %s?wsdl (version 11; ?wsdl=10 and ?wsdl=1 for older clients)\n", endpoint)
		return
	}
	doc, err := h.docs.render(name, endpoint+"?xsd=", endpoint)
	if err != nil {
		h.log.Error("ssbtek document", "name", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if doc == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(doc)
}

// endpointURL is this endpoint's absolute URL as the caller reached it.
func endpointURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host + r.URL.EscapedPath()
}
