package lookup_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/redact"
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
	d, err := redact.NewDigester([]byte("a-secret-of-this-deployment"))
	if err != nil {
		t.Fatal(err)
	}
	svc := lookup.New(core, slog.New(slog.NewJSONHandler(&buf, nil)), lookup.WithDigest(d.Digest))
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
	if n := strings.Count(logs, `"korrelationsid_digest":"`+d.Digest(f.Korrelationsid)+`"`); n != 2 {
		t.Errorf("want the korrelationsid's keyed digest on both log lines, found %d:\n%s", n, logs)
	}
	// A bare hash of the korrelationsid would give the personnummer back to
	// anyone hashing every personnummer.
	bare := sha256.Sum256([]byte(f.Korrelationsid))
	if strings.Contains(logs, hex.EncodeToString(bare[:8])) || strings.Contains(logs, "korrelationsid_sha256") {
		t.Errorf("the log holds an unkeyed hash of the korrelationsid:\n%s", logs)
	}
	if !strings.Contains(logs, `"AF":"KALLA_BT:E1"`) {
		t.Errorf("outcome codes missing from the log:\n%s", logs)
	}
}
