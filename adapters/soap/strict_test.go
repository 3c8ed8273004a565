package soap

import (
	"fmt"
	"strings"
	"testing"
)

// TestReadStrict: what the strict reader refuses (the well-formedness and
// namespace cases the shim's own parser used to be tested with), and that
// its problems name no more of the document than a capped name.
func TestReadStrict(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want string // a piece of the problem; "" for accepted
	}{
		{`<a/>`, ""},
		{"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8' standalone='yes'?>\n<a/>\n<!-- c -->\n<?pi?>", ""},
		{`<a xmlns="u" xmlns:p="v"><p:b p:x="1" x="2"/></a>`, ""},
		{`<a>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;</a>`, ""},
		{`<a><![CDATA[<not markup>]]></a>`, ""},
		{`<a xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:lang="sv"/>`, ""},
		{`<a xmlns="u"><b xmlns=""/></a>`, ""},
		{`<!DOCTYPE a><a/>`, "DOCTYPE"},
		{`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a/>`, "DOCTYPE"},
		{`<a>&e;</a>`, "entitet"},
		{`<a>&#0;</a>`, "tecken"},
		{`<a><b></a></b>`, "matchar inte"},
		{`<a>`, "avslutas inte"},
		{`<a/><b/>`, "mer än ett rotelement"},
		{`x<a/>`, "text utanför"},
		{`<a/>x`, "text utanför"},
		{``, "rotelement"},
		{`<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>`, "två gånger"},
		{`<p:a/>`, "inte deklarerat"},
		{`<a p:x="1"/>`, "inte deklarerat"},
		{`<a xmlns:p=""/>`, "tom namnrymd"},
		{`<a xmlns:xmlns="u"/>`, "xmlns"},
		{`<a xmlns:xml="u"/>`, "reserverad"},
		{`<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>`, "reserverad"},
		{"<a>\x00</a>", "tecken"},
		{"<a>\xff</a>", "UTF-8"},
		{strings.Repeat("<a>", 40) + strings.Repeat("</a>", 40), "djupare än 32"},
		{strings.Repeat("<a>", 32) + strings.Repeat("</a>", 32), ""},
		{`<` + strings.Repeat("n", 1000) + ` p:x="1"/>`, "inte deklarerat"},
	} {
		_, err := ReadStrict([]byte(c.doc), "", Limits{MaxDepth: 32})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%.60q: %v", c.doc, err)
		case c.want != "" && err == nil:
			t.Errorf("%.60q: accepted, want a problem with %q", c.doc, c.want)
		case c.want != "" && !strings.Contains(err.Error(), c.want):
			t.Errorf("%.60q: problem %q, want %q", c.doc, err, c.want)
		case err != nil && len(err.Error()) > 2*MaxQuoted+100:
			t.Errorf("%.60q: problem of %d bytes", c.doc, len(err.Error()))
		}
	}
}

// TestReadStrictLimits: an element with too many attributes or namespace
// declarations, and a document with too many tokens, are refused naming
// the bound, by our reader and before etree's own reader alike (which
// reads the names ours leaves to it, here an attribute named ":u").
func TestReadStrictLimits(t *testing.T) {
	attrs := func(n int, format string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i, i)
		}
		return b.String()
	}
	for _, c := range []struct {
		doc  string
		lim  Limits
		want string
	}{
		{`<a` + attrs(DefaultMaxAttrs, ` x%d="%d"`) + `/>`, Limits{}, ""},
		{`<a` + attrs(DefaultMaxAttrs+1, ` x%d="%d"`) + `/>`, Limits{}, fmt.Sprintf("fler än %d attribut", DefaultMaxAttrs)},
		{`<a :u="1"` + attrs(DefaultMaxAttrs+1, ` x%d="%d"`) + `/>`, Limits{}, fmt.Sprintf("fler än %d attribut", DefaultMaxAttrs)},
		{`<a` + attrs(DefaultMaxNamespaces+1, ` xmlns:p%d="urn:%d"`) + `/>`, Limits{}, fmt.Sprintf("fler än %d namnrymdsdeklarationer", DefaultMaxNamespaces)},
		{`<a` + attrs(5, ` x%d="%d"`) + `/>`, Limits{MaxAttrs: 4}, "fler än 4 attribut"},
		// <b/> is two tokens, a start and an end.
		{`<a>` + strings.Repeat("<b/>", 4) + `</a>`, Limits{MaxTokens: 10}, ""},
		{`<a>` + strings.Repeat("<b/>", 5) + `</a>`, Limits{MaxTokens: 10}, "fler än 10 XML-delar"},
		{`<a :u="1">` + strings.Repeat("<b/>", 5) + `</a>`, Limits{MaxTokens: 10}, "fler än 10 XML-delar"},
	} {
		_, err := ReadStrict([]byte(c.doc), "", c.lim)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%.60q: %v", c.doc, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%.60q: %v, want a problem with %q", c.doc, err, c.want)
		}
	}
}
