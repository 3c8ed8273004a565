package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// report is everything one run measured.
type report struct {
	cfg        config
	machine    machine
	fk         []outcome // the slowest agency alone, one per rate
	sequential outcome
	gateway    []outcome
	resetPeak  bool
	profiled   string
	profile    string
}

func (r *report) failed() int {
	n := r.sequential.failed
	for _, o := range append(append([]outcome(nil), r.fk...), r.gateway...) {
		n += o.failed
	}
	return n
}

// fkAt is the slowest agency alone at the load's rate, if measured.
func (r *report) fkAt(load string) (outcome, bool) {
	for _, o := range r.fk {
		if o.load == load {
			return o, true
		}
	}
	return outcome{}, false
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

func signedMS(d time.Duration) string {
	return fmt.Sprintf("%+.1f", float64(d)/float64(time.Millisecond))
}

// Markers delimit the generated part of docs/PERFORMANCE.md.
const (
	beginMarker = "<!-- bench-load:begin (written by make bench-load) -->"
	endMarker   = "<!-- bench-load:end -->"
)

func (r *report) markdown() string {
	var b strings.Builder
	m := r.machine
	fmt.Fprintf(&b, "Measured %s on %d CPUs (%s), Linux %s, %s; load average %s before the run, %s after (the machine is shared). Agency latencies %s.\n", m.when.Format("2006-01-02 15:04 UTC"), m.cpus, m.model, m.kernel, m.goVersion, m.loadBefore, m.loadAfter, latencies)
	fmt.Fprintf(&b, "Fixed rates for %v each (the slowest agency alone %v), closed loops for %v each; the gateway with -agency-rate 0, -max-in-flight %d and -max-in-flight-per-caller %d, so that no limit is what is measured.\n\n", r.cfg.duration, r.cfg.fkFor, r.cfg.closedFor, maxInFlight, maxInFlight)
	b.WriteString("| interface | load | requests | errors | p50 ms | p90 ms | p99 ms | max ms | overhead p50 / p99 ms | throughput req/s | CPU ms/req | simulators' CPU ms/req | allocs/req | peak RSS MiB |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	row := func(o outcome) {
		lat := o.m.Latencies
		over := "–"
		if fk, ok := r.fkAt(o.load); ok && o.gateway {
			over = signedMS(lat.P50-fk.m.Latencies.P50) + " / " + signedMS(lat.P99-fk.m.Latencies.P99)
		}
		cpu, sim, allocs, rss := "–", "–", "–", "–"
		if o.gateway {
			cpu = fmt.Sprintf("%.2f", float64(o.cpuPerReq)/float64(time.Millisecond))
			sim = fmt.Sprintf("%.2f", float64(o.simPerReq)/float64(time.Millisecond))
			allocs = fmt.Sprintf("%.0f", o.allocPerReq)
			rss = fmt.Sprintf("%.0f", float64(o.peakRSS)/(1<<20))
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %s | %s | %s | %s | %s | %.0f | %s | %s | %s | %s |\n",
			o.target, o.load, o.m.Requests, o.failed, ms(lat.P50), ms(lat.P90), ms(lat.P99), ms(lat.Max), over, o.m.Throughput, cpu, sim, allocs, rss)
	}
	for _, o := range r.fk {
		row(o)
	}
	row(r.sequential)
	for _, o := range r.gateway {
		row(o)
	}

	b.WriteString("\n")
	seq := r.sequential.m.Latencies.P50
	var ratios, sat []string
	best := map[string]float64{}
	for _, o := range r.gateway {
		if o.load == fmt.Sprintf("%d/s", r.cfg.rates[0]) && o.m.Latencies.P50 > 0 {
			ratios = append(ratios, fmt.Sprintf("%s %.1f× (p50 %s ms)", o.target, float64(seq)/float64(o.m.Latencies.P50), ms(o.m.Latencies.P50)))
		}
		if o.m.Requests > 0 && strings.HasSuffix(o.load, "in flight") && o.m.Throughput > best[o.target] {
			best[o.target] = o.m.Throughput
		}
	}
	for _, i := range r.cfg.interfaces {
		sat = append(sat, fmt.Sprintf("%s %.0f req/s", i, best[i]))
	}
	fmt.Fprintf(&b, "- Parallel vs sequential at %d/s: the seven agencies one after another take p50 %s ms; the gateway answers %s faster.\n", r.cfg.rates[0], ms(seq), strings.Join(ratios, ", "))
	fmt.Fprintf(&b, "- Throughput at saturation (best closed loop): %s.\n", strings.Join(sat, ", "))
	fmt.Fprintf(&b, "- Overhead is the gateway's percentile minus the slowest agency's (FK, the request the gateway's FK adapter sends, sent straight to the simulator) at the same rate.\n")
	fmt.Fprintf(&b, "- CPU ms/req is the gateway process's utime+stime (/proc/PID/stat) over the phase divided by its requests; allocs/req the growth of its go_memstats_mallocs_total; peak RSS its VmHWM")
	if r.resetPeak {
		b.WriteString(" during the phase (reset through /proc/PID/clear_refs before each).\n")
	} else {
		b.WriteString(" since start (the kernel refused a reset).\n")
	}
	b.WriteString("- simulators' CPU ms/req is the same for the one bastjanstsim process serving all seven agencies: CPU the gateway did not get on this machine.\n")
	b.WriteString("- The load generator (vegeta; for gRPC vegeta's pacer and attacker over a gRPC transport) and the simulators run on the same machine and share its CPUs with the gateway.\n")
	var errs []string
	for _, o := range append(append([]outcome{r.sequential}, r.fk...), r.gateway...) {
		if o.failed > 0 {
			errs = append(errs, fmt.Sprintf("- %s %s: %d failed, first: %s\n", o.target, o.load, o.failed, strings.Join(o.firstErrors, "; ")))
		}
	}
	if len(errs) > 0 {
		b.WriteString("\nErrors:\n\n" + strings.Join(errs, ""))
	}
	if r.profile != "" {
		fmt.Fprintf(&b, "\nCPU profile of the gateway during %s (go tool pprof -top):\n\n```\n%s```\n", r.profiled, trimProfile(r.profile))
	}
	return b.String()
}

// trimProfile drops pprof's header lines that name temporary files.
func trimProfile(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// writeInto replaces the generated part of the Markdown file at path (or
// appends it when the markers are absent, creating the file when needed).
func writeInto(path, table string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	gen := beginMarker + "\n" + table + endMarker + "\n"
	s := string(old)
	i, j := strings.Index(s, beginMarker), strings.Index(s, endMarker)
	switch {
	case i >= 0 && j > i:
		s = s[:i] + gen + strings.TrimPrefix(s[j+len(endMarker):], "\n")
	case s == "":
		s = "# Performance\n\n" + gen
	default:
		s = strings.TrimRight(s, "\n") + "\n\n" + gen
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
