package radata

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/soap"
)

// sameAsNew checks that FromEnvelope, which takes the answer's place from
// the envelope's one reading, keeps what New finds reading body again.
func sameAsNew(t *testing.T, body []byte, contentType string) {
	t.Helper()
	env, err := soap.ParseAs(body, contentType)
	if err != nil {
		return
	}
	for _, e := range []Embedding{AnswerContent(), AnswerBase64("svar"), BodyBase64("lefiJsonSvar"), {}} {
		if got, want := FromEnvelope(env, e), New(body, contentType, e); !proto.Equal(got, want) {
			t.Fatalf("FromEnvelope %v\nNew %v", got, want)
		}
	}
}

func TestFromEnvelopeIsNew(t *testing.T) {
	paths, err := filepath.Glob("../*/testdata/*.xml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sameAsNew(t, body, "text/xml; charset=utf-8")
		sameAsNew(t, body, "text/xml")
	}
	doc := `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:p"><s:Header><p:H/></s:Header><s:Body><p:A xmlns="urn:d">Åsa<B/></p:A></s:Body></s:Envelope>`
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	sameAsNew(t, utf16, "text/xml")
	latin1, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	sameAsNew(t, latin1, "text/xml; charset=iso-8859-1")
	sameAsNew(t, []byte(doc), "")
	sameAsNew(t, []byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>`), "text/xml")
	sameAsNew(t, []byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a b:c:d="1"/></s:Body></s:Envelope>`), "text/xml")
}

// FuzzFromEnvelope: whatever the envelope, FromEnvelope keeps what New does.
func FuzzFromEnvelope(f *testing.F) {
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a x='1'>&#65;</a></s:Body></s:Envelope>`), "text/xml")
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/><s:Body><p:a xmlns:p="urn:p"/></s:Body></s:Envelope>`), "text/xml; charset=utf-8")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		sameAsNew(t, body, contentType)
	})
}
