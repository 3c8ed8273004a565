package legacy

import (
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/fanout"
	"github.com/ssbtek/gateway/internal/testenv"
)

// svarsstatusOf returns the svarsstatus SOAP header of an answer (nil when
// there is none).
func svarsstatusOf(t *testing.T, raw []byte) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatal(err)
	}
	return doc.FindElement("/Envelope/Header/svarsstatus")
}

// TestProtectedIdentityOverSOAP: when an agency marks the person, the whole
// SOAP answer says SKYDDADIDENTITET in its svarsstatus header, in the
// version's namespace and valid against its schema, beside the unchanged
// body; an ordinary person's answer has no header at all.
func TestProtectedIdentityOverSOAP(t *testing.T) {
	env := testenv.New(t, fanout.Config{})
	url := serve(t, env.Lookup, Config{})
	for _, ver := range []string{"10", "11", "1"} {
		v := versionByName(ver)
		req := strings.Replace(string(questionFor(t, v, `<ssbt:FK inkludera="true"/>`)), "<ssbt:personidentitet>191212121212", "<ssbt:personidentitet>"+simkit.Skyddad, 1)
		if v.n >= firstLefiJSON {
			req = strings.Replace(string(e2eRequest(t)), "<ssbt:personidentitet>191212121212", "<ssbt:personidentitet>"+simkit.Skyddad, 1)
			req = strings.ReplaceAll(req, versionByName("10").ns, v.ns)
		}
		raw := postOK(t, url, []byte(req))
		validateAnswer(t, ver, raw)
		st := svarsstatusOf(t, raw)
		if st == nil || st.NamespaceURI() != v.ns || st.SelectElement("kod").Text() != "SKYDDADIDENTITET" || !strings.Contains(st.SelectElement("meddelande").Text(), "skyddad identitet") {
			t.Errorf("v%s: no svarsstatus SKYDDADIDENTITET header in the %s namespace:\n%s", ver, v.ns, raw)
		}
		if svar := svarsdata(t, answerDoc(t, raw)); svar["AF"].SelectElement("data") == nil {
			t.Errorf("v%s: AF's data is not in the body", ver)
		}
	}
	raw := postOK(t, url, e2eRequest(t))
	if st := svarsstatusOf(t, raw); st != nil || strings.Contains(string(raw), "Header") {
		t.Errorf("Tolvan's answer has a status header:\n%s", raw)
	}
}

// TestAgencyRefusalOverSOAP: LEFI's 403 and Transportstyrelsen's refusal
// without medgivande are each agency's own error (kalla BT, its code and
// its text), the others answer with data.
func TestAgencyRefusalOverSOAP(t *testing.T) {
	env := testenv.New(t, fanout.Config{})
	url := serve(t, env.Lookup, Config{})
	req := strings.Replace(string(e2eRequest(t)), "<ssbt:organisationsnummer>162120001420", "<ssbt:organisationsnummer>"+simkit.UtanAvtal, 1)
	raw := postOK(t, url, []byte(req))
	validateAnswer(t, "10", raw)
	svar := svarsdata(t, answerDoc(t, raw))
	want := map[string][2]string{
		"FK":  {"HTTP 403", "behörighet"},
		"TNS": {"110", "Medgivande"},
	}
	for _, kod := range agencyCodes {
		el := svar[kod]
		w, refused := want[kod]
		switch {
		case el == nil:
			t.Errorf("%s: missing", kod)
		case refused && (el.FindElement("error/kalla") == nil || el.FindElement("error/kalla").Text() != "BT" ||
			el.FindElement("error/felkod").Text() != w[0] || !strings.Contains(el.FindElement("error/felmeddelande").Text(), w[1])):
			t.Errorf("%s: want error BT/%s with the agency's text:\n%s", kod, w[0], raw)
		case !refused && el.SelectElement("data") == nil:
			t.Errorf("%s: no data", kod)
		}
	}
}
