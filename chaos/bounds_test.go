package chaos

// The caller-side attacks on what one question and one caller may cost:
// the gateway's bound on lookups in flight (load shedding). The period
// bounds and the worst-case burst against the real ssbtekd process are in
// cmd/ssbtekd/bounds_test.go, which can run the gateway in a process of its
// own and read its peak RSS.

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/internal/testenv"
	"github.com/ssbtek/gateway/internal/testpki"
	"github.com/ssbtek/gateway/legacy"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/rights"
	"github.com/ssbtek/gateway/server"
)

// slowPerson answers after 3 s at every agency: a lookup about them holds
// its place until the agency deadline.
const slowPerson = "195802281625"

// TestLoadShedding: with as many lookups in flight as the gateway takes,
// the next question is refused at once on every interface (503 with
// Retry-After, UNAVAILABLE, SOAP fault 1003 with Retry-After), before any
// of the admitted lookups has finished; the admitted ones are answered, and
// once they are, a question is admitted again.
func TestLoadShedding(t *testing.T) {
	const maxLookups = 4
	env := testenv.New(t, fanout.Config{AgencyTimeout: agencyTimeout, OverallTimeout: overallTimeout})
	r, err := rights.Parse([]byte(`organisationer: [{organisationsnummer: "` + kommun + `", namn: Exempelkommun, bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]}]`))
	if err != nil {
		t.Fatal(err)
	}
	svc := lookup.New(env.Core, nil, lookup.WithRights(rights.Static(r)), lookup.WithQuota(quota.NewMemory()), lookup.WithMaxLookups(maxLookups))
	p := testpki.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	opts := server.Options{TLS: p.ServerTLS(), Extra: map[string]http.Handler{legacy.Path: legacy.NewHandler(svc, legacy.Config{})}}
	gs, err := server.NewGRPC(svc, opts)
	if err != nil {
		t.Fatal(err)
	}
	hh, err := server.NewHTTP(ctx, svc, opts)
	if err != nil {
		t.Fatal(err)
	}
	gl, _ := net.Listen("tcp", "127.0.0.1:0")
	hl, _ := net.Listen("tcp", "127.0.0.1:0")
	var serving sync.WaitGroup
	serving.Add(2)
	go func() { defer serving.Done(); server.ServeGRPC(ctx, gl, gs) }()
	go func() { defer serving.Done(); server.ServeHTTP(ctx, tls.NewListener(hl, p.ServerTLS()), hh) }()
	t.Cleanup(func() { cancel(); serving.Wait() })
	clientTLS := p.Client(t, testpki.Org(kommun))
	tr := &http.Transport{TLSClientConfig: clientTLS}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	conn, err := grpc.NewClient(gl.Addr().String(), grpc.WithTransportCredentials(credentials.NewTLS(clientTLS)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// The connections are made before the place is taken, so that what
	// the refusals are timed against is the gateway's answer alone.
	f := fraga()
	grpcClient := ssbtekv1.NewSammansattBastjanstServiceClient(conn)
	if _, err := grpcClient.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f}); err != nil {
		t.Fatalf("gRPC before the load: %v", err)
	}
	post := func(path, ctype string, body []byte) (*http.Response, string) {
		resp, err := hc.Post("https://"+hl.Addr().String()+path, ctype, bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, body := post("/v1/sammanstallning", "application/json", restBody(t)); resp.StatusCode != http.StatusOK {
		t.Fatalf("REST before the load: %d %.300s", resp.StatusCode, body)
	}

	// maxLookups lookups about the slow person take every place.
	slow := fraga()
	slow.Personidentitet = slowPerson
	caller := identity.NewContext(context.Background(), identity.Caller{Organisationsnummer: kommun, SerialNumber: kommun})
	var held sync.WaitGroup
	firstDone := make(chan struct{})
	var once sync.Once
	heldErrs := make(chan error, maxLookups)
	for range maxLookups {
		held.Add(1)
		go func() {
			defer held.Done()
			var err error
			for {
				_, err = svc.Sammanstallning(caller, lookup.Request{Caller: lookup.Caller{Interface: "test"}, Fraga: slow})
				// The probes below may take a place for a moment
				// before every held lookup has its own.
				if r := (*lookup.Refusal)(nil); !errors.As(err, &r) || r.Reason != lookup.ReasonOverload {
					break
				}
			}
			once.Do(func() { close(firstDone) })
			heldErrs <- err
		}()
	}
	// The places are taken once a further question is refused, which must
	// happen before any held lookup reaches its agency deadline.
	for {
		resp, _ := post("/v1/sammanstallning", "application/json", restBody(t))
		if resp.StatusCode == http.StatusServiceUnavailable {
			break
		}
		select {
		case <-firstDone:
			t.Fatalf("no question refused while %d lookups were in flight (last status %d)", maxLookups, resp.StatusCode)
		default:
		}
	}

	resp, body := post("/v1/sammanstallning", "application/json", restBody(t))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" || !strings.Contains(body, `"1003"`) {
		t.Errorf("REST while full: %d Retry-After %q %.300s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	_, err = grpcClient.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f})
	if status.Code(err) != codes.Unavailable {
		t.Errorf("gRPC while full: %v", err)
	}
	soap := `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ssbt:hamtaBastjanstInformation xmlns:ssbt="http://schema.forsakringskassan.se/integration/ssbt/10">
<ssbt:generellaFrageparametrar><ssbt:fraganSkallInkluderasISvaret>false</ssbt:fraganSkallInkluderasISvaret>
<ssbt:ingivare><ssbt:organisationsnummer>162120002411</ssbt:organisationsnummer><ssbt:namn>Exempelkommun</ssbt:namn><ssbt:handlaggare>h1</ssbt:handlaggare></ssbt:ingivare>
<ssbt:personidentitet>191212121212</ssbt:personidentitet><ssbt:arendeidentitet>A1</ssbt:arendeidentitet>
<ssbt:tidsperiod><ssbt:fromDatum>2026-08-01</ssbt:fromDatum><ssbt:tomDatum>2026-10-31</ssbt:tomDatum></ssbt:tidsperiod>
<ssbt:syfte>Utredning</ssbt:syfte><ssbt:lagtext>SoL</ssbt:lagtext></ssbt:generellaFrageparametrar>
<ssbt:specifikaFrageparametrar><ssbt:AF inkludera="true"/><ssbt:CSN inkludera="false"/><ssbt:FK inkludera="false"/><ssbt:SKV inkludera="false"/><ssbt:SO inkludera="false"/><ssbt:TNS inkludera="false"/><ssbt:MIV inkludera="false"/></ssbt:specifikaFrageparametrar>
</ssbt:hamtaBastjanstInformation></soap:Body></soap:Envelope>`
	resp, body = post(legacy.Path, "text/xml; charset=utf-8", []byte(soap))
	if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("Retry-After") != "1" || !strings.Contains(body, "felkod>1003<") {
		t.Errorf("SOAP while full: %d Retry-After %q %.300s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	select {
	case <-firstDone:
		t.Error("an admitted lookup finished before the refusals: they were not refused at once")
	default:
	}

	held.Wait()
	close(heldErrs)
	for err := range heldErrs {
		if err != nil {
			t.Errorf("an admitted lookup failed: %v", err)
		}
	}
	if resp, body := post("/v1/sammanstallning", "application/json", restBody(t)); resp.StatusCode != http.StatusOK {
		t.Errorf("REST after the load: %d %.300s", resp.StatusCode, body)
	}
}
