// Package pgtest gives each test its own PostgreSQL database, cloned from a
// template migrated once (CREATE DATABASE … TEMPLATE …), dropped afterwards.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ssbtek/gateway/audit/postgres"
)

// BaseDSN is the server the tests use: $SSBTEK_TEST_PG, else the local
// trust-auth server's database "test" as user postgres.
func BaseDSN() string {
	if v := os.Getenv("SSBTEK_TEST_PG"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// WithDatabase returns dsn naming database name instead.
func WithDatabase(t testing.TB, dsn, name string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("test DSN %q: %v", dsn, err)
	}
	u.Path = "/" + name
	return u.String()
}

// WithUser returns dsn connecting as user instead.
func WithUser(t testing.TB, dsn, user string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("test DSN %q: %v", dsn, err)
	}
	u.User = url.User(user)
	return u.String()
}

// Admin connects to the base database. PostgreSQL must be up: a test that
// needs it fails rather than skips (.ci/run starts it).
func Admin(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, BaseDSN())
	if err != nil {
		t.Fatalf("PostgreSQL at %s is needed for this test: %v", BaseDSN(), err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// templateName depends on the migrations, so a changed schema gets a new
// template instead of a stale one.
func templateName() string {
	h := sha256.New()
	fs.WalkDir(postgres.Migrations, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(postgres.Migrations, path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return "audit_tpl_" + hex.EncodeToString(h.Sum(nil)[:6])
}

// NewDatabase creates a fresh, migrated audit database for t and returns
// its DSN. It is dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	admin := Admin(t)
	// Test binaries of several packages run at once: one creates the
	// template, the others wait for it.
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(7269823113)`); err != nil {
		t.Fatalf("locking the template: %v", err)
	}
	tpl := templateName()
	err := ensureTemplate(ctx, admin, tpl)
	if err == nil {
		var dsn string
		if dsn, err = create(t, admin, "TEMPLATE "+fmt.Sprintf("%q", tpl)); err == nil {
			admin.Exec(ctx, `SELECT pg_advisory_unlock(7269823113)`)
			return dsn
		}
	}
	admin.Exec(ctx, `SELECT pg_advisory_unlock(7269823113)`)
	t.Fatalf("creating a test database: %v", err)
	return ""
}

// NewEmptyDatabase creates an empty database for t, not migrated (as a
// first deployment finds it), and returns its DSN. It is dropped when t
// ends.
func NewEmptyDatabase(t testing.TB) string {
	t.Helper()
	dsn, err := create(t, Admin(t), "")
	if err != nil {
		t.Fatalf("creating a test database: %v", err)
	}
	return dsn
}

// create creates a database with a fresh name (CREATE DATABASE … how) and
// drops it when t ends.
func create(t testing.TB, admin *pgx.Conn, how string) (string, error) {
	name := lower("audit_test_" + rand.Text()[:12])
	if _, err := admin.Exec(context.Background(), fmt.Sprintf(`CREATE DATABASE %q %s`, name, how)); err != nil {
		return "", err
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), BaseDSN())
		if err != nil {
			t.Errorf("dropping %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, name)); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
	})
	return WithDatabase(t, BaseDSN(), name), nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func ensureTemplate(ctx context.Context, admin *pgx.Conn, tpl string) error {
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, tpl).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	// Built under a temporary name and renamed when complete, so a test
	// killed halfway never leaves a half-migrated template behind.
	tmp := tpl + "_building"
	if _, err := admin.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, tmp)); err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %q`, tmp)); err != nil {
		return err
	}
	u, _ := url.Parse(BaseDSN())
	u.Path = "/" + tmp
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		return err
	}
	err = postgres.Migrate(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	_, err = admin.Exec(ctx, fmt.Sprintf(`ALTER DATABASE %q RENAME TO %q`, tmp, tpl))
	return err
}
