package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// who is what the audit log stands on: the ingivare, the case worker, the
// case, why and under which law. None has a default: a value the CLI made
// up would file the user's lookups under someone else's case. Each comes
// from its flag, else its environment variable, else the profile file the
// user wrote (--profil, a JSON object with the fraga fields that stay the
// same from lookup to lookup, e.g. written by `ssbtek profil`).
type who struct {
	profil                             string
	org, ingivare, handlaggare, arende string
	syfte, lagtext                     string
}

// whoFields are who's fields: flag, environment variable, and the fraga
// field of the question and the profile.
var whoFields = []struct {
	flag, env, field, usage string
	value                   func(*who) *string
	in                      func(*ssbtekv1.Fraga) *string
}{
	{"org", "SSBTEK_ORG", "organisationsnummer", "the ingivare's organisationsnummer, 12 digits",
		func(w *who) *string { return &w.org }, func(f *ssbtekv1.Fraga) *string { return &f.Organisationsnummer }},
	{"ingivare", "SSBTEK_INGIVARE", "ingivare", "the ingivare's name",
		func(w *who) *string { return &w.ingivare }, func(f *ssbtekv1.Fraga) *string { return &f.Ingivare }},
	{"handlaggare", "SSBTEK_HANDLAGGARE", "handlaggare", "the case worker asking",
		func(w *who) *string { return &w.handlaggare }, func(f *ssbtekv1.Fraga) *string { return &f.Handlaggare }},
	{"arende", "SSBTEK_ARENDE", "arendeidentitet", "the case's arendeidentitet",
		func(w *who) *string { return &w.arende }, func(f *ssbtekv1.Fraga) *string { return &f.Arendeidentitet }},
	{"syfte", "SSBTEK_SYFTE", "syfte", "purpose of the question",
		func(w *who) *string { return &w.syfte }, func(f *ssbtekv1.Fraga) *string { return &f.Syfte }},
	{"lagtext", "SSBTEK_LAGTEXT", "lagtext", "legal basis of the question",
		func(w *who) *string { return &w.lagtext }, func(f *ssbtekv1.Fraga) *string { return &f.Lagtext }},
}

func (w *who) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&w.profil, "profil", getenv("SSBTEK_PROFIL"), "profile file: a JSON object with fraga fields, e.g. from `ssbtek profil` (env SSBTEK_PROFIL)")
	for _, f := range whoFields {
		fs.StringVar(f.value(w), f.flag, getenv(f.env), fmt.Sprintf("%s (env %s, or %q in the profile)", f.usage, f.env, f.field))
	}
}

// missing names each of who's fields f lacks, as a usage error: nil when
// none.
func (w *who) missing(f *ssbtekv1.Fraga) error {
	var missing []string
	for _, wf := range whoFields {
		if *wf.in(f) == "" {
			missing = append(missing, fmt.Sprintf("--%s (%s)", wf.flag, wf.env))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return errors.New("missing " + strings.Join(missing, ", ") +
		": give each as a flag, in the environment, or in a profile file (--profil, SSBTEK_PROFIL); nothing is assumed for them")
}

// merged is the profile, if any, with the flags and environment over it.
func (w *who) merged() (*ssbtekv1.Fraga, error) {
	f := &ssbtekv1.Fraga{}
	if w.profil != "" {
		b, err := os.ReadFile(w.profil)
		if err != nil {
			return nil, usageError("reading the profile: %v", err)
		}
		if err := protojson.Unmarshal(b, f); err != nil {
			return nil, usageError("the profile %s is not a JSON object of fraga fields: %v", w.profil, err)
		}
	}
	for _, wf := range whoFields {
		if v := *wf.value(w); v != "" {
			*wf.in(f) = v
		}
	}
	return f, nil
}
