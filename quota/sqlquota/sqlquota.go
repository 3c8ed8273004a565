// Package sqlquota keeps the gateway's limits in the database its audit log
// lives in, so that every replica on one PostgreSQL counts one quota and
// one agency rate, and a single node's SQLite file keeps the day's counts
// across a restart. Each check is one statement, one round trip: an upsert
// that counts only below the limit, and a GCRA whose state is one row per
// agency. The tables come with the audit store's migrations
// (003_limits.sql), applied once under its migration lock.
package sqlquota

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ssbtek/gateway/quota"
)

// Dialect is the database the statements are written for.
type Dialect int

const (
	// PostgreSQL reads the time of a turn from the database's clock, the
	// one clock every replica shares.
	PostgreSQL Dialect = iota
	// SQLite serves one node, whose clock is the process's.
	SQLite
)

// Store is a quota.Store in a SQL database.
type Store struct {
	db      *sql.DB
	dialect Dialect
	take    string
	turn    string
	prune   string
	now     func() time.Time
	// own: Close closes db.
	own bool
}

var _ quota.Store = (*Store)(nil)

// takeSQL counts one question for a key and day unless the count has
// reached the limit ($3): the row's update is skipped then, and nothing is
// returned. Concurrent takes serialise on the row, so N replicas admit
// exactly the limit between them.
const takeSQL = `INSERT INTO limit_day_counts (key, day, n) VALUES ($1, $2, 1)
ON CONFLICT (key, day) DO UPDATE SET n = limit_day_counts.n + 1 WHERE limit_day_counts.n < $3
RETURNING n`

// GCRA (the generic cell rate algorithm): tat is the theoretical arrival
// time of the agency's next question, in microseconds. A question at now
// reserves the turn at max(tat, now) + T (T = 1/rate) and may go when that
// turn lies at most burst·T ahead of now, i.e. after waiting
// max(tat, now) + T − burst·T − now. A wait longer than the caller's
// maxWait ($4) updates nothing and returns no row: no turn.
//
// turnPostgres: $1 agency, $2 T, $3 burst·T, $4 maxWait, all µs.
const turnPostgres = `WITH c AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now)
INSERT INTO limit_agency_rate AS r (agency, tat) SELECT $1, c.now + $2 FROM c
ON CONFLICT (agency) DO UPDATE SET tat = GREATEST(r.tat, (SELECT now FROM c)) + $2
WHERE GREATEST(r.tat, (SELECT now FROM c)) + $2 - $3 <= (SELECT now FROM c) + $4
RETURNING r.tat - $3 - (SELECT now FROM c)`

// turnSQLite is turnPostgres with now as $5.
const turnSQLite = `INSERT INTO limit_agency_rate (agency, tat) VALUES ($1, $5 + $2)
ON CONFLICT (agency) DO UPDATE SET tat = MAX(tat, $5) + $2
WHERE MAX(tat, $5) + $2 - $3 <= $5 + $4
RETURNING tat - $3 - $5`

const pruneSQL = `DELETE FROM limit_day_counts WHERE day < $1`

// New returns the store over db, whose schema the audit store migrated.
func New(db *sql.DB, d Dialect) *Store {
	s := &Store{db: db, dialect: d, take: takeSQL, turn: turnPostgres, prune: pruneSQL, now: time.Now}
	if d == SQLite {
		// SQLite's own placeholders: ?N binds the Nth argument as $N does.
		q := strings.NewReplacer("$", "?")
		s.take, s.turn, s.prune = q.Replace(takeSQL), q.Replace(turnSQLite), q.Replace(pruneSQL)
	}
	return s
}

// Own makes Close close the database handle: the store's own.
func (s *Store) Own() *Store { s.own = true; return s }

// Close closes the database handle when the store owns it.
func (s *Store) Close() error {
	if !s.own {
		return nil
	}
	return s.db.Close()
}

// Take implements quota.Counter.
func (s *Store) Take(ctx context.Context, key, day string, limit int) (bool, error) {
	if limit <= 0 {
		return false, nil
	}
	var n int64
	err := s.queryRow(ctx, s.take, []any{key, day, limit}, &n)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("counting against the daily limit: %w", err)
	}
	return true, nil
}

// Turn implements quota.Turns.
func (s *Store) Turn(ctx context.Context, agency string, l quota.Limits, maxWait time.Duration) (time.Duration, bool, error) {
	if l.Rate <= 0 {
		return 0, true, nil
	}
	interval := int64(1e6 / l.Rate)
	burst := interval * int64(max(l.Burst, 1))
	args := []any{agency, interval, burst, maxWait.Microseconds()}
	if s.dialect == SQLite {
		args = append(args, s.now().UnixMicro())
	}
	var wait int64
	err := s.queryRow(ctx, s.turn, args, &wait)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("taking a turn under the shared rate: %w", err)
	}
	return max(time.Duration(wait)*time.Microsecond, 0), true, nil
}

// queryRow runs one statement and scans its one row into dest. On SQLite
// it runs in a transaction of its own, begun IMMEDIATE (the audit store's
// _txlock): an upsert in autocommit mode that finds the file's write lock
// held (by a batch of audit records) fails at once with SQLITE_BUSY,
// while BEGIN IMMEDIATE waits the busy_timeout for it. In-process, the
// extra statements cost no round trip.
func (s *Store) queryRow(ctx context.Context, query string, args []any, dest any) error {
	if s.dialect != SQLite {
		return s.db.QueryRowContext(ctx, query, args...).Scan(dest)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, query, args...).Scan(dest); err != nil {
		return err
	}
	return tx.Commit()
}

// Prune deletes the counts of days before day (YYYY-MM-DD): only today's
// are ever read.
func (s *Store) Prune(ctx context.Context, day string) error {
	if _, err := s.db.ExecContext(ctx, s.prune, day); err != nil {
		return fmt.Errorf("pruning old daily counts: %w", err)
	}
	return nil
}
