// Package audittest is the one test suite every audit.Store must pass.
package audittest

import (
	"context"
	"crypto/rand"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssbtek/gateway/audit"
)

// Opener returns a fresh, empty store for t and a way to change its
// database behind its back (the way an intruder or a careless admin would).
type Opener func(t *testing.T) (audit.Store, Tamper)

// Tamper runs raw SQL on a store's database.
type Tamper struct {
	// Exec runs one statement, failing the test on error.
	Exec func(query string)
	// Bytes is the dialect's literal for a byte string.
	Bytes func(b []byte) string
}

// Keys returns a fresh signer and its verifiers.
func Keys(t testing.TB) (note.Signer, note.Verifiers) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, audit.KeyName)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, note.VerifierList(v)
}

// Sample is a full record about person, with every field set.
func Sample(i int, person string) audit.Record {
	return audit.Record{
		Time:             time.Date(2026, 11, 26, 9, 30, 0, i*1000+7, time.UTC),
		Korrelationsid:   fmt.Sprintf("KORR-%d", i),
		Interface:        []string{"grpc", "rest", "soap"}[i%3],
		CertSubject:      "CN=Exempelkommun,serialNumber=162120002411",
		CertSerialNumber: "162120002411",
		CertFingerprint:  "sha256:00ff",
		Ombud:            "165560000000",
		Ingivare:         "162120002411",
		IngivareNamn:     "Exempelkommun",
		Handlaggare:      "handlaggare01",
		Arendeidentitet:  fmt.Sprintf("ARENDE-%d", i),
		Personidentitet:  person,
		PeriodFrom:       "2026-08-01",
		PeriodTom:        "2026-10-31",
		Syfte:            "Utredning av ekonomiskt bistånd",
		Lagtext:          "11 kap. 11 a § socialtjänstlagen",
		Agencies: []audit.Outcome{
			{Bastjanst: "AF", Status: "STATUS_KOD_OK", Duration: 81 * time.Millisecond},
			{Bastjanst: "SKV", Status: "STATUS_KOD_ANNATFEL", Kalla: "KALLA_SSBT", Felkod: "2001", Duration: 8 * time.Second},
		},
		SkyddadIdentitet: i%2 == 0,
	}
}

func appendN(t *testing.T, s audit.Store, n int, person string) []audit.Record {
	t.Helper()
	ctx := context.Background()
	out := make([]audit.Record, n)
	for i := range n {
		r := Sample(i, person)
		if err := s.Append(ctx, []*audit.Record{&r}); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		out[i] = r
	}
	return out
}

func verify(t *testing.T, s audit.Store, v note.Verifiers, since []byte) *audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), s, v, since)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep
}

// checkpoint signs a checkpoint over what s holds now.
func checkpoint(t *testing.T, s audit.Store, signer note.Signer) audit.Checkpoint {
	t.Helper()
	return signed(t, audit.NewLog(s, signer, nil))
}

// signed has l sign a checkpoint over what its store holds now.
func signed(t *testing.T, l *audit.Log) audit.Checkpoint {
	t.Helper()
	c, err := l.Checkpoint(context.Background())
	if err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	return c
}

func wantProblem(t *testing.T, rep *audit.Report, id int64, words string) {
	t.Helper()
	for _, p := range rep.Problems {
		if p.ID == id && strings.Contains(p.What, words) {
			return
		}
	}
	t.Errorf("no problem about %d mentioning %q; got %v", id, words, rep.Problems)
}

// Run runs the suite against the stores open makes.
func Run(t *testing.T, open Opener) {
	ctx := context.Background()

	t.Run("RoundTrip", func(t *testing.T) {
		s, _ := open(t)
		want := appendN(t, s, 5, "191212121212")
		refused := audit.Record{Time: time.Now().UTC(), Interface: "rest", Personidentitet: "191212121212", Refusal: "VALIDERINGSFEL: period"}
		opening := Sample(6, "191212121212")
		opening.StreamOpening, opening.SkyddadIdentitet = true, false
		opening.Agencies = []audit.Outcome{{Bastjanst: "AF"}, {Bastjanst: "SKV"}}
		if err := s.Append(ctx, []*audit.Record{&refused, &opening}); err != nil {
			t.Fatal(err)
		}
		want = append(want, refused, opening)
		for i, r := range want {
			if r.ID != int64(i) {
				t.Fatalf("record %d got ID %d", i, r.ID)
			}
		}
		var got []audit.Record
		if err := s.Scan(ctx, 0, 100, func(r audit.Record) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("read back\n%+v\nwant\n%+v", got, want)
		}
		if n, err := s.Size(ctx); err != nil || n != 7 {
			t.Fatalf("size %d, %v", n, err)
		}
	})

	t.Run("PingKeepsNothing", func(t *testing.T) {
		s, _ := open(t)
		appendN(t, s, 2, "191212121212")
		for range 2 {
			if err := s.Ping(ctx); err != nil {
				t.Fatalf("ping of a writable store: %v", err)
			}
		}
		if n, err := s.Size(ctx); err != nil || n != 2 {
			t.Fatalf("size after pings %d, %v", n, err)
		}
		appendN(t, s, 1, "191212121212")
		signer, v := Keys(t)
		checkpoint(t, s, signer)
		if rep := verify(t, s, v, nil); !rep.Intact() || rep.Size != 3 {
			t.Fatalf("after pings: size %d, problems %v", rep.Size, rep.Problems)
		}
	})

	t.Run("ParallelAppendsThroughLog", func(t *testing.T) {
		s, _ := open(t)
		signer, v := Keys(t)
		l := audit.NewLog(s, signer, nil)
		defer l.Close()
		const n = 200
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				r := Sample(i, "191212121212")
				errs <- l.Append(ctx, &r)
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		signed(t, l)
		rep := verify(t, s, v, nil)
		if !rep.Intact() || rep.Size != n || rep.Latest == nil || rep.Latest.Size != n {
			t.Fatalf("after %d parallel appends: %+v", n, rep)
		}
		seen := map[int64]bool{}
		s.Scan(ctx, 0, n+10, func(r audit.Record) error { seen[r.ID] = true; return nil })
		if len(seen) != n {
			t.Fatalf("%d distinct records, want %d", len(seen), n)
		}
	})

	t.Run("EditedRowIsNamed", func(t *testing.T) {
		s, exec := open(t)
		signer, v := Keys(t)
		appendN(t, s, 10, "191212121212")
		checkpoint(t, s, signer)
		exec.Exec(`UPDATE audit_records SET syfte = 'nothing to see' WHERE id = 6`)
		rep := verify(t, s, v, nil)
		if rep.Intact() || rep.Problems[0].ID != 6 {
			t.Fatalf("edit of record 6 not named first: %v", rep.Problems)
		}
		wantProblem(t, rep, 6, "edited")
		wantProblem(t, rep, -1, "not consistent")
	})

	t.Run("EditedRowAndHashIsCaughtByCheckpoint", func(t *testing.T) {
		s, exec := open(t)
		signer, v := Keys(t)
		appendN(t, s, 10, "191212121212")
		checkpoint(t, s, signer)
		// The intruder fixes the leaf hash too; the signed root still differs.
		exec.Exec(`UPDATE audit_records SET personidentitet = '199001011239' WHERE id = 3`)
		var r3 audit.Record
		s.Scan(ctx, 3, 4, func(r audit.Record) error { r3 = r; return nil })
		h := audit.LeafHash(r3)
		exec.Exec(fmt.Sprintf(`UPDATE audit_hashes SET hash = %s WHERE idx = %d`, exec.Bytes(h[:]), storedLeafIndex(3)))
		rep := verify(t, s, v, nil)
		if rep.Intact() {
			t.Fatal("rewritten record and leaf hash went unnoticed")
		}
	})

	t.Run("DeletedRowIsNamed", func(t *testing.T) {
		s, exec := open(t)
		_, v := Keys(t)
		appendN(t, s, 8, "191212121212")
		exec.Exec(`DELETE FROM audit_records WHERE id = 4`)
		rep := verify(t, s, v, nil)
		wantProblem(t, rep, 4, "missing")
	})

	t.Run("ReorderedRowsAreNamed", func(t *testing.T) {
		s, exec := open(t)
		_, v := Keys(t)
		appendN(t, s, 8, "191212121212")
		exec.Exec(`UPDATE audit_records SET id = -1 WHERE id = 1`)
		exec.Exec(`UPDATE audit_records SET id = 1 WHERE id = 2`)
		exec.Exec(`UPDATE audit_records SET id = 2 WHERE id = -1`)
		rep := verify(t, s, v, nil)
		wantProblem(t, rep, 1, "edited")
		wantProblem(t, rep, 2, "edited")
	})

	t.Run("TruncatedAndRebuiltIsCaughtBySavedCheckpoint", func(t *testing.T) {
		s, exec := open(t)
		signer, v := Keys(t)
		appendN(t, s, 10, "191212121212")
		saved := checkpoint(t, s, signer)
		// Everything in the database is rebuilt consistently, the stored
		// checkpoints included; only the copy kept outside can tell.
		exec.Exec(`DELETE FROM audit_records`)
		exec.Exec(`DELETE FROM audit_hashes`)
		exec.Exec(`DELETE FROM audit_checkpoints`)
		exec.Exec(`UPDATE audit_head SET size = 0`)
		appendN(t, s, 12, "199001011239")
		if rep := verify(t, s, v, nil); !rep.Intact() {
			t.Fatalf("a consistent rebuild is intact on its own: %v", rep.Problems)
		}
		rep := verify(t, s, v, saved.Note)
		wantProblem(t, rep, -1, "--since checkpoint (10 records) is not consistent")

		// Truncated below the saved checkpoint.
		exec.Exec(`DELETE FROM audit_records WHERE id >= 5`)
		exec.Exec(`UPDATE audit_head SET size = 5`)
		rep = verify(t, s, v, saved.Note)
		wantProblem(t, rep, -1, "truncated")
	})

	t.Run("GrowthIsConsistentWithSavedCheckpoint", func(t *testing.T) {
		s, _ := open(t)
		signer, v := Keys(t)
		l := audit.NewLog(s, signer, nil)
		defer l.Close()
		appendN(t, s, 7, "191212121212")
		saved := signed(t, l)
		appendN(t, s, 9, "191212121212")
		signed(t, l)
		rep := verify(t, s, v, saved.Note)
		if !rep.Intact() || rep.Latest.Size != 16 {
			t.Fatalf("%+v", rep)
		}
	})

	t.Run("ForeignSignatureIsCaught", func(t *testing.T) {
		s, _ := open(t)
		signer, _ := Keys(t)
		_, other := Keys(t)
		appendN(t, s, 3, "191212121212")
		checkpoint(t, s, signer)
		rep := verify(t, s, other, nil)
		wantProblem(t, rep, -1, "signature")
	})

	t.Run("PruneKeepsTreeVerifiable", func(t *testing.T) {
		s, _ := open(t)
		signer, v := Keys(t)
		l := audit.NewLog(s, signer, nil)
		defer l.Close()
		old := appendN(t, s, 4, "191212121212")
		before := signed(t, l)
		recent := Sample(9, "191212121212")
		recent.Time = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := s.Append(ctx, []*audit.Record{&recent}); err != nil {
			t.Fatal(err)
		}
		n, err := s.Prune(ctx, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || n != int64(len(old)) {
			t.Fatalf("pruned %d, %v", n, err)
		}
		rep := verify(t, s, v, before.Note)
		if !rep.Intact() || rep.Pruned != 4 || rep.Size != 5 {
			t.Fatalf("after pruning: %+v", rep)
		}
		got, err := s.Extract(ctx, "191212121212", time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || len(got) != 1 || got[0].ID != 4 {
			t.Fatalf("extract after pruning: %+v, %v", got, err)
		}
		if !rep.NewestPruned.Equal(old[3].Time) {
			t.Errorf("newest pruned %v, want %v", rep.NewestPruned, old[3].Time)
		}
	})

	t.Run("MarkedPrunedToHideAnEditIsCaught", func(t *testing.T) {
		s, exec := open(t)
		_, v := Keys(t)
		appendN(t, s, 5, "191212121212")
		exec.Exec(`UPDATE audit_records SET syfte = 'annat', pruned = (1 = 1) WHERE id = 2`)
		rep := verify(t, s, v, nil)
		wantProblem(t, rep, 2, "marked pruned")
	})

	t.Run("ExtractWithInclusionProofs", func(t *testing.T) {
		s, exec := open(t)
		signer, v := Keys(t)
		var recs []*audit.Record
		for i := range 9 {
			person := []string{"191212121212", "199001011239", "198503152384"}[i%3]
			r := Sample(i, person)
			recs = append(recs, &r)
		}
		if err := s.Append(ctx, recs); err != nil {
			t.Fatal(err)
		}
		c := checkpoint(t, s, signer)
		got, err := s.Extract(ctx, "199001011239", recs[0].Time, recs[7].Time)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != 1 || got[1].ID != 4 {
			t.Fatalf("extract: %+v", got)
		}
		proofs, err := audit.ProveInclusion(ctx, s, c, got)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range got {
			if err := audit.CheckInclusion(r, proofs[i], v); err != nil {
				t.Fatalf("record %d: %v", r.ID, err)
			}
		}
		forged := got[0]
		forged.Syfte = "annat"
		if audit.CheckInclusion(forged, proofs[0], v) == nil {
			t.Fatal("a changed record passed its inclusion proof")
		}
		_ = exec
	})
}

func storedLeafIndex(n int64) int64 { return tlog.StoredHashIndex(0, n) }
