package postgres_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/audittest"
	"github.com/ssbtek/gateway/audit/postgres"
	"github.com/ssbtek/gateway/audit/postgres/pgtest"
)

func openDSN(t testing.TB, dsn string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func open(t *testing.T) (audit.Store, audittest.Tamper) {
	s := openDSN(t, pgtest.NewDatabase(t))
	return s, audittest.Tamper{
		Exec: func(q string) {
			t.Helper()
			if _, err := s.DB.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		},
		Bytes: func(b []byte) string { return fmt.Sprintf(`'\x%x'::bytea`, b) },
	}
}

func TestStore(t *testing.T) { audittest.Run(t, open) }

// childEnv names the database a re-executed test binary appends to.
const childEnv = "SSBTEK_AUDIT_CHILD_DSN"

// TestChildAppender is not a test of its own: it is the second gateway
// process of TestTwoProcessesAppend, run by re-executing this binary.
func TestChildAppender(t *testing.T) {
	dsn := os.Getenv(childEnv)
	if dsn == "" {
		return
	}
	appendParallel(t, openDSN(t, dsn), childRecords, "199001011239")
}

const childRecords, parentRecords = 300, 300

func appendParallel(t *testing.T, s audit.Store, n int, person string) {
	signer, _ := audittest.Keys(t)
	l := audit.NewLog(s, signer, nil)
	defer l.Close()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			r := audittest.Sample(i, person)
			errs <- l.Append(context.Background(), &r)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestTwoProcessesAppend has two processes, each with its own connection
// pool, append at once to one database: the head row lock must make them
// take turns, leaving dense leaf indexes and one verifying tree.
func TestTwoProcessesAppend(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	s := openDSN(t, dsn)
	child := exec.Command(os.Args[0], "-test.run=^TestChildAppender$", "-test.count=1")
	child.Env = append(os.Environ(), childEnv+"="+dsn)
	var out strings.Builder
	child.Stdout, child.Stderr = &out, &out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	appendParallel(t, s, parentRecords, "191212121212")
	if err := child.Wait(); err != nil {
		t.Fatalf("child process: %v\n%s", err, out.String())
	}
	signer, v := audittest.Keys(t)
	if _, err := audit.NewLog(s, signer, nil).Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(context.Background(), s, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Intact() || rep.Size != childRecords+parentRecords {
		t.Fatalf("two processes: size %d, problems %v", rep.Size, rep.Problems)
	}
	perPerson := map[string]int{}
	s.Scan(context.Background(), 0, rep.Size, func(r audit.Record) error { perPerson[r.Personidentitet]++; return nil })
	if perPerson["199001011239"] != childRecords || perPerson["191212121212"] != parentRecords {
		t.Fatalf("records per process: %v", perPerson)
	}
}

// BenchmarkAppend reports append latency (p50-ms, p99-ms) with one writer
// and with 32 at once.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 32} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s, err := postgres.Open(context.Background(), pgtest.NewDatabase(b), false)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			audittest.BenchmarkAppend(b, s, writers)
		})
	}
}
