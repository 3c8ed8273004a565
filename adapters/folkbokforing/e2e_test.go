package folkbokforing_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/adapters/folkbokforing"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/testenv"
	"github.com/ssbtek/gateway/internal/testpki"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/rights"
	"github.com/ssbtek/gateway/server"
)

// The rights file names no population register: its data is public, so every
// connected organisation may ask it. Snål kommun may ask twice a day.
const testRights = `
organisationer:
  - organisationsnummer: "162120002411"
    namn: Exempelkommun
    bastjanster: [AF]
  - organisationsnummer: "162120003336"
    namn: Snål kommun
    bastjanster: []
    dagskvot: 2
`

const (
	kommun = "162120002411"
	snal   = "162120003336"
	okand  = "162120009998"
)

// auditor keeps the records in memory.
type auditor struct {
	mu   sync.Mutex
	recs []audit.Record
}

func (a *auditor) Append(_ context.Context, r *audit.Record) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.recs = append(a.recs, *r)
	return nil
}

func (a *auditor) last(t *testing.T) audit.Record {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.recs) == 0 {
		t.Fatal("no audit record")
	}
	return a.recs[len(a.recs)-1]
}

// gateway is the real gateway (servers over TLS with client certificates on
// loopback, lookup service, fan-out, every adapter and simulator).
type gateway struct {
	audit   *auditor
	pki     *testpki.PKI
	grpc    string
	httpURL string
}

func start(t *testing.T) *gateway {
	t.Helper()
	env := testenv.New(t, fanout.Config{})
	r, err := rights.Parse([]byte(testRights))
	if err != nil {
		t.Fatal(err)
	}
	svc := lookup.New(env.Core, nil, lookup.WithRights(rights.Static(r)), lookup.WithQuota(quota.NewMemory()))
	a := &auditor{}
	svc.SetAuditor(a)
	p := testpki.New(t)
	opts := server.Options{TLS: p.ServerTLS(), Tjanster: env.Tjanster}
	gs, err := server.NewGRPC(svc, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	hh, err := server.NewHTTP(ctx, svc, opts)
	if err != nil {
		t.Fatal(err)
	}
	gl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); server.ServeGRPC(ctx, gl, gs) }()
	go func() { defer wg.Done(); server.ServeHTTP(ctx, tls.NewListener(hl, p.ServerTLS()), hh) }()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return &gateway{audit: a, pki: p, grpc: gl.Addr().String(), httpURL: "https://" + hl.Addr().String()}
}

// fraga is §12.1's question in the forms §12.1 writes them.
func fraga(pnr string) *ssbtekv1.PersonuppgifterFraga {
	if len(pnr) == 12 {
		pnr = pnr[:8] + "-" + pnr[8:]
	}
	return &ssbtekv1.PersonuppgifterFraga{
		Organisationsnummer: "212000-2411", Ingivare: "Exempelkommun", Handlaggare: "handlaggare01",
		Personidentitet: pnr, Arendeidentitet: "ARENDE-1",
		Syfte: "Utredning av ekonomiskt bistånd", Lagtext: "SoL 11 kap. 11 §", Korrelationsid: "korr-fb",
	}
}

// askGRPC asks over gRPC as organisation org.
func (g *gateway) askGRPC(t *testing.T, org string, q *ssbtekv1.PersonuppgifterFraga) (*ssbtekv1.BastjanstResultat, error) {
	t.Helper()
	conn, err := grpc.NewClient(g.grpc, grpc.WithTransportCredentials(credentials.NewTLS(g.pki.Client(t, testpki.Org(org)))))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	resp, err := ssbtekv1.NewFolkbokforingServiceClient(conn).HamtaPersonuppgifter(t.Context(), &ssbtekv1.HamtaPersonuppgifterRequest{Fraga: q})
	return resp.GetResultat(), err
}

// askREST asks over REST as organisation org; a non-200 answer is an error
// holding the status code and body.
func (g *gateway) askREST(t *testing.T, org string, q *ssbtekv1.PersonuppgifterFraga) (*ssbtekv1.BastjanstResultat, error) {
	t.Helper()
	body, err := protojson.Marshal(&ssbtekv1.HamtaPersonuppgifterRequest{Fraga: q})
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: g.pki.Client(t, testpki.Org(org))}}
	defer c.CloseIdleConnections()
	resp, err := c.Post(g.httpURL+"/v1/personuppgifter", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, &restError{resp.StatusCode, string(data)}
	}
	var out ssbtekv1.HamtaPersonuppgifterResponse
	if err := protojson.Unmarshal(data, &out); err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
	return out.GetResultat(), nil
}

type restError struct {
	code int
	body string
}

func (e *restError) Error() string { return http.StatusText(e.code) + ": " + e.body }

var interfaces = map[string]func(*gateway, *testing.T, string, *ssbtekv1.PersonuppgifterFraga) (*ssbtekv1.BastjanstResultat, error){
	"grpc": (*gateway).askGRPC,
	"rest": (*gateway).askREST,
}

// Every test person over gRPC and over REST: the answer as §12.2 (status,
// personuppgifter), each lookup recorded with the person, the purpose and
// the outcome.
func TestHamtaPersonuppgifterEveryTestPerson(t *testing.T) {
	g := start(t)
	for _, tt := range []struct {
		name, pnr string
		kod       ssbtekv1.StatusKod
		check     func(t *testing.T, p *ssbtekv1.Personuppgifter)
	}{
		{"Tolvan, spouse and child", simkit.Tolvan, ssbtekv1.StatusKod_STATUS_KOD_OK, func(t *testing.T, p *ssbtekv1.Personuppgifter) {
			if p.GetFullstandigtNamn() != "Tolvansson Tolvan" || p.GetFolkbokforingsadress().GetPostort() != "TOLVSTAD" || p.GetVistelseadress() != nil {
				t.Errorf("Tolvan: %v", p)
			}
			if s := p.GetSamhorig(); s.GetPersonidentitet() != folkbokforing.TolvansMake || s.GetSamhorighet() != "Make/maka" {
				t.Errorf("samhörig: %v", s)
			}
			if b := p.GetBarn(); len(b) != 1 || b[0].GetPersonidentitet() != folkbokforing.TolvansBarn || !b[0].GetVardnadshavare() {
				t.Errorf("barn: %v", b)
			}
		}},
		{"protected identity", simkit.Skyddad, ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET, func(t *testing.T, p *ssbtekv1.Personuppgifter) {
			if !p.GetSkyddadIdentitet() || p.GetFolkbokforingsadress() != nil || p.GetVistelseadress() != nil || len(p.GetBarn()) > 0 || p.GetSamhorig() != nil {
				t.Errorf("protected identity, yet: %v", p)
			}
		}},
		{"samordningsnummer", simkit.Samordningsnummer, ssbtekv1.StatusKod_STATUS_KOD_OK, func(t *testing.T, p *ssbtekv1.Personuppgifter) {
			if p.GetPersonidentitet() != simkit.Samordningsnummer || p.GetFolkbokforingsadress() != nil || p.GetVistelseadress().GetPostort() != "GÖTEBORG" {
				t.Errorf("samordningsnummer: %v", p)
			}
		}},
		{"vistelseadress", simkit.Student, ssbtekv1.StatusKod_STATUS_KOD_OK, func(t *testing.T, p *ssbtekv1.Personuppgifter) {
			if p.GetFolkbokforingsadress().GetPostort() != "NÄSSJÖ" || p.GetVistelseadress().GetCoadress() != "Studentbostäder i Lund" {
				t.Errorf("student: %v", p)
			}
		}},
		{"job seeker", simkit.Jobbsokare, ssbtekv1.StatusKod_STATUS_KOD_OK, nil},
		{"newly arrived", simkit.Nyanland, ssbtekv1.StatusKod_STATUS_KOD_OK, func(t *testing.T, p *ssbtekv1.Personuppgifter) {
			if p.GetMedborgarskap() != "Syrien" {
				t.Errorf("newly arrived: %v", p)
			}
		}},
		{"pensioner", simkit.Pensionar, ssbtekv1.StatusKod_STATUS_KOD_OK, nil},
		{"unknown person", adaptertest.Nobody, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil},
		{"wrong check digit", "191212121213", ssbtekv1.StatusKod_STATUS_KOD_IDENTITETFELAKTIG, nil},
		{"register's own error", simkit.Felperson, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil},
	} {
		for iface, ask := range interfaces {
			t.Run(tt.name+"/"+iface, func(t *testing.T) {
				res, err := ask(g, t, kommun, fraga(tt.pnr))
				if err != nil {
					t.Fatalf("HamtaPersonuppgifter: %v", err)
				}
				if res.GetBastjanst() != ssbtekv1.Bastjanst_BASTJANST_FOLKBOKFORING || res.GetStatus().GetKod() != tt.kod {
					t.Fatalf("%v %v, want FOLKBOKFORING %v", res.GetBastjanst(), res.GetStatus(), tt.kod)
				}
				p := res.GetFolkbokforing()
				switch {
				case tt.check != nil:
					tt.check(t, p)
				case tt.kod == ssbtekv1.StatusKod_STATUS_KOD_OK && p.GetFolkbokforingsadress() == nil:
					t.Errorf("no folkbokföringsadress: %v", p)
				case tt.kod != ssbtekv1.StatusKod_STATUS_KOD_OK && p != nil:
					t.Errorf("status %v with personuppgifter %v", tt.kod, p)
				}
				if tt.kod == ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL && (res.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_BT || res.GetFel().GetFelkod() != "ANNATFEL") {
					t.Errorf("the register's error: %v", res.GetFel())
				}
				if len(res.GetRadata().GetInnehall()) == 0 {
					t.Error("the raw answer is not kept")
				}
				rec := g.audit.last(t)
				want := strings.ReplaceAll(tt.pnr, "-", "")
				if rec.Personidentitet != want || rec.Ingivare != kommun || rec.Interface != iface || rec.Syfte == "" || rec.Refusal != "" ||
					len(rec.Agencies) != 1 || rec.Agencies[0].Bastjanst != "FOLKBOKFORING" || rec.Agencies[0].Status != tt.kod.String() {
					t.Errorf("audit record %+v, want the lookup of %s by %s over %s", rec, want, kommun, iface)
				}
				if rec.SkyddadIdentitet != (tt.kod == ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET) {
					t.Errorf("audit record's skyddad identitet = %v", rec.SkyddadIdentitet)
				}
			})
		}
	}
}

// What the gateway refuses is refused before the register is asked, as on
// every call: a bad question (400 / INVALID_ARGUMENT naming the field), an
// organisation not in the rights file, a spent quota.
func TestHamtaPersonuppgifterRefusals(t *testing.T) {
	g := start(t)
	for name, q := range map[string]*ssbtekv1.PersonuppgifterFraga{
		"no date": func() *ssbtekv1.PersonuppgifterFraga { q := fraga("199002301234"); return q }(),
		"ten digits": func() *ssbtekv1.PersonuppgifterFraga {
			q := fraga(simkit.Tolvan)
			q.Personidentitet = "121212-1212"
			return q
		}(),
		"no syfte":       func() *ssbtekv1.PersonuppgifterFraga { q := fraga(simkit.Tolvan); q.Syfte = ""; return q }(),
		"no handlaggare": func() *ssbtekv1.PersonuppgifterFraga { q := fraga(simkit.Tolvan); q.Handlaggare = ""; return q }(),
	} {
		_, err := g.askGRPC(t, kommun, q)
		if st, _ := status.FromError(err); st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), "VALIDERINGSFEL") || !strings.Contains(st.Message(), "fraga.") {
			t.Errorf("%s over gRPC: %v, want INVALID_ARGUMENT VALIDERINGSFEL naming the field", name, err)
		}
		_, err = g.askREST(t, kommun, q)
		if re, ok := err.(*restError); !ok || re.code != http.StatusBadRequest || !strings.Contains(re.body, "VALIDERINGSFEL") {
			t.Errorf("%s over REST: %v, want 400 VALIDERINGSFEL", name, err)
		}
	}
	_, err := g.askGRPC(t, okand, fraga(simkit.Tolvan))
	if st, _ := status.FromError(err); st.Code() != codes.PermissionDenied {
		t.Errorf("an organisation not in the rights file: %v, want PERMISSION_DENIED", err)
	}
	// Snål kommun's two questions a day are spent by two lookups here.
	for i := range 3 {
		q := fraga(simkit.Tolvan)
		q.Organisationsnummer = snal
		_, err := g.askREST(t, snal, q)
		if i < 2 && err != nil {
			t.Fatalf("question %d within the quota: %v", i+1, err)
		}
		if re, ok := err.(*restError); i == 2 && (!ok || re.code != http.StatusTooManyRequests) {
			t.Errorf("question over the quota: %v, want 429", err)
		}
	}
}
