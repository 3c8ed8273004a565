package af

import (
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

// schemaPath is AF's real schema inside the shared contracts folder.
const schemaPath = "v10/se/arbetsformedlingen/api/arbetssokande/ersattningsstod/v2/ers_stod.xsd"

// golden compares an envelope, indented, with testdata/name (rewriting it
// with -update) and validates its body against AF's schema.
func golden(t *testing.T, name string, envelope []byte) {
	t.Helper()
	got := adaptertest.Indent(t, envelope)
	adaptertest.Golden(t, name, got)
	adaptertest.Validate(t, schemaPath, name, adaptertest.Payload(t, got))
}

// ask posts a question to a fresh simulator in process and returns its answer.
func ask(t *testing.T, q *etree.Element) []byte {
	t.Helper()
	return adaptertest.AskSOAP(t, NewSimulator(), "/", q)
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
			f := adaptertest.Fraga(pnr)
			golden(t, name, ask(t, fragaMeddelande(f, f.GetPeriod(), false)))
		})
	}
}

// TestSimulatorPayloadsValidate checks every answer the simulator can give,
// for every test person and every shape of question, against AF's schema.
func TestSimulatorPayloadsValidate(t *testing.T) {
	xsdcheck.Contracts(t)
	// validate checks the question q and the simulator's answer to it.
	validate := func(t *testing.T, q *etree.Element) {
		adaptertest.Validate(t, schemaPath, "fraga", adaptertest.Payload(t, soap.Build(q)))
		adaptertest.Validate(t, schemaPath, "svar", adaptertest.Payload(t, ask(t, q)))
	}
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
				f := adaptertest.Fraga(pnr)
				q := fragaMeddelande(f, f.GetPeriod(), false)
				vary(q)
				validate(t, q)
			})
		}
	}
	t.Run("slow person", func(t *testing.T) {
		// Once is enough: after its delay the slow person is nobody known.
		t.Parallel()
		f := adaptertest.Fraga(simkit.Langsam)
		adaptertest.Validate(t, schemaPath, "svar", adaptertest.Payload(t, ask(t, fragaMeddelande(f, f.GetPeriod(), false))))
	})
	t.Run("test call", func(t *testing.T) {
		f := testaFraga(adapters.DefaultOperator)
		validate(t, fragaMeddelande(f, f.GetPeriod(), true))
	})
}
