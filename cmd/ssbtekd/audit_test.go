package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/audit/auditstore"
	"github.com/ssbtek/gateway/audit/postgres/pgtest"
	"github.com/ssbtek/gateway/audit/sqlite"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// auditArgs keeps a test gateway's audit log and key in t's own directory,
// not in ./data of the package.
func auditArgs(t testing.TB) []string {
	dir := t.TempDir()
	return []string{"-audit-db", filepath.Join(dir, "audit.db"), "-audit-key", filepath.Join(dir, "audit.key")}
}

// auditGateway is devGateway with every agency unlimited (the audit tests
// count records, not the per-agency rate limit's, the per-caller bound's or
// the per-organisation connection bound's refusals: 200 lookups from one
// certificate at once) and args.
func auditGateway(t *testing.T, args ...string) *gateway {
	return devGateway(t, append([]string{"-agency-rate", "0", "-max-in-flight-per-caller", "0", "-max-lookups", "0", "-max-conns-per-org", "0"}, args...)...)
}

const restFraga = `{"fraga":{"organisationsnummer":"162120002411","ingivare":"Exempelkommun","handlaggare":"h1",
	"personidentitet":"%s","arendeidentitet":"A-%d","period":{"from":"2026-08-01","tom":"2026-10-31"},
	"syfte":"Utredning","lagtext":"SoL 11 kap. 11 §","korrelationsid":"K-%d"}}`

const soapFraga = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ssbt="http://schema.forsakringskassan.se/integration/ssbt/10">
 <soap:Body><ssbt:hamtaBastjanstInformation>
  <ssbt:generellaFrageparametrar>
   <ssbt:korrelationsid>K-%d</ssbt:korrelationsid>
   <ssbt:fraganSkallInkluderasISvaret>false</ssbt:fraganSkallInkluderasISvaret>
   <ssbt:ingivare><ssbt:organisationsnummer>162120002411</ssbt:organisationsnummer><ssbt:namn>Exempelkommun</ssbt:namn><ssbt:handlaggare>h1</ssbt:handlaggare></ssbt:ingivare>
   <ssbt:personidentitet>%s</ssbt:personidentitet>
   <ssbt:arendeidentitet>A-%d</ssbt:arendeidentitet>
   <ssbt:tidsperiod><ssbt:fromDatum>2026-08-01</ssbt:fromDatum><ssbt:tomDatum>2026-10-31</ssbt:tomDatum></ssbt:tidsperiod>
   <ssbt:syfte>Utredning</ssbt:syfte><ssbt:lagtext>SoL 11 kap. 11 §</ssbt:lagtext>
  </ssbt:generellaFrageparametrar>
  <ssbt:specifikaFrageparametrar>
   <ssbt:AF inkludera="true"/><ssbt:CSN inkludera="true"/><ssbt:FK inkludera="false"/><ssbt:SKV inkludera="true"/>
   <ssbt:SO inkludera="true"/><ssbt:TNS inkludera="false"/><ssbt:MIV inkludera="false"/>
  </ssbt:specifikaFrageparametrar>
 </ssbt:hamtaBastjanstInformation></soap:Body></soap:Envelope>`

// persons is every test person, so the log check sees every kind of answer
// (data, none, protected, agency errors, slow).
var persons = []string{"191212121212", "199001011239", "198503152384", "197207041190", "200109114520",
	"196408232814", "199511303498", "195802281625", "198305742218"}

// answer is what one interface call gave back.
type answer struct {
	iface  string
	status int // HTTP status, or the gRPC code
	body   string
	err    error
}

// ask makes lookup i over interface i%4: REST compiled, REST one agency,
// gRPC, SOAP.
func (gw *gateway) ask(ctx context.Context, c *http.Client, conn *grpc.ClientConn, i int) answer {
	person := persons[i%len(persons)]
	post := func(path, ctype, body string) (int, string, error) {
		resp, err := c.Post("https://"+gw.httpAddr+path, ctype, strings.NewReader(body))
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	switch i % 4 {
	case 0:
		code, body, err := post("/v1/sammanstallning", "application/json", fmt.Sprintf(restFraga, person, i, i))
		return answer{"rest", code, body, err}
	case 1:
		code, body, err := post("/v1/arbetsmarknadsatgarder", "application/json", fmt.Sprintf(restFraga, person, i, i))
		return answer{"rest", code, body, err}
	case 2:
		res, err := ssbtekv1.NewSammansattBastjanstServiceClient(conn).HamtaSammanstallning(ctx, &ssbtekv1.HamtaSammanstallningRequest{
			Fraga: &ssbtekv1.Fraga{Organisationsnummer: "162120002411", Ingivare: "Exempelkommun", Handlaggare: "h1",
				Personidentitet: person, Arendeidentitet: fmt.Sprintf("A-%d", i), Korrelationsid: fmt.Sprintf("K-%d", i),
				Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"}, Syfte: "Utredning", Lagtext: "SoL 11 kap. 11 §"},
		})
		return answer{"grpc", int(status.Code(err)), fmt.Sprint(res), nil}
	default:
		code, body, err := post("/ssbtek", "text/xml; charset=utf-8", fmt.Sprintf(soapFraga, i, person, i))
		return answer{"soap", code, body, err}
	}
}

// grpcConn is a gRPC connection presenting the development certificate
// "kommun".
func (gw *gateway) grpcConn(t *testing.T) *grpc.ClientConn {
	conn, err := grpc.NewClient(gw.grpcAddr, grpc.WithTransportCredentials(credentials.NewTLS(gw.tlsAs(t, "kommun"))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// askAll makes n lookups in parallel, spread over every interface and the
// gateways, and fails on any that did not get an answer.
func askAll(t *testing.T, n int, gws ...*gateway) {
	conns := make([]*grpc.ClientConn, len(gws))
	clients := make([]*http.Client, len(gws))
	for i, gw := range gws {
		conns[i], clients[i] = gw.grpcConn(t), gw.client(t, "kommun")
	}
	var wg sync.WaitGroup
	answers := make([]answer, n)
	for i := range n {
		wg.Go(func() {
			g := i % len(gws)
			answers[i] = gws[g].ask(context.Background(), clients[g], conns[g], i)
		})
	}
	wg.Wait()
	for i, a := range answers {
		ok := (a.iface == "grpc" && a.status == int(codes.OK)) || (a.iface != "grpc" && a.status == 200)
		if a.err != nil || !ok {
			var logs strings.Builder
			for _, gw := range gws {
				for _, l := range strings.Split(gw.stderr.String(), "\n") {
					if strings.Contains(l, "ERROR") {
						fmt.Fprintln(&logs, l)
					}
				}
			}
			t.Fatalf("lookup %d over %s: %d %v %.300s\nthe gateways' errors:\n%.3000s", i, a.iface, a.status, a.err, a.body, logs.String())
		}
	}
}

// checkLog opens the store the flags name and checks it holds exactly want
// records, a verifying tree and a checkpoint of all of them (the one
// published on shutdown).
func checkLog(t *testing.T, db, dsn, key string, want int64) audit.Store {
	ctx := context.Background()
	st, err := auditstore.Open(ctx, db, dsn, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	v, err := audit.LoadVerifiers(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(ctx, st, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Intact() || rep.Size != want || rep.Latest == nil || rep.Latest.Size != want {
		t.Fatalf("audit log: size %d (want %d), latest %+v, problems %v", rep.Size, want, rep.Latest, rep.Problems)
	}
	return st
}

// personnummerInLog is a 12-digit personnummer standing alone: not part of
// a longer run of digits or hex, such as a nanosecond timestamp or the
// korrelationsid's hex digest, which matched by chance before.
var personnummerInLog = regexp.MustCompile(`(^|[^0-9a-fA-F])(19|20)\d{10}([^0-9a-fA-F]|$)`)

func TestAuditEveryLookupOnBothStores(t *testing.T) {
	const n = 200
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		db, key := filepath.Join(dir, "audit.db"), filepath.Join(dir, "audit.key")
		gw := auditGateway(t, "-audit-db", db, "-audit-key", key)
		askAll(t, n, gw)
		stopGateway(t, gw)
		st := checkLog(t, db, "", key, n)
		checkRecords(t, st, n)
		if m := personnummerInLog.FindString(gw.stderr.String()); m != "" {
			t.Errorf("application log holds a personnummer %s", m)
		}
	})
	t.Run("postgres-two-gateways", func(t *testing.T) {
		dsn := pgtest.NewDatabase(t)
		key := filepath.Join(t.TempDir(), "audit.key")
		// Two replicas on one database: this process and another.
		// Both trust the one development CA: the second reuses the first's.
		gw1 := auditGateway(t, "-audit-dsn", dsn, "-audit-key", key)
		gw2 := startGatewayProcess(t, "-simulate", "-agency-rate", "0", "-max-in-flight-per-caller", "0", "-max-lookups", "0", "-max-conns-per-org", "0", "-dev-certs", gw1.dir, "-audit-dsn", dsn, "-audit-key", key)
		askAll(t, n, gw1, gw2)
		stopGateway(t, gw1)
		stopGateway(t, gw2)
		st := checkLog(t, "", dsn, key, n)
		checkRecords(t, st, n)
		for _, gw := range []*gateway{gw1, gw2} {
			if m := personnummerInLog.FindString(gw.stderr.String()); m != "" {
				t.Errorf("application log holds a personnummer %s", m)
			}
		}
	})
}

// checkRecords checks each interface's share of the records and that the
// records carry the question and each agency's outcome.
func checkRecords(t *testing.T, st audit.Store, n int64) {
	perIface := map[string]int{}
	skyddad := 0
	st.Scan(context.Background(), 0, n, func(r audit.Record) error {
		perIface[r.Interface]++
		if r.SkyddadIdentitet {
			skyddad++
			if r.Personidentitet != "198503152384" {
				t.Errorf("record %d flags SKYDDADIDENTITET for another person", r.ID)
			}
		}
		if r.Handlaggare != "h1" || r.Ingivare != "162120002411" || !strings.HasPrefix(r.Arendeidentitet, "A-") || len(r.Agencies) == 0 {
			t.Errorf("record %d lacks the question or the outcomes: %+v", r.ID, r)
		}
		return nil
	})
	if perIface["rest"] != int(n)/2 || perIface["grpc"] != int(n)/4 || perIface["soap"] != int(n)/4 {
		t.Errorf("records per interface: %v", perIface)
	}
	if skyddad == 0 {
		t.Error("no record flags the protected identity")
	}
}

// refusesEverywhere checks that every interface withholds the agencies'
// answers: gRPC UNAVAILABLE, REST 503, SOAP fault 1003.
func refusesEverywhere(t *testing.T, gw *gateway) {
	conn, c := gw.grpcConn(t), gw.client(t, "kommun")
	for i := range 4 {
		a := gw.ask(context.Background(), c, conn, i)
		switch a.iface {
		case "grpc":
			if a.status != int(codes.Unavailable) || strings.Contains(a.body, "BASTJANST") {
				t.Errorf("gRPC with the audit log down: code %d, %s", a.status, a.body)
			}
		case "rest":
			if a.status != http.StatusServiceUnavailable || strings.Contains(a.body, "BASTJANST_") || strings.Contains(a.body, "radata") {
				t.Errorf("REST %d with the audit log down: %d %s", i, a.status, a.body)
			}
		case "soap":
			if a.status != 500 || !strings.Contains(a.body, "<felkod>1003</felkod>") && !strings.Contains(a.body, ":felkod>1003<") || strings.Contains(a.body, "svarsdata") {
				t.Errorf("SOAP with the audit log down: %d %s", a.status, a.body)
			}
		}
	}
	// A stream sends nothing: its question is recorded before any agency
	// is asked.
	req := &ssbtekv1.HamtaSammanstallningRequest{Fraga: &ssbtekv1.Fraga{Organisationsnummer: "162120002411", Ingivare: "Exempelkommun", Handlaggare: "h1",
		Personidentitet: "191212121212", Arendeidentitet: "A-S", Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"}, Syfte: "Utredning", Lagtext: "SoL 11 kap. 11 §"}}
	stream, err := ssbtekv1.NewSammansattBastjanstServiceClient(conn).StreamaSammanstallning(context.Background(), req)
	if err == nil {
		var msg *ssbtekv1.StreamaSammanstallningResponse
		msg, err = stream.Recv()
		if msg != nil {
			t.Errorf("gRPC stream with the audit log down sent %v", msg)
		}
	}
	if status.Code(err) != codes.Unavailable {
		t.Errorf("gRPC stream with the audit log down: %v, want UNAVAILABLE", err)
	}
	code, body := do(t, c, http.MethodPost, "https://"+gw.httpAddr+"/v1/sammanstallning:stream", "application/json", fmt.Sprintf(restFraga, "191212121212", 0, 0))
	if code != http.StatusServiceUnavailable || strings.Contains(body, "result") {
		t.Errorf("REST stream with the audit log down: %d %s", code, body)
	}
	// Nor is it ready: readiness includes the audit store taking writes.
	if code, body := getBody(t, http.DefaultClient, "http://"+gw.opsAddr+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "audit log") {
		t.Errorf("/readyz with the audit log down: %d %q", code, body)
	}
	if !strings.Contains(gw.stderr.String(), "audit record not committed, answer withheld") {
		t.Error("the audit failure was not logged")
	}
	if m := personnummerInLog.FindString(gw.stderr.String()); m != "" {
		t.Errorf("application log holds a personnummer %s", m)
	}
}

func TestAuditFailsClosedSQLiteReadOnly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "audit.db")
	s, err := sqlite.Open(context.Background(), db, false)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	gw := auditGateway(t, "-audit-db", "file:"+db+"?mode=ro", "-audit-key", filepath.Join(dir, "audit.key"))
	refusesEverywhere(t, gw)
}

func TestAuditFailsClosedPostgresRevoked(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	role := "audit_writer_" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_"))[len("TestAudit"):]
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	for _, q := range []string{
		`DROP ROLE IF EXISTS ` + role,
		`CREATE ROLE ` + role + ` LOGIN`,
		`GRANT USAGE, CREATE ON SCHEMA public TO ` + role,
		`GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO ` + role,
	} {
		if _, err := admin.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		// Roles outlive databases: take back its grants, then the role
		// (the gateway using it has stopped by now).
		for _, q := range []string{`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ` + role,
			`REVOKE ALL ON SCHEMA public FROM ` + role, `DROP ROLE ` + role} {
			if _, err := admin.ExecContext(ctx, q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	gw := auditGateway(t, "-audit-dsn", pgtest.WithUser(t, dsn, role), "-audit-key", filepath.Join(t.TempDir(), "audit.key"))
	if a := gw.ask(ctx, gw.client(t, "kommun"), gw.grpcConn(t), 0); a.status != 200 {
		t.Fatalf("before the revoke: %d %.300s", a.status, a.body)
	}
	if _, err := admin.ExecContext(ctx, `REVOKE INSERT, UPDATE ON ALL TABLES IN SCHEMA public FROM `+role); err != nil {
		t.Fatal(err)
	}
	refusesEverywhere(t, gw)
}

// TestAuditRecordsRefusals: a question the gateway refuses is recorded with
// the reason and without agency outcomes, on the compiled answer's route and
// on the two that stream or summarise it.
func TestAuditRecordsRefusals(t *testing.T) {
	dir := t.TempDir()
	db, key := filepath.Join(dir, "audit.db"), filepath.Join(dir, "audit.key")
	gw := auditGateway(t, "-audit-db", db, "-audit-key", key)
	body := fmt.Sprintf(restFraga, "191212121213", 1, 1) // bad check digit
	routes := []string{"/v1/sammanstallning", "/v1/sammanstallning:stream", "/v1/inkomstsammanstallning"}
	for _, path := range routes {
		resp, err := gw.client(t, "kommun").Post("https://"+gw.httpAddr+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s, bad personidentitet: %d", path, resp.StatusCode)
		}
	}
	stopGateway(t, gw)
	st := checkLog(t, db, "", key, int64(len(routes)))
	st.Scan(context.Background(), 0, int64(len(routes)), func(r audit.Record) error {
		if !strings.Contains(r.Refusal, "VALIDERINGSFEL") || !strings.Contains(r.Refusal, "personidentitet") ||
			r.Agencies != nil || r.Personidentitet != "191212121213" || r.Interface != "rest" {
			t.Errorf("refusal record: %+v", r)
		}
		return nil
	})
}

// childArgsEnv carries the arguments of a gateway run in a child process.
const childArgsEnv = "SSBTEK_TEST_GATEWAY_ARGS"

// TestGatewayChild is not a test of its own: it is the second gateway
// process of startGatewayProcess, run by re-executing this test binary. It
// prints its addresses and serves until SIGTERM.
func TestGatewayChild(t *testing.T) {
	args := os.Getenv(childArgsEnv)
	if args == "" {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	err := run(ctx, append(append([]string(nil), freePorts...), strings.Split(args, "\n")...),
		func(string) string { return "" }, io.Discard, os.Stderr,
		func(at listening) { fmt.Printf("READY %s %s %s\n", at.grpc, at.http, at.ops) })
	if err != nil {
		t.Fatal(err)
	}
}

// startGatewayProcess runs a gateway in another process.
func startGatewayProcess(t *testing.T, args ...string) *gateway {
	t.Helper()
	gw, wait := launchGatewayProcess(t, args...)
	wait()
	return gw
}

// launchGatewayProcess starts a gateway in another process and returns at
// once, with the function that waits until it listens (so several can
// start together). gw.stop sends SIGTERM and waits; gw.kill sends SIGKILL.
func launchGatewayProcess(t *testing.T, args ...string) (*gateway, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestGatewayChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join(args, "\n"))
	gw := &gateway{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	for i, a := range args {
		if a == "-dev-certs" {
			gw.dir = args[i+1]
		}
	}
	cmd.Stderr = gw.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	gw.pid = cmd.Process.Pid
	lines := bufio.NewScanner(out)
	ready := make(chan bool, 1)
	go func() {
		for lines.Scan() {
			if f := strings.Fields(lines.Text()); len(f) == 4 && f[0] == "READY" {
				gw.grpcAddr, gw.httpAddr, gw.opsAddr = f[1], f[2], f[3]
				ready <- true
			}
		}
		close(ready)
	}()
	var once sync.Once
	var waitErr error
	gw.stop = func() error {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			if waitErr = cmd.Wait(); waitErr != nil {
				waitErr = fmt.Errorf("child gateway: %w\n%s", waitErr, gw.stderr.String())
			}
		})
		return waitErr
	}
	gw.kill = func() {
		once.Do(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
	}
	t.Cleanup(func() { gw.stop() })
	return gw, func() {
		t.Helper()
		select {
		case ok := <-ready:
			if !ok {
				gw.kill()
				t.Fatalf("child gateway ended early:\n%s", gw.stderr.String())
			}
		case <-time.After(30 * time.Second):
			gw.kill()
			t.Fatal("child gateway did not start")
		}
	}
}

// stopGateway stops gw and fails t if it did not end cleanly.
func stopGateway(t *testing.T, gw *gateway) {
	t.Helper()
	if err := gw.stop(); err != nil {
		t.Errorf("gateway: %v", err)
	}
}

// TestAuditRecordCarriesTheCertificate: a record names the client
// certificate the question came with (subject, serialNumber, fingerprint),
// the ingivare, and the ombud when the certificate is the ombud's (SOAP with
// the iip header naming the municipality).
func TestAuditRecordCarriesTheCertificate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, key := filepath.Join(dir, "audit.db"), filepath.Join(dir, "audit.key")
	gw := auditGateway(t, "-audit-db", db, "-audit-key", key)
	kommun, conn := gw.client(t, "kommun"), gw.grpcConn(t)
	for _, i := range []int{0, 2} { // REST, gRPC
		if a := gw.ask(ctx, kommun, conn, i); a.err != nil || (a.status != 200 && a.status != int(codes.OK)) {
			t.Fatalf("%s: %d %v %.300s", a.iface, a.status, a.err, a.body)
		}
	}
	if a := askSOAP(t, gw.client(t, "ombud"), gw.httpAddr, soapQuestion{iip: "2120002411", ingivare: devKommun, pnr: "191212121212"}); a.felkod != "" {
		t.Fatalf("SOAP as the ombud: fault %s %s", a.felkod, a.fault)
	}
	stopGateway(t, gw)
	want := map[string]struct{ cert, serial, ombud string }{
		"rest": {"kommun", devKommun, ""},
		"grpc": {"kommun", devKommun, ""},
		"soap": {"ombud", devOmbud, devOmbud},
	}
	st := checkLog(t, db, "", key, 3)
	seen := map[string]bool{}
	st.Scan(ctx, 0, 3, func(r audit.Record) error {
		w, ok := want[r.Interface]
		if !ok {
			t.Fatalf("record %d over %q", r.ID, r.Interface)
		}
		seen[r.Interface] = true
		pemBytes, err := os.ReadFile(filepath.Join(gw.dir, "pki", w.cert+".pem"))
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(pemBytes)
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(cert.Raw)
		if r.CertSubject != cert.Subject.String() || r.CertSerialNumber != w.serial || r.CertFingerprint != hex.EncodeToString(sum[:]) {
			t.Errorf("%s record: certificate %q %q %q, want %q %q %x", r.Interface, r.CertSubject, r.CertSerialNumber, r.CertFingerprint,
				cert.Subject.String(), w.serial, sum)
		}
		if r.Ombud != w.ombud || r.Ingivare != devKommun {
			t.Errorf("%s record: ombud %q ingivare %q, want %q %q", r.Interface, r.Ombud, r.Ingivare, w.ombud, devKommun)
		}
		return nil
	})
	if len(seen) != 3 {
		t.Errorf("records over %v, want rest, grpc and soap", seen)
	}
}
