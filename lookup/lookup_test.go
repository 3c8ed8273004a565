package lookup_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
)

// echoAdapter answers every question with OK, or with its native error text
// naming the person, as a careless agency might.
type echoAdapter struct{ b ssbtekv1.Bastjanst }

func (a echoAdapter) Bastjanst() ssbtekv1.Bastjanst { return a.b }
func (a echoAdapter) Testa(context.Context) error   { return nil }
func (a echoAdapter) Hamta(_ context.Context, f *ssbtekv1.Fraga, _ *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	return bastjanst.NativeError(a.b, "E1", "okänd person "+f.GetPersonidentitet(), nil), nil
}

// TestLogsHoldNoPersonnummer asks with a korrelationsid that is itself a
// personnummer (the field is the caller's free text) and checks that the
// log line holds neither it nor the personidentitet, yet still identifies
// the question by digest.
func TestLogsHoldNoPersonnummer(t *testing.T) {
	const pnr = "191212121212"
	core, err := fanout.New(fanout.Config{}, echoAdapter{ssbtekv1.Bastjanst_BASTJANST_AF}, echoAdapter{ssbtekv1.Bastjanst_BASTJANST_CSN})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	svc := lookup.New(core, slog.New(slog.NewJSONHandler(&buf, nil)))
	f := fraga(pnr)
	f.Korrelationsid = "korr-" + pnr
	res, err := svc.Sammanstallning(t.Context(), lookup.Request{Caller: lookup.Caller{Interface: "test"}, Fraga: f})
	if err != nil {
		t.Fatal(err)
	}
	if res.GetKorrelationsid() != f.Korrelationsid {
		t.Errorf("korrelationsid %q not echoed", res.GetKorrelationsid())
	}
	if _, err := svc.Bastjanst(t.Context(), lookup.Request{Fraga: f}, ssbtekv1.Bastjanst_BASTJANST_AF); err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	if strings.Contains(logs, pnr) || strings.Contains(logs, pnr[2:]) {
		t.Errorf("a personnummer reached the log:\n%s", logs)
	}
	if n := strings.Count(logs, `"korrelationsid_sha256":"`+lookup.Digest(f.Korrelationsid)+`"`); n != 2 {
		t.Errorf("want the korrelationsid's digest on both log lines, found %d:\n%s", n, logs)
	}
	if !strings.Contains(logs, `"AF":"KALLA_BT:E1"`) {
		t.Errorf("outcome codes missing from the log:\n%s", logs)
	}
}

func TestDigest(t *testing.T) {
	if lookup.Digest("") != "" {
		t.Error("empty input should give an empty digest")
	}
	a, b := lookup.Digest("KORR-1"), lookup.Digest("KORR-2")
	if len(a) != 16 || a == b || a != lookup.Digest("KORR-1") {
		t.Errorf("digests %q %q: want 16 hex digits, stable and distinct", a, b)
	}
}
