package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// kr writes öre as the table should, independently of render.go: "1 234,50".
func kr(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v/100, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	s = fmt.Sprintf("%s,%02d", s, v%100)
	if neg {
		s = "-" + s
	}
	return s
}

// figure is an öre field as the table shows it: – when the agency did not send it.
func figure(v *int64) string {
	if v == nil {
		return "–"
	}
	return kr(*v)
}

var spaces = regexp.MustCompile(`\s{2,}`)

// cells splits a table line into its cells (columns are two spaces or more apart).
func cells(line string) []string { return spaces.Split(strings.TrimSpace(line), -1) }

// The table `query` prints says what the JSON answer says, for Tolvan
// (data everywhere) and the test person every agency answers with an
// error: each agency's status or error, every payment's figures with –
// for what was not sent (never 0), sums that add only known figures and
// say OFULLSTÄNDIG where one lacks some, netto, skatt and brutto that agree
// or a line that says why, and the exit code (1 when an agency failed).
func TestTableAgreesWithJSON(t *testing.T) {
	addr, _ := gateway(t, nil)
	env := withIdent("SSBTEK_ADDR="+addr, "SSBTEK_PLAINTEXT=1")
	for _, tt := range []struct {
		person string
		code   int
	}{{simkit.Tolvan, 0}, {simkit.Felperson, 1}} {
		t.Run(tt.person, func(t *testing.T) {
			args := []string{"query", "--person", tt.person, "--from", "2026-08-01", "--to", "2026-10-31"}
			js := runBinary(t, env, append(args, "--json")...)
			tab := runBinary(t, env, args...)
			if js.code != tt.code || tab.code != tt.code {
				t.Fatalf("exit %d (--json) and %d, want %d\n%s%s", js.code, tab.code, tt.code, tab.stdout, tab.stderr)
			}
			var res ssbtekv1.HamtaSammanstallningResponse
			if err := protojson.Unmarshal([]byte(js.stdout), &res); err != nil {
				t.Fatalf("--json: %v", err)
			}
			checkTable(t, tab.stdout, res.GetSammanstallning())
		})
	}
}

func checkTable(t *testing.T, out string, sam *ssbtekv1.Sammanstallning) {
	t.Helper()
	lines := strings.Split(out, "\n")
	for _, bad := range []string{"1 utbetalningar", "1 preliminära", "netto 0 ", "brutto 0 "} {
		if strings.Contains(out, bad) {
			t.Errorf("table has %q", bad)
		}
	}
	for _, r := range sam.GetResultat() {
		kod := bastjanst.Kod(r.GetBastjanst())
		head := fmt.Sprintf("== %s  %s  %s", kod, agencyNames[r.GetBastjanst()], strings.TrimPrefix(r.GetStatus().GetKod().String(), "STATUS_KOD_"))
		if !strings.Contains(out, head) {
			t.Errorf("no heading %q", head)
		}
		if f := r.GetFel(); f != nil {
			if want := fmt.Sprintf("fel %s %s: %s", strings.TrimPrefix(f.GetKalla().String(), "KALLA_"), f.GetFelkod(), f.GetFelmeddelande()); !strings.Contains(out, want) {
				t.Errorf("%s: table lacks %q", kod, want)
			}
		}
		for _, fb := range formanerOf(r) {
			if name := formanNames[fb.GetForman()]; name == "" || !strings.Contains(out, name) || (name != fb.GetForman() && !strings.Contains(out, name+" ("+fb.GetForman()+")")) {
				t.Errorf("%s: benefit %q is not shown by its name %q with the code beside it", kod, fb.GetForman(), name)
			}
			for _, b := range fb.GetBeslut() {
				if b.NettobeloppOre == nil && b.GetNettobelopp() == 0 && !regexp.MustCompile(`beslut .*netto –`).MatchString(out) {
					t.Errorf("%s: a decision without netto is not shown –", kod)
				}
			}
		}
	}
	s := sam.GetInkomstsammanstallning()
	if s == nil {
		return
	}
	for _, m := range s.GetManader() {
		from := slices.Index(lines, "   "+m.GetManad())
		if from < 0 {
			t.Errorf("no month %s", m.GetManad())
			continue
		}
		month := lines[from:]
		for _, in := range m.GetInkomster() {
			found := false
			for _, l := range month {
				if strings.Contains(l, "summa månad") {
					break
				}
				c := cells(l)
				if len(c) == 7 && c[2] == in.GetUtbetalningsdatum() && c[0] == kalla(in.GetKalla(), in.GetUtlamnare()) && strings.HasPrefix(c[1], formanNames[in.GetForman()]) {
					found = true
					if want := []string{figure(in.BruttoOre), figure(in.SkattOre), figure(in.AvdragOre), figure(in.NettoOre)}; strings.Join(c[3:], "|") != strings.Join(want, "|") {
						t.Errorf("%s %s %s: table %v, JSON %v", m.GetManad(), c[0], c[2], c[3:], want)
					}
				}
			}
			if !found {
				t.Errorf("%s: payment %s %s not in the table", m.GetManad(), in.GetUtlamnare(), in.GetUtbetalningsdatum())
			}
		}
		checkSum(t, month, "summa månad", m.GetTotalt())
	}
	checkSum(t, lines, "totalt", s.GetTotalt())
}

// checkSum finds the sum line called name and checks its figures against
// the JSON's: a figure some payments lacked is marked * and explained by an
// OFULLSTÄNDIG line after it; complete figures add up or a line says why.
func checkSum(t *testing.T, lines []string, name string, k *ssbtekv1.Inkomstsumma) {
	t.Helper()
	for i, l := range lines {
		c := cells(l)
		if len(c) != 5 || c[0] != name {
			continue
		}
		want := func(v int64, utan int32) string {
			switch {
			case k.GetAntal() > 0 && utan >= k.GetAntal():
				return "–"
			case utan > 0:
				return kr(v) + "*"
			}
			return kr(v)
		}
		w := []string{want(k.GetBruttoOre(), k.GetUtanBrutto()), want(k.GetSkattOre(), k.GetUtanSkatt()), kr(k.GetAvdragOre()), want(k.GetNettoOre(), k.GetUtanNetto())}
		if strings.Join(c[1:], "|") != strings.Join(w, "|") {
			t.Errorf("%s: table %v, JSON %v", name, c[1:], w)
		}
		after := strings.Join(lines[i+1:min(i+4, len(lines))], "\n")
		complete := k.GetUtanBrutto() == 0 && k.GetUtanSkatt() == 0 && k.GetUtanNetto() == 0
		if !complete && !strings.Contains(after, "* OFULLSTÄNDIG:") {
			t.Errorf("%s lacks figures but no OFULLSTÄNDIG follows:\n%s\n%s", name, l, after)
		}
		if complete && k.GetBruttoOre()-k.GetSkattOre()-k.GetAvdragOre() != k.GetNettoOre() && !strings.Contains(after, "brutto − skatt − avdrag") {
			t.Errorf("%s: brutto − skatt − avdrag ≠ netto and no line says why:\n%s\n%s", name, l, after)
		}
		return
	}
	t.Errorf("no %q line", name)
}

func formanerOf(r *ssbtekv1.BastjanstResultat) []*ssbtekv1.FormansBeslut {
	switch {
	case r.GetFk() != nil:
		return r.GetFk().GetFormaner()
	case r.GetCsn() != nil:
		return r.GetCsn().GetFormaner()
	}
	return nil
}

// A profile file written by `ssbtek profil` stands in for the flags; a
// flag still wins over it.
func TestProfil(t *testing.T) {
	addr, env := gateway(t, nil)
	dir := t.TempDir()
	r := runIn(t, dir, nil, "profil", "--org", "162120002411", "--ingivare", "Exempelkommun", "--handlaggare", "h9",
		"--syfte", "Utredning av ekonomiskt bistånd", "--lagtext", "SoL 11 kap. 11 §")
	if r.code != 0 {
		t.Fatalf("profil: exit %d %s", r.code, r.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "profil.json"), []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	q := append([]string{"--plaintext", "--addr", addr, "query", "--profil", "profil.json", "--agencies", "AF"}, tolvanQuery...)
	if r := runIn(t, dir, nil, q...); r.code != 2 || !strings.Contains(r.stderr, "missing --arende (SSBTEK_ARENDE)") {
		t.Errorf("without the case: exit %d %s", r.code, r.stderr)
	}
	if r := runIn(t, dir, nil, append(q, "--arende", "ARENDE-9", "--handlaggare", "h10")...); r.code != 0 || !strings.Contains(r.stdout, "== AF") {
		t.Errorf("with the profile and the case: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	if n := env.Asked(); n != 1 {
		t.Errorf("the agencies were asked %d times, want once", n)
	}
}
