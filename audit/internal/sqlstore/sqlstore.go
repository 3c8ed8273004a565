// Package sqlstore is the audit.Store both SQL databases share through
// database/sql; audit/sqlite and audit/postgres give it their dialect.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssbtek/gateway/audit"
)

// Dialect is what differs between the databases.
type Dialect struct {
	// Numbered placeholders ($1, $2, …) instead of "?".
	Numbered bool
	// LockHead is the statement that takes the one sequencer and reads the
	// tree size inside an append transaction.
	LockHead string
	// ArrayWrite, when set, is one statement writing a whole batch from
	// column arrays (see ArrayWrite), used instead of multi-row inserts.
	ArrayWrite string
}

// Store is an audit.Store over a database/sql handle.
type Store struct {
	DB      *sql.DB
	Dialect Dialect
	// stmts caches prepared statements by query: parsing a multi-row
	// insert each time cost a quarter of an append's CPU.
	stmts sync.Map

	// mu serialises this store's appends so front stays the one they
	// share; across processes the database's sequencer does that.
	mu sync.Mutex
	// front is the tree's right edge as this store last committed it:
	// the hashes of the complete subtrees of a tree of front.size leaves,
	// all the stored hashes the next leaves are hashed with. While no
	// other process appended (the head still reads front.size), an append
	// computes its tree hashes without reading any back.
	front frontier
}

type frontier struct {
	size   int64
	hashes map[int64]tlog.Hash
}

// frontierIndexes are the storage indexes of the complete subtrees a tree
// of n leaves is made of, largest first: at most one per bit of n.
func frontierIndexes(n int64) []int64 {
	var out []int64
	var start int64
	for level := 62; level >= 0; level-- {
		if n&(1<<level) != 0 {
			out = append(out, tlog.StoredHashIndex(level, start>>level))
			start += 1 << level
		}
	}
	return out
}

// newFrontier picks the right edge of a tree of n leaves out of known,
// or returns none (size -1) when a hash is not among them.
func newFrontier(n int64, known map[int64]tlog.Hash) frontier {
	idx := frontierIndexes(n)
	f := frontier{size: n, hashes: make(map[int64]tlog.Hash, len(idx))}
	for _, i := range idx {
		h, ok := known[i]
		if !ok {
			return frontier{size: -1}
		}
		f.hashes[i] = h
	}
	return f
}

// prepared returns the cached prepared statement of query (already
// rewritten for the dialect), preparing it on first use.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// txExec runs query with args in tx through its cached statement.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	st, err := s.prepared(ctx, s.q(query))
	if err != nil {
		return err
	}
	_, err = tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	return err
}

// q rewrites "?" placeholders for the dialect. No query here has a "?"
// inside a literal.
func (s *Store) q(query string) string {
	if !s.Dialect.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

const columns = `id, time_ns, korrelationsid, interface, cert_subject, cert_serial_number, cert_fingerprint,
	ombud, ingivare, ingivare_namn, handlaggare, arendeidentitet, personidentitet, period_from, period_tom,
	syfte, lagtext, agencies, skyddad_identitet, refusal, pruned, stream_opening`

// columnTypes are the SQL types of columns, in order, for ArrayWrite.
var columnTypes = []string{"bigint", "bigint", "text", "text", "text", "text", "text",
	"text", "text", "text", "text", "text", "text", "text", "text",
	"text", "text", "text", "boolean", "text", "boolean", "boolean"}

// ArrayWrite is the PostgreSQL statement that inserts a batch's records
// (columns as arrays $1-$22), its tree hashes ($23 indexes, $24 hashes)
// and sets the head to $25, for Dialect.ArrayWrite.
func ArrayWrite() string {
	var b strings.Builder
	b.WriteString("WITH r AS (INSERT INTO audit_records (" + columns + ") SELECT * FROM unnest(")
	for i, typ := range columnTypes {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d::%s[]", i+1, typ)
	}
	n := len(columnTypes)
	fmt.Fprintf(&b, ")), h AS (INSERT INTO audit_hashes (idx, hash) SELECT * FROM unnest($%d::bigint[], $%d::bytea[]))"+
		" UPDATE audit_head SET size = $%d WHERE one = 1", n+1, n+2, n+3)
	return b.String()
}

// Append implements audit.Store.
func (s *Store) Append(ctx context.Context, recs []*audit.Record) error {
	if len(recs) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning the append: %w", err)
	}
	defer tx.Rollback()
	lock, err := s.prepared(ctx, s.Dialect.LockHead)
	if err != nil {
		return fmt.Errorf("taking the sequencer: %w", err)
	}
	var size int64
	if err := tx.StmtContext(ctx, lock).QueryRowContext(ctx).Scan(&size); err != nil {
		return fmt.Errorf("taking the sequencer: %w", err)
	}
	for i, r := range recs {
		r.ID = size + int64(i)
	}
	// known holds every stored hash this append reads or adds: the right
	// edge kept from the last append when nobody appended since, the rest
	// read inside the transaction.
	known := make(map[int64]tlog.Hash, 64)
	if s.front.size == size {
		maps.Copy(known, s.front.hashes)
	}
	s.front = frontier{size: -1} // until this append commits
	hashes, err := audit.NewHashes(size, recs, tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		var missing []int64
		for _, i := range idx {
			if _, ok := known[i]; !ok {
				missing = append(missing, i)
			}
		}
		if len(missing) > 0 {
			got, err := s.readHashes(ctx, tx, missing)
			if err != nil {
				return nil, err
			}
			for k, i := range missing {
				known[i] = got[k]
			}
		}
		out := make([]tlog.Hash, len(idx))
		for k, i := range idx {
			out[k] = known[i]
		}
		return out, nil
	}))
	if err != nil {
		return err
	}
	rows := make([][]any, len(recs))
	for i, r := range recs {
		agencies, err := json.Marshal(orEmpty(r.Agencies))
		if err != nil {
			return fmt.Errorf("encoding the outcomes: %w", err)
		}
		rows[i] = []any{r.ID, r.Time.UnixNano(), r.Korrelationsid, r.Interface,
			r.CertSubject, r.CertSerialNumber, r.CertFingerprint, r.Ombud, r.Ingivare, r.IngivareNamn,
			r.Handlaggare, r.Arendeidentitet, r.Personidentitet, r.PeriodFrom, r.PeriodTom,
			r.Syfte, r.Lagtext, string(agencies), r.SkyddadIdentitet, r.Refusal, false, r.StreamOpening}
	}
	write := s.writeRows
	if s.Dialect.ArrayWrite != "" {
		write = s.writeArrays
	}
	if err := write(ctx, tx, rows, hashes, size+int64(len(recs))); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing the append: %w", err)
	}
	// Only a committed tree is an edge to build on.
	for _, h := range hashes {
		known[h.Index] = h.Hash
	}
	s.front = newFrontier(size+int64(len(recs)), known)
	return nil
}

// writeRows inserts the records and their hashes with multi-row inserts
// (one round trip per chunk, not per record: the transaction holds the one
// sequencer all the while) and advances the head.
func (s *Store) writeRows(ctx context.Context, tx *sql.Tx, rows [][]any, hashes []audit.IndexedHash, newSize int64) error {
	for chunk := range slices.Chunk(rows, 40) {
		query := "INSERT INTO audit_records (" + columns + ") VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ")
		args := make([]any, 0, len(columnTypes)*len(chunk))
		for _, row := range chunk {
			args = append(args, row...)
		}
		if err := s.txExec(ctx, tx, query, args...); err != nil {
			return fmt.Errorf("inserting records %d-%d: %w", chunk[0][0], chunk[len(chunk)-1][0], err)
		}
	}
	for chunk := range slices.Chunk(hashes, 300) {
		query := "INSERT INTO audit_hashes (idx, hash) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", len(chunk)), ", ")
		args := make([]any, 0, 2*len(chunk))
		for _, h := range chunk {
			args = append(args, h.Index, h.Hash[:])
		}
		if err := s.txExec(ctx, tx, query, args...); err != nil {
			return fmt.Errorf("inserting tree hashes: %w", err)
		}
	}
	if err := s.txExec(ctx, tx, `UPDATE audit_head SET size = ? WHERE one = 1`, newSize); err != nil {
		return fmt.Errorf("advancing the tree size: %w", err)
	}
	return nil
}

// writeArrays does what writeRows does in the one statement
// Dialect.ArrayWrite, each column sent as one array: a single round trip
// and a single prepared statement whatever the batch size.
func (s *Store) writeArrays(ctx context.Context, tx *sql.Tx, rows [][]any, hashes []audit.IndexedHash, newSize int64) error {
	cols := make([]any, len(columnTypes))
	for c, typ := range columnTypes {
		switch typ {
		case "bigint":
			v := make([]int64, len(rows))
			for i, row := range rows {
				v[i] = row[c].(int64)
			}
			cols[c] = v
		case "text":
			v := make([]string, len(rows))
			for i, row := range rows {
				v[i] = row[c].(string)
			}
			cols[c] = v
		case "boolean":
			v := make([]bool, len(rows))
			for i, row := range rows {
				v[i] = row[c].(bool)
			}
			cols[c] = v
		}
	}
	idx := make([]int64, len(hashes))
	hs := make([][]byte, len(hashes))
	for i, h := range hashes {
		idx[i], hs[i] = h.Index, h.Hash[:]
	}
	args := append(cols, idx, hs, newSize)
	if err := s.txExec(ctx, tx, s.Dialect.ArrayWrite, args...); err != nil {
		return fmt.Errorf("inserting records %d-%d and their tree hashes: %w", rows[0][0], rows[len(rows)-1][0], err)
	}
	return nil
}

func orEmpty(o []audit.Outcome) []audit.Outcome {
	if o == nil {
		return []audit.Outcome{}
	}
	return o
}

// readHashes reads stored hashes, inside tx when it is not nil.
func (s *Store) readHashes(ctx context.Context, tx *sql.Tx, indexes []int64) ([]tlog.Hash, error) {
	got := make(map[int64]tlog.Hash, len(indexes))
	for chunk := range slices.Chunk(indexes, 500) {
		args := make([]any, len(chunk))
		for i, idx := range chunk {
			args[i] = idx
		}
		query := "SELECT idx, hash FROM audit_hashes WHERE idx IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ")"
		st, err := s.prepared(ctx, s.q(query))
		if err != nil {
			return nil, fmt.Errorf("reading tree hashes: %w", err)
		}
		if tx != nil {
			st = tx.StmtContext(ctx, st)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("reading tree hashes: %w", err)
		}
		for rows.Next() {
			var idx int64
			var b []byte
			if err := rows.Scan(&idx, &b); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reading tree hashes: %w", err)
			}
			var h tlog.Hash
			if len(b) != len(h) {
				rows.Close()
				return nil, fmt.Errorf("tree hash %d has %d bytes, not %d", idx, len(b), len(h))
			}
			copy(h[:], b)
			got[idx] = h
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("reading tree hashes: %w", err)
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		h, ok := got[idx]
		if !ok {
			return nil, fmt.Errorf("tree hash %d is missing", idx)
		}
		out[i] = h
	}
	return out, nil
}

// ReadHashes implements audit.Store.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return s.readHashes(ctx, nil, indexes)
}

// Size implements audit.Store.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB.QueryRowContext(ctx, `SELECT size FROM audit_head WHERE one = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("reading the tree size: %w", err)
	}
	return n, nil
}

func (s *Store) scan(ctx context.Context, query string, args []any, fn func(audit.Record) error) error {
	rows, err := s.DB.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("reading records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r audit.Record
		var timeNS int64
		var agencies string
		if err := rows.Scan(&r.ID, &timeNS, &r.Korrelationsid, &r.Interface, &r.CertSubject, &r.CertSerialNumber,
			&r.CertFingerprint, &r.Ombud, &r.Ingivare, &r.IngivareNamn, &r.Handlaggare, &r.Arendeidentitet,
			&r.Personidentitet, &r.PeriodFrom, &r.PeriodTom, &r.Syfte, &r.Lagtext, &agencies,
			&r.SkyddadIdentitet, &r.Refusal, &r.Pruned, &r.StreamOpening); err != nil {
			return fmt.Errorf("reading a record: %w", err)
		}
		r.Time = time.Unix(0, timeNS).UTC()
		if agencies != "" {
			// An edited outcome that no longer parses still must not stop
			// verification: it reads as none, which fails its leaf hash.
			if err := json.Unmarshal([]byte(agencies), &r.Agencies); err != nil {
				r.Agencies = []audit.Outcome{{Bastjanst: "unreadable: " + err.Error()}}
			}
		}
		if len(r.Agencies) == 0 {
			r.Agencies = nil
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading records: %w", err)
	}
	return nil
}

// Scan implements audit.Store.
func (s *Store) Scan(ctx context.Context, from, to int64, fn func(audit.Record) error) error {
	return s.scan(ctx, `SELECT `+columns+` FROM audit_records WHERE id >= ? AND id < ? ORDER BY id`, []any{from, to}, fn)
}

// Extract implements audit.Store.
func (s *Store) Extract(ctx context.Context, person string, from, to time.Time) ([]audit.Record, error) {
	var out []audit.Record
	err := s.scan(ctx, `SELECT `+columns+` FROM audit_records
		WHERE personidentitet = ? AND time_ns >= ? AND time_ns < ? AND NOT pruned ORDER BY id`,
		[]any{person, from.UnixNano(), to.UnixNano()},
		func(r audit.Record) error { out = append(out, r); return nil })
	return out, err
}

// Prune implements audit.Store. The leaf hashes in audit_hashes stay, so
// the tree and every checkpoint still verify.
func (s *Store) Prune(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.DB.ExecContext(ctx, s.q(`UPDATE audit_records SET korrelationsid = '', cert_subject = '',
		cert_serial_number = '', cert_fingerprint = '', ombud = '', ingivare = '', ingivare_namn = '',
		handlaggare = '', arendeidentitet = '', personidentitet = '', period_from = '', period_tom = '',
		syfte = '', lagtext = '', agencies = '[]', refusal = '', pruned = ?
		WHERE time_ns < ? AND NOT pruned`), true, before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("pruning records: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("pruning records: %w", err)
	}
	return n, nil
}

// Ping implements audit.Store: a probe row inserted into the hash table at
// an index no leaf has, in a transaction rolled back. An empty SELECT would
// pass on a read-only file or without the INSERT grant.
func (s *Store) Ping(ctx context.Context) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit store: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO audit_hashes (idx, hash) VALUES (?, ?)`), int64(-1), []byte{0}); err != nil {
		return fmt.Errorf("audit store takes no writes: %w", err)
	}
	return nil
}

// SaveCheckpoint implements audit.Store. A second checkpoint of the same
// size (a replica's, or one on shutdown) is the same tree and is dropped.
func (s *Store) SaveCheckpoint(ctx context.Context, c audit.Checkpoint) error {
	_, err := s.DB.ExecContext(ctx, s.q(`INSERT INTO audit_checkpoints (size, note, created_ns) VALUES (?, ?, ?)
		ON CONFLICT (size) DO NOTHING`), c.Size, string(c.Note), c.Created.UnixNano())
	if err != nil {
		return fmt.Errorf("saving a checkpoint: %w", err)
	}
	return nil
}

// Checkpoints implements audit.Store.
func (s *Store) Checkpoints(ctx context.Context) ([]audit.Checkpoint, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT size, note, created_ns FROM audit_checkpoints ORDER BY size`)
	if err != nil {
		return nil, fmt.Errorf("reading checkpoints: %w", err)
	}
	defer rows.Close()
	var out []audit.Checkpoint
	for rows.Next() {
		var c audit.Checkpoint
		var n string
		var created int64
		if err := rows.Scan(&c.Size, &n, &created); err != nil {
			return nil, fmt.Errorf("reading a checkpoint: %w", err)
		}
		c.Note, c.Created = []byte(n), time.Unix(0, created).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// Close implements audit.Store.
func (s *Store) Close() error {
	s.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	return s.DB.Close()
}

// Migrate applies the not yet applied files of migrations (named NNN_*.sql,
// applied in name order) inside one transaction each, recording them in
// audit_migrations. lock, when not empty, is run first in each transaction
// so two gateways starting at once do not both migrate.
func Migrate(ctx context.Context, db *sql.DB, migrations fs.FS, lock string, numbered bool) error {
	names, err := fs.Glob(migrations, "*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	ph := "?"
	if numbered {
		ph = "$1"
	}
	for _, name := range names {
		if err := migrateOne(ctx, db, migrations, name, lock, ph); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

func migrateOne(ctx context.Context, db *sql.DB, migrations fs.FS, name, lock, ph string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if lock != "" {
		if _, err := tx.ExecContext(ctx, lock); err != nil {
			return err
		}
	}
	// Under the lock: replicas starting together would race on creating it.
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS audit_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("creating the migrations table: %w", err)
	}
	var done int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM audit_migrations WHERE name = `+ph, name).Scan(&done)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	body, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_migrations (name) VALUES (`+ph+`)`, name); err != nil {
		return err
	}
	return tx.Commit()
}
