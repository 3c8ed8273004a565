package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	tlogformat "github.com/transparency-dev/formats/log"
)

// DefaultRetention is how long record contents are kept: ten years. The
// record is the citizen's evidence of who read about them; agencies keep
// the decisions it fed (försörjningsstöd files) for years, and a complaint
// to IMY or a court case about a disclosure can come long after it. Ten
// years outlasts the general limitation period (preskriptionslag 1981:130,
// 2 §). The operator sets its own period by its gallringsbeslut.
const DefaultRetention = 10 * 365 * 24 * time.Hour

// DefaultCheckpointInterval is how often a signed checkpoint is published
// when the tree has grown: short, so a record is soon covered by a signed
// root (and an extract can prove it), cheap because an idle log publishes
// nothing.
const DefaultCheckpointInterval = 5 * time.Second

// maxBatch bounds how many waiting records one transaction commits.
const maxBatch = 256

// Log appends records to a Store and signs its checkpoints. Appends from
// many goroutines are committed together (group commit): one transaction and
// one fsync for all records waiting, so the record costs the critical path
// little even under many parallel lookups.
type Log struct {
	store  Store
	signer note.Signer
	origin string
	log    *slog.Logger
	now    func() time.Time
	reqs   chan appendReq
	done   chan struct{}
}

type appendReq struct {
	rec   *Record
	reply chan error
}

// DefaultOrigin names the log in its checkpoints when the deployment names
// none (see WithOrigin).
const DefaultOrigin = "ssbtek-gateway"

// Option configures a Log.
type Option func(*Log)

// WithOrigin names the log in its checkpoints: the first line of a C2SP
// tlog-checkpoint, which tells one log's checkpoints from another's, e.g.
// "ssbtek-gateway/<operator organisationsnummer>". Empty keeps
// DefaultOrigin.
func WithOrigin(origin string) Option {
	return func(l *Log) {
		if origin != "" {
			l.origin = origin
		}
	}
}

// NewLog starts a Log over store. Close stops it (it does not close store).
// A nil logger discards logs.
func NewLog(store Store, signer note.Signer, log *slog.Logger, opts ...Option) *Log {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Log{store: store, signer: signer, origin: DefaultOrigin, log: log, now: time.Now,
		reqs: make(chan appendReq, maxBatch), done: make(chan struct{})}
	for _, o := range opts {
		o(l)
	}
	go l.commitLoop()
	return l
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("audit log closed")

// Append commits rec durably and returns once it is, setting rec.ID. A
// zero Time is set to now.
func (l *Log) Append(ctx context.Context, rec *Record) error {
	if rec.Time.IsZero() {
		rec.Time = l.now()
	}
	rec.Time = rec.Time.UTC()
	req := appendReq{rec: rec, reply: make(chan error, 1)}
	select {
	case l.reqs <- req:
	case <-l.done:
		return ErrClosed
	case <-ctx.Done():
		return fmt.Errorf("waiting to append: %w", ctx.Err())
	}
	select {
	case err := <-req.reply:
		return err
	case <-l.done:
		return ErrClosed
	case <-ctx.Done():
		// The record may still be committed: a record too many is safe,
		// releasing an answer without one is not.
		return fmt.Errorf("waiting for the commit: %w", ctx.Err())
	}
}

func (l *Log) commitLoop() {
	for {
		var first appendReq
		select {
		case first = <-l.reqs:
		case <-l.done:
			// Nobody waits forever on a record the closed log will not
			// commit.
			for {
				select {
				case r := <-l.reqs:
					r.reply <- ErrClosed
				default:
					return
				}
			}
		}
		batch := []appendReq{first}
	drain:
		for len(batch) < maxBatch {
			select {
			case r := <-l.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		recs := make([]*Record, len(batch))
		for i, r := range batch {
			recs[i] = r.rec
		}
		// Not the caller's context: one caller giving up must not fail
		// the others' records.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := l.store.Append(ctx, recs)
		cancel()
		if err != nil {
			err = fmt.Errorf("appending %d audit records: %w", len(recs), err)
		}
		for _, r := range batch {
			r.reply <- err
		}
	}
}

// Ping reports whether the log's store takes writes (readiness).
func (l *Log) Ping(ctx context.Context) error { return l.store.Ping(ctx) }

// Close stops accepting appends. Records already committed stay.
func (l *Log) Close() {
	select {
	case <-l.done:
	default:
		close(l.done)
	}
}

// Checkpoint signs and stores a checkpoint of the tree as it is now.
func (l *Log) Checkpoint(ctx context.Context) (Checkpoint, error) {
	size, err := l.store.Size(ctx)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("reading the tree size: %w", err)
	}
	c, err := SignCheckpoint(ctx, l.store, size, l.signer, l.origin, l.now())
	if err != nil {
		return Checkpoint{}, err
	}
	if err := l.store.SaveCheckpoint(ctx, c); err != nil {
		return Checkpoint{}, fmt.Errorf("saving the checkpoint: %w", err)
	}
	return c, nil
}

// SignCheckpoint signs the tree of the given size read from store, as a
// C2SP tlog-checkpoint (origin, size, base64 root) in a signed note, written
// by transparency-dev/formats. (tlog.FormatTree, used before, names every
// tree "go.sum database tree", Go's checksum database; Verify still reads
// those.)
func SignCheckpoint(ctx context.Context, store Store, size int64, signer note.Signer, origin string, now time.Time) (Checkpoint, error) {
	var h tlog.Hash
	if size > 0 {
		var err error
		if h, err = tlog.TreeHash(size, HashReader(ctx, store)); err != nil {
			return Checkpoint{}, fmt.Errorf("computing the root of %d leaves: %w", size, err)
		}
	}
	text := tlogformat.Checkpoint{Origin: origin, Size: uint64(size), Hash: h[:]}.Marshal()
	signed, err := note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("signing the checkpoint: %w", err)
	}
	return Checkpoint{Size: size, Note: signed, Created: now.UTC()}, nil
}

// Maintain publishes a signed checkpoint every interval and prunes contents
// older than retention at start and once a day, until ctx ends. The owner
// publishes the last checkpoint on shutdown, once nothing appends any more.
// Failures are logged, not fatal: the records themselves are committed by
// Append, and the next round tries again.
func (l *Log) Maintain(ctx context.Context, interval, retention time.Duration) {
	if interval <= 0 {
		interval = DefaultCheckpointInterval
	}
	prune := func() {
		if retention <= 0 {
			return
		}
		n, err := l.store.Prune(ctx, l.now().Add(-retention))
		if err != nil && ctx.Err() == nil {
			l.log.ErrorContext(ctx, "audit pruning failed", slog.String("error", err.Error()))
		} else if n > 0 {
			l.log.InfoContext(ctx, "audit records pruned", slog.Int64("count", n))
		}
	}
	prune()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	daily := time.NewTicker(24 * time.Hour)
	defer daily.Stop()
	published := int64(-1)
	for {
		select {
		case <-tick.C:
			size, err := l.store.Size(ctx)
			if err != nil || size == published {
				continue
			}
			if c, ok := l.Publish(ctx); ok {
				published = c.Size
			}
		case <-daily.C:
			prune()
		case <-ctx.Done():
			return
		}
	}
}

// Publish signs and stores a checkpoint, logging the outcome.
func (l *Log) Publish(ctx context.Context) (Checkpoint, bool) {
	c, err := l.Checkpoint(ctx)
	if err != nil {
		l.log.ErrorContext(ctx, "audit checkpoint failed", slog.String("error", err.Error()))
		return c, false
	}
	l.log.InfoContext(ctx, "audit checkpoint", slog.Int64("size", c.Size))
	return c, true
}
