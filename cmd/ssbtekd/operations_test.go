package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/adapters/registry"
)

// flagDoc is one flag as ssbtekd's own usage text describes it.
type flagDoc struct {
	env, def string
	boolean  bool
}

var (
	usageFlag = regexp.MustCompile(`(?m)^  -(\S+)( \w+)?\n((?:    \t.*\n?)*)`)
	usageEnv  = regexp.MustCompile(`[(;] ?env ([A-Z0-9_]+)\)`)
	// A default flag prints itself, or one the usage states (the
	// per-agency forms, whose flag default is empty).
	usageDefault = regexp.MustCompile(`\(default "?([^";)]*)"?[;)]`)
)

// ssbtekdFlags reads every flag, its variable and default from the usage
// parseConfig prints for -help with an empty environment.
func ssbtekdFlags(t *testing.T) map[string]flagDoc {
	t.Helper()
	var usage bytes.Buffer
	if _, err := parseConfig([]string{"-help"}, func(string) string { return "" }, &usage); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-help: %v", err)
	}
	flags := map[string]flagDoc{}
	for _, m := range usageFlag.FindAllStringSubmatch(usage.String(), -1) {
		d := flagDoc{boolean: m[2] == ""}
		if e := usageEnv.FindStringSubmatch(m[3]); e != nil {
			d.env = e[1]
		}
		if def := usageDefault.FindAllStringSubmatch(m[3], -1); def != nil {
			d.def = def[len(def)-1][1]
		}
		flags[m[1]] = d
	}
	if len(flags) < 30 {
		t.Fatalf("read %d flags from the usage; its format changed?\n%s", len(flags), usage.String())
	}
	return flags
}

// TestOperationsDocListsEveryFlag compares docs/OPERATIONS.md's flag table
// with ssbtekd's flags: every flag in one row, with its variable and its
// default; no row for a flag that does not exist.
func TestOperationsDocListsEveryFlag(t *testing.T) {
	doc, err := os.ReadFile("../../docs/OPERATIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	flags := ssbtekdFlags(t)
	var agencies []string
	for _, a := range registry.Agencies() {
		agencies = append(agencies, a.Name)
	}
	// expand turns `-<agency>-url` into -af-url, …, and the variables alike.
	expand := func(s string) []string {
		if !strings.Contains(s, "<agency>") && !strings.Contains(s, "<AGENCY>") {
			return []string{s}
		}
		var out []string
		for _, a := range agencies {
			out = append(out, strings.NewReplacer("<agency>", a, "<AGENCY>", strings.ToUpper(a)).Replace(s))
		}
		return out
	}
	code := regexp.MustCompile("`([^`]+)`")
	seen := map[string]bool{}
	rows := 0
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "| `-") {
			continue
		}
		rows++
		cells := strings.Split(line, " | ")
		if len(cells) < 4 {
			t.Errorf("row %q: want | flag | env | default | meaning |", line)
			continue
		}
		var names, envs []string
		for _, m := range code.FindAllStringSubmatch(cells[0], -1) {
			names = append(names, expand(strings.TrimPrefix(m[1], "-"))...)
		}
		for _, m := range code.FindAllStringSubmatch(cells[1], -1) {
			envs = append(envs, expand(m[1])...)
		}
		def := cells[2]
		for _, name := range names {
			f, ok := flags[name]
			if !ok {
				t.Errorf("docs/OPERATIONS.md lists -%s, which ssbtekd does not have", name)
				continue
			}
			if seen[name] {
				t.Errorf("-%s is in two rows", name)
			}
			seen[name] = true
			if !slices.Contains(envs, f.env) {
				t.Errorf("-%s: the doc gives variable(s) %v, ssbtekd reads %s", name, envs, f.env)
			}
			switch {
			case f.boolean && f.def == "":
				if !strings.Contains(def, "`false`") {
					t.Errorf("-%s: default %q, want `false`", name, def)
				}
			case f.def == "":
				if !strings.HasPrefix(def, "empty") {
					t.Errorf("-%s: default %q, want it to start with empty (ssbtekd's default is empty)", name, def)
				}
			case !strings.Contains(def, "`"+f.def+"`"):
				t.Errorf("-%s: default %q, want `%s`", name, def, f.def)
			}
		}
	}
	for name := range flags {
		if !seen[name] {
			t.Errorf("docs/OPERATIONS.md has no row for -%s (env %s, default %q)", name, flags[name].env, flags[name].def)
		}
	}
	if rows == 0 {
		t.Fatal("no flag table in docs/OPERATIONS.md")
	}
}
