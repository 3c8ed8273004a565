package adaptertest

import (
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/figurer"
)

// NoFigureLost asks agency a's simulator about each of pnrs (with the question
// fraga builds) and fails for every numeric figure of the simulator's answer
// that the typed content does not hold (internal/figurer). Names in ignore are
// identifiers, deliberately not typed; an entry with a "/" is the end of a
// figure's path instead, for a figure the typed content holds only derived
// (the caller's own test checks the derivation). It fails too when no
// person's answer had a figure at all, so the check cannot pass by looking at nothing.
func NoFigureLost(t *testing.T, a adapters.Agency, fraga func(pnr string) *ssbtekv1.Fraga, pnrs []string, ignore ...string) {
	t.Helper()
	seen := 0
	for _, pnr := range pnrs {
		srv := Serve(t, a, a.NewSimulator())
		res, err := srv.Adapter(a).Hamta(t.Context(), fraga(pnr), nil)
		if err != nil {
			t.Fatalf("%s: Hamta: %v", pnr, err)
		}
		// Every answer of the question: an agency answering in parts
		// (Skatteverket) makes one call per part.
		var figs []figurer.Figure
		for _, ex := range srv.Exchanges() {
			answer := ex.Answer
			if e, err := soap.Parse(answer); err == nil && e.Body != nil && e.Fault == nil {
				// The envelope's own parts carry no agency figure.
				answer = soap.Bytes(e.Body)
			}
			f, err := figurer.Figures(answer)
			if err != nil {
				t.Fatalf("%s: reading the answer's figures: %v", pnr, err)
			}
			figs = append(figs, f...)
		}
		figs = slices.DeleteFunc(figs, func(f figurer.Figure) bool {
			return slices.ContainsFunc(ignore, func(i string) bool { return strings.Contains(i, "/") && strings.HasSuffix(f.Path, "/"+i) })
		})
		seen += len(figs)
		typed := Content(res)
		if typed == nil {
			if len(figurer.Missing(figs, &ssbtekv1.BastjanstResultat{}, ignore...)) > 0 {
				t.Errorf("%s: answer has figures but no typed content", pnr)
			}
			continue
		}
		for _, f := range figurer.Missing(figs, typed, ignore...) {
			t.Errorf("%s: figure lost: %s", pnr, f)
		}
		if t.Failed() {
			t.Logf("%s typed:\n%s", pnr, prototext.Format(typed))
		}
	}
	if seen == 0 {
		t.Fatal("no simulator answer had a figure: the check looked at nothing")
	}
}

// FragaOver is Fraga with the period from..tom, for NoFigureLost: a period
// holding everything a simulator has.
func FragaOver(from, tom string) func(pnr string) *ssbtekv1.Fraga {
	return func(pnr string) *ssbtekv1.Fraga {
		f := Fraga(pnr)
		f.Period = &ssbtekv1.Tidsperiod{From: from, Tom: tom}
		return f
	}
}

// PersonsWithData are the test persons who have data at some agency (all
// but Felperson and Langsam), for NoFigureLost.
func PersonsWithData() []string {
	return []string{
		simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland,
		simkit.Student, simkit.Pensionar, simkit.Samordningsnummer,
	}
}

// Content is res's typed content, whichever field of the oneof innehall holds it; nil when none.
func Content(res *ssbtekv1.BastjanstResultat) proto.Message {
	m := res.ProtoReflect()
	if fd := m.WhichOneof(m.Descriptor().Oneofs().ByName("innehall")); fd != nil {
		return m.Get(fd).Message().Interface()
	}
	return nil
}
