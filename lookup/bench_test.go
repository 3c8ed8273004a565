package lookup_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/rights"
)

// okAdapter answers OK at once.
type okAdapter struct{ b ssbtekv1.Bastjanst }

func (a okAdapter) Bastjanst() ssbtekv1.Bastjanst { return a.b }
func (a okAdapter) Testa(context.Context) error   { return nil }
func (a okAdapter) Hamta(context.Context, *ssbtekv1.Fraga, *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	return &ssbtekv1.BastjanstResultat{Status: bastjanst.Status(true, false)}, nil
}

// discardAuditor commits every record and keeps none.
type discardAuditor struct{}

func (discardAuditor) Append(context.Context, *audit.Record) error { return nil }

// BenchmarkSammanstallning is one lookup of all seven agencies as the
// gateway runs it (rights, the audit record, the JSON log line), with
// agencies that answer at once: the lookup service's own cost around the
// fan-out, for a question the interface has checked (as the modern API's)
// and one it has not (as the SOAP shim's).
func BenchmarkSammanstallning(b *testing.B) {
	var list []bastjanst.Adapter
	for _, a := range bastjanst.All() {
		list = append(list, okAdapter{a})
	}
	core, err := fanout.New(fanout.Config{}, list...)
	if err != nil {
		b.Fatal(err)
	}
	r, err := rights.Parse([]byte(`
organisationer:
  - organisationsnummer: "162120002411"
    namn: Exempelkommun
    bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]
`))
	if err != nil {
		b.Fatal(err)
	}
	svc := lookup.New(core, slog.New(slog.NewJSONHandler(io.Discard, nil)), lookup.WithRights(rights.Static(r)))
	svc.SetAuditor(discardAuditor{})
	ctx := as(kommun)
	for _, c := range []struct {
		name    string
		checked bool
	}{{"checked", true}, {"unchecked", false}} {
		b.Run(c.name, func(b *testing.B) {
			req := lookup.Request{Caller: lookup.Caller{Interface: "rest"}, Fraga: fraga(tolvan), RulesChecked: c.checked}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.Sammanstallning(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
