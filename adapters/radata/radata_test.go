package radata

import (
	"bytes"
	"testing"

	"golang.org/x/text/encoding/unicode"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

func TestNewLocatesTheAnswer(t *testing.T) {
	const env = `<?xml version='1.0'?><s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/' xmlns:p="urn:p" xmlns="urn:default">` +
		`<s:Header><p:H/></s:Header><s:Body>{ANSWER}</s:Body></s:Envelope>`
	for _, tc := range []struct {
		name, answer string
		e            Embedding
		// part is what Part must return; decls the prefixes of Namnrymder.
		part  string
		decls []string
	}{
		{"content", `<p:A x='1'><![CDATA[<x>]]>&#65;<B></B></p:A>`, AnswerContent(), `<![CDATA[<x>]]>&#65;<B></B>`, []string{"s", "p", ""}},
		{"empty content", `<p:A/>`, AnswerContent(), ``, []string{"s", "p", ""}},
		{"own default undeclared", `<A xmlns=""><B/></A>`, AnswerContent(), `<B/>`, []string{"s", "p"}},
		// Base64: the element stands alone, with what it inherited declared.
		{"element base64", `<p:A xmlns:q="urn:q"><q:B/></p:A>`, AnswerBase64("svar"),
			`<p:A xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:p" xmlns="urn:default" xmlns:q="urn:q"><q:B/></p:A>`, []string{"s", "p", ""}},
		{"element base64 declaring its own", `<p:A xmlns:p="urn:p2"/>`, AnswerBase64("svar"),
			`<p:A xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:default" xmlns:p="urn:p2"/>`, []string{"s", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(string(bytes.Replace([]byte(env), []byte("{ANSWER}"), []byte(tc.answer), 1)))
			rd := New(body, "text/xml; charset=utf-8", tc.e)
			if !bytes.Equal(rd.GetInnehall(), body) || rd.GetMediaType() != "text/xml" || rd.GetCharset() != "utf-8" {
				t.Fatalf("radata not kept as received: %v", rd)
			}
			part, err := Part(rd)
			if err != nil || string(part) != tc.part {
				t.Errorf("Part = %q, %v; want %q", part, err, tc.part)
			}
			var got []string
			for _, n := range rd.GetInbaddning().GetNamnrymder() {
				got = append(got, n.GetPrefix())
			}
			if len(got) != len(tc.decls) {
				t.Fatalf("namespaces %v, want %v", got, tc.decls)
			}
			for i := range got {
				if got[i] != tc.decls[i] {
					t.Errorf("namespaces %v, want %v", got, tc.decls)
				}
			}
		})
	}
}

func TestNewKeepsOtherEncodings(t *testing.T) {
	doc := `<?xml version="1.0" encoding="utf-16"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><A>Åsa</A></s:Body></s:Envelope>`
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	rd := New(utf16, "text/xml", AnswerContent())
	if !bytes.Equal(rd.GetInnehall(), utf16) {
		t.Error("UTF-16 answer not kept as received")
	}
	if part, err := Part(rd); err != nil || string(part) != "Åsa" {
		t.Errorf("Part = %q, %v", part, err)
	}
}

func TestNewWithoutAnEmbeddablePart(t *testing.T) {
	for name, rd := range map[string]*ssbtekv1.Radata{
		"not XML":       New([]byte("<broken>"), "text/xml", AnswerContent()),
		"empty body":    New([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>`), "text/xml", AnswerContent()),
		"no embedding":  New([]byte("<a/>"), "text/xml", Embedding{}),
		"out of bounds": {Innehall: []byte("<a/>"), Inbaddning: &ssbtekv1.Inbaddning{Form: ssbtekv1.Inbaddning_FORM_XML, Start: 2, Slut: 9}},
	} {
		if _, err := Part(rd); err == nil {
			t.Errorf("%s: Part found something", name)
		}
	}
	json := New([]byte(`{"a":1}`), "application/json", BodyBase64("lefiJsonSvar"))
	if part, err := Part(json); err != nil || string(part) != `{"a":1}` || json.GetInbaddning().GetElement() != "lefiJsonSvar" {
		t.Errorf("JSON body: %q, %v", part, err)
	}
}

// FuzzNew: locating never panics, and what it finds lies inside the answer.
func FuzzNew(f *testing.F) {
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a x='1'>&#65;</a></s:Body></s:Envelope>`))
	f.Add([]byte(`<a><b/></a>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, e := range []Embedding{AnswerContent(), AnswerBase64("svar")} {
			rd := New(body, "text/xml", e)
			if rd.GetInbaddning() == nil {
				continue
			}
			if _, err := Part(rd); err != nil {
				t.Fatalf("located a part Part cannot return: %v", err)
			}
		}
	})
}
