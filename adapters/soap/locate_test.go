package soap

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// dump renders a tree with everything etree's reader sets that its public
// API shows: kinds, names, attributes (and their element), text with its
// white-space flag, and each token's parent and index.
func dump(b *strings.Builder, parent *etree.Element, depth int) {
	for i, t := range parent.Child {
		if t.Parent() != parent || t.Index() != i {
			fmt.Fprintf(b, "%*s!bad parent or index %d\n", depth, "", i)
		}
		switch t := t.(type) {
		case *etree.Element:
			fmt.Fprintf(b, "%*sE %q %q\n", depth, "", t.Space, t.Tag)
			for _, a := range t.Attr {
				fmt.Fprintf(b, "%*s A %q %q %q %v\n", depth, "", a.Space, a.Key, a.Value, a.Element() == t)
			}
			dump(b, t, depth+1)
		case *etree.CharData:
			fmt.Fprintf(b, "%*sT %q %v %v\n", depth, "", t.Data, t.IsWhitespace(), t.IsCData())
		case *etree.Comment:
			fmt.Fprintf(b, "%*sC %q\n", depth, "", t.Data)
		case *etree.Directive:
			fmt.Fprintf(b, "%*sD %q\n", depth, "", t.Data)
		case *etree.ProcInst:
			fmt.Fprintf(b, "%*sP %q %q\n", depth, "", t.Target, t.Inst)
		}
	}
}

// sameAsEtree checks that readLocating reads doc as etree does and locates
// what Locate does.
func sameAsEtree(t *testing.T, doc []byte, maxDepth int) {
	t.Helper()
	want := etree.NewDocument()
	want.ReadSettings = etree.ReadSettings{MaxDepth: maxDepth, CharsetReader: PassThrough}
	wantErr := want.ReadFromBytes(doc)

	var loc locator
	loc.reset()
	got, gotErr := readLocating(doc, Limits{MaxDepth: maxDepth}, &loc)
	if errors.Is(gotErr, errUnusualName) {
		// Left to etree itself, by ReadTree too.
		tree, err := ReadTree(doc, maxDepth)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || (err == nil && len(tree.Child) != len(want.Child)) {
			t.Fatalf("ReadTree of an unusual name: %v, etree's %v", err, wantErr)
		}
		return
	}
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || errors.Is(gotErr, etree.ErrXML) != errors.Is(wantErr, etree.ErrXML) ||
		errors.Is(gotErr, etree.ErrMaxDepth) != errors.Is(wantErr, etree.ErrMaxDepth) {
		t.Fatalf("error %v, etree's %v", gotErr, wantErr)
	}
	if wantErr != nil {
		return
	}
	var g, w strings.Builder
	dump(&g, &got.Element, 0)
	dump(&w, &want.Element, 0)
	if g.String() != w.String() {
		t.Fatalf("tree differs from etree's\n--- got ---\n%s\n--- etree ---\n%s", g.String(), w.String())
	}
	tree, err := ReadTree(doc, maxDepth)
	if err != nil {
		t.Fatalf("ReadTree: %v", err)
	}
	var r strings.Builder
	dump(&r, &tree.Element, 0)
	if r.String() != w.String() {
		t.Fatalf("ReadTree's tree differs from etree's\n--- got ---\n%s\n--- etree ---\n%s", r.String(), w.String())
	}
	if !loc.done {
		t.Fatal("the locator is not done at the end of the document")
	}
	gotA, gotLocErr := loc.result()
	wantA, wantLocErr := Locate(doc)
	if fmt.Sprint(gotLocErr) != fmt.Sprint(wantLocErr) || !reflect.DeepEqual(gotA, wantA) {
		t.Fatalf("located %+v, %v; Locate %+v, %v", gotA, gotLocErr, wantA, wantLocErr)
	}
}

// corpus is the agencies' golden answers and requests.
func corpus(t testing.TB) [][]byte {
	paths, err := filepath.Glob("../*/testdata/*.xml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

var locateCases = []string{
	`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a x='1' x='2'>&#65;</a></s:Body></s:Envelope>`,
	`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h/></s:Header><s:Body/><s:Body><p:a xmlns:p="urn:p" p:x="1" p:x="2"/></s:Body></s:Envelope>`,
	`<?xml version="1.0"?><!-- c --><!DOCTYPE a><a xmlns="urn:d"><![CDATA[x]]> <?pi data?><b xmlns=""/>  </a>`,
	`<a><b></a>`, `<a>`, `</a>`, `<a/><b/>`, `<a:b/>`, `<a :x="1"/>`, `<a x:="1"/>`, `<a x:y:z="1"/>`, `<:a/>`, `<a:b:c/>`,
	`<a><b><c><d/></c></b></a>`, `<a>&unknown;</a>`, "<a>\xff</a>", ``, ` `, `<a/>trailing`,
}

func TestReadLocatingIsEtreesReader(t *testing.T) {
	docs := corpus(t)
	for _, c := range locateCases {
		docs = append(docs, []byte(c))
	}
	for i, doc := range docs {
		for _, depth := range []int{0, 2, 3, MaxAnswerDepth} {
			t.Run(fmt.Sprintf("%d/%d", i, depth), func(t *testing.T) { sameAsEtree(t, doc, depth) })
		}
	}
}

func TestEnvelopeLocate(t *testing.T) {
	for _, doc := range corpus(t) {
		env, err := ParseAs(doc, ContentType)
		if err != nil {
			continue // a request, or no envelope
		}
		if !env.located {
			t.Fatal("ParseAs did not locate the answer")
		}
		got, gotErr := env.Locate()
		want, wantErr := Locate(doc)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
			t.Fatalf("Envelope.Locate %+v, %v; Locate %+v, %v", got, gotErr, want, wantErr)
		}
	}
	// An envelope whose Raw was replaced is located again.
	env, err := Parse([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a/></s:Body></s:Envelope>`))
	if err != nil {
		t.Fatal(err)
	}
	env.Raw = []byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body> <b>x</b></s:Body></s:Envelope>`)
	if a, err := env.Locate(); err != nil || a.Start != bytes.Index(env.Raw, []byte("<b>")) {
		t.Errorf("after Raw changed: %+v, %v", a, err)
	}
}

// FuzzReadLocating: the one-pass reader builds etree's tree, fails as etree
// does, and locates what Locate does.
func FuzzReadLocating(f *testing.F) {
	for _, doc := range corpus(f) {
		f.Add(doc)
	}
	for _, c := range locateCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		sameAsEtree(t, doc, MaxAnswerDepth)
		sameAsEtree(t, doc, 3)
	})
}
