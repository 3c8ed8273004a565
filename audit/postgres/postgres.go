// Package postgres is the audit store for several gateway replicas on one
// PostgreSQL database, through github.com/jackc/pgx/v5.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

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
