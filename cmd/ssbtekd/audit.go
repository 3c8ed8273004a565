package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/auditstore"
	"github.com/ssbtek/gateway/audit/sqlite"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/quota/sqlquota"
)

// auditConfig is where the audit log lives and how it is maintained.
type auditConfig struct {
	db, dsn string
	key     string
	// origin names the log in its signed checkpoints; "" is
	// ssbtek-gateway/<operator organisationsnummer>.
	origin    string
	interval  time.Duration
	retention time.Duration
}

// auditFlags registers the audit flags on fs; the returned function reads
// them once fs is parsed.
func auditFlags(fs *flag.FlagSet, env func(name, def string) string) func() (auditConfig, error) {
	var c auditConfig
	fs.StringVar(&c.db, "audit-db", env("SSBTEK_AUDIT_DB", sqlite.DefaultPath), "SQLite audit log, created on first start; a path or a file: URI (env SSBTEK_AUDIT_DB)")
	fs.StringVar(&c.dsn, "audit-dsn", env("SSBTEK_AUDIT_DSN", ""), "PostgreSQL audit database for several replicas; overrides -audit-db (env SSBTEK_AUDIT_DSN)")
	fs.StringVar(&c.key, "audit-key", env("SSBTEK_AUDIT_KEY", "data/audit.key"), "checkpoint signing key (golang.org/x/mod/sumdb/note); a development key and its verifier key (+.pub) are generated when absent (env SSBTEK_AUDIT_KEY)")
	fs.StringVar(&c.origin, "audit-origin", env("SSBTEK_AUDIT_ORIGIN", ""), "the log's name on its signed checkpoints (C2SP tlog-checkpoint origin); empty is ssbtek-gateway/<-operator> (env SSBTEK_AUDIT_ORIGIN)")
	interval := fs.String("audit-checkpoint-interval", env("SSBTEK_AUDIT_CHECKPOINT_INTERVAL", audit.DefaultCheckpointInterval.String()), "how often a signed checkpoint is published, besides on shutdown (env SSBTEK_AUDIT_CHECKPOINT_INTERVAL)")
	retention := fs.String("audit-retention", env("SSBTEK_AUDIT_RETENTION", audit.DefaultRetention.String()), "how long record contents are kept; 0 keeps them forever (env SSBTEK_AUDIT_RETENTION)")
	return func() (auditConfig, error) {
		var errs []error
		var err error
		if c.interval, err = time.ParseDuration(*interval); err != nil || c.interval <= 0 {
			errs = append(errs, fmt.Errorf("audit checkpoint interval %q is not a positive duration", *interval))
		}
		if c.retention, err = time.ParseDuration(*retention); err != nil || c.retention < 0 {
			errs = append(errs, fmt.Errorf("audit retention %q is not a duration", *retention))
		}
		return c, errors.Join(errs...)
	}
}

// openAudit opens the audit store for writing (migrating it) and the
// limits kept in the same database.
func openAudit(ctx context.Context, c auditConfig) (audit.Store, *sqlquota.Store, error) {
	return auditstore.OpenWithLimits(ctx, c.db, c.dsn)
}

// startAudit makes svc record every lookup in store, and maintains the log
// in g; addCheck makes its store taking writes a condition of readiness (a
// gateway that must refuse every lookup is not ready). The returned stop,
// run once the servers have stopped, publishes the last checkpoint and
// closes the log and store.
func startAudit(ctx context.Context, c auditConfig, store audit.Store, svc *lookup.Service, g *errgroup.Group, log *slog.Logger, addCheck func(string, func(context.Context) error)) (where string, stop func(), err error) {
	_, statErr := os.Stat(c.key)
	signer, err := audit.LoadSigner(c.key, true)
	if err != nil {
		return "", nil, err
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		log.Warn("generated a development checkpoint signing key; configure -audit-key in production",
			slog.String("key", c.key), slog.String("verifier", c.key+".pub"))
	}
	l := audit.NewLog(store, signer, log, audit.WithOrigin(c.origin))
	svc.SetAuditor(l)
	addCheck("audit log", l.Ping)
	g.Go(func() error { l.Maintain(ctx, c.interval, c.retention); return nil })
	where = "sqlite " + c.db
	if c.dsn != "" {
		where = "postgresql (-audit-dsn)"
	}
	return where, func() {
		final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		l.Publish(final)
		l.Close()
		store.Close()
	}, nil
}
