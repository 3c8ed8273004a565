// Command bastjanstsim serves every agency's simulator on one port, each under
// /<name>/ (af, csn, fk, skv, so, tns, miv), for running the gateway against
// them from outside, for chaos runs (X-Simulator-Fault header) and for the
// load benchmark (-latency: a fixed answer time per agency).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		// -help is a request, not a failure: flag has printed the usage.
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "bastjanstsim: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bastjanstsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := getenv("BASTJANSTSIM_ADDR")
	if def == "" {
		def = "127.0.0.1:8090"
	}
	addr := fs.String("addr", def, "listen address (env BASTJANSTSIM_ADDR)")
	latency := fs.String("latency", getenv("BASTJANSTSIM_LATENCY"), "fixed answer time per agency, e.g. AF=40ms,FK=80ms (env BASTJANSTSIM_LATENCY)")
	memo := fs.Int("memo", 0, "answer up to N distinct repeated questions per agency from memory, for load benchmarks (0: off)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *memo < 0 {
		return fmt.Errorf("-memo %d: want a count ≥ 0", *memo)
	}
	latencies, err := parseLatencies(*latency)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	agencies := registry.Agencies()
	sims := registry.NewSimulators(agencies)
	for b, d := range latencies {
		sims.ByAgency[b].Faults().Set(simkit.Fault{Kind: simkit.FaultLatency, Latency: d})
	}
	if *memo > 0 {
		for _, sim := range sims.ByAgency {
			// Every simulator embeds simkit.Front (adapters.Simulator's
			// contract); one that does not is a programming error shown here.
			m, ok := sim.(interface{ Memo(int) })
			if !ok {
				return fmt.Errorf("simulator %T cannot memoise", sim)
			}
			m.Memo(*memo)
		}
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "agency simulators on %s\n", base)
	for _, a := range agencies {
		fmt.Fprintf(stdout, "  %-4s SIMULATED %s\n", bastjanst.Kod(a.Bastjanst), a.URL(base))
	}
	fmt.Fprintf(stdout, "  SIMULATED agencies answer with invented test data: never use them for real cases\n")
	for _, a := range agencies {
		if d, ok := latencies[a.Bastjanst]; ok {
			fmt.Fprintf(stdout, "fixed latency %s %s\n", bastjanst.Kod(a.Bastjanst), d)
		}
	}
	if *memo > 0 {
		fmt.Fprintf(stdout, "memo: up to %d repeated questions per agency answered from memory\n", *memo)
	}
	return server.ServeHTTP(ctx, ln, sims.Handler)
}

// parseLatencies reads "AF=40ms,CSN=60ms": each named agency answers after
// its duration, through the simulator's own latency fault.
func parseLatencies(s string) (map[ssbtekv1.Bastjanst]time.Duration, error) {
	codes := map[string]ssbtekv1.Bastjanst{}
	for _, b := range bastjanst.Known() {
		codes[bastjanst.Kod(b)] = b
	}
	out := map[ssbtekv1.Bastjanst]time.Duration{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		code, dur, ok := strings.Cut(part, "=")
		b, known := codes[strings.ToUpper(strings.TrimSpace(code))]
		if !ok || !known {
			return nil, fmt.Errorf("latency %q: want KOD=DURATION with KOD one of AF, CSN, FK, SKV, SO, TNS, MIV", part)
		}
		d, err := time.ParseDuration(strings.TrimSpace(dur))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("latency %q: %q is not a duration ≥ 0", part, dur)
		}
		out[b] = d
	}
	return out, nil
}
