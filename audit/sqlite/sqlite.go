// Package sqlite is the embedded audit store: one SQLite file (pure Go,
// modernc.org/sqlite), the default at ./data/audit.db.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/ssbtek/gateway/audit/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DefaultPath is where `make run` keeps its audit log.
const DefaultPath = "data/audit.db"

// Store is the SQLite audit store.
type Store struct{ sqlstore.Store }

// Open opens (creating and migrating when needed) the log at path, a file
// name or a "file:" URI (so "file:x.db?mode=ro" opens it read-only).
// readOnly opens an existing log for reading only, as verification does.
func Open(ctx context.Context, path string, readOnly bool) (*Store, error) {
	name, query, _ := strings.Cut(strings.TrimPrefix(path, "file:"), "?")
	// A log opened read-only on purpose cannot be migrated; the gateway
	// then refuses every lookup (fail closed) rather than fail to start.
	if strings.Contains(query, "mode=ro") {
		readOnly = true
	}
	if readOnly {
		if _, err := os.Stat(name); err != nil {
			return nil, fmt.Errorf("opening the audit log: %w", err)
		}
		query = join(query, "mode=ro")
	} else if dir := filepath.Dir(name); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating the audit log directory: %w", err)
		}
	}
	// WAL with synchronous FULL: a commit is on disk when it returns, and
	// readers (ssbtek audit verify) do not block the gateway's appends.
	// BEGIN IMMEDIATE takes the write lock at the start of an append, so
	// two processes on one file queue instead of failing on upgrade.
	query = join(query, "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	db, err := sql.Open("sqlite", "file:"+name+"?"+query)
	if err != nil {
		return nil, fmt.Errorf("opening the audit log: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the audit log: %w", err)
	}
	if !readOnly {
		sub, _ := fs.Sub(migrations, "migrations")
		if err := sqlstore.Migrate(ctx, db, sub, "", false); err != nil {
			db.Close()
			return nil, fmt.Errorf("migrating the audit log: %w", err)
		}
	} else if err := db.QueryRowContext(ctx, `SELECT 1 FROM audit_head`).Scan(new(int)); err != nil {
		db.Close()
		if errors.Is(err, sql.ErrNoRows) {
			err = errors.New("no tree head")
		}
		return nil, fmt.Errorf("%s is not an audit log: %w", name, err)
	}
	return &Store{sqlstore.Store{DB: db, Dialect: sqlstore.Dialect{
		LockHead: `SELECT size FROM audit_head WHERE one = 1`,
	}}}, nil
}

// OpenSibling opens a second handle on the log's file at path (which Open
// has created and migrated) for data that must survive a crash of the
// process but may lose its last commits to a power cut: synchronous
// NORMAL, no fsync per commit (the gateway's limits, counted for every
// question and agency, would otherwise queue fsync after fsync behind the
// audit records). One connection: its writers queue in Go rather than in
// SQLite's busy handler, which sleeps in steps of up to 100 ms.
func OpenSibling(ctx context.Context, path string) (*sql.DB, error) {
	name, query, _ := strings.Cut(strings.TrimPrefix(path, "file:"), "?")
	query = join(query, "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	db, err := sql.Open("sqlite", "file:"+name+"?"+query)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", name, err)
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", name, err)
	}
	return db, nil
}

func join(query, more string) string {
	if query == "" {
		return more
	}
	return query + "&" + more
}
