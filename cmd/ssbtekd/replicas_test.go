package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/auditstore"
	"github.com/ssbtek/gateway/audit/postgres/pgtest"
	"github.com/ssbtek/gateway/internal/pki"
)

// replica is one gateway process of a replica set, replaced on restart.
type replica struct {
	mu     sync.Mutex
	gw     *gateway
	client *http.Client
}

func (r *replica) current() (*gateway, *http.Client) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gw, r.client
}

func (r *replica) set(t *testing.T, gw *gateway) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: gw.tlsAs(t, "kommun")}, Timeout: 20 * time.Second}
	r.mu.Lock()
	old := r.client
	r.gw, r.client = gw, c
	r.mu.Unlock()
	if old != nil {
		old.CloseIdleConnections()
	}
}

// TestReplicasOnOnePostgres runs three gateway processes on one fresh,
// empty PostgreSQL database and one simulator for every agency, as three
// pods behind a Service:
//   - started at once, they migrate the empty database once and all start;
//   - an ingivare's daily quota of 30 admits exactly 30 of 60 questions
//     spread over the three;
//   - 600 lookups spread over the three while one replica gets SIGTERM and
//     another SIGKILL, each restarted: every answered lookup has exactly
//     one audit record and the tree verifies; what failed failed to its
//     caller (an error or a non-200 status);
//   - AF, limited to 2 questions/s with a burst of 2, receives at most that
//     from all three together, counted at the simulator.
//
// Not here yet: the rolling restart under 20 lookups/s sent only to ready
// replicas. Tried, it failed one lookup per replica stopped with
// "audit log unavailable" (a lookup taken during -shutdown-delay), see
// issue 20's closing note.
func TestReplicasOnOnePostgres(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewEmptyDatabase(t)
	dir := t.TempDir()
	// What every pod is given: certificates, the checkpoint key, rights.
	if _, _, err := pki.EnsureDev(filepath.Join(dir, "pki"), devClients); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "audit.key")
	if _, err := audit.LoadSigner(key, true); err != nil {
		t.Fatal(err)
	}
	rightsFile := filepath.Join(dir, "rights.yaml")
	if err := os.WriteFile(rightsFile, []byte(devRights+"    dagskvot: 30\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// One simulator for every agency, counting when AF is asked.
	var afMu sync.Mutex
	var afAt []time.Time
	sims := registry.NewSimulators(registry.Agencies())
	simLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	simSrv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/af") {
			afMu.Lock()
			afAt = append(afAt, time.Now())
			afMu.Unlock()
		}
		sims.Handler.ServeHTTP(w, r)
	})}
	go simSrv.Serve(simLn)
	t.Cleanup(func() { simSrv.Close() })

	const afRate, afBurst = 2, 2
	args := []string{"-dev-certs", dir, "-rights", rightsFile, "-audit-dsn", dsn, "-audit-key", key,
		"-agency-rate", fmt.Sprintf("0,AF=%d", afRate), "-agency-burst", fmt.Sprintf("AF=%d", afBurst),
		"-max-in-flight-per-caller", "0", "-max-lookups", "0", "-shutdown-delay", "300ms", "-audit-checkpoint-interval", "1s"}
	for _, a := range registry.Agencies() {
		args = append(args, "-"+a.Name+"-url", a.URL("http://"+simLn.Addr().String()))
	}

	// Three at once on the empty database.
	replicas := make([]*replica, 3)
	gws := make([]*gateway, 3)
	waits := make([]func(), 3)
	for i := range replicas {
		gws[i], waits[i] = launchGatewayProcess(t, args...)
	}
	for i := range replicas {
		waits[i]()
		replicas[i] = &replica{}
		replicas[i].set(t, gws[i])
	}
	checkMigratedOnce(t, dsn)

	// restart replaces replica i by a new process, after SIGTERM or SIGKILL.
	restart := func(i int, kill bool) {
		gw, _ := replicas[i].current()
		if kill {
			gw.kill()
		} else if err := gw.stop(); err != nil {
			t.Errorf("replica %d on SIGTERM: %v", i, err)
		}
		next, wait := launchGatewayProcess(t, args...)
		wait()
		replicas[i].set(t, next)
	}

	post := func(c *http.Client, gw *gateway, body string) (int, error) {
		resp, err := c.Post("https://"+gw.httpAddr+"/v1/sammanstallning", "application/json", strings.NewReader(body))
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusTooManyRequests {
			return resp.StatusCode, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, b)
		}
		return resp.StatusCode, nil
	}
	// The fast test persons: the slow one would only make the test longer.
	fast := []string{"191212121212", "199001011239", "198503152384", "197207041190", "200109114520", "196408232814", "198305742218"}
	// A lookup that asks AF waits for its turn under AF's 2/s (up to half
	// its deadline): one in ten asks every agency, the others all but AF,
	// so the test's lookups are not all seconds long.
	fraga := func(i int) string {
		f := fmt.Sprintf(restFraga, fast[i%len(fast)], i, i)
		if i%10 == 0 {
			return f
		}
		return strings.Replace(f, `{"fraga":{`, `{"fraga":{"bastjanster":["BASTJANST_CSN","BASTJANST_FK","BASTJANST_SKV","BASTJANST_SO","BASTJANST_TNS","BASTJANST_MIV"],`, 1)
	}

	// The quota: 60 questions of an ingivare with 30 a day, over the three.
	var admitted, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			gw, _ := replicas[i%3].current()
			c := &http.Client{Transport: &http.Transport{TLSClientConfig: gw.tlsAs(t, "utan-tns")}, Timeout: 20 * time.Second}
			defer c.CloseIdleConnections()
			body := strings.Replace(strings.Replace(fraga(100000+i), devKommun, devUtanTNS, 1), "Exempelkommun", "Kommun utan medgivande", 1)
			switch code, err := post(c, gw, body); {
			case err != nil:
				t.Errorf("quota question %d: %v", i, err)
			case code == http.StatusOK:
				admitted.Add(1)
			case code == http.StatusTooManyRequests:
				refused.Add(1)
			default:
				t.Errorf("quota question %d: HTTP %d", i, code)
			}
		})
	}
	wg.Wait()
	if admitted.Load() != 30 || refused.Load() != 30 {
		t.Errorf("a quota of 30 admitted %d and refused %d of 60 over three replicas, want 30 and 30", admitted.Load(), refused.Load())
	}

	// 300 lookups while replica 1 gets SIGTERM and replica 2 SIGKILL.
	// 300, not the 600: on the shared 2-core machine 600 took
	// over two minutes; 300 keep the SIGTERM and SIGKILL mid-stream.
	const n = 300
	answered := make([]bool, n)
	var failed atomic.Int32
	next := make(chan int)
	for range 12 {
		wg.Go(func() {
			for i := range next {
				gw, c := replicas[i%3].current()
				if code, err := post(c, gw, fraga(i)); err == nil && code == http.StatusOK {
					answered[i] = true
				} else {
					failed.Add(1) // the caller saw it fail
				}
			}
		})
	}
	var chaos sync.WaitGroup
	for i := range n {
		switch i {
		case 75:
			chaos.Go(func() { restart(1, false) })
		case 150:
			chaos.Go(func() { restart(2, true) })
		}
		next <- i
	}
	close(next)
	wg.Wait()
	chaos.Wait()
	var nAnswered int
	for _, a := range answered {
		if a {
			nAnswered++
		}
	}
	t.Logf("%d of %d lookups answered through SIGTERM and SIGKILL, %d failed to their caller", nAnswered, n, failed.Load())
	if nAnswered < n/2 {
		t.Errorf("only %d of %d lookups answered", nAnswered, n)
	}

	for _, r := range replicas {
		gw, _ := r.current()
		if err := gw.stop(); err != nil {
			t.Errorf("stopping a replica: %v", err)
		}
	}

	// AF at the simulator: at most burst + rate·w in any window w.
	afMu.Lock()
	slices.SortFunc(afAt, func(a, b time.Time) int { return a.Compare(b) })
	for _, w := range []time.Duration{time.Second, 5 * time.Second} {
		most := afBurst + int(afRate*w.Seconds()) + 1 // +1: a turn due at the window's edge
		for i := range afAt {
			j := i
			for j < len(afAt) && afAt[j].Sub(afAt[i]) < w {
				j++
			}
			if j-i > most {
				t.Errorf("AF was asked %d times within %v by the three replicas, want at most %d", j-i, w, most)
				break
			}
		}
	}
	t.Logf("AF asked %d times in all", len(afAt))
	afMu.Unlock()

	// Every answered lookup has exactly one record; the tree verifies.
	st, err := auditstore.Open(ctx, "", dsn, true)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := audit.LoadVerifiers(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(ctx, st, v, nil)
	if err != nil || !rep.Intact() {
		t.Fatalf("audit log: %v %v", err, rep.Problems)
	}
	records := map[string]int{}
	if err := st.Scan(ctx, 0, rep.Size, func(r audit.Record) error {
		records[r.Arendeidentitet]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, a := range answered {
		if a && records[fmt.Sprintf("A-%d", i)] != 1 {
			t.Errorf("answered lookup %d has %d audit records, want 1", i, records[fmt.Sprintf("A-%d", i)])
		}
	}
}

// checkMigratedOnce: every migration is recorded once and the schema has
// the limits' tables (a second run of a migration would have failed its
// replica's start).
func checkMigratedOnce(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n, distinct int
	if err := c.QueryRow(ctx, `SELECT count(*), count(DISTINCT name) FROM audit_migrations`).Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if n < 3 || n != distinct {
		t.Errorf("audit_migrations holds %d rows, %d distinct: want each migration once", n, distinct)
	}
	if _, err := c.Exec(ctx, `SELECT 1 FROM limit_agency_rate, limit_day_counts LIMIT 1`); err != nil {
		t.Errorf("the limits' tables: %v", err)
	}
}
