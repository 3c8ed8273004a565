// Package postgres is the audit store for several gateway replicas on one
// PostgreSQL database, through github.com/jackc/pgx/v5.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/ssbtek/gateway/audit/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations is the embedded schema, for tests that build a template from it.
var Migrations = migrations

// migrationLock is the advisory lock key taken while migrating, so replicas
// starting together migrate once.
const migrationLock = `SELECT pg_advisory_xact_lock(7269823112)`

// maxConns bounds one process's connections to the audit database.
const maxConns = 16

// Store is the PostgreSQL audit store.
type Store struct{ sqlstore.Store }

// Open connects to dsn and, unless readOnly, applies the embedded
// migrations.
func Open(ctx context.Context, dsn string, readOnly bool) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening the audit database: %w", err)
	}
	_ = stdlib.GetDefaultDriver() // the import registers "pgx"
	// A lookup now writes its quota, each agency's turn and daily count
	// (agencies in parallel) and its record: without a bound, 100 lookups
	// at once opened hundreds of connections, past PostgreSQL's default
	// max_connections of 100 shared by every replica, and with
	// database/sql's two idle connections each burst forked new backends
	// until connecting timed out. A fixed pool, kept open, makes a burst
	// queue for a connection instead; three replicas hold 3×maxConns.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to the audit database: %w", err)
	}
	if !readOnly {
		if err := Migrate(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	// The row lock on the one head row is the sequencer: every append, in
	// any process, takes it first and holds it to commit, so leaf indexes
	// are dense and each tree hash is computed over the committed tree.
	return &Store{sqlstore.Store{DB: db, Dialect: sqlstore.Dialect{
		Numbered: true,
		LockHead: `SELECT size FROM audit_head WHERE one = 1 FOR UPDATE`,
		// One round trip for the records, their hashes and the new head,
		// instead of three: each is a wait the sequencer is held through.
		ArrayWrite: sqlstore.ArrayWrite(),
	}}}, nil
}

// Migrate applies the embedded migrations to db.
func Migrate(ctx context.Context, db *sql.DB) error {
	sub, _ := fs.Sub(migrations, "migrations")
	if err := sqlstore.Migrate(ctx, db, sub, migrationLock, true); err != nil {
		return fmt.Errorf("migrating the audit database: %w", err)
	}
	return nil
}
