package audit_test

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tlogformat "github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/audittest"
	"github.com/ssbtek/gateway/audit/sqlite"
)

// A checkpoint is a C2SP tlog-checkpoint whose first line names this log
// (the configured origin), as transparency-dev's own parser reads it; a
// log whose older checkpoints are Go checksum database trees ("go.sum
// database tree") still verifies.
func TestCheckpointNamesTheLog(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "audit.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	skey, vkey, err := note.GenerateKey(rand.Reader, audit.KeyName)
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	verifiers := note.VerifierList(verifier)

	const origin = "ssbtek-gateway/162120002411"
	l := audit.NewLog(s, signer, nil, audit.WithOrigin(origin))
	defer l.Close()
	for i := range 3 {
		r := audittest.Sample(i, "191212121212")
		if err := l.Append(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	// An old checkpoint of the first two records, as the log signed them
	// before: tlog.FormatTree.
	h, err := tlog.TreeHash(2, audit.HashReader(ctx, s))
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := note.Sign(&note.Note{Text: string(tlog.FormatTree(tlog.Tree{N: 2, Hash: h}))}, signer)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCheckpoint(ctx, audit.Checkpoint{Size: 2, Note: legacy, Created: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	c, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(c.Note), "\n"); first != origin {
		t.Errorf("checkpoint begins %q, want the origin %q:\n%s", first, origin, c.Note)
	}
	cp, _, _, err := tlogformat.ParseCheckpoint(c.Note, origin, verifier)
	if err != nil {
		t.Fatalf("transparency-dev/formats does not read it: %v\n%s", err, c.Note)
	}
	rep, err := audit.Verify(ctx, s, verifiers, legacy)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Intact() || rep.Latest == nil || rep.Latest.Size != 3 || cp.Size != 3 || string(cp.Hash) != string(rep.Root[:]) {
		t.Errorf("report %+v, checkpoint size %d", rep, cp.Size)
	}
	if n, err := note.Open(c.Note, verifiers); err != nil || audit.CheckpointOrigin(n.Text) != origin {
		t.Errorf("CheckpointOrigin of %v: %v", n, err)
	}
	// Without WithOrigin the log is still named, by DefaultOrigin.
	dl := audit.NewLog(s, signer, nil)
	defer dl.Close()
	d, err := dl.Checkpoint(ctx)
	if err != nil || !strings.HasPrefix(string(d.Note), audit.DefaultOrigin+"\n") {
		t.Errorf("default origin: %v\n%s", err, d.Note)
	}
}
