// Command loadbench is `make bench-load`: it builds and starts the real
// ssbtekd and bastjanstsim binaries, the simulators answering after fixed
// per-agency latencies, and drives HamtaSammanstallning over REST, SOAP and
// gRPC with vegeta at fixed rates and in closed loops, checking every answer.
// In the same run it measures the slowest agency alone and the seven
// agencies asked one after another, reads the gateway process's CPU time,
// peak RSS and allocations, profiles one phase, and prints the table that
// docs/PERFORMANCE.md holds. -short runs it for a few seconds at low rate
// (go test runs that, so the harness cannot rot).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ssbtek/gateway/adapters"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "loadbench: %v\n", err)
		os.Exit(1)
	}
}

// config is what one run does.
type config struct {
	rates, inFlight     []int
	duration, closedFor time.Duration
	fkFor               time.Duration
	sequential          int
	interfaces          []string
	profile             string
	profileFor          time.Duration
	out                 string
	short               bool
	// gateway is an ssbtekd binary to measure instead of the tree's own.
	gateway string
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	short := fs.Bool("short", getenv("BENCH_LOAD_SHORT") != "", "smoke run: a few seconds at low rate (env BENCH_LOAD_SHORT)")
	rates := fs.String("rates", "200,500", "fixed rates, requests per second")
	inFlight := fs.String("in-flight", "64,256", "closed-loop concurrencies")
	duration := fs.Duration("duration", 30*time.Second, "length of each fixed-rate phase")
	closedFor := fs.Duration("closed-duration", 15*time.Second, "length of each closed-loop phase")
	fkFor := fs.Duration("fk-duration", 15*time.Second, "length of each phase sending to the slowest agency alone")
	sequential := fs.Int("sequential", 30, "composite questions asked agency after agency for the sequential baseline")
	ifaces := fs.String("interfaces", "REST,SOAP,gRPC", "interfaces to drive")
	profile := fs.String("profile", "REST 200/s", `phase to take a CPU profile of, "INTERFACE LOAD"; empty for none`)
	profileFor := fs.Duration("profile-duration", 20*time.Second, "length of the CPU profile")
	gateway := fs.String("gateway", "", "measure this ssbtekd binary instead of one built from the tree, e.g. an earlier commit's, against the same simulators and load")
	out := fs.String("out", "", "write the table into this Markdown file (between the bench-load markers)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	c := config{duration: *duration, closedFor: *closedFor, fkFor: *fkFor, sequential: *sequential, profile: *profile, profileFor: *profileFor, out: *out, short: *short, gateway: *gateway}
	var errs []error
	var err error
	if c.rates, err = ints(*rates); err != nil {
		errs = append(errs, fmt.Errorf("rates: %w", err))
	}
	if c.inFlight, err = ints(*inFlight); err != nil {
		errs = append(errs, fmt.Errorf("in flight: %w", err))
	}
	for _, i := range strings.Split(*ifaces, ",") {
		switch i = strings.TrimSpace(i); i {
		case "REST", "SOAP", "gRPC":
			c.interfaces = append(c.interfaces, i)
		default:
			errs = append(errs, fmt.Errorf("interface %q: want REST, SOAP or gRPC", i))
		}
	}
	if c.short {
		// A smoke run exercises every code path in seconds.
		c.rates, c.inFlight = []int{20}, []int{4}
		c.duration, c.closedFor, c.fkFor, c.sequential = 2*time.Second, 2*time.Second, 2*time.Second, 3
		if c.profile != "" {
			c.profile, c.profileFor = "REST 20/s", time.Second
		}
	}
	return c, errors.Join(errs...)
}

func ints(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a list of positive numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func adapterConfig(url string, hc *http.Client) adapters.Config {
	return adapters.Config{URL: url, HTTP: hc}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ssbtek-bench-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "bin")
	loadBefore := loadavg()
	fmt.Fprintf(stderr, "building ssbtekd and bastjanstsim…\n")
	if err := buildBinaries(ctx, root, bin, stderr); err != nil {
		return err
	}
	if cfg.gateway != "" {
		if err := copyFile(cfg.gateway, filepath.Join(bin, "ssbtekd")); err != nil {
			return fmt.Errorf("-gateway: %w", err)
		}
	}
	s, err := startSystem(ctx, bin, dir, cfg.profile != "")
	if err != nil {
		return err
	}
	defer func() {
		if cerr := s.close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	r, err := measure(ctx, cfg, s, bin, dir, stderr)
	if err != nil {
		return err
	}
	r.machine = describeMachine(ctx)
	r.machine.loadBefore = loadBefore
	table := r.markdown()
	fmt.Fprint(stdout, table)
	if cfg.out != "" {
		if err := writeInto(cfg.out, table); err != nil {
			return err
		}
	}
	if n := r.failed(); n > 0 {
		return fmt.Errorf("%d answers failed their check (see the errors column)", n)
	}
	return nil
}

// measure runs every phase.
func measure(ctx context.Context, cfg config, s *system, bin, dir string, progress io.Writer) (*report, error) {
	r := &report{cfg: cfg}
	makers := map[string]func(*system) (target, error){"REST": restTarget, "SOAP": soapTarget, "gRPC": grpcTarget}
	var targets []target
	defer func() {
		for _, t := range targets {
			t.close()
		}
	}()
	for _, name := range cfg.interfaces {
		t, err := makers[name](s)
		if err != nil {
			return nil, err
		}
		targets = append(targets, t)
		// Warm up: TLS sessions, connection pools to the agencies, the
		// audit database; not measured.
		if w := attack(t, load{inFlight: 4, duration: time.Second}); w.failed > 0 || w.ok == 0 {
			return nil, fmt.Errorf("warm-up over %s: %d failed, %d ok: %v", name, w.failed, w.ok, w.firstErrors)
		}
	}

	fk, err := fkTarget(ctx, s)
	if err != nil {
		return nil, err
	}
	for _, rate := range cfg.rates {
		l := load{rate: rate, duration: cfg.fkFor}
		fmt.Fprintf(progress, "%s at %s…\n", fk.name, l)
		r.fk = append(r.fk, attack(fk, l))
	}
	fmt.Fprintf(progress, "sequential baseline, %d questions…\n", cfg.sequential)
	if r.sequential, err = sequentialBaseline(ctx, s, cfg.sequential); err != nil {
		return nil, err
	}

	r.resetPeak = resetPeakRSS(s.gw.cmd.Process.Pid)
	for _, t := range targets {
		var loads []load
		for _, rate := range cfg.rates {
			loads = append(loads, load{rate: rate, duration: cfg.duration})
		}
		for _, n := range cfg.inFlight {
			loads = append(loads, load{inFlight: n, duration: cfg.closedFor})
		}
		for _, l := range loads {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			fmt.Fprintf(progress, "%s at %s…\n", t.name, l)
			name := t.name + " " + l.String()
			var prof *profiling
			if name == cfg.profile && s.pprofAddr != "" {
				prof = startProfile(ctx, s.pprofAddr, min(cfg.profileFor, l.duration), filepath.Join(dir, "cpu.pprof"))
			}
			o, err := gatewayPhase(ctx, s, t, l)
			if err != nil {
				return nil, err
			}
			r.gateway = append(r.gateway, o)
			if prof != nil {
				if r.profile, err = prof.top(ctx, filepath.Join(bin, "ssbtekd")); err != nil {
					return nil, err
				}
				r.profiled = name
			}
		}
	}
	return r, nil
}

// gatewayPhase runs one phase against the gateway and reads the gateway
// process's CPU time, allocations and peak RSS around it.
func gatewayPhase(ctx context.Context, s *system, t target, l load) (outcome, error) {
	pid := s.gw.cmd.Process.Pid
	resetPeakRSS(pid)
	before, err := s.usage(ctx)
	if err != nil {
		return outcome{}, err
	}
	o := attack(t, l)
	after, err := s.usage(ctx)
	if err != nil {
		return outcome{}, err
	}
	o.gateway = true
	if n := o.m.Requests; n > 0 {
		o.cpuPerReq = (after.cpu - before.cpu) / time.Duration(n)
		o.simPerReq = (after.simCPU - before.simCPU) / time.Duration(n)
		o.allocPerReq = (after.mallocs - before.mallocs) / float64(n)
	}
	if o.peakRSS, err = peakRSS(pid); err != nil {
		return outcome{}, err
	}
	return o, nil
}

// copyFile copies the executable src over dst.
func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}
