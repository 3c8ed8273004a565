package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

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

// TestTwoStoresOnOneFile appends through two stores on one file in turn,
// as two gateway processes would: each must notice the other's leaves
// instead of hashing on from the right edge it committed last, so every
// stored tree hash equals the one computed afresh from the records.
func TestTwoStoresOnOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.db")
	var stores [2]*sqlite.Store
	for i := range stores {
		s, err := sqlite.Open(ctx, path, false)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	// Runs of 1-4 records, the stores alternating irregularly, so edges
	// go stale at every tree shape.
	n := 0
	for turn := range 60 {
		s := stores[(turn/3+turn)%2]
		recs := make([]*audit.Record, turn%4+1)
		for i := range recs {
			r := audittest.Sample(n, "191212121212")
			recs[i] = &r
			n++
		}
		if err := s.Append(ctx, recs); err != nil {
			t.Fatalf("turn %d: %v", turn, err)
		}
		if recs[0].ID != int64(n-len(recs)) {
			t.Fatalf("turn %d: first ID %d, want %d", turn, recs[0].ID, n-len(recs))
		}
	}
	var want []tlog.Hash
	err := stores[0].Scan(ctx, 0, int64(n), func(r audit.Record) error {
		hs, err := tlog.StoredHashes(r.ID, audit.LeafData(r), tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
			out := make([]tlog.Hash, len(idx))
			for i, x := range idx {
				out[i] = want[x]
			}
			return out, nil
		}))
		want = append(want, hs...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int64, len(want))
	for i := range idx {
		idx[i] = int64(i)
	}
	got, err := stores[1].ReadHashes(ctx, idx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("stored hash %d is %v, recomputed %v", i, got[i], want[i])
		}
	}
	if int64(len(want)) != tlog.StoredHashCount(int64(n)) {
		t.Fatalf("%d hashes for %d leaves", len(want), n)
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
