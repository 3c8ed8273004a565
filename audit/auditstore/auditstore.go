// Package auditstore opens the audit store a configuration names: the
// PostgreSQL database of a DSN, else the SQLite file.
package auditstore

import (
	"context"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/postgres"
	"github.com/ssbtek/gateway/audit/sqlite"
)

// Open opens the PostgreSQL store at dsn when it is set, else the SQLite
// file at path (sqlite.DefaultPath when empty). readOnly opens an existing
// log without migrating it, as the CLI does.
func Open(ctx context.Context, path, dsn string, readOnly bool) (audit.Store, error) {
	if dsn != "" {
		return postgres.Open(ctx, dsn, readOnly)
	}
	if path == "" {
		path = sqlite.DefaultPath
	}
	return sqlite.Open(ctx, path, readOnly)
}
