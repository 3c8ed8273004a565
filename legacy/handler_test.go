package legacy

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// faultOf returns the felkod, felmeddelande and faultcode of a fault answer.
func faultOf(t *testing.T, raw []byte) (felkod, msg, faultcode, detail string) {
	t.Helper()
	body := answerDoc(t, raw)
	if body.Tag != "Fault" {
		t.Fatalf("not a fault:\n%s", raw)
	}
	d := body.FindElement("detail/*")
	if d == nil {
		t.Fatalf("fault without detail:\n%s", raw)
	}
	return d.SelectElement("felkod").Text(), d.SelectElement("felmeddelande").Text(), body.SelectElement("faultcode").Text(), d.Tag
}

func TestMalformedRequests(t *testing.T) {
	fs := newFakes(t)
	var logs bytes.Buffer
	url := serve(t, fs.service(t), Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	valid := string(readTestdata(t, "hamta_v10.xml"))
	replace := func(old, new string) string {
		if !strings.Contains(valid, old) {
			t.Fatalf("edit does not apply: %s", old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	big := strings.Replace(valid, "<soapenv:Body>", "<soapenv:Body><!--"+strings.Repeat("x", 5<<20)+"-->", 1)

	cases := []struct {
		name, body string
		// want is a piece of the message naming the problem.
		want      string
		faultcode string
		ver       string
		detail    string
	}{
		{name: "missing ingivare", body: strings.Replace(replace("<ssbt:ingivare>", "<!--"), "</ssbt:ingivare>", "-->", 1), want: "ingivare saknas"},
		{name: "bad date", body: replace("<ssbt:tomDatum>2025-02-28</ssbt:tomDatum>\n        </ssbt:tidsperiod>\n        <ssbt:person", "<ssbt:tomDatum>2025-02-30</ssbt:tomDatum>\n        </ssbt:tidsperiod>\n        <ssbt:person"), want: "tomDatum"},
		{name: "unknown agency element", body: replace(`<ssbt:MIV inkludera="true"/>`, `<ssbt:MIV inkludera="true"/><ssbt:PM inkludera="true"/>`), want: "okänt element PM"},
		{name: `inkludera="yes"`, body: replace(`<ssbt:SO inkludera="true"/>`, `<ssbt:SO inkludera="yes"/>`), want: "inkludera på SO"},
		{name: "DOCTYPE", body: `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` + valid[strings.Index(valid, "<soapenv:Envelope"):], want: "DOCTYPE"},
		{name: "5 MiB body", body: big, want: "större än 1024 KiB"},
		{name: "SOAP 1.2 envelope", body: strings.Replace(valid, "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope", 1), want: "SOAP 1.1", faultcode: "soap:VersionMismatch"},
		{name: "not XML", body: "hello", want: "rotelement"},
		{name: "empty body", body: "", want: "rotelement"},
		{name: "truncated", body: valid[:len(valid)/2], want: "avslutas inte"},
		{name: "undeclared entity", body: replace("Ombudet AB", "Ombudet &amp &foo; AB"), want: "entitet"},
		{name: "absurd nesting", body: replace("<soapenv:Header>", "<soapenv:Header>"+strings.Repeat("<a>", 100000)), want: "djupare än 32"},
		{name: "two body elements", body: replace("</soapenv:Body>", "<x/></soapenv:Body>"), want: "ett element", ver: "10"},
		{name: "unknown operation", body: strings.ReplaceAll(valid, "ssbt:hamtaBastjanstInformation>", "ssbt:hamtaAllt>"), want: "okänd operation hamtaAllt"},
		{name: "unknown version", body: strings.Replace(valid, "integration/ssbt/10", "integration/ssbt/12", 1), want: "okänd operation"},
		{name: "header we must understand", body: replace("</soapenv:Header>", `<w:Security xmlns:w="urn:x" soapenv:mustUnderstand="1"/></soapenv:Header>`), want: "Security", faultcode: "soap:MustUnderstand"},
		{name: "ombud not an organisationsnummer", body: replace("<iip:Address>5565866996", "<iip:Address>191212121212x"), want: "iip:Address"},
		{name: "UTF-16", body: "\xff\xfe<\x00", want: "UTF-16"},
		{name: "invalid UTF-8", body: replace("Ombudet AB", "Ombudet \xc3\x28 AB"), want: "UTF-8"},
		{name: "control character", body: replace("Ombudet AB", "Ombudet \x01 AB"), want: "tecken"},
		{name: "testa with content", body: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><testaBastjanstInformation xmlns="http://schema.forsakringskassan.se/integration/ssbt/11"><x/></testaBastjanstInformation></s:Body></s:Envelope>`, want: "okänt element x", ver: "11", detail: "testaBastjanstInformationFault"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, raw := post(t, url, []byte(c.body))
			if status != http.StatusInternalServerError {
				t.Errorf("status %d, want 500", status)
			}
			felkod, msg, faultcode, detail := faultOf(t, raw)
			if felkod != FelkodOgiltigFraga {
				t.Errorf("felkod %s, want 1001", felkod)
			}
			if !strings.HasPrefix(msg, ogiltigFraga) || !strings.Contains(msg, c.want) {
				t.Errorf("felmeddelande %q does not name the problem (%q)", msg, c.want)
			}
			if want := cmp(c.faultcode, "soap:Client"); faultcode != want {
				t.Errorf("faultcode %s, want %s", faultcode, want)
			}
			if want := cmp(c.detail, "hamtaBastjanstInformationFault"); detail != want {
				t.Errorf("detail %s, want %s", detail, want)
			}
			validateAnswer(t, cmp(c.ver, "10"), raw)
		})
	}

	// Chunked, so the size is only found while reading.
	resp, err := http.Post(url+Path, "text/xml", io.MultiReader(strings.NewReader(big)))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if felkod, _, _, _ := faultOf(t, raw); resp.StatusCode != 500 || felkod != FelkodOgiltigFraga {
		t.Errorf("chunked 5 MiB: status %d felkod %s", resp.StatusCode, felkod)
	}

	// Still healthy.
	if status, raw := post(t, url, []byte(valid)); status != http.StatusOK {
		t.Fatalf("valid request after the malformed ones: %d\n%s", status, raw)
	}
	if strings.Contains(logs.String(), "191212121212") {
		t.Errorf("a personnummer reached the log:\n%s", logs.String())
	}
}

func cmp(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

func TestLatin1Request(t *testing.T) {
	fs := newFakes(t)
	url := serve(t, fs.service(t), Config{})
	utf8Req := string(readTestdata(t, "hamta_v10.xml"))
	var latin1 []byte
	for _, r := range strings.Replace(utf8Req, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1) {
		latin1 = append(latin1, byte(r))
	}
	resp, err := http.Post(url+Path, "text/xml", bytes.NewReader(latin1))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d:\n%s", resp.StatusCode, raw)
	}
	f, _ := fs[bastjanstFor("AF")].last()
	if f.GetIngivare() != "Exempelkommunen socialnämnd" {
		t.Errorf("ingivare %q", f.GetIngivare())
	}
}

func TestDocuments(t *testing.T) {
	url := serve(t, newFakes(t).service(t), Config{})
	for _, q := range []string{"?wsdl", "?WSDL", "?wsdl=10", "?wsdl=1", "?xsd=ssbtek_v11.xsd", "?xsd=formansforteckning_v1.xsd"} {
		resp, err := http.Get(url + Path + q)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(raw, []byte("<?xml")) {
			t.Errorf("%s: status %d", q, resp.StatusCode)
		}
		if strings.HasPrefix(q, "?wsdl") && !bytes.Contains(raw, []byte(`location="`+url+Path+`"`)) {
			t.Errorf("%s: soap:address does not point here:\n%s", q, raw)
		}
	}
	for _, q := range []string{"", "?xsd=../../etc/passwd", "?wsdl=12"} {
		resp, err := http.Get(url + Path + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%q: status %d, want 404", q, resp.StatusCode)
		}
	}
}

// TestInternalError: a failure inside the gateway is fault 1003, never a
// broken connection. A handler without a lookup service panics on use.
func TestInternalError(t *testing.T) {
	var logs bytes.Buffer
	url := serve(t, nil, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	status, raw := post(t, url, readTestdata(t, "hamta_v10.xml"))
	if status != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", status)
	}
	felkod, _, faultcode, _ := faultOf(t, raw)
	if felkod != FelkodInterntFel || faultcode != "soap:Server" {
		t.Errorf("felkod %s faultcode %s, want 1003 soap:Server", felkod, faultcode)
	}
	validateAnswer(t, "10", raw)
	if !strings.Contains(logs.String(), "panic") {
		t.Errorf("the cause was not logged:\n%s", logs.String())
	}
}
