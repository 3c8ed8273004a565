package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// question is the flags every asking command shares.
type question struct {
	conn
	who
	person, from, to, agencies string
	korrelationsid             string
	json, radata               bool
}

const questionSynopsis = "--person YYYYMMDDNNNN --from YYYY-MM-DD --to YYYY-MM-DD --arende ID [--profil FILE] [--agencies AF,FK] [--json] [flags]"

func (q *question) register(fs *flag.FlagSet, getenv func(string) string) {
	q.conn.register(fs, getenv)
	q.who.register(fs, getenv)
	fs.StringVar(&q.person, "person", "", "personnummer or samordningsnummer, 12 digits (required)")
	fs.StringVar(&q.from, "from", "", "first day of the period, YYYY-MM-DD (required)")
	fs.StringVar(&q.to, "to", "", "last day of the period, YYYY-MM-DD (required)")
	fs.StringVar(&q.agencies, "agencies", "", "agencies to ask, comma-separated: AF,CSN,FK,SKV,SO,TNS,MIV (default all)")
	fs.StringVar(&q.korrelationsid, "korrelationsid", "", "your correlation id, echoed and audited")
	fs.BoolVar(&q.json, "json", false, "print the gateway's answer as JSON instead of tables")
	fs.BoolVar(&q.radata, "radata", false, "with --json, include each agency's raw answer (vy VY_RADATA)")
}

var (
	personPattern = regexp.MustCompile(`^[0-9]{12}$`)
	datePattern   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// fraga checks what can be checked before asking and builds the question.
// The gateway validates again and has the last word (check digit, dates).
func (q *question) fraga() (*ssbtekv1.Fraga, error) {
	f, err := q.who.merged()
	if err != nil {
		return nil, err
	}
	var errs []error
	if err := q.who.missing(f); err != nil {
		errs = append(errs, err)
	}
	if !personPattern.MatchString(q.person) {
		errs = append(errs, fmt.Errorf("--person %q: want 12 digits YYYYMMDDNNNN", q.person))
	}
	if !datePattern.MatchString(q.from) {
		errs = append(errs, fmt.Errorf("--from %q: want a date YYYY-MM-DD", q.from))
	}
	if !datePattern.MatchString(q.to) {
		errs = append(errs, fmt.Errorf("--to %q: want a date YYYY-MM-DD", q.to))
	}
	var urval []ssbtekv1.Bastjanst
	if q.agencies != "" {
		for _, kod := range strings.Split(q.agencies, ",") {
			b, ok := agencyByCode(strings.TrimSpace(kod))
			if !ok {
				errs = append(errs, fmt.Errorf("--agencies: unknown agency %q (known: AF, CSN, FK, SKV, SO, TNS, MIV)", kod))
				continue
			}
			urval = append(urval, b)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, &exitErr{code: exitUsage, err: err}
	}
	f.Personidentitet = q.person
	f.Period = &ssbtekv1.Tidsperiod{From: q.from, Tom: q.to}
	f.Bastjanster = urval
	f.Korrelationsid = q.korrelationsid
	return f, nil
}

func agencyByCode(kod string) (ssbtekv1.Bastjanst, bool) {
	for _, b := range bastjanst.Known() {
		if strings.EqualFold(bastjanst.Kod(b), kod) {
			return b, true
		}
	}
	return 0, false
}

// ask is what query and stream share: the question's flags, the checks
// made before asking, the connection and the deadline. call does the asking
// and the printing.
func ask(ctx context.Context, name string, args []string, getenv func(string) string, stdout, stderr io.Writer,
	call func(ctx context.Context, q *question, client ssbtekv1.SammansattBastjanstServiceClient, req *ssbtekv1.HamtaSammanstallningRequest) error) error {
	var q question
	fs := newFlags(name, questionSynopsis)
	q.register(fs, getenv)
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	fraga, err := q.fraga()
	if err != nil {
		return err
	}
	ctx, client, done, err := q.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	req := &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga}
	if q.radata {
		req.Vy = ssbtekv1.Vy_VY_RADATA
	}
	return call(ctx, &q, client, req)
}

// runQuery is `ssbtek query`.
func runQuery(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return ask(ctx, "query", args, getenv, stdout, stderr, func(ctx context.Context, q *question, client ssbtekv1.SammansattBastjanstServiceClient, req *ssbtekv1.HamtaSammanstallningRequest) error {
		res, err := client.HamtaSammanstallning(ctx, req)
		if err != nil {
			return callError(q.addr, err)
		}
		if q.json {
			out, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(res)
			if err != nil {
				return fmt.Errorf("writing JSON: %w", err)
			}
			if _, err = fmt.Fprintln(stdout, string(out)); err != nil {
				return err
			}
			return agenciesFailed(res.GetSammanstallning().GetResultat())
		}
		sam := res.GetSammanstallning()
		writeSammanstatus(stdout, sam.GetStatus())
		for _, r := range sam.GetResultat() {
			writeResult(stdout, r)
		}
		writeInkomst(stdout, sam.GetInkomstsammanstallning())
		return agenciesFailed(sam.GetResultat())
	})
}

// agenciesFailed is exit code 1 naming the agencies that gave no answer,
// so that a script does not take a partial answer for a whole one.
func agenciesFailed(res []*ssbtekv1.BastjanstResultat) error {
	var failedKods []string
	for _, r := range res {
		if r.GetFel() != nil {
			failedKods = append(failedKods, bastjanst.Kod(r.GetBastjanst()))
		}
	}
	if len(failedKods) == 0 {
		return nil
	}
	return failed(fmt.Errorf("no answer from %s", strings.Join(failedKods, ", ")))
}
