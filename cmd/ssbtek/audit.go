package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/auditstore"
	"github.com/ssbtek/gateway/audit/sqlite"
)

const auditUsage = `Usage:
  ssbtek audit verify  [--db FILE | --dsn DSN] [--key FILE] [--since CHECKPOINT]
  ssbtek audit extract --person YYYYMMDDNNNN [--from DATE] [--to DATE] [--json] [--db FILE | --dsn DSN]
  ssbtek audit checkpoint [--db FILE | --dsn DSN] [--key FILE]

verify      recomputes every record's leaf hash and the whole Merkle tree, checks
            every signed checkpoint, and proves the log consistent with an earlier
            checkpoint saved elsewhere (--since). Names the first record that does
            not match; exit code 1 when anything does not.
extract     the citizen's log extract: who looked the person up, when, for which
            case and why (a table, or JSON with inclusion proofs against the latest
            signed checkpoint).
checkpoint  prints the latest signed checkpoint, to keep outside the database and
            pass to a later verify as --since.
`

// storeFlags are the flags naming the audit store, as the gateway's.
type storeFlags struct{ db, dsn string }

func (s *storeFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	db := getenv("SSBTEK_AUDIT_DB")
	if db == "" {
		db = sqlite.DefaultPath
	}
	fs.StringVar(&s.db, "db", db, "the SQLite audit log (env SSBTEK_AUDIT_DB)")
	fs.StringVar(&s.dsn, "dsn", getenv("SSBTEK_AUDIT_DSN"), "PostgreSQL audit database; overrides --db (env SSBTEK_AUDIT_DSN)")
}

func (s *storeFlags) open(ctx context.Context) (audit.Store, error) {
	st, err := auditstore.Open(ctx, s.db, s.dsn, true)
	if err != nil {
		return nil, &exitErr{code: exitError, err: err}
	}
	return st, nil
}

// verify checks the whole log against the verifier key in the file key
// and, when since names a file, against the checkpoint saved in it: what
// verify and checkpoint both start from.
func (s *storeFlags) verify(ctx context.Context, key, since string) (*audit.Report, error) {
	verifiers, err := audit.LoadVerifiers(key)
	if err != nil {
		return nil, &exitErr{code: exitError, err: err}
	}
	var saved []byte
	if since != "" {
		if saved, err = os.ReadFile(since); err != nil {
			return nil, &exitErr{code: exitError, err: fmt.Errorf("reading --since: %w", err)}
		}
	}
	st, err := s.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	rep, err := audit.Verify(ctx, st, verifiers, saved)
	if err != nil {
		return nil, &exitErr{code: exitError, err: err}
	}
	return rep, nil
}

func keyFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	def := getenv("SSBTEK_AUDIT_VERIFIER_KEY")
	if def == "" {
		def = "data/audit.key.pub"
	}
	return fs.String("key", def, "the checkpoint verifier key (env SSBTEK_AUDIT_VERIFIER_KEY)")
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), auditUsage+"\nFlags of "+name+":\n")
		fs.PrintDefaults()
	}
	return fs
}

func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return dispatch(ctx, args, getenv, stdout, stderr, auditUsage, "audit: ", "subcommand", map[string]command{
		"verify":     auditVerify,
		"extract":    auditExtract,
		"checkpoint": auditCheckpoint,
	})
}

func auditVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("audit verify", stderr)
	var sf storeFlags
	sf.register(fs, getenv)
	key := keyFlag(fs, getenv)
	since := fs.String("since", "", "a signed checkpoint saved earlier (a file), which the log must still be consistent with")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rep, err := sf.verify(ctx, *key, *since)
	if err != nil {
		return err
	}
	if !rep.Intact() {
		fmt.Fprintf(stdout, "NOT INTACT: %d records, %d problems\n", rep.Size, len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
		return failed(fmt.Errorf("audit log not intact: %s", rep.Problems[0]))
	}
	fmt.Fprintf(stdout, "intact: %d records (%d pruned), root %s\n", rep.Size, rep.Pruned, rep.Root)
	if rep.Pruned > 0 {
		fmt.Fprintf(stdout, "contents pruned up to %s (check against the retention period)\n", rep.NewestPruned.Format(time.RFC3339))
	}
	if *since != "" {
		fmt.Fprintf(stdout, "consistent with the checkpoint in %s\n", *since)
	}
	if rep.Latest == nil {
		fmt.Fprintln(stdout, "no signed checkpoint yet (the gateway publishes one every interval and on shutdown)")
		return nil
	}
	if n := rep.Size - rep.Latest.Size; n > 0 {
		fmt.Fprintf(stdout, "%d records appended since the latest checkpoint\n", n)
	}
	fmt.Fprintf(stdout, "latest signed checkpoint (%s):\n%s", rep.Latest.Created.Format(time.RFC3339), rep.Latest.Note)
	return nil
}

func auditCheckpoint(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("audit checkpoint", stderr)
	var sf storeFlags
	sf.register(fs, getenv)
	key := keyFlag(fs, getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rep, err := sf.verify(ctx, *key, "")
	if err != nil {
		return err
	}
	if !rep.Intact() {
		return failed(fmt.Errorf("audit log not intact, no checkpoint to vouch for: %s", rep.Problems[0]))
	}
	if rep.Latest == nil {
		return failed(audit.ErrNoCheckpoint)
	}
	_, err = stdout.Write(rep.Latest.Note)
	return err
}

var personidentitet = regexp.MustCompile(`^[0-9]{12}$`)

// parseDay reads YYYY-MM-DD (or an RFC 3339 time) as a time; a bare date at
// the end of a range means the end of that day.
func parseDay(s string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD) or an RFC 3339 time", s)
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// extractRecord is one line of the citizen's extract, as JSON.
type extractRecord struct {
	ID               int64           `json:"id"`
	Time             time.Time       `json:"time"`
	Interface        string          `json:"interface"`
	Ingivare         string          `json:"ingivare"`
	IngivareNamn     string          `json:"ingivare_namn"`
	Ombud            string          `json:"ombud,omitempty"`
	Handlaggare      string          `json:"handlaggare"`
	Arendeidentitet  string          `json:"arendeidentitet"`
	Syfte            string          `json:"syfte"`
	Lagtext          string          `json:"lagtext"`
	PeriodFrom       string          `json:"period_from"`
	PeriodTom        string          `json:"period_tom"`
	Korrelationsid   string          `json:"korrelationsid,omitempty"`
	CertSubject      string          `json:"cert_subject,omitempty"`
	CertSerialNumber string          `json:"cert_serial_number,omitempty"`
	CertFingerprint  string          `json:"cert_fingerprint,omitempty"`
	Agencies         []audit.Outcome `json:"agencies"`
	SkyddadIdentitet bool            `json:"skyddad_identitet"`
	Refusal          string          `json:"refusal,omitempty"`
	// StreamOpening: the record a stream commits before asking any agency
	// (agencies without outcomes); its complete record follows.
	StreamOpening bool `json:"stream_opening,omitempty"`
	// LeafHash and InclusionProof let anyone check the record is in the
	// tree the checkpoint signs (audit.CheckInclusion).
	LeafHash       tlog.Hash   `json:"leaf_hash"`
	InclusionProof []tlog.Hash `json:"inclusion_proof,omitempty"`
}

type extract struct {
	Personidentitet string          `json:"personidentitet"`
	From            time.Time       `json:"from"`
	To              time.Time       `json:"to"`
	Checkpoint      string          `json:"checkpoint,omitempty"`
	Records         []extractRecord `json:"records"`
}

func auditExtract(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("audit extract", stderr)
	var sf storeFlags
	sf.register(fs, getenv)
	person := fs.String("person", "", "the personidentitet, 12 digits (required)")
	fromS := fs.String("from", "", "first day (YYYY-MM-DD), default the beginning of the log")
	toS := fs.String("to", "", "last day (YYYY-MM-DD), default today")
	asJSON := fs.Bool("json", false, "JSON with inclusion proofs instead of a table")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !personidentitet.MatchString(*person) {
		return usageError("audit extract: --person must be 12 digits (YYYYMMDDNNNN)")
	}
	from, to := time.Unix(0, 0).UTC(), time.Now().UTC().Add(time.Minute)
	var err error
	if *fromS != "" {
		if from, err = parseDay(*fromS, false); err != nil {
			return usageError("audit extract: --from: %v", err)
		}
	}
	if *toS != "" {
		if to, err = parseDay(*toS, true); err != nil {
			return usageError("audit extract: --to: %v", err)
		}
	}
	if !from.Before(to) {
		return usageError("audit extract: --from must be before --to")
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	recs, err := st.Extract(ctx, *person, from, to)
	if err != nil {
		return &exitErr{code: exitError, err: err}
	}
	if !*asJSON {
		return extractTable(stdout, *person, recs)
	}
	out := extract{Personidentitet: *person, From: from, To: to, Records: []extractRecord{}}
	cps, err := st.Checkpoints(ctx)
	if err != nil {
		return &exitErr{code: exitError, err: err}
	}
	var proofs []*audit.Proof
	if len(cps) > 0 {
		latest := cps[len(cps)-1]
		out.Checkpoint = string(latest.Note)
		if proofs, err = audit.ProveInclusion(ctx, st, latest, recs); err != nil {
			return &exitErr{code: exitError, err: err}
		}
	}
	for i, r := range recs {
		e := extractRecord{ID: r.ID, Time: r.Time, Interface: r.Interface, Ingivare: r.Ingivare,
			IngivareNamn: r.IngivareNamn, Ombud: r.Ombud, Handlaggare: r.Handlaggare,
			Arendeidentitet: r.Arendeidentitet, Syfte: r.Syfte, Lagtext: r.Lagtext,
			PeriodFrom: r.PeriodFrom, PeriodTom: r.PeriodTom, Korrelationsid: r.Korrelationsid,
			CertSubject: r.CertSubject, CertSerialNumber: r.CertSerialNumber, CertFingerprint: r.CertFingerprint,
			Agencies: r.Agencies, SkyddadIdentitet: r.SkyddadIdentitet, Refusal: r.Refusal, StreamOpening: r.StreamOpening,
			LeafHash: audit.LeafHash(r)}
		if proofs != nil && proofs[i] != nil {
			e.InclusionProof = proofs[i].Hashes
		}
		out.Records = append(out.Records, e)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func extractTable(w io.Writer, person string, recs []audit.Record) error {
	fmt.Fprintf(w, "Log extract for %s: %d lookups\n\n", person, len(recs))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME (UTC)\tVIA\tINGIVARE\tHANDLÄGGARE\tÄRENDE\tSYFTE\tLAGTEXT\tBASTJÄNSTER")
	for _, r := range recs {
		ingivare := r.Ingivare
		if r.IngivareNamn != "" {
			ingivare += " " + r.IngivareNamn
		}
		if r.Ombud != "" {
			ingivare += " (ombud " + r.Ombud + ")"
		}
		asked := make([]string, 0, len(r.Agencies))
		for _, o := range r.Agencies {
			asked = append(asked, o.Bastjanst+":"+strings.TrimPrefix(o.Status, "STATUS_KOD_"))
		}
		agencies := strings.Join(asked, " ")
		switch {
		case r.Refusal != "":
			agencies = "refused: " + r.Refusal
		case r.StreamOpening:
			// Committed before any agency was asked: the agencies about to
			// be asked, no outcomes yet; the stream's complete record
			// follows with them.
			bs := make([]string, 0, len(r.Agencies))
			for _, o := range r.Agencies {
				bs = append(bs, o.Bastjanst)
			}
			agencies = "stream opened, asking " + strings.Join(bs, " ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Time.Format("2006-01-02 15:04:05"), r.Interface,
			ingivare, r.Handlaggare, r.Arendeidentitet, r.Syfte, r.Lagtext, agencies)
	}
	return tw.Flush()
}
