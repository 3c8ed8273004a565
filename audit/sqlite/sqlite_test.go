package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/audittest"
	"github.com/ssbtek/gateway/audit/sqlite"
)

func open(t *testing.T) (audit.Store, audittest.Tamper) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "audit.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, audittest.Tamper{
		Exec: func(q string) {
			t.Helper()
			if _, err := s.DB.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		},
		Bytes: func(b []byte) string { return fmt.Sprintf("X'%x'", b) },
	}
}

func TestStore(t *testing.T) { audittest.Run(t, open) }

// TestReadOnlyRefusesAppends is the fail-closed premise: a log opened
// read-only (or a file that cannot be written) makes Append fail.
func TestReadOnlyRefusesAppends(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.db")
	s, err := sqlite.Open(ctx, path, false)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := sqlite.Open(ctx, "file:"+path+"?mode=ro", false)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	r := audittest.Sample(1, "191212121212")
	if err := ro.Append(ctx, []*audit.Record{&r}); err == nil {
		t.Fatal("append to a read-only log succeeded")
	}
}

func TestOpenReadOnlyMissingFile(t *testing.T) {
	if _, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "none.db"), true); err == nil {
		t.Fatal("opened a log that does not exist")
	}
}

// BenchmarkAppend reports append latency (p50-ms, p99-ms) with one writer
// and with 32 at once.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 32} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "audit.db"), false)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			audittest.BenchmarkAppend(b, s, writers)
		})
	}
}
