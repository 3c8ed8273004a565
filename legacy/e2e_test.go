package legacy

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/fanout"
	"github.com/ssbtek/gateway/internal/testenv"
	"github.com/ssbtek/gateway/internal/xsdcheck"
	"github.com/ssbtek/gateway/lookup"
)

// e2eRequest is hamta_v10.xml for Tolvan without an FK LEFI question of our
// own, so that the FK adapter builds it.
func e2eRequest(t testing.TB) []byte {
	req := string(readTestdata(t, "hamta_v10.xml"))
	return []byte(regexp.MustCompile(`(?s)<ssbt:FK inkludera="true">.*</ssbt:FK>`).ReplaceAllString(req, `<ssbt:FK inkludera="true"/>`))
}

// requireAllAgencies fails the test, saying why, while the registry lacks
// agencies: the end-to-end tests assert all seven.
func requireAllAgencies(t *testing.T) {
	t.Helper()
	var have []string
	for _, a := range registry.Agencies() {
		have = append(have, a.Name)
	}
	if len(have) < 7 {
		t.Errorf("adapters/registry lists %d of 7 agencies (%s); this test asserts all seven", len(have), strings.Join(have, ", "))
	}
}

// TestEndToEnd drives the shim over the real adapters and their simulators.
func TestEndToEnd(t *testing.T) {
	requireAllAgencies(t)
	env := testenv.New(t, fanout.Config{})
	url := serve(t, env.Lookup, Config{})

	raw := postOK(t, url, e2eRequest(t))
	validateAnswer(t, "10", raw)
	svar := svarsdata(t, answerDoc(t, raw))
	for _, kod := range agencyCodes {
		switch el := svar[kod]; {
		case el == nil:
			t.Errorf("%s: missing from svarsdata", kod)
		case el.SelectElement("data") == nil:
			t.Errorf("%s: no data: %s/%s %s", kod, el.FindElement("error/kalla").Text(), el.FindElement("error/felkod").Text(), el.FindElement("error/felmeddelande").Text())
		}
	}

	req := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><t:testaBastjanstInformation xmlns:t="` + versionByName("10").ns + `"/></s:Body></s:Envelope>`
	raw = postOK(t, url, []byte(req))
	validateAnswer(t, "10", raw)
	body := answerDoc(t, raw)
	for _, kod := range agencyCodes {
		el := body.SelectElement(kod)
		if el == nil || el.SelectElement("anropad").Text() != "true" || el.SelectElement("error") != nil {
			t.Errorf("testa %s: not called, or failed", kod)
		}
	}
}

// seedV1Request is the v1 example question of seed 000's appendix, with its
// placeholders (xxxxxxxxxxxx) filled in. It is read, not copied, from the
// shared specification.
func seedV1Request(t *testing.T) []byte {
	t.Helper()
	dir := filepath.Join(filepath.Dir(xsdcheck.Contracts(t)), "spec", "seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "000_*.txt"))
	if len(files) == 0 {
		t.Skipf("seed 000 not found in %s: the v1 example request cannot be sent", dir)
	}
	text, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	s := string(text)
	start, end := strings.Index(s, "<soapenv:Envelope"), strings.Index(s, "</soapenv:Envelope>")
	if start < 0 || end < start {
		t.Fatalf("no example request in %s", files[0])
	}
	req := s[start : end+len("</soapenv:Envelope>")]
	for _, r := range [][2]string{
		{"<organisationsnummer>xxxxxxxxxxxx", "<organisationsnummer>162120001420"},
		{"<personidentitet>xxxxxxxxxxxx", "<personidentitet>191212121212"},
		{"<organisationsnummer>xxxxxxxxxxxx", "<organisationsnummer>165565866996"},
	} {
		req = strings.Replace(req, r[0], r[1], 1)
	}
	return []byte(req)
}

// TestSeedV1Example sends the seed's v1 example request as it stands.
func TestSeedV1Example(t *testing.T) {
	req := seedV1Request(t)
	fs := newFakes(t)
	// The example asks about 2013–2014: as it stands only without the
	// period bounds (lookup.PeriodBounds) of a gateway asked today.
	url := serve(t, fs.service(t, lookup.WithPeriodBounds(lookup.PeriodBounds{})), Config{})
	raw := postOK(t, url, req)
	validateAnswer(t, "1", raw)
	body := answerDoc(t, raw)
	if body.NamespaceURI() != versionByName("1").ns {
		t.Errorf("answered in %s, want v1's namespace", body.NamespaceURI())
	}
	if body.SelectElement("korrelationsid").Text() != "KORRID12345" || body.SelectElement("frageTidpunkt").Text() != "2014-01-07T09:30:47.123" {
		t.Error("korrelationsid or frageTidpunkt not echoed")
	}
	svar := svarsdata(t, body)
	for _, kod := range []string{"AF", "CSN", "FK", "SKV", "SO"} {
		if svar[kod] == nil || svar[kod].SelectElement("data") == nil {
			t.Errorf("%s: no data", kod)
		}
	}
	if len(svar) != 5 {
		t.Errorf("%d agencies answered, the example asks five", len(svar))
	}
	if _, p := fs[bastjanstFor("CSN")].last(); p.GetFrom() != "2013-12-01" || p.GetTom() != "2014-01-31" {
		t.Errorf("CSN's own tidsperiod: %v", p)
	}

	// The same question, answered in full by the simulators.
	t.Run("end to end", func(t *testing.T) {
		requireAllAgencies(t)
		env := testenv.New(t, fanout.Config{})
		url := serve(t, lookup.New(env.Core, nil, lookup.WithPeriodBounds(lookup.PeriodBounds{})), Config{})
		raw := postOK(t, url, req)
		validateAnswer(t, "1", raw)
		svar := svarsdata(t, answerDoc(t, raw))
		for _, kod := range []string{"AF", "CSN", "FK", "SKV", "SO"} {
			if svar[kod] == nil || svar[kod].SelectElement("data") == nil {
				t.Errorf("%s: no data", kod)
			}
		}
	})
}
