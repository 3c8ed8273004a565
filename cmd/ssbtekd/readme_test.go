package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// grpcurlVersion is the grpcurl the README test runs when none is on PATH.
const grpcurlVersion = "v1.9.4"

// grpcurl returns a grpcurl binary: the one on PATH, else one built once
// with `go install` into the user's cache (the Go module proxy is enough).
func grpcurl(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("grpcurl"); err == nil {
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	bin := filepath.Join(cache, "ssbtek-gateway", "grpcurl-"+grpcurlVersion)
	exe := filepath.Join(bin, "grpcurl")
	if _, err := os.Stat(exe); err == nil {
		return exe
	}
	cmd := exec.Command("go", "install", "github.com/fullstorydev/grpcurl/cmd/grpcurl@"+grpcurlVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("installing grpcurl %s: %v\n%s", grpcurlVersion, err, out)
	}
	return exe
}

// shellBlock is a ```sh block of the README.
var shellBlock = regexp.MustCompile("(?s)```sh\n(.*?)```")

// TestREADMECommands runs every curl and grpcurl command of the README, as
// printed there, against `make run`'s gateway (its flags, its development
// certificates in ./data), with only the ports changed to the test's.
func TestREADMECommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range shellBlock.FindAllStringSubmatch(string(readme), -1) {
		if first := strings.Fields(m[1]); len(first) > 0 && (first[0] == "curl" || first[0] == "grpcurl") {
			blocks = append(blocks, m[1])
		}
	}
	if len(blocks) < 4 {
		t.Fatalf("found %d curl/grpcurl blocks in the README, want the REST, gRPC, SOAP and ping examples", len(blocks))
	}
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	runLine := regexp.MustCompile(`\$\(GO\) run \./cmd/ssbtekd(.*)`).FindSubmatch(makefile)
	if runLine == nil {
		t.Fatal("the Makefile's run target does not run ./cmd/ssbtekd")
	}
	args := strings.Fields(string(runLine[1]))
	work := t.TempDir()
	for i, a := range args {
		if a == "-dev-certs" && i+1 < len(args) {
			args[i+1] = filepath.Join(work, args[i+1])
		}
	}
	// The audit log where `make run` keeps it (./data, beside the
	// certificates), so the README's audit commands find it; checkpoints
	// every 500 ms instead of 5 s, so verify need not wait for one.
	args = append(args, "-audit-db", filepath.Join(work, "data", "audit.db"), "-audit-key", filepath.Join(work, "data", "audit.key"), "-audit-checkpoint-interval", "500ms")
	g := startGateway(t, args, nil)
	grpcurlDir := filepath.Dir(grpcurl(t))
	// The commands the banner prints, ready to paste, work too.
	for _, line := range strings.Split(g.stdout.String(), "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "curl ") || strings.HasPrefix(l, "grpcurl ") {
			blocks = append(blocks, l)
		}
	}
	for _, b := range blocks {
		cmdText := strings.NewReplacer("localhost:8080", "localhost:"+port(g.httpAddr), "localhost:9090", "localhost:"+port(g.grpcAddr), "localhost:9091", "localhost:"+port(g.opsAddr)).Replace(b)
		name := strings.Fields(b)[0] + " " + firstURL(b)
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", cmdText)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "PATH="+grpcurlDir+string(os.PathListSeparator)+os.Getenv("PATH"))
			done := make(chan struct{})
			var out []byte
			var err error
			go func() { out, err = cmd.CombinedOutput(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatal("command did not finish")
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			s := string(out)
			if strings.Contains(b, "/v1/inkomstsammanstallning") {
				checkIncomeSummary(t, out)
				return
			}
			// The operations listener: plain HTTP, no certificate.
			if strings.Contains(b, "http://localhost:9091/") {
				if !strings.Contains(s, "ready\n") || !strings.Contains(s, "ssbtek_requests_total") {
					t.Errorf("the operations listener did not answer /readyz and /metrics:\n%.2000s", s)
				}
				return
			}
			if !regexp.MustCompile(`"resultat"|hamtaBastjanstInformationResponse|"testsvar"|ssbtek\.v1\.SammansattBastjanstService`).MatchString(s) || strings.Contains(s, "Fault") || strings.Contains(s, `"fel"`) {
				t.Errorf("not a complete answer:\n%.2000s", s)
			}
		})
	}
}

// ssbtekCommand is a command of the README that runs the CLI, in a shell
// block or inline in the text.
var ssbtekCommand = regexp.MustCompile("(?m)(?:^|`)(go run \\./cmd/ssbtek [^`#\n]*)")

// TestREADMECLICommands runs every `go run ./cmd/ssbtek …` command of the
// README, as printed (with the built binary for `go run`), in the directory
// `make run` leaves (./data with its certificates and audit log), after the
// README's REST lookup: query, stream, ping, then the audit commands.
func TestREADMECLICommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var commands []string
	for _, m := range ssbtekCommand.FindAllStringSubmatch(string(readme), -1) {
		// "go run ./cmd/ssbtek …" in the text names the client, not a command.
		if c := strings.TrimSpace(m[1]); !strings.Contains(c, "…") {
			commands = append(commands, c)
		}
	}
	if len(commands) < 8 {
		t.Fatalf("found %d ssbtek commands in the README, want query, stream, ping and the audit ones:\n%s", len(commands), strings.Join(commands, "\n"))
	}
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Fields(string(regexp.MustCompile(`\$\(GO\) run \./cmd/ssbtekd(.*)`).FindSubmatch(makefile)[1]))
	work := t.TempDir()
	for i, a := range args {
		if a == "-dev-certs" && i+1 < len(args) {
			args[i+1] = filepath.Join(work, args[i+1])
		}
	}
	args = append(args, "-audit-db", filepath.Join(work, "data", "audit.db"), "-audit-key", filepath.Join(work, "data", "audit.key"), "-audit-checkpoint-interval", "200ms")
	g := startGateway(t, args, nil)
	bin := filepath.Join(t.TempDir(), "ssbtek")
	if out, err := exec.Command("go", "build", "-o", bin, "../ssbtek").CombinedOutput(); err != nil {
		t.Fatalf("building ssbtek: %v\n%s", err, out)
	}
	// The lookup the audit commands find, as the README's REST example makes it.
	kommun := g.client(t, "kommun")
	if code, out := do(t, kommun, "POST", "https://"+g.httpAddr+"/v1/sammanstallning", "application/json", tolvanJSON); code != 200 {
		t.Fatalf("lookup: %d %s", code, out)
	}
	time.Sleep(500 * time.Millisecond) // one checkpoint interval and more
	for _, c := range commands {
		t.Run(strings.TrimPrefix(c, "go run ./cmd/ssbtek "), func(t *testing.T) {
			cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", strings.Replace(c, "go run ./cmd/ssbtek", bin, 1))
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "SSBTEK_ADDR="+g.grpcAddr)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			s := string(out)
			var want string
			switch f := strings.Fields(c)[3]; {
			case f == "query" && strings.Contains(c, "--json"):
				want = `"resultat"`
			case f == "query":
				want = "Inkomstsammanställning"
			case f == "stream":
				want = "== SO"
			case f == "ping":
				want = "MIV"
			case strings.Contains(c, "audit verify"):
				want = "intact"
			case strings.Contains(c, "audit extract"):
				want = "Log extract for 191212121212"
			case strings.Contains(c, "audit checkpoint"):
				// Its output went to saved.checkpoint for the verify after it.
				b, err := os.ReadFile(filepath.Join(work, "saved.checkpoint"))
				if err != nil || !strings.Contains(string(b), "ssbtek-audit") {
					t.Fatalf("saved.checkpoint: %v %q", err, b)
				}
				return
			}
			if !strings.Contains(s, want) {
				t.Errorf("output lacks %q:\n%.3000s", want, s)
			}
		})
	}
}

// checkIncomeSummary checks what the README promises of the summary call:
// the period's calendar months, each complete (every income agency
// answered), nothing missing, no error. The figures themselves come from the
// adapters' typed payments, which a later phase fills; until then the
// months' totals are empty, and this does not invent any.
func checkIncomeSummary(t *testing.T, out []byte) {
	t.Helper()
	var a struct {
		Fel                    json.RawMessage `json:"fel"`
		Inkomstsammanstallning *struct {
			Period       struct{ From, Tom string }
			Ofullstandig bool
			Saknas       []string
			Totalt       json.RawMessage
			Manader      []struct {
				Manad        string
				Totalt       json.RawMessage
				Ofullstandig bool
				Saknas       []string
			}
		}
	}
	if err := json.Unmarshal(out, &a); err != nil || a.Inkomstsammanstallning == nil || a.Fel != nil {
		t.Fatalf("not an income summary (%v):\n%.2000s", err, out)
	}
	s := a.Inkomstsammanstallning
	var months []string
	for _, m := range s.Manader {
		months = append(months, m.Manad)
		if m.Ofullstandig || len(m.Saknas) > 0 || m.Totalt == nil {
			t.Errorf("month %s incomplete or without totals: %+v", m.Manad, m)
		}
	}
	if s.Period.From != "2026-08-01" || s.Period.Tom != "2026-10-31" || strings.Join(months, " ") != "2026-08 2026-09 2026-10" {
		t.Errorf("period %+v months %v, want 2026-08 to 2026-10 as asked", s.Period, months)
	}
	if s.Ofullstandig || len(s.Saknas) > 0 || s.Totalt == nil {
		t.Errorf("summary incomplete or without totals:\n%s", out)
	}
}

func port(addr string) string { return addr[strings.LastIndex(addr, ":")+1:] }

func firstURL(b string) string {
	if m := regexp.MustCompile(`(localhost|127\.0\.0\.1):\d+\S*`).FindString(b); m != "" {
		return m
	}
	return "?"
}
