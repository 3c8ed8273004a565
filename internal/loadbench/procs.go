package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// latencies are the agencies' fixed answer times of the benchmark.
const latencies = "AF=40ms,CSN=60ms,FK=80ms,SKV=50ms,SO=30ms,TNS=20ms,MIV=70ms"

// maxInFlight is the gateway's -max-in-flight in the benchmark.
const maxInFlight = 512

// slowest is the slowest agency of latencies, measured alone.
const slowest = "fk"

// agencyNames are the simulator path names, in the contract's order.
var agencyNames = []string{"af", "csn", "fk", "skv", "so", "tns", "miv"}

// benchRights lets the development municipality ask everything without
// running into the daily quota (a full run asks some 60 000 questions).
const benchRights = `standard_dagskvot: 100000000
organisationer:
  - organisationsnummer: "162120002411"
    namn: Exempelkommun
    bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]
`

// proc is a started command whose stdout is scanned for its banner.
type proc struct {
	cmd    *exec.Cmd
	stderr *tailBuffer
	lines  chan string
	done   chan error
}

// tailBuffer keeps the last bytes of a stream, for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 64<<10 {
		t.buf = t.buf[len(t.buf)-32<<10:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { t.mu.Lock(); defer t.mu.Unlock(); return string(t.buf) }

func start(ctx context.Context, bin string, env []string, args ...string) (*proc, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	// Nor the gateway's bound on lookups in flight (its default 64 would
	// shed the closed loops of 256). An environment variable, not a flag,
	// so that a -gateway build from before the bound still starts.
	cmd.Env = append(append(os.Environ(), "SSBTEK_MAX_LOOKUPS="+strconv.Itoa(maxInFlight)), env...)
	p := &proc{cmd: cmd, stderr: &tailBuffer{}, lines: make(chan string, 64), done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", filepath.Base(bin), err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case p.lines <- sc.Text():
			default: // nobody reads the banner any more
			}
		}
		io.Copy(io.Discard, out)
		close(p.lines)
		p.done <- cmd.Wait()
	}()
	return p, nil
}

// waitFor reads banner lines until want returns true for all it needs.
func (p *proc) waitFor(timeout time.Duration, want func(line string) bool) error {
	t := time.After(timeout)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				return fmt.Errorf("%s ended before it was ready: %s", filepath.Base(p.cmd.Path), p.stderr.String())
			}
			if want(l) {
				return nil
			}
		case <-t:
			return fmt.Errorf("%s not ready after %v: %s", filepath.Base(p.cmd.Path), timeout, p.stderr.String())
		}
	}
}

// stop interrupts the process and waits for it.
func (p *proc) stop() error {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(os.Interrupt)
	}
	select {
	case err := <-p.done:
		return err
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		return errors.New("did not stop within 30s; killed")
	}
}

// buildBinaries builds ssbtekd and bastjanstsim into dir.
func buildBinaries(ctx context.Context, root, dir string, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", dir+string(os.PathSeparator), "./cmd/ssbtekd", "./cmd/bastjanstsim")
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, stderr, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building the gateway and simulators: %w", err)
	}
	return nil
}

// moduleRoot is the directory of the main module's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the module")
	}
	return filepath.Dir(mod), nil
}

// system is the setup under test.
type system struct {
	sim, gw            *proc
	simBase            string
	grpcAddr, httpAddr string
	// opsAddr is the gateway's plain-HTTP operations listener: /metrics,
	// and pprof when profiling.
	opsAddr   string
	pprofAddr string
	tls       *tls.Config
	https     *http.Client
}

// startSystem starts the simulators with the fixed latencies and the gateway
// against them: real agency URLs (no -simulate), mTLS with development
// certificates, audit on SQLite, metrics on, no agency rate limit.
func startSystem(ctx context.Context, bin, dir string, withPprof bool) (*system, error) {
	s := &system{}
	var err error
	if s.sim, err = start(ctx, filepath.Join(bin, "bastjanstsim"), nil, "-addr", "127.0.0.1:0", "-latency", latencies,
		// Every question is the same: answered from memory after the
		// first, the simulators leave the CPUs to the gateway measured.
		"-memo", "64"); err != nil {
		return nil, err
	}
	if err := s.sim.waitFor(30*time.Second, func(l string) bool {
		base, ok := strings.CutPrefix(l, "agency simulators on ")
		s.simBase = base
		return ok
	}); err != nil {
		s.sim.stop()
		return nil, err
	}
	rights := filepath.Join(dir, "rights.yaml")
	if err := os.WriteFile(rights, []byte(benchRights), 0o644); err != nil {
		s.sim.stop()
		return nil, err
	}
	args := []string{
		"-grpc-addr", "127.0.0.1:0", "-http-addr", "127.0.0.1:0", "-ops-addr", "127.0.0.1:0",
		"-dev-certs", filepath.Join(dir, "dev"), "-rights", rights,
		"-audit-db", filepath.Join(dir, "audit.db"), "-audit-key", filepath.Join(dir, "audit.key"),
		"-metrics", "true", "-agency-rate", "0", "-agency-burst", "1000",
		// Nor the bulkhead: at 256 in flight every agency has 256 calls
		// open, and the default 64 would cap FK (80 ms) at 800 answers/s
		// and answer the rest 2005.
		"-max-in-flight", strconv.Itoa(maxInFlight),
		// Nor the per-sender bound: every request comes from the one
		// development municipality, and its default 32 would refuse
		// the closed loops' callers with 1004.
		"-max-in-flight-per-caller", strconv.Itoa(maxInFlight),
		// Nor the per-organisation connection bound (100): the HTTP
		// attackers hold up to maxConnsPerHost connections, all of them
		// the one municipality's.
		"-max-conns-per-org", strconv.Itoa(maxConnsPerHost),
	}
	for _, a := range agencyNames {
		args = append(args, "-"+a+"-url", s.simBase+"/"+a)
	}
	if withPprof {
		args = append(args, "-pprof")
	}
	// The population register is asked only by its own call, never by the
	// benchmark's question, but the gateway needs a URL for every source.
	// An environment variable, so that a -gateway build from before the
	// register still starts.
	env := []string{"SSBTEK_FOLKBOKFORING_URL=" + s.simBase + "/folkbokforing"}
	if s.gw, err = start(ctx, filepath.Join(bin, "ssbtekd"), env, args...); err != nil {
		s.sim.stop()
		return nil, err
	}
	if err := s.gw.waitFor(60*time.Second, func(l string) bool {
		f := strings.Fields(l)
		switch {
		case len(f) == 2 && f[0] == "gRPC":
			s.grpcAddr = f[1]
		case len(f) == 2 && f[0] == "REST":
			s.httpAddr = strings.TrimSuffix(strings.TrimPrefix(f[1], "https://"), "/v1/sammanstallning")
		case len(f) >= 2 && f[0] == "ops":
			s.opsAddr = strings.TrimPrefix(f[1], "http://")
			if withPprof {
				s.pprofAddr = s.opsAddr
			}
		}
		return s.grpcAddr != "" && s.httpAddr != "" && s.opsAddr != ""
	}); err != nil {
		s.close()
		return nil, err
	}
	if s.tls, err = clientTLS(filepath.Join(dir, "dev", "pki")); err != nil {
		s.close()
		return nil, err
	}
	s.https = &http.Client{Transport: &http.Transport{TLSClientConfig: s.tls}, Timeout: 30 * time.Second}
	return s, nil
}

func (s *system) close() error {
	var errs []error
	if s.gw != nil {
		if err := s.gw.stop(); err != nil {
			errs = append(errs, fmt.Errorf("gateway: %w: %s", err, s.gw.stderr.String()))
		}
	}
	if s.sim != nil {
		if err := s.sim.stop(); err != nil {
			errs = append(errs, fmt.Errorf("simulators: %w", err))
		}
	}
	return errors.Join(errs...)
}

// clientTLS is the development municipality's client certificate.
func clientTLS(dir string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "kommun.pem"), filepath.Join(dir, "kommun-key.pem"))
	if err != nil {
		return nil, fmt.Errorf("client certificate: %w", err)
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return nil, fmt.Errorf("development CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("development CA: no certificate")
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}, nil
}

// usage is what the gateway process has used so far.
type usage struct {
	cpu     time.Duration // utime + stime
	simCPU  time.Duration // the simulators' utime + stime
	mallocs float64       // go_memstats_mallocs_total
}

// clockTick is USER_HZ, the unit of /proc/PID/stat times: 100 on every
// Linux architecture Go runs on.
const clockTick = 10 * time.Millisecond

// cpuTime is utime+stime of pid from /proc/PID/stat.
func cpuTime(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("reading process %d's CPU time: %w", pid, err)
	}
	// The command name (field 2) may hold spaces: fields count from its ')'.
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	st, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return time.Duration(ut+st) * clockTick, nil
}

// peakRSS is VmHWM of pid in bytes.
func peakRSS(pid int) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("reading the gateway's peak RSS: %w", err)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmHWM %q: %w", v, err)
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("no VmHWM in /proc/PID/status")
}

// resetPeakRSS starts a new peak for the next phase (clear_refs 5); where
// the kernel refuses, peaks are since the start.
func resetPeakRSS(pid int) bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
}

// usage reads the gateway's CPU time and its allocation count from /metrics.
func (s *system) usage(ctx context.Context) (usage, error) {
	var u usage
	var err error
	if u.cpu, err = cpuTime(s.gw.cmd.Process.Pid); err != nil {
		return u, err
	}
	if u.simCPU, err = cpuTime(s.sim.cmd.Process.Pid); err != nil {
		return u, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.opsAddr+"/metrics", nil)
	if err != nil {
		return u, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return u, fmt.Errorf("reading /metrics: %w", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "go_memstats_mallocs_total "); ok {
			if u.mallocs, err = strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
				return u, fmt.Errorf("go_memstats_mallocs_total %q: %w", v, err)
			}
			return u, nil
		}
	}
	return u, errors.New("/metrics has no go_memstats_mallocs_total")
}
