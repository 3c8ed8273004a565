// Package auditstore opens the audit store a configuration names: the
// PostgreSQL database of a DSN, else the SQLite file.
package auditstore

import (
	"context"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/postgres"
	"github.com/ssbtek/gateway/audit/sqlite"
	"github.com/ssbtek/gateway/quota/sqlquota"
)

// Open opens the PostgreSQL store at dsn when it is set, else the SQLite
// file at path (sqlite.DefaultPath when empty). readOnly opens an existing
// log without migrating it, as the CLI does.
func Open(ctx context.Context, path, dsn string, readOnly bool) (audit.Store, error) {
	s, _, err := open(ctx, path, dsn, readOnly)
	return s, err
}

// OpenWithLimits opens the store for writing, as Open does, and the
// gateway's limits (quotas, agency rates and daily bounds) in the same
// database: shared by every replica on PostgreSQL, kept across restarts
// in the SQLite file (through a handle of their own: close it too).
func OpenWithLimits(ctx context.Context, path, dsn string) (audit.Store, *sqlquota.Store, error) {
	return open(ctx, path, dsn, false)
}

func open(ctx context.Context, path, dsn string, readOnly bool) (audit.Store, *sqlquota.Store, error) {
	if dsn != "" {
		s, err := postgres.Open(ctx, dsn, readOnly)
		if err != nil {
			return nil, nil, err
		}
		if readOnly {
			return s, nil, nil
		}
		return s, sqlquota.New(s.DB, sqlquota.PostgreSQL), nil
	}
	if path == "" {
		path = sqlite.DefaultPath
	}
	s, err := sqlite.Open(ctx, path, readOnly)
	if err != nil || readOnly {
		return s, nil, err
	}
	db, err := sqlite.OpenSibling(ctx, path)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, sqlquota.New(db, sqlquota.SQLite).Own(), nil
}
