package legacy

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// scanAll runs the scanner over doc and returns its tokens as text.
func scanAll(doc []byte, maxDepth int) ([]string, error) {
	var s scanner
	s.reset(doc, maxDepth)
	if err := s.prolog(); err != nil {
		return nil, err
	}
	var toks []string
	for {
		k, err := s.next()
		if err != nil {
			return toks, err
		}
		switch k {
		case tokEOF:
			return toks, nil
		case tokStart:
			toks = append(toks, "<{"+string(s.space)+"}"+string(s.local))
		case tokEnd:
			toks = append(toks, ">{"+string(s.space)+"}"+string(s.local))
		case tokText:
			toks = append(toks, "#"+string(s.text))
		}
	}
}

func TestScannerWellFormedness(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want string // a piece of the error; "" for well-formed
	}{
		{`<a/>`, ""},
		{"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8' standalone='yes'?>\n<a/>\n<!-- c -->\n<?pi?>", ""},
		{`<a xmlns="u" xmlns:p="v"><p:b p:x="1" x="2"/></a>`, ""},
		{`<a>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;</a>`, ""},
		{`<a><![CDATA[<not markup>]]></a>`, ""},
		{`<a xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:lang="sv"/>`, ""},
		{`<a xmlns="u"><b xmlns=""/></a>`, ""},
		{`<!DOCTYPE a><a/>`, "DOCTYPE"},
		{`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>`, "DOCTYPE"},
		{`<a>&e;</a>`, "entitet"},
		{`<a>&#0;</a>`, "entitet"},
		{`<a>&#xD800;</a>`, "entitet"},
		{`<a>&#99999999999;</a>`, "entitet"},
		{`<a>]]></a>`, "]]>"},
		{`<a><b></a></b>`, "matchar inte"},
		{`<a></b>`, "matchar inte"},
		{`<a>`, "tar slut"},
		{`<a/><b/>`, "mer än ett rotelement"},
		{`x<a/>`, "text utanför"},
		{`<a/>x`, "text utanför"},
		{``, "rotelement"},
		{`<a x="1" x="2"/>`, "två gånger"},
		{`<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>`, "två gånger"},
		{`<p:a/>`, "inte deklarerat"},
		{`<a p:x="1"/>`, "inte deklarerat"},
		{`<a xmlns:p=""/>`, "tom namnrymd"},
		{`<a xmlns:xmlns="u"/>`, "xmlns"},
		{`<a xmlns:xml="u"/>`, "xml"},
		{`<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>`, "reserverad"},
		{`<a x="<"/>`, "'<'"},
		{`<a x=1/>`, "citattecken"},
		{`<a x="1"y="2"/>`, "blanksteg"},
		{`<a:b:c xmlns:a="u"/>`, "namn"},
		{`<1a/>`, "namn"},
		{`<a><!-- a -- b --></a>`, "--"},
		{`<a><?xml version="1.0"?></a>`, "XML-deklarationen"},
		{`<?xml version="1.1"?><a/>`, "1.1"},
		{`<?xml encoding="utf-8"?><a/>`, "XML-deklaration"},
		{"<a>\x00</a>", "tecken"},
		{"<a>\xff</a>", "UTF-8"},
		{"<a>\xef\xbf\xbe</a>", "U+FFFE"},
		{`<a><![CDATA[x</a>`, "CDATA"},
		{strings.Repeat("<a>", 40) + strings.Repeat("</a>", 40), "djupare än 32"},
		{strings.Repeat("<a>", 32) + strings.Repeat("</a>", 32), ""},
	} {
		_, err := scanAll([]byte(c.doc), 32)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%.60q: %v", c.doc, err)
		case c.want != "" && err == nil:
			t.Errorf("%.60q: accepted, want error %q", c.doc, c.want)
		case c.want != "" && !strings.Contains(err.Error(), c.want):
			t.Errorf("%.60q: error %q, want %q", c.doc, err, c.want)
		}
	}
}

func TestScannerValues(t *testing.T) {
	toks, err := scanAll([]byte("<p:a xmlns:p=\"u\" x=\"1\r\n\t2&#9;\"><b>x\r\ny&amp;<![CDATA[\r<]]></b></p:a>"), 8)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"<{u}a", "<{}b", "#x\ny&", "#\n<", ">{}b", ">{u}a"}
	if strings.Join(toks, "|") != strings.Join(want, "|") {
		t.Errorf("tokens %q, want %q", toks, want)
	}
	var s scanner
	s.reset([]byte("<a x=\"1\r\n\t2&#9;\"/>"), 8)
	s.next()
	if v := string(s.attrs[0].value); v != "1  2\t" {
		t.Errorf("attribute value %q, want normalised %q", v, "1  2\t")
	}
}

// FuzzScanner: the scanner never panics, and whatever it accepts
// encoding/xml reads as the same elements.
func FuzzScanner(f *testing.F) {
	for _, seed := range []string{
		`<a xmlns="u"><b x="1">t&amp;</b><![CDATA[c]]><!--c--><?p?></a>`,
		`<p:a xmlns:p="u"><p:b/></p:a>`,
		string(readTestdata(f, "hamta_v10.xml")),
		string(readTestdata(f, "radata/af.xml")),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		toks, err := scanAll(doc, 16)
		if err != nil {
			return
		}
		var elems []string
		d := xml.NewDecoder(bytes.NewReader(doc))
		// Encodings are the caller's business, not the scanner's.
		d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("scanner accepted what encoding/xml refuses (%v): %q", err, doc)
			}
			switch e := tok.(type) {
			case xml.StartElement:
				elems = append(elems, "<{"+e.Name.Space+"}"+e.Name.Local)
			case xml.EndElement:
				elems = append(elems, ">{"+e.Name.Space+"}"+e.Name.Local)
			}
		}
		var ours []string
		for _, tk := range toks {
			if tk[0] != '#' {
				ours = append(ours, tk)
			}
		}
		if strings.Join(ours, "|") != strings.Join(elems, "|") {
			t.Fatalf("elements differ:\nours %q\nxml  %q\ndoc %q", ours, elems, doc)
		}
	})
}

// FuzzDecode: no request makes the shim panic, and every answer to a
// request it accepts is well-formed XML.
func FuzzDecode(f *testing.F) {
	f.Add(readTestdata(f, "hamta_v10.xml"))
	f.Add(readTestdata(f, "hamta_v11.xml"))
	f.Add(envelope(decodeCase{}.body(versionByName("10").ns)))
	radata := cannedRadata(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		var x exchange
		x.dec.reset(DefaultMaxDepth)
		if err := x.dec.decode(doc, "text/xml"); err != nil {
			x.enc.fault(versionByName("10").ns, x.dec.op, faultClient, FelkodOgiltigFraga, err.Error())
		} else if x.dec.op == opHamta {
			x.enc.answer(&x.dec, cannedResults(radata, x.dec.fraga()))
		} else {
			x.enc.testAnswer(x.dec.ver, nil)
		}
		d := xml.NewDecoder(bytes.NewReader(x.enc.b))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("answer is not well-formed (%v):\n%s", err, x.enc.b)
			}
		}
	})
}
