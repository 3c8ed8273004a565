// Package audit is the gateway's record of every lookup: who asked about
// whom, for which case, why, under which law, and what each agency answered.
//
// Every record is a leaf of an RFC 6962 Merkle tree (golang.org/x/mod/sumdb/tlog,
// as Go's checksum database does it), and signed checkpoints (tree size and
// root hash, golang.org/x/mod/sumdb/note) are published on a schedule. A hash
// chain alone cannot show that a log was not truncated and rebuilt from a
// saved state; a checkpoint kept elsewhere and a consistency proof can.
//
// A record is committed before its answer leaves. A stream, whose results
// leave as they arrive, commits two: first its question with the agencies to
// be asked and no outcomes (StreamOpening), before any agency is asked, and
// the stream is refused when that fails; then, after the fan-out, the
// complete record with the outcomes, without which the stream's final answer
// is withheld (lookup.Streama).
//
// The domain lives here (Record, Store, the tree logic, Verify); each database
// is its own package (audit/sqlite, audit/postgres) implementing Store.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Record is one lookup, or one refused question. Its ID is its leaf index in
// the tree, set by the store on append.
type Record struct {
	ID   int64
	Time time.Time
	// Korrelationsid is the caller's own identifier of the question.
	Korrelationsid string
	// Interface is "grpc", "rest" or "soap".
	Interface string

	// The caller's client certificate (mTLS): who sent the question.
	CertSubject      string
	CertSerialNumber string
	CertFingerprint  string

	// Ombud is the organisationsnummer of a service provider sending on the
	// ingivare's behalf ("" when the ingivare sends itself).
	Ombud string
	// Ingivare is the organisationsnummer of the organisation asking;
	// IngivareNamn its name as the question gave it.
	Ingivare     string
	IngivareNamn string
	Handlaggare  string

	Arendeidentitet string
	Personidentitet string
	// PeriodFrom and PeriodTom are the general period asked about.
	PeriodFrom, PeriodTom string
	Syfte                 string
	Lagtext               string

	// Agencies is what each agency asked answered; empty for a refusal.
	Agencies []Outcome
	// SkyddadIdentitet is set when any agency flagged the person's identity
	// as protected.
	SkyddadIdentitet bool
	// Refusal is why the gateway refused the question ("" when it asked).
	Refusal string
	// StreamOpening marks the record a stream commits before it asks any
	// agency (its results leave as they arrive, before the outcomes are
	// known): Agencies then lists the agencies to be asked, with no status.
	// The stream's complete record, with the outcomes, follows it.
	StreamOpening bool

	// Pruned is set on a record whose contents retention has removed: only
	// its ID, time and leaf hash remain.
	Pruned bool
}

// Outcome is one agency's answer to one question.
type Outcome struct {
	// Bastjanst is the agency code: AF, CSN, FK, SKV, SO, TNS, MIV.
	Bastjanst string `json:"bastjanst"`
	// Status is the StatusKod name, e.g. OK or UPPGIFTSAKNAS.
	Status string `json:"status"`
	// Kalla and Felkod are set when the agency could not answer.
	Kalla  string `json:"kalla,omitempty"`
	Felkod string `json:"felkod,omitempty"`
	// Duration is how long the agency took.
	Duration time.Duration `json:"duration_ns"`
}

// Outcomes is the agency part of a record, read from the compiled results.
// It reports whether any agency flagged SKYDDADIDENTITET.
func Outcomes(res []*ssbtekv1.BastjanstResultat) (out []Outcome, skyddad bool) {
	out = make([]Outcome, 0, len(res))
	for _, r := range res {
		o := Outcome{
			Bastjanst: bastjanst.Kod(r.GetBastjanst()),
			Status:    r.GetStatus().GetKod().String(),
			Duration:  r.GetLatens().AsDuration(),
		}
		if f := r.GetFel(); f != nil {
			o.Kalla, o.Felkod = f.GetKalla().String(), f.GetFelkod()
		}
		if r.GetStatus().GetKod() == ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET {
			skyddad = true
		}
		out = append(out, o)
	}
	return out, skyddad
}

// leaf is the canonical form of a record that its leaf hash covers. It is
// its own type so that a new Record field never silently changes the hash
// of the records already written: a new field means a new version here.
type leaf struct {
	V                int       `json:"v"`
	ID               int64     `json:"id"`
	TimeNS           int64     `json:"time_ns"`
	Korrelationsid   string    `json:"korrelationsid"`
	Interface        string    `json:"interface"`
	CertSubject      string    `json:"cert_subject"`
	CertSerialNumber string    `json:"cert_serial_number"`
	CertFingerprint  string    `json:"cert_fingerprint"`
	Ombud            string    `json:"ombud"`
	Ingivare         string    `json:"ingivare"`
	IngivareNamn     string    `json:"ingivare_namn"`
	Handlaggare      string    `json:"handlaggare"`
	Arendeidentitet  string    `json:"arendeidentitet"`
	Personidentitet  string    `json:"personidentitet"`
	PeriodFrom       string    `json:"period_from"`
	PeriodTom        string    `json:"period_tom"`
	Syfte            string    `json:"syfte"`
	Lagtext          string    `json:"lagtext"`
	Agencies         []Outcome `json:"agencies"`
	SkyddadIdentitet bool      `json:"skyddad_identitet"`
	Refusal          string    `json:"refusal"`
	// Omitted when false, so every record written before it hashes alike.
	StreamOpening bool `json:"stream_opening,omitempty"`
}

// LeafData is the canonical bytes of r whose RFC 6962 hash is r's leaf.
// encoding/json writes struct fields in declaration order, so the bytes
// are the same for the same record on every machine.
func LeafData(r Record) []byte {
	agencies := r.Agencies
	if agencies == nil {
		agencies = []Outcome{}
	}
	b, err := json.Marshal(leaf{
		V: 1, ID: r.ID, TimeNS: r.Time.UnixNano(),
		Korrelationsid: r.Korrelationsid, Interface: r.Interface,
		CertSubject: r.CertSubject, CertSerialNumber: r.CertSerialNumber, CertFingerprint: r.CertFingerprint,
		Ombud: r.Ombud, Ingivare: r.Ingivare, IngivareNamn: r.IngivareNamn, Handlaggare: r.Handlaggare,
		Arendeidentitet: r.Arendeidentitet, Personidentitet: r.Personidentitet,
		PeriodFrom: r.PeriodFrom, PeriodTom: r.PeriodTom, Syfte: r.Syfte, Lagtext: r.Lagtext,
		Agencies: agencies, SkyddadIdentitet: r.SkyddadIdentitet, Refusal: r.Refusal,
		StreamOpening: r.StreamOpening,
	})
	if err != nil {
		// Strings, ints and bools always marshal.
		panic(fmt.Sprintf("audit: marshalling a leaf: %v", err))
	}
	return b
}

// LeafHash is r's leaf hash in the tree.
func LeafHash(r Record) tlog.Hash { return tlog.RecordHash(LeafData(r)) }

// Checkpoint is a signed statement of the tree's size and root hash.
type Checkpoint struct {
	Size int64
	// Note is the signed note (golang.org/x/mod/sumdb/note) whose text is
	// the tlog tree (tlog.FormatTree).
	Note []byte
	// Created is when the gateway signed it.
	Created time.Time
}

// Store keeps records, the tree's hashes and the checkpoints. Implementations
// must append under one sequencer shared by every process writing to the
// same database, so leaf indexes are dense and never reused.
type Store interface {
	// Append stores recs as the next leaves, in order, with every tree hash
	// they add (tlog's stored hashes), in one durable transaction. It sets
	// each record's ID to its leaf index.
	Append(ctx context.Context, recs []*Record) error
	// Size is the number of leaves in the tree.
	Size(ctx context.Context) (int64, error)
	// ReadHashes returns the stored hashes at the given tlog storage indexes.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
	// Scan calls fn for every record row with from <= ID < to, in ID order,
	// pruned ones included, stopping at fn's first error.
	Scan(ctx context.Context, from, to int64, fn func(Record) error) error
	// Extract returns the unpruned records about one person asked in
	// [from, to), oldest first.
	Extract(ctx context.Context, personidentitet string, from, to time.Time) ([]Record, error)
	// Prune removes the contents of the records older than before, keeping
	// their leaf hashes, and returns how many it pruned.
	Prune(ctx context.Context, before time.Time) (int64, error)
	// SaveCheckpoint stores a signed checkpoint.
	SaveCheckpoint(ctx context.Context, c Checkpoint) error
	// Checkpoints returns every stored checkpoint, smallest size first.
	Checkpoints(ctx context.Context) ([]Checkpoint, error)
	// Ping reports whether the store takes writes now (for readiness): a
	// read-only file or a revoked grant fails it, as it would fail the next
	// append. It keeps nothing.
	Ping(ctx context.Context) error
	Close() error
}

// HashReader reads s's stored hashes as tlog wants them.
func HashReader(ctx context.Context, s Store) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return s.ReadHashes(ctx, indexes)
	})
}

// IndexedHash is one tree hash to store at a tlog storage index.
type IndexedHash struct {
	Index int64
	Hash  tlog.Hash
}

// NewHashes returns the tree hashes that appending recs, as leaves size,
// size+1, …, adds to a tree whose stored hashes read reads. Store
// implementations call it inside their append transaction, under the
// sequencer, after setting each record's ID.
func NewHashes(size int64, recs []*Record, read tlog.HashReader) ([]IndexedHash, error) {
	pending := map[int64]tlog.Hash{}
	var out []IndexedHash
	// Hashes added earlier in this batch are not in the database yet.
	overlay := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hashes := make([]tlog.Hash, len(indexes))
		var missing []int64
		for i, idx := range indexes {
			if h, ok := pending[idx]; ok {
				hashes[i] = h
			} else {
				missing = append(missing, idx)
			}
		}
		if len(missing) == 0 {
			return hashes, nil
		}
		got, err := read.ReadHashes(missing)
		if err != nil {
			return nil, err
		}
		j := 0
		for i, idx := range indexes {
			if _, ok := pending[idx]; !ok {
				hashes[i] = got[j]
				j++
			}
		}
		return hashes, nil
	})
	for i, r := range recs {
		n := size + int64(i)
		hashes, err := tlog.StoredHashesForRecordHash(n, LeafHash(*r), overlay)
		if err != nil {
			return nil, fmt.Errorf("computing the tree hashes of leaf %d: %w", n, err)
		}
		first := tlog.StoredHashIndex(0, n)
		for k, h := range hashes {
			pending[first+int64(k)] = h
			out = append(out, IndexedHash{Index: first + int64(k), Hash: h})
		}
	}
	return out, nil
}
