package csn

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

// kommunfragaXSD is CSN's real schema inside the shared contracts folder.
const kommunfragaXSD = "v10/se/csn/schema/v4_0/kommunfraga/kommunfraga.xsd"

// schema returns a schema that validates CSN's question and answer against
// the real kommunfraga.xsd. That schema imports Sambruk's
// SBNUppgEkBistandBegar_v1_0.xsd, which the contracts lack, so xmllint cannot
// compile it alone: the wrapper imports our stand-in for the Sambruk
// namespace first (xmllint then skips kommunfraga.xsd's import of it) and the
// real schema second. Everything but the question's Sambruk content is
// checked against CSN's own schemas.
//
// The path returned is relative to the contracts folder, as
// adaptertest.Validate and Invalid take it, although the wrapper lives in a
// temporary folder.
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
	rel, err := filepath.Rel(xsdcheck.Contracts(t), path)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// fileURL makes an absolute path usable as a schemaLocation.
func fileURL(path string) string { return "file://" + filepath.ToSlash(path) }

// golden compares an envelope, indented, with testdata/name (rewriting it
// with -update) and validates its body against CSN's schema.
func golden(t *testing.T, name string, envelope []byte) {
	t.Helper()
	got := adaptertest.Indent(t, envelope)
	adaptertest.Golden(t, name, got)
	adaptertest.Validate(t, schema(t), name, adaptertest.Payload(t, got))
}

func TestGoldenRequest(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	if _, err := srv.Adapter(Agency()).Hamta(t.Context(), adaptertest.Fraga(simkit.Tolvan), nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	golden(t, "fraga_tolvan.xml", srv.Last(t).Request)
}

func TestGoldenAnswers(t *testing.T) {
	for name, pnr := range map[string]string{
		"svar_tolvan.xml":    simkit.Tolvan,
		"svar_felperson.xml": simkit.Felperson,
	} {
		t.Run(name, func(t *testing.T) {
			golden(t, name, ask(t, questionFor(pnr)))
		})
	}
}

// TestSimulatorPayloadsValidate checks every answer the simulator can give,
// and every question the adapter sends, against CSN's schema.
func TestSimulatorPayloadsValidate(t *testing.T) {
	xsd := schema(t)
	// validate checks the question q and the simulator's answer to it.
	validate := func(t *testing.T, q *etree.Element) {
		adaptertest.Validate(t, xsd, "fraga", adaptertest.Payload(t, soap.Build(q)))
		adaptertest.Validate(t, xsd, "svar", adaptertest.Payload(t, ask(t, q)))
	}
	persons := []string{
		simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Student,
		simkit.Pensionar, simkit.Felperson, simkit.Samordningsnummer, "194107086995",
	}
	for _, pnr := range persons {
		t.Run(pnr[:8], func(t *testing.T) {
			t.Parallel()
			validate(t, questionFor(pnr))
		})
	}
	t.Run("Tolvan in the autumn and over two years", func(t *testing.T) {
		t.Parallel()
		for _, p := range []*ssbtekv1.Tidsperiod{{From: "2026-08-01", Tom: "2026-10-31"}, {From: "2025-01-01", Tom: "2026-12-31"}} {
			validate(t, begaran(adaptertest.Fraga(simkit.Tolvan), p))
		}
	})
	t.Run("slow person", func(t *testing.T) {
		// Once is enough: after its delay the slow person is nobody known.
		t.Parallel()
		adaptertest.Validate(t, xsd, "svar", adaptertest.Payload(t, ask(t, questionFor(simkit.Langsam))))
	})
	t.Run("ping", func(t *testing.T) {
		t.Parallel()
		f := pingFraga(adapters.DefaultOperator)
		validate(t, begaran(f, f.GetPeriod()))
	})
	t.Run("question with ombud and no biträde", func(t *testing.T) {
		t.Parallel()
		f := adaptertest.Fraga(simkit.Tolvan)
		f.Personuppgiftsbitrade = nil
		f.Ombud = "165567000010"
		validate(t, begaran(f, f.GetPeriod()))
	})
}
