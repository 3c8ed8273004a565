package chaos

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/httpcall"
	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The suite's deadlines: short, so that it runs in seconds; the assertion
// is that each answer comes within the overall deadline plus slack.
const (
	// Under the race detector every byte costs several times as much, and
	// on a loaded 2-core machine healthy agencies then need more than 1 s.
	agencyTimeout  = time.Second + raceSlack
	overallTimeout = 1500*time.Millisecond + raceSlack
	slack          = 100 * time.Millisecond
	concurrent     = 8
)

// rig is the gateway's fan-out core over the real adapters, every agency
// at the simulators except those whose URL is overridden.
type rig struct {
	core *fanout.Core
	http *http.Client
}

func newRig(t *testing.T, simURL string, override map[ssbtekv1.Bastjanst]string) *rig {
	t.Helper()
	// An own transport, sized like the bulkhead, so that the test can close
	// its idle connections and goleak sees no transport goroutines.
	tr := &http.Transport{MaxIdleConnsPerHost: 64, ResponseHeaderTimeout: 5 * time.Second}
	hc := &http.Client{Transport: tr}
	t.Cleanup(tr.CloseIdleConnections)
	var list []bastjanst.Adapter
	for _, a := range registry.Agencies() {
		u := a.URL(simURL)
		if o, ok := override[a.Bastjanst]; ok {
			u = o
		}
		list = append(list, a.New(adapters.Config{URL: u, HTTP: hc}))
	}
	core, err := fanout.New(fanout.Config{AgencyTimeout: agencyTimeout, OverallTimeout: overallTimeout}, list...)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{core: core, http: hc}
}

func fraga() *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162120002411", Ingivare: "Exempelkommun", Handlaggare: "h1",
		Personidentitet: simkit.Tolvan, Arendeidentitet: "A1",
		Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"},
		Syfte:  "Utredning av ekonomiskt bistånd", Lagtext: "SoL 11 kap. 11 §",
	}
}

// wave asks concurrently and checks every answer: in time, the faulty
// agency with want (one of them), every other agency with its data. It
// returns the slowest answer's time.
func (r *rig) wave(t *testing.T, n int, faulty ssbtekv1.Bastjanst, want ...string) time.Duration {
	t.Helper()
	var mu sync.Mutex
	var slowest time.Duration
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			start := time.Now()
			res := r.core.Hamta(context.Background(), fraga(), nil)
			took := time.Since(start)
			mu.Lock()
			slowest = max(slowest, took)
			mu.Unlock()
			if took > overallTimeout+slack {
				t.Errorf("answer after %v, deadline %v", took, overallTimeout)
			}
			for _, res := range res {
				f := res.GetFel()
				if res.GetBastjanst() != faulty {
					if f != nil {
						t.Errorf("%s (not faulty): %v", bastjanst.Kod(res.GetBastjanst()), f)
					}
					continue
				}
				ok := false
				for _, w := range want {
					ok = ok || (f.GetKalla() == ssbtekv1.Kalla_KALLA_SSBT && f.GetFelkod() == w)
				}
				if !ok {
					t.Errorf("%s: %v, want SSBT %v", bastjanst.Kod(faulty), f, want)
				}
			}
		})
	}
	wg.Wait()
	return slowest
}

// breakerOpens checks that after a failing wave the agency's breaker
// answers at once.
func (r *rig) breakerOpens(t *testing.T, faulty ssbtekv1.Bastjanst) {
	t.Helper()
	start := time.Now()
	res := r.core.Hamta(context.Background(), fraga(), []ssbtekv1.Bastjanst{faulty})
	if f := res[0].GetFel(); f.GetFelkod() != bastjanst.FelkodOtillganglig || time.Since(start) > 50*time.Millisecond {
		t.Errorf("%s after a failing wave: %v in %v, want 2002 at once from the open breaker", bastjanst.Kod(faulty), f, time.Since(start))
	}
}

func TestSimulatorFaults(t *testing.T) {
	sims := registry.NewSimulators(registry.Agencies())
	srv := httptest.NewServer(sims.Handler)
	defer srv.Close()
	faults := []struct {
		fault  simkit.Fault
		felkod string
		trips  bool // the fault counts against the agency's breaker
	}{
		{simkit.Fault{Kind: simkit.FaultLatency, Latency: 2 * time.Second}, bastjanst.FelkodTimeout, true},
		{simkit.Fault{Kind: simkit.FaultHang}, bastjanst.FelkodTimeout, true},
		{simkit.Fault{Kind: simkit.FaultHTTP500}, bastjanst.FelkodOtillganglig, true},
		{simkit.Fault{Kind: simkit.FaultMalformed}, bastjanst.FelkodOlasbart, true},
		{simkit.Fault{Kind: simkit.FaultTruncated}, bastjanst.FelkodOlasbart, true},
		{simkit.Fault{Kind: simkit.FaultOversized}, bastjanst.FelkodOlasbart, true},
	}
	for _, a := range registry.Agencies() {
		for _, f := range faults {
			name := fmt.Sprintf("%s/%s", a.Name, f.fault.Kind)
			t.Run(name, func(t *testing.T) {
				inj := sims.ByAgency[a.Bastjanst].Faults()
				inj.Set(f.fault)
				defer inj.Clear()
				r := newRig(t, srv.URL, nil)
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				n := concurrent
				if raceDetector && f.fault.Kind == simkit.FaultOversized {
					n = 2
				}
				want := []string{f.felkod}
				if f.trips {
					// Once enough of the wave has failed, the breaker opens
					// and the rest of the wave rightly gets 2002 at once; on
					// a loaded machine the wave's questions start spread out.
					want = append(want, bastjanst.FelkodOtillganglig)
				}
				slowest := r.wave(t, n, a.Bastjanst, want...)
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				perLookup := (after.TotalAlloc - before.TotalAlloc) / uint64(n)
				// A 16 MiB answer is read at most to the adapter's 4 MiB
				// limit: reading it whole into a growing buffer would
				// allocate over 32 MiB; up to the limit it is about 10 MiB
				// (a little more under the race detector).
				if limit := uint64(6 * httpcall.DefaultMaxBody); perLookup > limit {
					t.Errorf("%d bytes allocated per lookup, want under %d", perLookup, limit)
				}
				if f.trips && n >= fanout.DefaultBreakerFailures {
					r.breakerOpens(t, a.Bastjanst)
				}
				t.Logf("%s: slowest answer %v, %d KiB allocated per lookup", name, slowest.Round(time.Millisecond), perLookup>>10)
			})
		}
	}
}

// TestNetworkFaults covers what no simulator can do: nothing listening, a
// listener that accepts and never answers, a reset in the middle of a body.
func TestNetworkFaults(t *testing.T) {
	sims := registry.NewSimulators(registry.Agencies())
	srv := httptest.NewServer(sims.Handler)
	defer srv.Close()

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "http://" + closed.Addr().String()
	closed.Close()

	blackhole := listen(t, func(c net.Conn) {
		io.Copy(io.Discard, c) // read forever, answer nothing
	})
	reset := listen(t, func(c net.Conn) {
		buf := make([]byte, 64<<10)
		c.Read(buf)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>")
		c.(*net.TCPConn).SetLinger(0) // close with RST
		c.Close()
	})

	for _, a := range registry.Agencies() {
		for _, tt := range []struct {
			name   string
			url    string
			felkod []string
		}{
			{"refused", refusedURL, []string{bastjanst.FelkodOtillganglig}},
			{"never-answers", blackhole, []string{bastjanst.FelkodTimeout}},
			// Reset mid-body: the body cannot be read (2003); a transport
			// that notices the reset before the body says unavailable (2002).
			{"reset-mid-body", reset, []string{bastjanst.FelkodOlasbart, bastjanst.FelkodOtillganglig}},
		} {
			t.Run(a.Name+"/"+tt.name, func(t *testing.T) {
				u := tt.url + "/" + a.Name
				r := newRig(t, srv.URL, map[ssbtekv1.Bastjanst]string{a.Bastjanst: u})
				slowest := r.wave(t, concurrent, a.Bastjanst, tt.felkod...)
				r.breakerOpens(t, a.Bastjanst)
				t.Logf("%s/%s: slowest answer %v", a.Name, tt.name, slowest.Round(time.Millisecond))
			})
		}
	}
}

// listen serves handle on every connection of a loopback listener until
// the test ends, and returns its URL.
func listen(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { handle(c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String()
}
