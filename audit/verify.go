package audit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	tlogformat "github.com/transparency-dev/formats/log"
)

// Problem is one way the stored log differs from what was committed.
type Problem struct {
	// ID is the record concerned, or -1 for the tree as a whole.
	ID   int64
	What string
}

func (p Problem) String() string {
	if p.ID < 0 {
		return p.What
	}
	return fmt.Sprintf("record %d: %s", p.ID, p.What)
}

// Report is what Verify found.
type Report struct {
	// Size is the number of leaves; Pruned how many of them retention
	// has emptied.
	Size, Pruned int64
	// NewestPruned is the time of the newest pruned record: pruning should
	// not reach later than the retention period.
	NewestPruned time.Time
	// Root is the root hash recomputed from the records.
	Root tlog.Hash
	// Latest is the latest stored checkpoint whose signature verifies
	// (nil when there is none).
	Latest *Checkpoint
	// Problems is empty when the log is intact, the first found first.
	Problems []Problem
}

// Intact reports whether Verify found nothing wrong.
func (r *Report) Intact() bool { return len(r.Problems) == 0 }

// Verify recomputes every leaf from its record and the whole tree from the
// leaves, checks every stored checkpoint's signature and that it matches
// the tree, and, when since is not nil, proves the tree consistent with that
// earlier signed checkpoint (one kept outside the database). An edited record
// is named by its leaf; a deleted one by its gap; a truncated or rebuilt
// history by a checkpoint it no longer matches.
func Verify(ctx context.Context, s Store, verifiers note.Verifiers, since []byte) (*Report, error) {
	size, err := s.Size(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the tree size: %w", err)
	}
	rep := &Report{Size: size}
	problem := func(id int64, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{ID: id, What: fmt.Sprintf(format, args...)})
	}

	// The leaf hashes as committed at append time.
	stored := make([]tlog.Hash, 0, size)
	const chunk = 4096
	for from := int64(0); from < size; from += chunk {
		to := min(from+chunk, size)
		idx := make([]int64, 0, to-from)
		for n := from; n < to; n++ {
			idx = append(idx, tlog.StoredHashIndex(0, n))
		}
		hs, err := s.ReadHashes(ctx, idx)
		if err != nil {
			return nil, fmt.Errorf("reading the leaf hashes: %w", err)
		}
		stored = append(stored, hs...)
	}

	// The leaves as the records now are: where a record was edited, its
	// recomputed hash goes into the tree, so the root shows it too.
	leaves := make([]tlog.Hash, size)
	copy(leaves, stored)
	next := int64(0)
	err = s.Scan(ctx, 0, math.MaxInt64, func(r Record) error {
		if r.ID >= size {
			problem(r.ID, "is beyond the tree of %d leaves (added outside the log)", size)
			return nil
		}
		for ; next < r.ID; next++ {
			problem(next, "is missing (deleted)")
		}
		next = r.ID + 1
		if r.Pruned {
			rep.Pruned++
			if r.Time.After(rep.NewestPruned) {
				rep.NewestPruned = r.Time
			}
			// Pruning empties every field; a "pruned" row with contents
			// is one marked so to escape its leaf check.
			emptied := Record{ID: r.ID, Time: r.Time, Interface: r.Interface, SkyddadIdentitet: r.SkyddadIdentitet, Pruned: true}
			if !reflect.DeepEqual(r, emptied) {
				problem(r.ID, "is marked pruned but still holds contents (marked to escape its check)")
			}
			return nil
		}
		if h := LeafHash(r); h != stored[r.ID] {
			leaves[r.ID] = h
			problem(r.ID, "its fields (%s, %s) do not match the leaf hash committed when it was appended (edited)",
				r.Time.Format("2006-01-02T15:04:05.000Z07:00"), r.Interface)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the records: %w", err)
	}
	for ; next < size; next++ {
		problem(next, "is missing (deleted)")
	}

	// The whole tree, recomputed in memory from the leaves.
	var mem []tlog.Hash
	memReader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, idx := range indexes {
			if idx < 0 || idx >= int64(len(mem)) {
				return nil, fmt.Errorf("no tree hash %d", idx)
			}
			out[i] = mem[idx]
		}
		return out, nil
	})
	for n, h := range leaves {
		hs, err := tlog.StoredHashesForRecordHash(int64(n), h, memReader)
		if err != nil {
			return nil, fmt.Errorf("recomputing the tree: %w", err)
		}
		mem = append(mem, hs...)
	}
	root := func(n int64) (tlog.Hash, error) {
		if n == 0 {
			return tlog.Hash{}, nil
		}
		return tlog.TreeHash(n, memReader)
	}
	if rep.Root, err = root(size); err != nil {
		return nil, err
	}
	if size > 0 {
		storedRoot, err := tlog.TreeHash(size, HashReader(ctx, s))
		if err != nil {
			return nil, fmt.Errorf("reading the stored root: %w", err)
		}
		if storedRoot != rep.Root && len(rep.Problems) == 0 {
			problem(-1, "the stored tree hashes do not match the leaves (interior hashes edited)")
		}
	}

	// check proves the tree consistent with a signed checkpoint.
	check := func(what string, signed []byte) (*tlog.Tree, bool) {
		n, err := note.Open(signed, verifiers)
		if err != nil {
			problem(-1, "%s: signature does not verify: %v", what, err)
			return nil, false
		}
		tree, err := ParseCheckpoint(n.Text)
		if err != nil {
			problem(-1, "%s: not a tree: %v", what, err)
			return nil, false
		}
		if tree.N > size {
			problem(-1, "%s covers %d records but the log has %d (truncated)", what, tree.N, size)
			return &tree, false
		}
		if tree.N == 0 {
			return &tree, true
		}
		proof, err := tlog.ProveTree(size, tree.N, memReader)
		if err != nil {
			return nil, false
		}
		if err := tlog.CheckTree(proof, size, rep.Root, tree.N, tree.Hash); err != nil {
			problem(-1, "%s (%d records) is not consistent with the log: the first %d records were changed, removed or rebuilt", what, tree.N, tree.N)
			return &tree, false
		}
		return &tree, true
	}
	cps, err := s.Checkpoints(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the checkpoints: %w", err)
	}
	for i := range cps {
		if _, ok := check(fmt.Sprintf("checkpoint at size %d", cps[i].Size), cps[i].Note); ok {
			rep.Latest = &cps[i]
		}
	}
	if since != nil {
		check("the --since checkpoint", since)
	}
	return rep, nil
}

// ErrNoCheckpoint is returned when a proof needs a checkpoint and the store
// has none.
var ErrNoCheckpoint = errors.New("no signed checkpoint yet")

// Proof is a record's inclusion proof in the tree of a signed checkpoint.
type Proof struct {
	Checkpoint []byte
	TreeSize   int64
	Hashes     []tlog.Hash
}

// ProveInclusion proves each record is in the tree of checkpoint c (records
// added after c get no proof: nil).
func ProveInclusion(ctx context.Context, s Store, c Checkpoint, recs []Record) ([]*Proof, error) {
	out := make([]*Proof, len(recs))
	for i, r := range recs {
		if r.ID >= c.Size {
			continue
		}
		p, err := tlog.ProveRecord(c.Size, r.ID, HashReader(ctx, s))
		if err != nil {
			return nil, fmt.Errorf("proving record %d: %w", r.ID, err)
		}
		out[i] = &Proof{Checkpoint: c.Note, TreeSize: c.Size, Hashes: p}
	}
	return out, nil
}

// CheckInclusion checks p proves r is in p's checkpoint, which verifiers
// must sign. A citizen (or anyone) can run it with only the extract.
func CheckInclusion(r Record, p *Proof, verifiers note.Verifiers) error {
	n, err := note.Open(p.Checkpoint, verifiers)
	if err != nil {
		return fmt.Errorf("checkpoint signature: %w", err)
	}
	tree, err := ParseCheckpoint(n.Text)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return tlog.CheckRecord(tlog.RecordProof(p.Hashes), tree.N, tree.Hash, r.ID, LeafHash(r))
}

// legacyTreeHeader starts the checkpoints signed before they named this
// log: tlog.FormatTree's, Go's checksum database's.
const legacyTreeHeader = "go.sum database tree\n"

// ParseCheckpoint reads the tree a checkpoint's note text commits to: a C2SP
// tlog-checkpoint (origin, size, root; extension lines allowed), or one of
// the logs written before, which began "go.sum database tree", so that
// existing logs keep verifying.
func ParseCheckpoint(text string) (tlog.Tree, error) {
	if strings.HasPrefix(text, legacyTreeHeader) {
		return tlog.ParseTree([]byte(text))
	}
	var c tlogformat.Checkpoint
	if _, err := c.Unmarshal([]byte(text)); err != nil {
		return tlog.Tree{}, err
	}
	var t tlog.Tree
	if len(c.Hash) != len(t.Hash) || c.Size > math.MaxInt64 {
		return tlog.Tree{}, fmt.Errorf("checkpoint of %s: %d-byte root, size %d", c.Origin, len(c.Hash), c.Size)
	}
	t.N = int64(c.Size)
	copy(t.Hash[:], c.Hash)
	return t, nil
}

// CheckpointOrigin is the origin line of a checkpoint's note text ("" for
// the logs written before checkpoints named their log).
func CheckpointOrigin(text string) string {
	if strings.HasPrefix(text, legacyTreeHeader) {
		return ""
	}
	origin, _, _ := strings.Cut(text, "\n")
	return origin
}
