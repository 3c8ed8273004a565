package legacy

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/adapters/soap"
)

// TestWSDLAddressIsNotTheHostHeader: a caller choosing Host cannot choose
// where the served WSDL points; a configured public URL is used as given.
func TestWSDLAddressIsNotTheHostHeader(t *testing.T) {
	svc := newFakes(t).service(t)
	for _, c := range []struct {
		name, publicURL string
		want            func(base string) string
	}{
		{"listener", "", func(base string) string { return base + Path }},
		{"public URL", "https://ssbtek.example.se/ssbtek", func(string) string { return "https://ssbtek.example.se/ssbtek" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := serve(t, svc, Config{PublicURL: c.publicURL})
			req, _ := http.NewRequest(http.MethodGet, base+Path+"?wsdl", nil)
			req.Host = "evil.example"
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if bytes.Contains(raw, []byte("evil.example")) || !bytes.Contains(raw, []byte(`location="`+c.want(base)+`"`)) {
				t.Errorf("soap:address not %s:\n%s", c.want(base), raw)
			}
			if !bytes.Contains(raw, []byte(versionByName("10").ns)) {
				t.Errorf("?wsdl is not the v10 WSDL")
			}
		})
	}
}

// TestLongNamesAreCapped: a huge element name is quoted back in the fault
// and the log only up to maxQuoted characters.
func TestLongNamesAreCapped(t *testing.T) {
	var logs bytes.Buffer
	url := serve(t, newFakes(t).service(t), Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	long := strings.Repeat("x", 512<<10)
	valid := string(readTestdata(t, "hamta_v10.xml"))
	body := strings.Replace(valid, `<ssbt:MIV inkludera="true"/>`, `<ssbt:MIV inkludera="true"/><ssbt:`+long+`/>`, 1)
	status, raw := post(t, url, []byte(body))
	_, msg, _, _ := faultOf(t, raw)
	if status != http.StatusInternalServerError || !strings.Contains(msg, "okänt element "+strings.Repeat("x", soap.MaxQuoted)+"…") {
		t.Errorf("status %d, felmeddelande %.200q", status, msg)
	}
	if len(raw) > 4096 || logs.Len() > 4096 {
		t.Errorf("fault of %d bytes, log of %d bytes: the name was not capped", len(raw), logs.Len())
	}
}

// TestBodyGrowsWithWhatArrives: a body declaring a megabyte but sending a
// few bytes holds a buffer of about what arrived, not of the declaration.
func TestBodyGrowsWithWhatArrives(t *testing.T) {
	h := &handler{cfg: Config{MaxBody: DefaultMaxBody}}
	r := httptest.NewRequest(http.MethodPost, Path, strings.NewReader("<a/>"))
	r.ContentLength = DefaultMaxBody
	body, err := h.readBody(httptest.NewRecorder(), r)
	if err != nil {
		t.Fatal(err)
	}
	if cap(body) > 64<<10 {
		t.Errorf("buffer of %d bytes for a 4-byte body that declared %d", cap(body), DefaultMaxBody)
	}
}

// TestVersionsServed: the ping in every version the release notes name,
// the question where there is a contract, and other versions refused with
// the versions served named.
func TestVersionsServed(t *testing.T) {
	url := serve(t, newFakes(t).service(t), Config{})
	for _, ver := range []string{"2", "7", "8"} {
		ns := ssbtNSBase + ver
		raw := postOK(t, url, []byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><testaBastjanstInformation xmlns="`+ns+`"/></s:Body></s:Envelope>`))
		if body := answerDoc(t, raw); body.NamespaceURI() != ns || body.SelectElement("AF") == nil {
			t.Errorf("v%s ping answered as %s:\n%s", ver, body.NamespaceURI(), raw)
		}
		valid := strings.ReplaceAll(string(readTestdata(t, "hamta_v10.xml")), versionByName("10").ns, ns)
		status, raw := post(t, url, []byte(valid))
		if felkod, msg, _, _ := faultOf(t, raw); status != 500 || felkod != FelkodOgiltigFraga || !strings.Contains(msg, "version 11, 10, 1") {
			t.Errorf("v%s question: status %d felkod %s %q", ver, status, felkod, msg)
		}
	}
	status, raw := post(t, url, []byte(strings.ReplaceAll(string(readTestdata(t, "hamta_v10.xml")), "integration/ssbt/10", "integration/ssbt/12")))
	if _, msg, _, _ := faultOf(t, raw); status != 500 || !strings.Contains(msg, "testaBastjanstInformation även i version 8, 7") {
		t.Errorf("v12: status %d %q", status, msg)
	}
}
