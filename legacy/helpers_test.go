package legacy

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/adapters/skv"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/xsdcheck"
	"github.com/ssbtek/gateway/lookup"
)

// realV10 is the published SSBTEK v10 XSD inside the shared contracts.
const realV10 = "v10/se/forsakringskassan/schema/integration/ssbt/_10/sammansatt_bastjanst_v10.xsd"

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cannedRadata is one realistic raw answer per agency, as the adapters
// deliver them.
func cannedRadata(t testing.TB) map[ssbtekv1.Bastjanst]*ssbtekv1.Radata {
	t.Helper()
	files := map[ssbtekv1.Bastjanst]string{
		ssbtekv1.Bastjanst_BASTJANST_AF:  "af.xml",
		ssbtekv1.Bastjanst_BASTJANST_CSN: "csn.xml",
		ssbtekv1.Bastjanst_BASTJANST_FK:  "fk.json",
		ssbtekv1.Bastjanst_BASTJANST_SKV: "skv.xml",
		ssbtekv1.Bastjanst_BASTJANST_SO:  "so.xml",
		ssbtekv1.Bastjanst_BASTJANST_TNS: "tns.xml",
		ssbtekv1.Bastjanst_BASTJANST_MIV: "miv.xml",
	}
	embeddings := map[ssbtekv1.Bastjanst]radata.Embedding{}
	for _, a := range registry.Agencies() {
		embeddings[a.Bastjanst] = a.SSBTEK
	}
	out := map[ssbtekv1.Bastjanst]*ssbtekv1.Radata{}
	for b, f := range files {
		media := "text/xml; charset=utf-8"
		if strings.HasSuffix(f, ".json") {
			media = "application/json"
		}
		out[b] = radata.New(readTestdata(t, filepath.Join("radata", f)), media, embeddings[b])
	}
	return out
}

// cannedResults answers every agency f selects from cannedRadata.
func cannedResults(radata map[ssbtekv1.Bastjanst]*ssbtekv1.Radata, f *ssbtekv1.Fraga) []*ssbtekv1.BastjanstResultat {
	var res []*ssbtekv1.BastjanstResultat
	for _, b := range f.GetBastjanster() {
		res = append(res, &ssbtekv1.BastjanstResultat{Bastjanst: b, Status: bastjanst.Status(true, false), Radata: radata[b]})
	}
	return res
}

// fakeAdapter answers from canned data and records the questions it gets.
type fakeAdapter struct {
	b        ssbtekv1.Bastjanst
	radata   *ssbtekv1.Radata
	err      error
	fel      *ssbtekv1.Fel
	mu       sync.Mutex
	fragor   []*ssbtekv1.Fraga
	perioder []*ssbtekv1.Tidsperiod
}

func (a *fakeAdapter) Bastjanst() ssbtekv1.Bastjanst { return a.b }

func (a *fakeAdapter) Hamta(_ context.Context, f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	a.mu.Lock()
	a.fragor = append(a.fragor, f)
	a.perioder = append(a.perioder, p)
	a.mu.Unlock()
	if a.err != nil {
		return nil, a.err
	}
	if a.fel != nil {
		return bastjanst.NativeError(a.b, a.fel.GetFelkod(), a.fel.GetFelmeddelande(), a.radata), nil
	}
	if a.b == ssbtekv1.Bastjanst_BASTJANST_SKV && !f.GetSkv().GetBeskattningsuppgifter() {
		return cannedDelar(f.GetSkv()), nil
	}
	return &ssbtekv1.BastjanstResultat{Bastjanst: a.b, Status: bastjanst.Status(true, false), Radata: a.radata}, nil
}

// skvDelar are Skatteverket's parts in answer order.
var skvDelar = []string{"foretagsinformation", "individuppgifter", "skattekonto", "skatteuppgifter", "beskattningsbilagor"}

// cannedDel is the canned JSON of one of Skatteverket's parts, with a
// character JSON escapes and a non-ASCII one, so that a re-encoding shows.
func cannedDel(name string) []byte {
	return []byte(`{"identitet": "191212121212", "del": "` + name + `", "text": "Överskott \u00e5 <&>"}` + "\n")
}

// cannedDelar is Skatteverket's answer in parts to the parts p asks (all
// when it names none): each the canned JSON, but beskattningsbilagor,
// which is Skatteverket's 404.
func cannedDelar(p *ssbtekv1.SkvParametrar) *ssbtekv1.BastjanstResultat {
	asked := map[string]bool{"foretagsinformation": p.GetForetagsinformation(), "individuppgifter": p.GetIndividuppgifter(),
		"skattekonto": p.GetSkattekonto(), "skatteuppgifter": p.GetSkatteuppgifter(), "beskattningsbilagor": p.GetBeskattningsbilagor()}
	none := !slices.Contains(slices.Collect(maps.Values(asked)), true)
	res := &ssbtekv1.BastjanstResultat{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_SKV, Status: bastjanst.Status(true, false)}
	for _, d := range skvDelar {
		if !none && !asked[d] {
			continue
		}
		if d == "beskattningsbilagor" {
			rd := radata.New([]byte(`{"felkod":"404","meddelande":"Not found"}`), "application/json", skv.DelEmbedding)
			res.Delsvar = append(res.Delsvar, &ssbtekv1.Delsvar{Namn: d, Status: bastjanst.Status(false, false), Radata: rd,
				Fel: &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "404", Felmeddelande: "Not found"}})
			continue
		}
		res.Delsvar = append(res.Delsvar, &ssbtekv1.Delsvar{Namn: d, Status: bastjanst.Status(true, false),
			Radata: radata.New(cannedDel(d), "application/json; charset=utf-8", skv.DelEmbedding)})
	}
	return res
}

func (a *fakeAdapter) Testa(context.Context) error { return a.err }

func (a *fakeAdapter) last() (*ssbtekv1.Fraga, *ssbtekv1.Tidsperiod) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.fragor) == 0 {
		return nil, nil
	}
	return a.fragor[len(a.fragor)-1], a.perioder[len(a.perioder)-1]
}

// fakes are canned adapters for all seven agencies.
type fakes map[ssbtekv1.Bastjanst]*fakeAdapter

func newFakes(t testing.TB) fakes {
	fs := fakes{}
	for b, r := range cannedRadata(t) {
		fs[b] = &fakeAdapter{b: b, radata: r}
	}
	return fs
}

func (fs fakes) service(t testing.TB, opts ...lookup.Option) *lookup.Service {
	var list []bastjanst.Adapter
	for _, a := range fs {
		list = append(list, a)
	}
	core, err := fanout.New(fanout.Config{}, list...)
	if err != nil {
		t.Fatal(err)
	}
	return lookup.New(core, nil, opts...)
}

// serve mounts the shim the way the gateway does and returns its base URL.
func serve(t testing.TB, svc *lookup.Service, cfg Config) string {
	mux := http.NewServeMux()
	mux.Handle(Path, NewHandler(svc, cfg))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// post sends a SOAP request and returns the status and body.
func post(t testing.TB, url string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url+Path, "text/xml; charset=utf-8", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading answer: %v", err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Errorf("Content-Type %q, want text/xml", ct)
	}
	return resp.StatusCode, out
}

// postOK sends a SOAP request that must succeed and returns the answer.
func postOK(t testing.TB, url string, body []byte) []byte {
	t.Helper()
	status, raw := post(t, url, body)
	if status != http.StatusOK {
		t.Fatalf("status %d:\n%s", status, raw)
	}
	return raw
}

// envelopeSchema writes a SOAP 1.1 envelope schema whose Body (and fault
// detail) must hold one element valid against the contract schema at
// contractXSD, and returns its path.
func envelopeSchema(t testing.TB, contractNS, contractXSD string) string {
	t.Helper()
	loc, err := filepath.Abs(contractXSD)
	if err != nil {
		t.Fatal(err)
	}
	xsd := `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema targetNamespace="http://schemas.xmlsoap.org/soap/envelope/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:import namespace="` + contractNS + `" schemaLocation="` + loc + `"/>
  <xs:element name="Envelope">
    <xs:complexType><xs:sequence>
      <xs:element name="Header" minOccurs="0">
        <xs:complexType><xs:sequence>
          <xs:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
        </xs:sequence></xs:complexType>
      </xs:element>
      <xs:element name="Body">
        <xs:complexType><xs:sequence>
          <xs:any namespace="` + contractNS + ` ##targetNamespace" processContents="strict"/>
        </xs:sequence></xs:complexType>
      </xs:element>
    </xs:sequence></xs:complexType>
  </xs:element>
  <xs:element name="Fault">
    <xs:complexType><xs:sequence>
      <xs:element name="faultcode" type="xs:QName" form="unqualified"/>
      <xs:element name="faultstring" type="xs:string" form="unqualified"/>
      <xs:element name="faultactor" type="xs:anyURI" form="unqualified" minOccurs="0"/>
      <xs:element name="detail" form="unqualified">
        <xs:complexType><xs:sequence>
          <xs:any namespace="` + contractNS + `" processContents="strict"/>
        </xs:sequence></xs:complexType>
      </xs:element>
    </xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>
`
	p := filepath.Join(t.TempDir(), "envelope.xsd")
	if err := os.WriteFile(p, []byte(xsd), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ourSchemas writes every schema and WSDL the shim serves into a directory,
// locating each other by file name, and returns the directory.
func ourSchemas(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	docs := newDocuments()
	for _, name := range documentNames() {
		b, err := docs.render(name, "", "http://localhost"+Path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// skvInParts finds Skatteverket's v11 answer in parts, which v10 lacks.
var skvInParts = regexp.MustCompile(`<ssbt:SKV><ssbt:(foretagsinformation|individuppgifter|skattekonto|skatteuppgifter|beskattningsbilagor)>`)

// validateAnswer checks a whole answer or fault envelope against the
// contract of version ver: for 10 the real v10 XSD and ours, ours for the
// others. A v11 answer without a v11-only question echoed, and without
// Skatteverket's answer in parts, is also checked against the real v10 XSD
// under the v10 namespace, since such v11 answers are v10 answers.
func validateAnswer(t testing.TB, ver string, doc []byte) {
	t.Helper()
	v := versionByName(ver)
	if v == nil {
		t.Fatalf("no version %s", ver)
	}
	contracts := xsdcheck.Contracts(t)
	real := filepath.Join(contracts, realV10)
	if ver == "10" {
		// Both: the real contract, whose data types import the agencies'
		// own schemas, and ours, whose data types are our schemas of
		// the agencies' answers: the conformance of ours to theirs.
		xsdcheck.Validate(t, envelopeSchema(t, v.ns, real), doc)
		xsdcheck.Validate(t, envelopeSchema(t, v.ns, filepath.Join(ourSchemas(t), schemaName(v))), doc)
		return
	}
	xsdcheck.Validate(t, envelopeSchema(t, v.ns, filepath.Join(ourSchemas(t), schemaName(v))), doc)
	if ver == "11" && !bytes.Contains(doc, []byte("<ssbt:fraga>")) && !skvInParts.Match(doc) {
		as10 := bytes.ReplaceAll(doc, []byte(v.ns+`"`), []byte(versionByName("10").ns+`"`))
		xsdcheck.Validate(t, envelopeSchema(t, versionByName("10").ns, real), as10)
	}
}
