package audit_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/audittest"
	"github.com/ssbtek/gateway/audit/sqlite"
)

// TestMaintainPublishesAndPrunes runs the schedule: old contents are pruned
// at start, and a checkpoint follows each growth of the tree, none when
// idle.
func TestMaintainPublishesAndPrunes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "audit.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	signer, v := audittest.Keys(t)
	l := audit.NewLog(s, signer, nil)
	defer l.Close()
	old := audittest.Sample(1, "191212121212")
	old.Time = time.Now().Add(-48 * time.Hour)
	if err := l.Append(ctx, &old); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { l.Maintain(ctx, 20*time.Millisecond, 24*time.Hour); close(done) }()

	waitFor := func(size int64) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			cps, err := s.Checkpoints(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(cps) > 0 && cps[len(cps)-1].Size == size {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("no checkpoint of size %d published", size)
	}
	waitFor(1)
	fresh := audittest.Sample(2, "191212121212")
	fresh.Time = time.Now()
	if err := l.Append(ctx, &fresh); err != nil {
		t.Fatal(err)
	}
	waitFor(2)
	time.Sleep(100 * time.Millisecond) // idle: five ticks, no new checkpoint
	cancel()
	<-done
	cps, _ := s.Checkpoints(context.Background())
	if len(cps) != 2 {
		t.Errorf("%d checkpoints for two sizes", len(cps))
	}
	rep, err := audit.Verify(context.Background(), s, v, cps[0].Note)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Intact() || rep.Pruned != 1 || rep.Size != 2 {
		t.Fatalf("after maintenance: %+v", rep)
	}
}

func TestAppendAfterCloseFails(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "audit.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	signer, _ := audittest.Keys(t)
	l := audit.NewLog(s, signer, nil)
	l.Close()
	r := audittest.Sample(1, "191212121212")
	if err := l.Append(context.Background(), &r); err != audit.ErrClosed {
		t.Fatalf("append after close: %v", err)
	}
}

// A record without StreamOpening hashes as before the field existed, so the
// trees already written still verify; with it, the leaf says so.
func TestStreamOpeningLeaf(t *testing.T) {
	r := audit.Record{Interface: "grpc", Personidentitet: "191212121212"}
	if bytes.Contains(audit.LeafData(r), []byte("stream_opening")) {
		t.Errorf("a plain record's leaf names stream_opening: %s", audit.LeafData(r))
	}
	r.StreamOpening = true
	if !bytes.Contains(audit.LeafData(r), []byte(`"stream_opening":true`)) {
		t.Errorf("an opening record's leaf: %s", audit.LeafData(r))
	}
}
