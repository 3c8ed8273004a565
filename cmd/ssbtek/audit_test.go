package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/audittest"
	"github.com/ssbtek/gateway/audit/postgres"
	"github.com/ssbtek/gateway/audit/postgres/pgtest"
	"github.com/ssbtek/gateway/audit/sqlite"
)

// binary is the ssbtek command built once for every test: the CLI is
// tested as a user runs it.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ssbtek-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "ssbtek")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building ssbtek: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// ssbtek runs the built binary in dir, with only PATH in its environment.
func ssbtek(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, []string{"PATH=" + os.Getenv("PATH")}, args...)
}

// runIn runs the built binary (see TestMain) in dir with only env.
func runIn(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running ssbtek: %v", err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// fixture is a log in a working directory laid out as `make run` leaves it:
// data/audit.db (or a PostgreSQL DSN) and data/audit.key{,.pub}.
type fixture struct {
	dir   string
	store audit.Store
	db    *sql.DB
	log   *audit.Log
	flags []string // the store flag for the CLI
}

func newFixture(t *testing.T, kind string) *fixture {
	ctx := context.Background()
	f := &fixture{dir: t.TempDir()}
	signer, err := audit.LoadSigner(filepath.Join(f.dir, "data", "audit.key"), true)
	if err != nil {
		t.Fatal(err)
	}
	switch kind {
	case "sqlite":
		s, err := sqlite.Open(ctx, filepath.Join(f.dir, sqlite.DefaultPath), false)
		if err != nil {
			t.Fatal(err)
		}
		f.store, f.db = s, s.DB
	case "postgres":
		dsn := pgtest.NewDatabase(t)
		s, err := postgres.Open(ctx, dsn, false)
		if err != nil {
			t.Fatal(err)
		}
		f.store, f.db, f.flags = s, s.DB, []string{"--dsn", dsn}
	}
	t.Cleanup(func() { f.store.Close() })
	f.log = audit.NewLog(f.store, signer, nil)
	t.Cleanup(f.log.Close)
	return f
}

func (f *fixture) append(t *testing.T, n int, person string) {
	t.Helper()
	for i := range n {
		r := audittest.Sample(i, person)
		r.Time = time.Now().UTC()
		if err := f.log.Append(context.Background(), &r); err != nil {
			t.Fatal(err)
		}
	}
}

func (f *fixture) checkpoint(t *testing.T) {
	t.Helper()
	if _, err := f.log.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) exec(t *testing.T, q string) {
	t.Helper()
	if _, err := f.db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) run(t *testing.T, args ...string) result {
	t.Helper()
	return ssbtek(t, f.dir, append(args, f.flags...)...)
}

func TestAuditVerify(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			f.append(t, 10, "191212121212")
			f.checkpoint(t)

			r := f.run(t, "audit", "verify")
			if r.code != 0 || !strings.Contains(r.stdout, "intact: 10 records") || !strings.Contains(r.stdout, "— ssbtek-audit ") {
				t.Fatalf("intact log: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			saved := f.run(t, "audit", "checkpoint")
			if saved.code != 0 {
				t.Fatalf("checkpoint: exit %d %s", saved.code, saved.stderr)
			}
			savedFile := filepath.Join(f.dir, "saved.checkpoint")
			if err := os.WriteFile(savedFile, []byte(saved.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			f.append(t, 2, "191212121212")
			if r := f.run(t, "audit", "verify", "--since", savedFile); r.code != 0 || !strings.Contains(r.stdout, "consistent with") {
				t.Fatalf("grown log against the saved checkpoint: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}

			// One row edited directly in the database.
			f.exec(t, `UPDATE audit_records SET handlaggare = 'someone else' WHERE id = 3`)
			r = f.run(t, "audit", "verify")
			if r.code != 1 || !strings.Contains(r.stderr, "record 3:") || !strings.Contains(r.stdout, "record 3: its fields") {
				t.Fatalf("edited record 3: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			f.exec(t, `UPDATE audit_records SET handlaggare = 'handlaggare01' WHERE id = 3`)
			if r := f.run(t, "audit", "verify"); r.code != 0 {
				t.Fatalf("restored record: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}

			// One row deleted.
			f.exec(t, `DELETE FROM audit_records WHERE id = 7`)
			r = f.run(t, "audit", "verify")
			if r.code != 1 || !strings.Contains(r.stdout, "record 7: is missing") {
				t.Fatalf("deleted record 7: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}

			// The whole log truncated and appended anew: consistent in
			// itself, caught only by the checkpoint saved earlier.
			for _, q := range []string{`DELETE FROM audit_records`, `DELETE FROM audit_hashes`,
				`DELETE FROM audit_checkpoints`, `UPDATE audit_head SET size = 0`} {
				f.exec(t, q)
			}
			f.append(t, 14, "199001011239")
			f.checkpoint(t)
			if r := f.run(t, "audit", "verify"); r.code != 0 {
				t.Fatalf("rebuilt log on its own: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = f.run(t, "audit", "verify", "--since", savedFile)
			if r.code != 1 || !strings.Contains(r.stdout, "not consistent") {
				t.Fatalf("rebuilt log against the saved checkpoint: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestAuditExtract(t *testing.T) {
	f := newFixture(t, "sqlite")
	f.append(t, 3, "191212121212")
	f.append(t, 2, "199001011239")
	f.checkpoint(t)
	f.append(t, 1, "191212121212") // after the checkpoint: no proof yet

	r := f.run(t, "audit", "extract", "--person", "191212121212")
	if r.code != 0 || !strings.Contains(r.stdout, "4 lookups") || strings.Count(r.stdout, "Exempelkommun") != 4 ||
		!strings.Contains(r.stdout, "Utredning av ekonomiskt bistånd") || !strings.Contains(r.stdout, "ARENDE-2") {
		t.Fatalf("table: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = f.run(t, "audit", "extract", "--person", "191212121212", "--json")
	if r.code != 0 {
		t.Fatalf("json: exit %d %s", r.code, r.stderr)
	}
	var ex extract
	if err := json.Unmarshal([]byte(r.stdout), &ex); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(ex.Records) != 4 || ex.Checkpoint == "" {
		t.Fatalf("json extract: %+v", ex)
	}
	verifiers, err := audit.LoadVerifiers(filepath.Join(f.dir, "data", "audit.key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	// A citizen checks each record against the signed checkpoint with
	// nothing but the extract and the gateway's public key.
	var all []audit.Record
	f.store.Scan(context.Background(), 0, 100, func(r audit.Record) error { all = append(all, r); return nil })
	for _, e := range ex.Records[:3] {
		p := &audit.Proof{Checkpoint: []byte(ex.Checkpoint), Hashes: e.InclusionProof}
		if err := audit.CheckInclusion(all[e.ID], p, verifiers); err != nil {
			t.Errorf("record %d: %v", e.ID, err)
		}
		if e.LeafHash != audit.LeafHash(all[e.ID]) {
			t.Errorf("record %d: leaf hash differs", e.ID)
		}
	}
	if ex.Records[3].InclusionProof != nil {
		t.Error("a record after the checkpoint got a proof")
	}
	r = f.run(t, "audit", "extract", "--person", "191212121212", "--from", "2000-01-01", "--to", "2000-12-31")
	if r.code != 0 || !strings.Contains(r.stdout, "0 lookups") {
		t.Fatalf("empty range: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCLIUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"audit", "--help"}, 0, "ssbtek audit verify"},
		{[]string{"audit", "verify", "--help"}, 0, "--since"},
		{[]string{"audit", "extract", "--help"}, 0, "--person"},
		{nil, 2, "no command given"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"audit", "nope"}, 2, `unknown subcommand "nope"`},
		{[]string{"audit", "verify", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"audit", "extract"}, 2, "--person must be 12 digits"},
		{[]string{"audit", "extract", "--person", "191212121212", "--from", "yesterday"}, 2, "not a date"},
		{[]string{"audit", "verify"}, 3, "verifier key"},
		{[]string{"audit", "extract", "--person", "191212121212"}, 3, "opening the audit log"},
	} {
		r := ssbtek(t, dir, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
			t.Errorf("ssbtek %v: exit %d (want %d), output lacks %q:\n%s%s", tc.args, r.code, tc.code, tc.want, r.stdout, r.stderr)
		}
	}
	// Reading must never create a log where there was none.
	if _, err := os.Stat(filepath.Join(dir, "data")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed read created data/: %v", err)
	}
}

// A stream's opening record (committed before any agency was asked, so
// without outcomes) is labelled as such in the extract, not shown as
// agencies with blank outcomes.
func TestAuditExtractLabelsStreamOpening(t *testing.T) {
	f := newFixture(t, "sqlite")
	r := audittest.Sample(0, "191212121212")
	r.Time = time.Now().UTC()
	r.StreamOpening = true
	for i := range r.Agencies {
		r.Agencies[i].Status, r.Agencies[i].Felkod = "", ""
	}
	if err := f.log.Append(context.Background(), &r); err != nil {
		t.Fatal(err)
	}
	f.append(t, 1, "191212121212")
	out := f.run(t, "audit", "extract", "--person", "191212121212")
	if out.code != 0 || strings.Count(out.stdout, "stream opened, asking ") != 1 || strings.Contains(out.stdout, "AF: ") {
		t.Errorf("exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	js := f.run(t, "audit", "extract", "--person", "191212121212", "--json")
	var ex extract
	if err := json.Unmarshal([]byte(js.stdout), &ex); err != nil || len(ex.Records) != 2 || !ex.Records[0].StreamOpening || ex.Records[1].StreamOpening {
		t.Errorf("json: %v %+v", err, ex.Records)
	}
}
