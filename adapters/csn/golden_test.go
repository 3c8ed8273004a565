package csn

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

var update = adaptertest.Update

// kommunfragaXSD is CSN's real schema inside the shared contracts folder.
const kommunfragaXSD = "v10/se/csn/schema/v4_0/kommunfraga/kommunfraga.xsd"

// schema returns a schema that validates CSN's question and answer against
// the real kommunfraga.xsd. That schema imports Sambruk's
// SBNUppgEkBistandBegar_v1_0.xsd, which the contracts lack, so xmllint cannot
// compile it alone: the wrapper imports our stand-in for the Sambruk
// namespace first (xmllint then skips kommunfraga.xsd's import of it) and the
// real schema second. Everything but the question's Sambruk content is
// checked against CSN's own schemas.
func schema(t *testing.T) string {
	t.Helper()
	real := xsdcheck.Schema(t, kommunfragaXSD)
	standin, err := filepath.Abs(filepath.Join("testdata", "SBNUppgEkBistandBegar_standin.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	wrapper := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:ssbtek-gateway:test:csn-wrapper">
  <xs:import namespace="%s" schemaLocation="%s"/>
  <xs:import namespace="%s" schemaLocation="%s"/>
</xs:schema>
`, NSSambruk, fileURL(standin), NSKommunfraga, fileURL(real))
	path := filepath.Join(t.TempDir(), "csn-wrapper.xsd")
	if err := os.WriteFile(path, []byte(wrapper), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fileURL makes an absolute path usable as a schemaLocation.
func fileURL(path string) string { return "file://" + filepath.ToSlash(path) }

// indented returns an XML document indented by two spaces, so golden files
// read well and compare regardless of how the wire form was laid out.
func indented(t *testing.T, raw []byte) []byte {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatalf("not XML: %v\n%s", err, raw)
	}
	doc.Indent(2)
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// golden compares got (an envelope, indented) with testdata/name, rewriting
// it with -update, and validates the envelope's body against CSN's schema.
func golden(t *testing.T, name string, raw []byte) {
	t.Helper()
	got := indented(t, raw)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what was sent (run go test -update if that is intended)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
	validate(t, schema(t), want)
}

// validate checks the body element of a SOAP envelope against CSN's schema.
func validate(t *testing.T, schemaPath string, envelope []byte) {
	t.Helper()
	xsdcheck.Validate(t, schemaPath, soap.Bytes(parseBody(t, envelope)))
}

func TestGoldenRequest(t *testing.T) {
	h, sent := recordRequest(NewSimulator())
	a := serve(t, h)
	if _, err := a.Hamta(t.Context(), fragaFor(simkit.Tolvan), nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	golden(t, "fraga_tolvan.xml", <-sent)
}

func TestGoldenAnswers(t *testing.T) {
	for name, pnr := range map[string]string{
		"svar_tolvan.xml":    simkit.Tolvan,
		"svar_felperson.xml": simkit.Felperson,
	} {
		t.Run(name, func(t *testing.T) {
			golden(t, name, ask(t, NewSimulator(), questionFor(pnr)))
		})
	}
}

// TestSimulatorPayloadsValidate checks every answer the simulator can give,
// and every question the adapter sends, against CSN's schema.
func TestSimulatorPayloadsValidate(t *testing.T) {
	xsd := schema(t)
	persons := []string{
		simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Student,
		simkit.Pensionar, simkit.Felperson, simkit.Samordningsnummer, "194107086995",
	}
	for _, pnr := range persons {
		t.Run(pnr[:8], func(t *testing.T) {
			t.Parallel()
			q := questionFor(pnr)
			validate(t, xsd, soap.Build(q))
			validate(t, xsd, ask(t, NewSimulator(), q))
		})
	}
	t.Run("slow person", func(t *testing.T) {
		// Once is enough: after its delay the slow person is nobody known.
		t.Parallel()
		validate(t, xsd, ask(t, NewSimulator(), questionFor(simkit.Langsam)))
	})
	t.Run("ping", func(t *testing.T) {
		t.Parallel()
		f := pingFraga()
		q := begaran(f, f.GetPeriod())
		validate(t, xsd, soap.Build(q))
		validate(t, xsd, ask(t, NewSimulator(), q))
	})
	t.Run("question with ombud and no biträde", func(t *testing.T) {
		t.Parallel()
		f := fragaFor(simkit.Tolvan)
		f.Personuppgiftsbitrade = nil
		f.Ombud = "165567000010"
		q := begaran(f, f.GetPeriod())
		validate(t, xsd, soap.Build(q))
		validate(t, xsd, ask(t, NewSimulator(), q))
	})
}
