package af

import (
	"bytes"
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

// schemaPath is AF's real schema inside the shared contracts folder.
const schemaPath = "v10/se/arbetsformedlingen/api/arbetssokande/ersattningsstod/v2/ers_stod.xsd"

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
// it with -update, and validates the envelope's body against AF's schema.
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
	validate(t, want)
}

// validate checks the body element of a SOAP envelope against AF's schema.
func validate(t *testing.T, envelope []byte) {
	t.Helper()
	xsdcheck.Validate(t, xsdcheck.Schema(t, schemaPath), soap.Bytes(parseBody(t, envelope)))
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
			f := fragaFor(pnr)
			golden(t, name, ask(t, NewSimulator(), fragaMeddelande(f, f.GetPeriod(), false)))
		})
	}
}

// TestSimulatorPayloadsValidate checks every answer the simulator can give,
// for every test person and every shape of question, against AF's schema.
func TestSimulatorPayloadsValidate(t *testing.T) {
	xsdcheck.Contracts(t)
	persons := []string{
		simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Student,
		simkit.Pensionar, simkit.Felperson, simkit.Samordningsnummer, "194107086995",
	}
	variants := map[string]func(*etree.Element){
		"all included": func(*etree.Element) {},
		"nothing included": func(q *etree.Element) {
			ink := q.FindElement("Inkludera")
			for _, a := range []string{"ArbetssokandeInfo", "AkasseInfo", "BeslutInfo"} {
				ink.CreateAttr(a, "false")
			}
		},
		"no Inkludera": func(q *etree.Element) { q.RemoveChild(q.FindElement("Inkludera")) },
	}
	for _, pnr := range persons {
		for vname, vary := range variants {
			t.Run(pnr[:8]+"/"+vname, func(t *testing.T) {
				t.Parallel()
				f := fragaFor(pnr)
				q := fragaMeddelande(f, f.GetPeriod(), false)
				vary(q)
				validate(t, soap.Build(q))
				validate(t, ask(t, NewSimulator(), q))
			})
		}
	}
	t.Run("slow person", func(t *testing.T) {
		// Once is enough: after its delay the slow person is nobody known.
		t.Parallel()
		f := fragaFor(simkit.Langsam)
		validate(t, ask(t, NewSimulator(), fragaMeddelande(f, f.GetPeriod(), false)))
	})
	t.Run("test call", func(t *testing.T) {
		f := testaFraga()
		q := fragaMeddelande(f, f.GetPeriod(), true)
		validate(t, soap.Build(q))
		validate(t, ask(t, NewSimulator(), q))
	})
}
