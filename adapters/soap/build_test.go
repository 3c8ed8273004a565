package soap

import (
	"bytes"
	"testing"

	"github.com/beevik/etree"
)

// buildDocument is how Build wrote envelopes before: through an etree document.
func buildDocument(body *etree.Element, headers ...*etree.Element) []byte {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	env := doc.CreateElement("soap:Envelope")
	env.CreateAttr("xmlns:soap", EnvelopeNS)
	if len(headers) > 0 {
		h := env.CreateElement("soap:Header")
		for _, e := range headers {
			h.AddChild(Standalone(e))
		}
	}
	b := env.CreateElement("soap:Body")
	if body != nil {
		b.AddChild(Standalone(body))
	}
	out, _ := doc.WriteToBytes()
	return out
}

func TestBuildWritesWhatTheDocumentWrote(t *testing.T) {
	fresh := func() *etree.Element {
		q := etree.NewElement("p:Fraga")
		q.CreateAttr("xmlns:p", "urn:p")
		q.CreateElement("p:Namn").SetText(`Åsa & "Bo" <x>`)
		q.CreateElement("p:Tom")
		q.CreateElement("Annan").CreateAttr("a", `'"<&>`)
		return q
	}
	parsed, err := Parse(buildDocument(fresh()))
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		body    *etree.Element
		headers []*etree.Element
	}{
		"body":                 {body: fresh()},
		"no body":              {},
		"headers":              {body: fresh(), headers: []*etree.Element{fresh(), etree.NewElement("h:H")}},
		"headers, no body":     {headers: []*etree.Element{fresh()}},
		"inherits namespaces":  {body: parsed.Body.SelectElement("p:Namn")},
		"part of another tree": {body: parsed.Body, headers: []*etree.Element{parsed.Body.ChildElements()[1]}},
		"a fault":              {body: etree.NewElement("soap:Fault")},
	} {
		t.Run(name, func(t *testing.T) {
			want := buildDocument(tc.body, tc.headers...)
			if got := Build(tc.body, tc.headers...); !bytes.Equal(got, want) {
				t.Errorf("Build wrote\n%s\nthe document\n%s", got, want)
			}
			if tc.body != nil && tc.body.Parent() == nil {
				// Build leaves the caller's element as it was.
				if again := Build(tc.body, tc.headers...); !bytes.Equal(again, want) {
					t.Errorf("a second Build wrote\n%s", again)
				}
			}
		})
	}
}

func BenchmarkBuild(b *testing.B) {
	q := etree.NewElement("p:Fraga")
	q.CreateAttr("xmlns:p", "urn:p")
	for range 12 {
		q.CreateElement("p:Falt").SetText("Exempelkommunen socialtjänst")
	}
	b.ReportAllocs()
	for b.Loop() {
		Build(q)
	}
}
