package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ssbtek/gateway/audit"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// TestPeriodOutOfBoundsEveryInterface: the question of the attack (a period
// of two centuries) is OGILTIGTIDSPERIOD naming the field over REST, gRPC
// and SOAP, asks no agency, and each refusal is in the audit log.
func TestPeriodOutOfBoundsEveryInterface(t *testing.T) {
	dir := t.TempDir()
	db, key := filepath.Join(dir, "audit.db"), filepath.Join(dir, "audit.key")
	gw := auditGateway(t, "-audit-db", db, "-audit-key", key)
	c := gw.client(t, "kommun")
	const from, tom = "1900-01-01", "2099-12-31"

	rest := strings.Replace(fmt.Sprintf(restFraga, "191212121212", 1, 1), `"from":"2026-08-01","tom":"2026-10-31"`, `"from":"`+from+`","tom":"`+tom+`"`, 1)
	code, body := do(t, c, http.MethodPost, "https://"+gw.httpAddr+"/v1/sammanstallning", "application/json", rest)
	if code != http.StatusBadRequest || !strings.Contains(body, "OGILTIGTIDSPERIOD") || !strings.Contains(body, "fraga.period.from") {
		t.Errorf("REST: %d %s", code, body)
	}

	_, err := ssbtekv1.NewSammansattBastjanstServiceClient(gw.grpcConn(t)).HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{
		Fraga: &ssbtekv1.Fraga{Organisationsnummer: "162120002411", Ingivare: "Exempelkommun", Handlaggare: "h1",
			Personidentitet: "191212121212", Arendeidentitet: "A-2", Korrelationsid: "K-2",
			Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"}, Syfte: "Utredning", Lagtext: "SoL 11 kap. 11 §",
			BastjanstPerioder: []*ssbtekv1.BastjanstPeriod{{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_FK, Period: &ssbtekv1.Tidsperiod{From: from, Tom: tom}}}},
	})
	st := status.Convert(err)
	reason := ""
	for _, d := range st.Details() {
		if ei, ok := d.(*errdetails.ErrorInfo); ok {
			reason = ei.GetReason()
		}
	}
	if st.Code() != codes.InvalidArgument || reason != "OGILTIGTIDSPERIOD" || !strings.Contains(st.Message(), "fraga.bastjanst_perioder[0].period.from") {
		t.Errorf("gRPC: %v %s %s", st.Code(), reason, st.Message())
	}

	soap := strings.Replace(fmt.Sprintf(soapFraga, 3, "191212121212", 3), "<ssbt:fromDatum>2026-08-01</ssbt:fromDatum><ssbt:tomDatum>2026-10-31</ssbt:tomDatum>",
		"<ssbt:fromDatum>"+from+"</ssbt:fromDatum><ssbt:tomDatum>"+tom+"</ssbt:tomDatum>", 1)
	code, body = do(t, c, http.MethodPost, "https://"+gw.httpAddr+"/ssbtek", "text/xml; charset=utf-8", soap)
	if code != http.StatusInternalServerError || !strings.Contains(body, "<ssbt:felkod>1001</ssbt:felkod>") || !strings.Contains(body, "fraga.period.from") {
		t.Errorf("SOAP: %d %s", code, body)
	}

	stopGateway(t, gw)
	store := checkLog(t, db, "", key, 3)
	var ifaces []string
	store.Scan(context.Background(), 0, 3, func(r audit.Record) error {
		ifaces = append(ifaces, r.Interface)
		if !strings.HasPrefix(r.Refusal, "period:") || !strings.Contains(r.Refusal, ".period.from") || len(r.Agencies) != 0 {
			t.Errorf("record of %s: refusal %q, agencies %v", r.Interface, r.Refusal, r.Agencies)
		}
		return nil
	})
	if strings.Join(ifaces, ",") != "rest,grpc,soap" {
		t.Errorf("records of %v", ifaces)
	}
}

// worstCase is the costliest question the bounds admit: Tolvan, who has
// data at every agency, over the longest period (36 months, up to the end
// of the current month), every agency.
func worstCase(person string, i int) string {
	now := time.Now()
	from := time.Date(now.Year(), now.Month()-35, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	tom := time.Date(now.Year(), now.Month()+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	return strings.Replace(fmt.Sprintf(restFraga, person, i, i), `"from":"2026-08-01","tom":"2026-10-31"`, `"from":"`+from+`","tom":"`+tom+`"`, 1)
}

// vmHWM is the peak resident set size of process pid (Linux).
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("reading the gateway's peak RSS: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// TestWorstCaseBurstFromOneCaller: the attack of issue 19, 32 questions of
// ten thousand years at once from one caller, then 32 of the costliest the
// bounds admit, against the real gateway in its own
// process with every agency unlimited, keeps the process's peak RSS under
// 512 MiB, and another organisation's lookup, asked in the middle of the
// burst, answers within 2 s (or 32× what it took alone just before, when
// the machine is that much slower).
func TestWorstCaseBurstFromOneCaller(t *testing.T) {
	dir := t.TempDir()
	gw := startGatewayProcess(t, "-simulate", "-agency-rate", "0", "-dev-certs", filepath.Join(dir, "data"),
		"-audit-db", filepath.Join(dir, "audit.db"), "-audit-key", filepath.Join(dir, "audit.key"))
	url := "https://" + gw.httpAddr + "/v1/sammanstallning"
	kommun, other := gw.client(t, "kommun"), gw.client(t, "utan-tns")

	code, one := do(t, kommun, http.MethodPost, url, "application/json", worstCase("191212121212", 0))
	if code != http.StatusOK {
		t.Fatalf("the worst-case question alone: %d %.300s", code, one)
	}
	base := vmHWM(t, gw.pid)

	// The other caller's lookup alone first: on a quiet machine it takes a
	// fraction of a second and the bound is the 2 s; on a machine
	// that is slower now (CI shares two cores), the bound grows with what
	// the same lookup measured just before the burst, never with luck.
	otherFraga := strings.Replace(fmt.Sprintf(restFraga, "199001011239", 99, 99), "162120002411", "162120001420", 1)
	var alone time.Duration
	for range 2 {
		start := time.Now()
		if code, body := do(t, other, http.MethodPost, url, "application/json", otherFraga); code != http.StatusOK {
			t.Fatalf("the other caller alone: %d %.300s", code, body)
		}
		alone = max(alone, time.Since(start))
	}
	// Fair sharing of the cores with the burst's 32 admitted lookups is
	// at worst one turn in 33; the bound is that, or 2 s when it is less.
	limit := max(2*time.Second, 32*alone)

	// First the attack as it was (a period of 10 000 years: 9.4 MB each
	// when it was admitted), then the worst the bounds admit.
	const burst = 32
	attack := strings.Replace(fmt.Sprintf(restFraga, "191212121212", 0, 0), `"from":"2026-08-01","tom":"2026-10-31"`, `"from":"0000-01-01","tom":"9999-12-31"`, 1)
	var wg sync.WaitGroup
	refused := make([]int, burst)
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			refused[i], _ = do(t, kommun, http.MethodPost, url, "application/json", attack)
		}()
	}
	wg.Wait()
	for i, c := range refused {
		if c != http.StatusBadRequest {
			t.Errorf("attack question %d: %d, want 400 OGILTIGTIDSPERIOD", i, c)
		}
	}
	codes := make([]int, burst)
	started := make(chan struct{}, burst)
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			codes[i], _ = do(t, kommun, http.MethodPost, url, "application/json", worstCase("191212121212", i+1))
		}()
	}
	for range burst {
		<-started
	}
	// The other caller asks while the burst is in flight.
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	code, body := do(t, other, http.MethodPost, url, "application/json", otherFraga)
	took := time.Since(start)
	wg.Wait()
	peak := vmHWM(t, gw.pid)
	answered := 0
	for i, c := range codes {
		if c == http.StatusOK {
			answered++
		} else if c != http.StatusServiceUnavailable && c != http.StatusTooManyRequests {
			t.Errorf("burst question %d: %d", i, c)
		}
	}
	t.Logf("one worst-case answer %d bytes; burst of %d: %d answered; peak RSS %d MiB (%d MiB before the burst); the other caller's lookup %v (alone %v)",
		len(one), burst, answered, peak>>20, base>>20, took.Round(time.Millisecond), alone.Round(time.Millisecond))
	if code != http.StatusOK {
		t.Errorf("the other caller: %d %.300s", code, body)
	}
	if took > limit {
		t.Errorf("the other caller's lookup took %v during the burst, want under %v (2 s, or 32× the %v it took alone)", took, limit, alone)
	}
	if peak > 512<<20 {
		t.Errorf("peak RSS %d MiB, want under 512 MiB", peak>>20)
	}
}

// TestForeignAktorsidRefusedAndRecorded: a SOAP question whose FK fraga
// names another municipality's LEFI actor id is fault 1001 naming
// fraga.fk.aktorsid, and the refusal is in the audit log.
func TestForeignAktorsidRefusedAndRecorded(t *testing.T) {
	dir := t.TempDir()
	db, key := filepath.Join(dir, "audit.db"), filepath.Join(dir, "audit.key")
	gw := auditGateway(t, "-audit-db", db, "-audit-key", key)
	lefi := base64.StdEncoding.EncodeToString([]byte(`{"personnummer":"191212121212","period":{"from":"2026-08-01","tom":"2026-10-31"}}`))
	fk := `<ssbt:FK inkludera="true"><ssbt:fraga><ssbt:aktorsid>%s</ssbt:aktorsid><ssbt:lefiJsonFraga>` + lefi + `</ssbt:lefiJsonFraga></ssbt:fraga></ssbt:FK>`
	ask := func(aktorsid string) (int, string) {
		soap := strings.Replace(fmt.Sprintf(soapFraga, 1, "191212121212", 1), `<ssbt:FK inkludera="false"/>`, fmt.Sprintf(fk, aktorsid), 1)
		return do(t, gw.client(t, "kommun"), http.MethodPost, "https://"+gw.httpAddr+"/ssbtek", "text/xml; charset=utf-8", soap)
	}
	if code, body := ask("162120001420"); code != http.StatusInternalServerError || !strings.Contains(body, "<ssbt:felkod>1001</ssbt:felkod>") || !strings.Contains(body, "fraga.fk.aktorsid") {
		t.Errorf("another municipality's aktorsid: %d %.500s", code, body)
	}
	if code, body := ask("162120002411"); code != http.StatusOK {
		t.Errorf("its own aktorsid: %d %.500s", code, body)
	}
	stopGateway(t, gw)
	store := checkLog(t, db, "", key, 2)
	store.Scan(context.Background(), 0, 1, func(r audit.Record) error {
		if r.Refusal != "validation: fraga.fk.aktorsid" {
			t.Errorf("record of the refusal: %q", r.Refusal)
		}
		return nil
	})
}
