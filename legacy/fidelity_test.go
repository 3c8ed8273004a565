package legacy

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/ssbtek/gateway/adapters/af"
	"github.com/ssbtek/gateway/adapters/radata"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// trickyAF is an AF answer using what re-serializing would change: single
// quotes, prefixes declared on the Envelope (one of them our own ssbt),
// character references, CDATA, an empty element with an end tag, a
// namespaced attribute and unqualified content.
const trickyAF = `<?xml version='1.0' encoding='{ENC}'?>
<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/' xmlns:ers='` + af.Namespace + `' xmlns:x="urn:x" xmlns:ssbt='urn:clash'>
<soap:Header><x:Spar>1</x:Spar></soap:Header>
<soap:Body><ers:SvarMeddelande b='1'>
  <ers:Fraga x:attr='v&#9;w'>&#65;&amp;&lt;&#x00C5;sa</ers:Fraga><![CDATA[<not markup> & ]]><ers:E></ers:E>
  <ssbt:Y ssbt:z='q'/><Unq>räksmörgås</Unq><!-- a comment -->
</ers:SvarMeddelande></soap:Body></soap:Envelope>`

// canonicalScript prints, as a JSON list, the content of one element in
// Exclusive XML Canonicalization: its text, each child element's exc-c14n
// and each tail. argv: the document, and "answer" (the SOAP Body's element)
// or "data" (the AF data element of an SSBTEK answer).
const canonicalScript = `
import json, sys
from lxml import etree
doc = etree.parse(sys.argv[1])
if sys.argv[2] == "answer":
    el = doc.getroot().find("{http://schemas.xmlsoap.org/soap/envelope/}Body")[0]
else:
    el = [e for e in doc.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "data" and etree.QName(e.getparent()).localname == "AF"][0]
out = [el.text or ""]
for c in el:
    # C14N without comments drops comments and keeps their tails (lxml
    # crashes canonicalising a comment node on its own).
    if isinstance(c.tag, str):
        out.append(etree.tostring(c, method="c14n", exclusive=True, with_tail=False).decode())
    out.append(c.tail or "")
print(json.dumps(out))
`

func canonicalContent(t *testing.T, doc []byte, which string) []string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "doc.xml")
	if err := os.WriteFile(p, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", "-c", canonicalScript, p, which).Output()
	if err != nil {
		t.Fatalf("canonicalising with lxml (Debian's python3-lxml, which python3-zeep brings): %v", err)
	}
	var parts []string
	if err := json.Unmarshal(out, &parts); err != nil {
		t.Fatal(err)
	}
	return parts
}

// TestEmbeddingIsCanonicallyEqual: the SSBTEK answer's data holds the agency
// answer element's content with its in-scope namespaces, so that its
// Exclusive C14N equals that of the content as the agency sent it, in UTF-8
// and in Latin-1.
func TestEmbeddingIsCanonicallyEqual(t *testing.T) {
	for _, enc := range []string{"UTF-8", "ISO-8859-1"} {
		t.Run(enc, func(t *testing.T) {
			answer := []byte(strings.Replace(trickyAF, "{ENC}", enc, 1))
			if enc != "UTF-8" {
				var err error
				if answer, err = charmap.ISO8859_1.NewEncoder().Bytes(answer); err != nil {
					t.Fatal(err)
				}
			}
			fs := newFakes(t)
			fs[ssbtekv1.Bastjanst_BASTJANST_AF].radata = radata.New(answer, "text/xml", af.SSBTEK)
			url := serve(t, fs.service(t), Config{})
			// Not validated against the v10 XSD: the content is no valid
			// SvarMeddelande, which is beside the point here.
			raw := postOK(t, url, readTestdata(t, "hamta_v10.xml"))

			want := canonicalContent(t, answer, "answer")
			got := canonicalContent(t, raw, "data")
			if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
				t.Errorf("data is not canonically the agency's content:\n got %q\nwant %q", got, want)
			}
			if !strings.Contains(strings.Join(want, ""), `<ers:E xmlns:ers="`+af.Namespace+`"></ers:E>`) {
				t.Errorf("canonical form not as expected: %q", want)
			}
		})
	}
}
