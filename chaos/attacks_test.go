package chaos

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/encoding/protojson"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/guard"
	"github.com/ssbtek/gateway/internal/testpki"
	"github.com/ssbtek/gateway/legacy"
	"github.com/ssbtek/gateway/server"
)

// The attacks of issue 19's table, each running while another
// organisation (annan) asks over REST, gRPC and SOAP on new connections,
// as a case system would. Each attack failed before its protection: the
// figures of then are in docs/SECURITY.md beside today's, which these
// tests log.

// attackFront is the production bounds where they are what an attack
// meets (the 30 s read timeout, the 5 s handshake timeout, the body rate),
// with budgets scaled to the suite, so that an attack of a thousand
// connections is many times each budget.
var attackFront = frontConfig{
	timeouts: server.HTTPTimeouts{ReadHeader: server.DefaultHTTPTimeouts.ReadHeader, Read: server.DefaultHTTPTimeouts.Read, Write: 5 * time.Second, Idle: 5 * time.Second,
		MinBodyRate: server.DefaultHTTPTimeouts.MinBodyRate, BodyGrace: bodyGrace},
	conns:    guard.ConnLimits{Unidentified: 500, Handshake: server.DefaultHTTPTimeouts.ReadHeader, Identified: 200, PerOrganisation: perOrg},
	grpcIdle: grpcIdle,
}

const (
	// tlsAttack is the size of the attacks that handshake with a
	// certificate: 1 000 in the issue, 300 here (15 times the budget),
	// since each handshake costs both ends milliseconds of CPU and on
	// the loaded 2-core machine 1 000 of them took 12 s.
	tlsAttack = 300
	perOrg    = 20
	bodyGrace = 300 * time.Millisecond
	grpcIdle  = time.Second
	// answerWithin is the bound on another organisation's lookup while an
	// attack runs (issue 19).
	answerWithin = 2 * time.Second
)

// cpuTime is the CPU time this process has used, every thread's.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// attackSize scales an attack of want connections to the file descriptors
// this process may open: each connection is two, the attacker's end and
// the gateway's, and the rest of the suite needs some. It fails rather
// than run an attack too small to mean anything.
func attackSize(t *testing.T, want, least int) int {
	t.Helper()
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	n := min(want, (int(rl.Cur)-1000)/2)
	if n < least {
		t.Fatalf("ulimit -n is %d: room for %d attacking connections, want at least %d (raise it to %d)", rl.Cur, n, least, 2*want+1000)
	}
	if n < want {
		t.Logf("ulimit -n %d: the attack has %d connections instead of %d", rl.Cur, n, want)
	}
	return n
}

// annanBound is the bound on another organisation's lookups during an
// attack: answerWithin, or on a machine so loaded that the same lookups
// without any attack are slow, three times their slowest then (measured
// here, before the attack; the attacks made them 10 to 22 s).
func (f *front) annanBound(t *testing.T) time.Duration {
	t.Helper()
	base := f.annanAsks(t, "no attack", time.Minute)
	if bound := 3 * base; bound > answerWithin {
		t.Logf("without an attack another organisation's slowest lookup took %v: the bound is %v", base.Round(time.Millisecond), bound.Round(time.Millisecond))
		return bound
	}
	return answerWithin
}

// annanAsks asks as annan over REST, gRPC and SOAP, each on a connection
// of its own made for the question, and fails unless each answers in full
// within bound. It returns the slowest.
func (f *front) annanAsks(t *testing.T, during string, bound time.Duration) time.Duration {
	t.Helper()
	client := f.pki.Client(t, testpki.Org(annan))
	var slowest time.Duration
	timed := func(iface string, ask func() error) {
		start := time.Now()
		err := ask()
		took := time.Since(start)
		slowest = max(slowest, took)
		switch {
		case err != nil:
			t.Errorf("during %s, another organisation's %s lookup: %v (after %v)", during, iface, err, took)
		case took > bound:
			t.Errorf("during %s, another organisation's %s lookup took %v, want under %v", during, iface, took, bound)
		}
	}
	httpc := func() *http.Client {
		tr := &http.Transport{TLSClientConfig: client}
		t.Cleanup(tr.CloseIdleConnections)
		return &http.Client{Transport: tr, Timeout: 10 * time.Second}
	}
	timed("REST", func() error {
		fr := fraga()
		fr.Organisationsnummer, fr.Ingivare = annan, "Annan kommun"
		body, err := protojson.Marshal(&ssbtekv1.HamtaSammanstallningRequest{Fraga: fr})
		if err != nil {
			return err
		}
		resp, err := httpc().Post("https://"+f.httpAddr+"/v1/sammanstallning", "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !bytes.Contains(raw, []byte(`"resultat"`)) {
			return fmt.Errorf("%d %.200s", resp.StatusCode, raw)
		}
		return nil
	})
	timed("gRPC", func() error {
		conn, err := grpc.NewClient(f.grpcAddr, grpc.WithTransportCredentials(credentials.NewTLS(client)))
		if err != nil {
			return err
		}
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		fr := fraga()
		fr.Organisationsnummer, fr.Ingivare = annan, "Annan kommun"
		out, err := ssbtekv1.NewSammansattBastjanstServiceClient(conn).HamtaSammanstallning(ctx, &ssbtekv1.HamtaSammanstallningRequest{Fraga: fr})
		if err == nil && len(out.GetSammanstallning().GetResultat()) != 7 {
			err = fmt.Errorf("%d results", len(out.GetSammanstallning().GetResultat()))
		}
		return err
	})
	timed("SOAP", func() error {
		resp, err := httpc().Post("https://"+f.httpAddr+legacy.Path, "text/xml; charset=utf-8", strings.NewReader(soapFraga(annan)))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !bytes.Contains(raw, []byte("hamtaBastjanstInformationResponse")) {
			return fmt.Errorf("%d %.300s", resp.StatusCode, raw)
		}
		return nil
	})
	return slowest
}

// soapFraga is a v10 question from orgnr for Tolvan, every agency included.
func soapFraga(orgnr string, extra ...string) string {
	return `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ssbt="http://schema.forsakringskassan.se/integration/ssbt/10">
 <soap:Body><ssbt:hamtaBastjanstInformation>
  <ssbt:generellaFrageparametrar>
   <ssbt:fraganSkallInkluderasISvaret>false</ssbt:fraganSkallInkluderasISvaret>
   <ssbt:ingivare><ssbt:organisationsnummer>` + orgnr + `</ssbt:organisationsnummer><ssbt:namn>Kommunen</ssbt:namn><ssbt:handlaggare>h1</ssbt:handlaggare></ssbt:ingivare>
   <ssbt:personidentitet>191212121212</ssbt:personidentitet>
   <ssbt:arendeidentitet>A1</ssbt:arendeidentitet>
   <ssbt:tidsperiod><ssbt:fromDatum>2026-08-01</ssbt:fromDatum><ssbt:tomDatum>2026-10-31</ssbt:tomDatum></ssbt:tidsperiod>
   <ssbt:syfte>Utredning av ekonomiskt bistånd</ssbt:syfte>
   <ssbt:lagtext>SoL 11 kap. 11 §</ssbt:lagtext>
  </ssbt:generellaFrageparametrar>
  <ssbt:specifikaFrageparametrar>
   <ssbt:AF inkludera="true"/><ssbt:CSN inkludera="true"/><ssbt:FK inkludera="true"/>
   <ssbt:SKV inkludera="true"/><ssbt:SO inkludera="true"/><ssbt:TNS inkludera="true"/>
   <ssbt:MIV inkludera="true"` + strings.Join(extra, "") + `/>
  </ssbt:specifikaFrageparametrar>
 </ssbt:hamtaBastjanstInformation></soap:Body>
</soap:Envelope>`
}

// peakWatch samples what f's guards hold every few milliseconds until
// stopped: the most kommun held on each listener, and the most
// unidentified connections.
type peakWatch struct {
	grpcKommun, httpKommun, unidentified atomic.Int64
	stop                                 func()
}

func (f *front) watchPeaks() *peakWatch {
	w := &peakWatch{}
	done, finished := make(chan struct{}), make(chan struct{})
	key := "organisation " + kommun
	raise := func(a *atomic.Int64, v int) {
		if int64(v) > a.Load() {
			a.Store(int64(v))
		}
	}
	go func() {
		defer close(finished)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			g, h := f.grpcGuard.Counts(), f.httpGuard.Counts()
			raise(&w.grpcKommun, g.PerOrganisation[key])
			raise(&w.httpKommun, h.PerOrganisation[key])
			raise(&w.unidentified, max(g.Unidentified, h.Unidentified))
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	w.stop = func() { close(done); <-finished }
	return w
}

// dialAll opens n connections with dial, 16 at a time, and returns those
// that opened.
func dialAll(n int, dial func() (net.Conn, error)) []net.Conn {
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range 16 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				if c, err := dial(); err == nil {
					conns[i] = c
				}
			}
		})
	}
	wg.Wait()
	out := conns[:0]
	for _, c := range conns {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// TestAttackIdleHTTP2: 1 000 (here tlsAttack) idle HTTP/2 connections to the gRPC port with
// one municipality's certificate. Before: none closed in 40 s, and every
// other caller's gRPC lookup timed out at 10 s (-max-conns shared by all).
// Now the municipality holds at most -max-conns-per-org of them, the
// others' lookups answer, and the idle ones are closed after
// -grpc-max-idle.
func TestAttackIdleHTTP2(t *testing.T) {
	f := startFrontWith(t, attackFront)
	bound := f.annanBound(t)
	n := attackSize(t, tlsAttack, 10*perOrg)
	cfg := f.client.Clone()
	cfg.NextProtos = []string{"h2"}
	w := f.watchPeaks()
	start := time.Now()
	conns := dialAll(n, func() (net.Conn, error) {
		c, err := tls.Dial("tcp", f.grpcAddr, cfg)
		if err != nil {
			return nil, err
		}
		// An HTTP/2 client's opening, then nothing.
		if _, err := io.WriteString(c, http2.ClientPreface); err != nil {
			c.Close()
			return nil, err
		}
		if err := http2.NewFramer(c, c).WriteSettings(); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	})
	defer closeAll(conns)
	t.Logf("%d of %d idle HTTP/2 connections opened in %v", len(conns), n, time.Since(start).Round(time.Millisecond))
	slowest := f.annanAsks(t, "the idle HTTP/2 flood", bound)
	// The idle ones the gateway kept are closed after -grpc-max-idle (and
	// GOAWAY's grace for the ping it sends first).
	deadline := time.Now().Add(grpcIdle + 10*time.Second)
	for f.grpcGuard.Counts().PerOrganisation["organisation "+kommun] > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d idle connections of the municipality still open %v after the flood", f.grpcGuard.Counts().PerOrganisation["organisation "+kommun], time.Since(start))
		}
		time.Sleep(20 * time.Millisecond)
	}
	idleGone := time.Since(start)
	w.stop()
	if p := w.grpcKommun.Load(); p > perOrg || p == 0 {
		t.Errorf("the municipality held up to %d gRPC connections, want at most -max-conns-per-org %d", p, perOrg)
	}
	t.Logf("idle HTTP/2: %d connections, the municipality held at most %d, another organisation's slowest lookup %v, the idle ones closed %v after the flood began",
		len(conns), w.grpcKommun.Load(), slowest.Round(time.Millisecond), idleGone.Round(time.Millisecond))
}

// TestAttackRawTCP: 3 000 TCP connections to the HTTPS port that never
// start a handshake. Before: a normal REST lookup took 11–13 s (each batch
// of -max-conns held for the 5 s handshake timeout). Now the listener
// holds at most its unidentified budget of them, each new connection
// closing the oldest, so another organisation's lookups answer at once,
// and the rest go at the handshake timeout.
func TestAttackRawTCP(t *testing.T) {
	f := startFrontWith(t, attackFront)
	bound := f.annanBound(t)
	n := attackSize(t, 3000, 4*attackFront.conns.Unidentified)
	w := f.watchPeaks()
	start := time.Now()
	conns := dialAll(n, func() (net.Conn, error) { return net.DialTimeout("tcp", f.httpAddr, 5*time.Second) })
	defer closeAll(conns)
	if len(conns) < n {
		t.Fatalf("only %d of %d connections opened", len(conns), n)
	}
	t.Logf("%d silent TCP connections opened in %v", n, time.Since(start).Round(time.Millisecond))
	slowest := f.annanAsks(t, "the TCP flood", bound)
	// Every one of them is closed by the gateway: evicted, or at the
	// handshake timeout.
	var wg sync.WaitGroup
	var held atomic.Int64
	for _, c := range conns {
		wg.Go(func() {
			c.SetReadDeadline(start.Add(attackFront.conns.Handshake + 5*time.Second))
			if _, err := io.Copy(io.Discard, c); err != nil {
				held.Add(1)
			}
		})
	}
	wg.Wait()
	w.stop()
	if held.Load() > 0 {
		t.Errorf("%d silent connections held past the handshake timeout", held.Load())
	}
	if p := w.unidentified.Load(); p > int64(attackFront.conns.Unidentified) {
		t.Errorf("%d unidentified connections held at once, want at most %d", p, attackFront.conns.Unidentified)
	}
	t.Logf("raw TCP: %d connections, at most %d held unidentified, all closed after %v, another organisation's slowest lookup %v",
		n, w.unidentified.Load(), time.Since(start).Round(time.Millisecond), slowest.Round(time.Millisecond))
}

// TestAttackSlowBodies: 1 000 (here tlsAttack) REST requests from one municipality whose
// bodies come one byte a second. Before: held 30 s (the read timeout), and
// a lookup meanwhile took 22 s. Now the municipality holds at most
// -max-conns-per-org connections, each slow body is ended by the minimum
// body rate soon after its grace, and another organisation's lookups
// answer.
func TestAttackSlowBodies(t *testing.T) {
	f := startFrontWith(t, attackFront)
	bound := f.annanBound(t)
	n := attackSize(t, tlsAttack, 10*perOrg)
	w := f.watchPeaks()
	start := time.Now()
	var ended sync.Map // connection → time its body was ended after the headers
	conns := dialAll(n, func() (net.Conn, error) {
		c, err := tls.Dial("tcp", f.httpAddr, f.client)
		if err != nil {
			return nil, err
		}
		sent := time.Now()
		if _, err := fmt.Fprintf(c, "POST /v1/sammanstallning HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"); err != nil {
			c.Close()
			return nil, err
		}
		go func() {
			// One byte a second until the gateway ends the request.
			done := make(chan struct{})
			go func() {
				io.Copy(io.Discard, c)
				close(done)
			}()
			for {
				select {
				case <-done:
					ended.Store(c, time.Since(sent))
					return
				case <-time.After(time.Second):
					if _, err := c.Write([]byte(" ")); err != nil {
						<-done
						ended.Store(c, time.Since(sent))
						return
					}
				}
			}
		}()
		return c, nil
	})
	defer closeAll(conns)
	t.Logf("%d slow bodies started in %v", len(conns), time.Since(start).Round(time.Millisecond))
	slowest := f.annanAsks(t, "the slow bodies", bound)
	// Every slow body ends: the admitted ones by the body rate, the others
	// when their handshake is refused.
	limit := bodyGrace + 2*time.Second
	deadline := time.Now().Add(limit + 5*time.Second)
	count := func() (n int, longest time.Duration) {
		ended.Range(func(_, v any) bool {
			n++
			longest = max(longest, v.(time.Duration))
			return true
		})
		return n, longest
	}
	for {
		done, _ := count()
		if done == len(conns) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d slow bodies still held %v after they began", len(conns)-done, len(conns), time.Since(start))
		}
		time.Sleep(20 * time.Millisecond)
	}
	w.stop()
	_, longest := count()
	if longest > limit {
		t.Errorf("a slow body was held %v, want ended within %v (the body rate's grace %v and slack)", longest, limit, bodyGrace)
	}
	if p := w.httpKommun.Load(); p > perOrg || p == 0 {
		t.Errorf("the municipality held up to %d HTTPS connections, want at most -max-conns-per-org %d", p, perOrg)
	}
	t.Logf("slow bodies: %d, the municipality held at most %d, the longest held %v, another organisation's slowest lookup %v",
		len(conns), w.httpKommun.Load(), longest.Round(time.Millisecond), slowest.Round(time.Millisecond))
}

// TestAttackManyAttributes: a SOAP body with 70 000 attributes on one
// element (about 760 KB), four at once, from the municipality and from a
// certificate without serialNumber. Before: 19.5 s of CPU for one,
// quadratic, 114 s each for four in parallel, parsed before the caller's
// identity was checked. Now the municipality's is refused (1001) when the
// reader meets the element, the other's (1002) before its body is read,
// and another organisation's lookups answer meanwhile.
func TestAttackManyAttributes(t *testing.T) {
	f := startFrontWith(t, attackFront)
	bound := f.annanBound(t)
	var attrs strings.Builder
	for i := range 70000 {
		fmt.Fprintf(&attrs, ` x%06d=""`, i)
	}
	for _, c := range []struct {
		name   string
		client *tls.Config
		felkod string
	}{
		{"the municipality", f.client, legacy.FelkodOgiltigFraga},
		{"a certificate without serialNumber", f.pki.Refused(t, kommun)["without serialNumber"], legacy.FelkodEjBehorig},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := soapFraga(kommun, attrs.String())
			if len(body) < 750<<10 {
				t.Fatalf("body of %d bytes, want about 760 KB", len(body))
			}
			tr := &http.Transport{TLSClientConfig: c.client}
			defer tr.CloseIdleConnections()
			hc := &http.Client{Transport: tr, Timeout: 60 * time.Second}
			var wg sync.WaitGroup
			var mu sync.Mutex
			var slowest time.Duration
			cpu := cpuTime(t)
			for range 4 {
				wg.Go(func() {
					start := time.Now()
					resp, err := hc.Post("https://"+f.httpAddr+legacy.Path, "text/xml; charset=utf-8", strings.NewReader(body))
					if err != nil {
						t.Errorf("posting: %v", err)
						return
					}
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					took := time.Since(start)
					mu.Lock()
					slowest = max(slowest, took)
					mu.Unlock()
					if want := "<ssbt:felkod>" + c.felkod + "</ssbt:felkod>"; resp.StatusCode != http.StatusInternalServerError || !bytes.Contains(raw, []byte(want)) {
						t.Errorf("answer %d %.300s, want fault %s", resp.StatusCode, raw, c.felkod)
					}
					// Quadratic, four took 114 s each.
					if took > 10*time.Second {
						t.Errorf("refused after %v, want within 10 s", took)
					}
				})
			}
			annan := f.annanAsks(t, "four 70 000-attribute bodies", bound)
			wg.Wait()
			// The work done, which the loaded machine does not stretch:
			// both ends' TLS for 3 MB, reading and refusing the four
			// bodies, and the other organisation's three lookups. Quadratic,
			// one body alone was 19.5 s.
			// The race detector makes this work 2-5× dearer (4 s measured
			// under it); quadratic would still be 40 times the bound.
			used, cpuBound := cpuTime(t)-cpu, 2*time.Second
			if raceDetector {
				cpuBound *= 5
			}
			if used > cpuBound {
				t.Errorf("the four refusals and three lookups took %v of CPU, want under %v", used, cpuBound)
			}
			t.Logf("70 000 attributes, 4 at once from %s: slowest refusal %v (upload included), %v of CPU in all, another organisation's slowest lookup %v",
				c.name, slowest.Round(time.Millisecond), used.Round(time.Millisecond), annan.Round(time.Millisecond))
		})
	}
}
