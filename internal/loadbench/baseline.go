package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/bastjanst"
)

// sequentialBaseline asks the seven agencies one after another, n times,
// with the gateway's own adapters against the same simulators: what a
// composite answer costs without the fan-out.
func sequentialBaseline(ctx context.Context, s *system, n int) (outcome, error) {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 30 * time.Second}
	defer hc.CloseIdleConnections()
	var list []bastjanst.Adapter
	for _, a := range registry.Agencies() {
		// The compiled answer's agencies only, as the gateway asks them.
		if !bastjanst.EgenFraga(a.Bastjanst) {
			list = append(list, a.New(adapterConfig(s.simBase+"/"+a.Name, hc)))
		}
	}
	o := outcome{target: "sequential", load: "1 in flight"}
	f := fraga()
	began := time.Now()
	for i := range n + 1 {
		start := time.Now()
		res := vegeta.Result{Attack: "sequential", Code: http.StatusOK, Timestamp: start}
		for _, ad := range list {
			r, err := ad.Hamta(ctx, f, nil)
			if err == nil && r.GetFel() != nil {
				err = fmt.Errorf("%s answered error %s", bastjanst.Kod(ad.Bastjanst()), r.GetFel().GetFelkod())
			}
			if err != nil {
				res.Code, res.Error = 0, err.Error()
				break
			}
		}
		res.Latency = time.Since(start)
		if i == 0 {
			continue // the first one dials
		}
		if res.Error != "" {
			o.failed++
			if len(o.firstErrors) < 5 {
				o.firstErrors = append(o.firstErrors, res.Error)
			}
		} else {
			o.ok++
		}
		o.m.Add(&res)
	}
	o.m.Close()
	if o.ok == 0 {
		return o, fmt.Errorf("sequential baseline: nothing answered in %v: %v", time.Since(began), o.firstErrors)
	}
	return o, nil
}

// profiling is a CPU profile being taken.
type profiling struct {
	path string
	done chan error
}

// startProfile fetches a CPU profile of seconds length from the gateway's
// pprof listener into path, in the background.
func startProfile(ctx context.Context, addr string, d time.Duration, path string) *profiling {
	p := &profiling{path: path, done: make(chan error, 1)}
	go func() {
		p.done <- func() error {
			url := fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, max(int(d/time.Second), 1))
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("CPU profile: %w", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("CPU profile: HTTP %d", resp.StatusCode)
			}
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			if _, err := io.Copy(f, resp.Body); err != nil {
				f.Close()
				return fmt.Errorf("CPU profile: %w", err)
			}
			return f.Close()
		}()
	}()
	return p
}

// top waits for the profile and returns pprof's top functions, and keeps a
// copy of the profile beside the binary's temporary directory's parent when
// BENCH_LOAD_PROFILE names a path.
func (p *profiling) top(ctx context.Context, bin string) (string, error) {
	if err := <-p.done; err != nil {
		return "", err
	}
	if keep := os.Getenv("BENCH_LOAD_PROFILE"); keep != "" {
		if raw, err := os.ReadFile(p.path); err == nil {
			os.WriteFile(keep, raw, 0o644)
		}
		if raw, err := os.ReadFile(bin); err == nil {
			os.WriteFile(keep+".bin", raw, 0o755)
		}
	}
	out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-nodecount=25", bin, p.path).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %w: %s", err, out)
	}
	return string(out), nil
}

// machine is what the numbers were measured on.
type machine struct {
	cpus          int
	model, kernel string
	goVersion     string
	when          time.Time
	// loadBefore and loadAfter are /proc/loadavg's 1-minute figure around
	// the run: the machine is shared.
	loadBefore, loadAfter string
}

func loadavg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func describeMachine(ctx context.Context) machine {
	m := machine{cpus: runtime.NumCPU(), when: time.Now().UTC(), model: "unknown", loadAfter: loadavg()}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.model = strings.TrimSpace(v)
				break
			}
		}
	}
	if raw, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(raw))
	}
	if out, err := exec.CommandContext(ctx, "go", "version").Output(); err == nil {
		m.goVersion = strings.TrimSpace(strings.TrimPrefix(string(out), "go version "))
	}
	return m
}
