package lookup_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
)

// blockingAdapter answers only when its context ends, and says so.
type blockingAdapter struct {
	b         ssbtekv1.Bastjanst
	cancelled chan struct{}
}

func (a blockingAdapter) Bastjanst() ssbtekv1.Bastjanst { return a.b }
func (a blockingAdapter) Testa(context.Context) error   { return nil }
func (a blockingAdapter) Hamta(ctx context.Context, _ *ssbtekv1.Fraga, _ *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	<-ctx.Done()
	close(a.cancelled)
	return nil, ctx.Err()
}

// The stream goes through the same lookup as Sammanstallning (one log line,
// the compiled answer with its income summary) and sends every result once.
func TestStreamaGoesThroughSammanstallning(t *testing.T) {
	core, err := fanout.New(fanout.Config{}, echoAdapter{ssbtekv1.Bastjanst_BASTJANST_AF}, echoAdapter{ssbtekv1.Bastjanst_BASTJANST_FK})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	svc := lookup.New(core, slog.New(slog.NewJSONHandler(&buf, nil)))
	f := fraga(tolvan)
	f.Period = &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-08-31"}
	var sent []ssbtekv1.Bastjanst
	sam, err := svc.Streama(t.Context(), lookup.Request{Caller: lookup.Caller{Interface: "test"}, Fraga: f}, func(r *ssbtekv1.BastjanstResultat) error {
		sent = append(sent, r.GetBastjanst())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 || len(sam.GetResultat()) != 2 {
		t.Errorf("sent %v, compiled %d results; want each of AF, FK once", sent, len(sam.GetResultat()))
	}
	// FK answered with an error: the summary names it.
	if s := sam.GetInkomstsammanstallning(); len(s.GetSaknas()) != 1 || s.GetSaknas()[0] != ssbtekv1.Bastjanst_BASTJANST_FK {
		t.Errorf("income summary missing %v, want FK", s.GetSaknas())
	}
	if n := strings.Count(buf.String(), `"msg":"lookup"`); n != 1 {
		t.Errorf("%d lookup log lines, want 1:\n%s", n, buf.String())
	}
}

// When the caller goes away mid-stream, the agencies still asked are
// cancelled and the send error comes back.
func TestStreamaCancelsWhenSendFails(t *testing.T) {
	slow := blockingAdapter{ssbtekv1.Bastjanst_BASTJANST_SO, make(chan struct{})}
	core, err := fanout.New(fanout.Config{}, echoAdapter{ssbtekv1.Bastjanst_BASTJANST_AF}, slow)
	if err != nil {
		t.Fatal(err)
	}
	svc := lookup.New(core, nil)
	gone := errors.New("caller gone")
	_, err = svc.Streama(t.Context(), lookup.Request{Fraga: fraga(tolvan)}, func(*ssbtekv1.BastjanstResultat) error { return gone })
	if !errors.Is(err, gone) {
		t.Errorf("error %v, want the send error", err)
	}
	// Hamta returns at the cancellation; the adapter sees it in its own goroutine.
	select {
	case <-slow.cancelled:
	case <-time.After(2 * time.Second):
		t.Error("the outstanding agency was not cancelled")
	}
}
