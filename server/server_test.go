package server_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/api"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/testenv"
	"github.com/ssbtek/gateway/internal/testpki"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/rights"
	"github.com/ssbtek/gateway/server"
)

// unknown is a valid personnummer that no simulator knows.
const unknown = "198001011231"

type gateway struct {
	env     *testenv.Env
	pki     *testpki.PKI
	httpURL string
	// grpcAddr is the gRPC listener's address.
	grpcAddr string
	// http and client present the certificate of Exempelkommun (kommun).
	http   *http.Client
	client ssbtekv1.SammansattBastjanstServiceClient
	conn   *grpc.ClientConn
}

// Organisations of the test rights file.
const (
	kommun  = "162120002411" // Exempelkommun: every agency, one ombud
	ombudet = "165565869996" // the hosting company, Exempelkommun's ombud
	utan    = "162120001420" // no medgivande from Transportstyrelsen
	snal    = "162120003336" // a daily quota of 2
)

const testRights = `
organisationer:
  - organisationsnummer: "162120002411"
    namn: Exempelkommun
    bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]
    ombud: ["165565869996"]
  - organisationsnummer: "162120001420"
    namn: Utan medgivande
    bastjanster: [AF, CSN, FK, SKV, SO, MIV]
  - organisationsnummer: "162120009901"
    namn: Utan avtal hos LEFI och TS
    bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]
  - organisationsnummer: "162120003336"
    namn: Snål kommun
    bastjanster: [AF]
    dagskvot: 2
`

// start runs the real gRPC and HTTP servers over TLS with client
// certificates on loopback, over every agency's real adapter and simulator,
// with the test rights file and a daily quota.
func start(t *testing.T, cfg fanout.Config) *gateway {
	t.Helper()
	env := testenv.New(t, cfg)
	r, err := rights.Parse([]byte(testRights))
	if err != nil {
		t.Fatal(err)
	}
	svc := lookup.New(env.Core, nil, lookup.WithRights(rights.Static(r)), lookup.WithQuota(quota.NewMemory()))
	p := testpki.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	opts := server.Options{TLS: p.ServerTLS(), Tjanster: env.Tjanster}
	gs, err := server.NewGRPC(svc, opts)
	if err != nil {
		t.Fatal(err)
	}
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
	done := make(chan struct{}, 2)
	go func() { server.ServeGRPC(ctx, gl, gs); done <- struct{}{} }()
	go func() { server.ServeHTTP(ctx, tls.NewListener(hl, p.ServerTLS()), hh); done <- struct{}{} }()
	g := &gateway{env: env, pki: p, httpURL: "https://" + hl.Addr().String(), grpcAddr: gl.Addr().String()}
	clientTLS := p.Client(t, testpki.Org(kommun))
	g.http = httpClient(clientTLS)
	g.conn = g.dial(t, clientTLS)
	g.client = ssbtekv1.NewSammansattBastjanstServiceClient(g.conn)
	t.Cleanup(func() {
		cancel()
		<-done
		<-done
	})
	return g
}

func httpClient(c *tls.Config) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: c}}
}

// dial connects to the gRPC listener with c's TLS.
func (g *gateway) dial(t *testing.T, c *tls.Config) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(g.grpcAddr, grpc.WithTransportCredentials(credentials.NewTLS(c)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func fraga(pnr string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162120002411",
		Ingivare:            "Exempelkommun",
		Handlaggare:         "handlaggare01",
		Personidentitet:     pnr,
		Arendeidentitet:     "ARENDE-1",
		Period:              &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"},
		Syfte:               "Utredning av ekonomiskt bistånd",
		Lagtext:             "SoL 11 kap. 11 §",
		Korrelationsid:      "korr-1",
	}
}

// postJSON sends a REST call and decodes the answer into out.
func (g *gateway) postJSON(t *testing.T, path string, body any, header http.Header, out any) int {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case string:
		raw = []byte(b)
	case *ssbtekv1.HamtaSammanstallningRequest:
		raw, _ = protojson.Marshal(b)
	default:
		raw, _ = json.Marshal(b)
	}
	req, _ := http.NewRequest(http.MethodPost, g.httpURL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := g.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	switch o := out.(type) {
	case *ssbtekv1.HamtaSammanstallningResponse:
		if resp.StatusCode == 200 {
			if err := protojson.Unmarshal(data, o); err != nil {
				t.Fatalf("decoding %s: %v", data, err)
			}
		}
	case *string:
		*o = string(data)
	}
	return resp.StatusCode
}

func byAgency(res []*ssbtekv1.BastjanstResultat) map[ssbtekv1.Bastjanst]*ssbtekv1.BastjanstResultat {
	m := map[ssbtekv1.Bastjanst]*ssbtekv1.BastjanstResultat{}
	for _, r := range res {
		m[r.GetBastjanst()] = r
	}
	return m
}

// hasTypedContent reports whether the agency's typed oneof is set.
func hasTypedContent(r *ssbtekv1.BastjanstResultat) bool { return r.GetInnehall() != nil }

func TestTolvanGetsDataFromAllSevenOverRESTAndGRPC(t *testing.T) {
	g := start(t, fanout.Config{})
	var rest ssbtekv1.HamtaSammanstallningResponse
	full := &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan), Vy: ssbtekv1.Vy_VY_RADATA}
	if code := g.postJSON(t, "/v1/sammanstallning", full, nil, &rest); code != 200 {
		t.Fatalf("REST status %d", code)
	}
	grpcRes, err := g.client.HamtaSammanstallning(context.Background(), full)
	if err != nil {
		t.Fatal(err)
	}
	for name, sam := range map[string]*ssbtekv1.Sammanstallning{"REST": rest.GetSammanstallning(), "gRPC": grpcRes.GetSammanstallning()} {
		if sam.GetKorrelationsid() != "korr-1" {
			t.Errorf("%s: korrelationsid %q not echoed", name, sam.GetKorrelationsid())
		}
		res := sam.GetResultat()
		if len(res) != 7 {
			t.Fatalf("%s: %d results, want 7", name, len(res))
		}
		for i, b := range bastjanst.All() {
			r := res[i]
			if r.GetBastjanst() != b {
				t.Errorf("%s: result %d is %v, want %v", name, i, r.GetBastjanst(), b)
			}
			if r.GetFel() != nil {
				t.Errorf("%s %s: error %v", name, bastjanst.Kod(b), r.GetFel())
				continue
			}
			raw := []*ssbtekv1.Radata{r.GetRadata()}
			if len(r.GetDelsvar()) > 0 {
				// Skatteverket answers in parts, each with its own raw payload.
				raw = raw[:0]
				for _, d := range r.GetDelsvar() {
					raw = append(raw, d.GetRadata())
				}
			}
			for _, rd := range raw {
				if len(rd.GetInnehall()) == 0 || rd.GetMediaType() == "" {
					t.Errorf("%s %s: raw payload missing", name, bastjanst.Kod(b))
				}
			}
			// MIV knows nothing about Tolvan (DESIGN §6): an empty answer, not an error.
			if b == ssbtekv1.Bastjanst_BASTJANST_MIV {
				continue
			}
			if r.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK || !hasTypedContent(r) {
				t.Errorf("%s %s: status %v, typed content %v", name, bastjanst.Kod(b), r.GetStatus(), hasTypedContent(r))
			}
		}
		m := byAgency(res)
		if n := len(m[ssbtekv1.Bastjanst_BASTJANST_FK].GetFk().GetFormaner()); n < 3 {
			t.Errorf("%s FK: %d förmåner, want föräldrapenning, bostadsbidrag, barnbidrag", name, n)
		}
		if af := m[ssbtekv1.Bastjanst_BASTJANST_AF].GetAf(); !af.GetArbetssokande() || af.GetOmfattning() != 100 {
			t.Errorf("%s AF: %v, want registered 100 %%", name, af)
		}
		if n := len(m[ssbtekv1.Bastjanst_BASTJANST_TNS].GetTns().GetFordon()); n != 2 {
			t.Errorf("%s TNS: %d vehicles, want 2", name, n)
		}
	}
}

func TestFelpersonGetsEveryAgencysNativeError(t *testing.T) {
	g := start(t, fanout.Config{})
	res, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Felperson)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.GetSammanstallning().GetResultat()) != 7 {
		t.Fatalf("%d results, want 7", len(res.GetSammanstallning().GetResultat()))
	}
	for _, r := range res.GetSammanstallning().GetResultat() {
		f := r.GetFel()
		if f.GetKalla() != ssbtekv1.Kalla_KALLA_BT || f.GetFelkod() == "" || f.GetFelmeddelande() == "" {
			t.Errorf("%s: %v, want a native error with kalla BT, code and text", bastjanst.Kod(r.GetBastjanst()), f)
		}
	}
}

func TestUnknownPersonIsUppgiftSaknasEverywhere(t *testing.T) {
	g := start(t, fanout.Config{})
	res, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(unknown)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.GetSammanstallning().GetResultat() {
		if r.GetFel() != nil || r.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS {
			t.Errorf("%s: status %v fel %v, want UPPGIFTSAKNAS", bastjanst.Kod(r.GetBastjanst()), r.GetStatus(), r.GetFel())
		}
	}
}

// TestProtectedIdentityIsFlagged: the agencies that mark the person flag
// their results, and the whole compiled answer says SKYDDADIDENTITET (seed
// 004 §6.3) on gRPC and REST, the income summary's too; an ordinary
// person's answer is OK.
func TestProtectedIdentityIsFlagged(t *testing.T) {
	g := start(t, fanout.Config{})
	res, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Skyddad)})
	if err != nil {
		t.Fatal(err)
	}
	m := byAgency(res.GetSammanstallning().GetResultat())
	// AF (Sekretessmarkering) and CSN (sekretess) flag it (DESIGN §6).
	for _, b := range []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_AF, ssbtekv1.Bastjanst_BASTJANST_CSN} {
		if got := m[b].GetStatus().GetKod(); got != ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET {
			t.Errorf("%s: %v, want SKYDDADIDENTITET", bastjanst.Kod(b), got)
		}
	}
	var rest ssbtekv1.HamtaSammanstallningResponse
	if code := g.postJSON(t, "/v1/sammanstallning", &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Skyddad)}, nil, &rest); code != 200 {
		t.Fatalf("REST status %d", code)
	}
	ink, err := g.client.HamtaInkomstsammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Skyddad)})
	if err != nil {
		t.Fatal(err)
	}
	for name, st := range map[string]*ssbtekv1.Status{"gRPC": res.GetSammanstallning().GetStatus(), "REST": rest.GetSammanstallning().GetStatus(), "inkomst": ink.GetStatus()} {
		if st.GetKod() != ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET || !strings.Contains(st.GetMeddelande(), "skyddad identitet") {
			t.Errorf("%s: the whole answer's status is %v, want SKYDDADIDENTITET", name, st)
		}
	}
	tolvan, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan)})
	if err != nil {
		t.Fatal(err)
	}
	if st := tolvan.GetSammanstallning().GetStatus(); st.GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK {
		t.Errorf("Tolvan: the whole answer's status is %v, want OK", st)
	}
}

// TestAgencyRefusalOverRESTAndGRPC: an organisation the gateway lets ask
// every agency, but that LEFI does not know as an actor (403) and that has
// no medgivande at Transportstyrelsen: FK and TNS answer ATKOMSTNEKAD with
// the agency's own code and text (kalla BT), not a generic error, and the
// other five answer.
func TestAgencyRefusalOverRESTAndGRPC(t *testing.T) {
	g := start(t, fanout.Config{})
	f := fraga(simkit.Tolvan)
	f.Organisationsnummer = simkit.UtanAvtal
	c := g.pki.Client(t, testpki.Org(simkit.UtanAvtal))
	res, err := ssbtekv1.NewSammansattBastjanstServiceClient(g.dial(t, c)).HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f})
	if err != nil {
		t.Fatal(err)
	}
	var rest ssbtekv1.HamtaSammanstallningResponse
	other := &gateway{httpURL: g.httpURL, http: httpClient(c)}
	if code := other.postJSON(t, "/v1/sammanstallning", &ssbtekv1.HamtaSammanstallningRequest{Fraga: f}, nil, &rest); code != 200 {
		t.Fatalf("REST status %d", code)
	}
	want := map[ssbtekv1.Bastjanst]string{
		ssbtekv1.Bastjanst_BASTJANST_FK:  "HTTP 403",
		ssbtekv1.Bastjanst_BASTJANST_TNS: "110",
	}
	for name, sam := range map[string]*ssbtekv1.Sammanstallning{"gRPC": res.GetSammanstallning(), "REST": rest.GetSammanstallning()} {
		if len(sam.GetResultat()) != 7 {
			t.Fatalf("%s: %d results", name, len(sam.GetResultat()))
		}
		for _, r := range sam.GetResultat() {
			felkod, refused := want[r.GetBastjanst()]
			switch {
			case refused && (r.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_ATKOMSTNEKAD || r.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_BT ||
				r.GetFel().GetFelkod() != felkod || r.GetFel().GetFelmeddelande() == "" || r.GetStatus().GetMeddelande() != r.GetFel().GetFelmeddelande()):
				t.Errorf("%s %s: status %v fel %v, want ATKOMSTNEKAD with the agency's %s and text", name, bastjanst.Kod(r.GetBastjanst()), r.GetStatus(), r.GetFel(), felkod)
			case !refused && r.GetFel() != nil:
				t.Errorf("%s %s: %v", name, bastjanst.Kod(r.GetBastjanst()), r.GetFel())
			}
		}
	}
}

func TestSlowAgenciesTimeOutWithinCallerDeadline(t *testing.T) {
	g := start(t, fanout.Config{})
	check := func(name string, res []*ssbtekv1.BastjanstResultat, took time.Duration) {
		t.Helper()
		if took > 1500*time.Millisecond {
			t.Errorf("%s: answered after %v, want within 1.5 s", name, took)
		}
		if len(res) != 7 {
			t.Fatalf("%s: %d results", name, len(res))
		}
		for _, r := range res {
			if r.GetFel().GetFelkod() != bastjanst.FelkodTimeout || r.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_SSBT {
				t.Errorf("%s %s: %v, want SSBT 2001", name, bastjanst.Kod(r.GetBastjanst()), r.GetFel())
			}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	res, err := g.client.HamtaSammanstallning(ctx, &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Langsam)})
	if err != nil {
		t.Fatalf("gRPC with 1 s deadline: %v", err)
	}
	check("gRPC", res.GetSammanstallning().GetResultat(), time.Since(start))

	var rest ssbtekv1.HamtaSammanstallningResponse
	start = time.Now()
	code := g.postJSON(t, "/v1/sammanstallning", &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Langsam)}, http.Header{"Grpc-Timeout": {"1S"}}, &rest)
	if code != 200 {
		t.Fatalf("REST status %d", code)
	}
	check("REST", rest.GetSammanstallning().GetResultat(), time.Since(start))
}

func TestBrokenAgencyAnswerSpoilsOnlyThatAgency(t *testing.T) {
	g := start(t, fanout.Config{})
	for _, b := range bastjanst.All() {
		t.Run(bastjanst.Kod(b), func(t *testing.T) {
			for _, kind := range []simkit.FaultKind{simkit.FaultMalformed, simkit.FaultTruncated} {
				g.env.Simulator(b).Faults().Set(simkit.Fault{Kind: kind})
				res, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan)})
				g.env.Simulator(b).Faults().Clear()
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range res.GetSammanstallning().GetResultat() {
					switch {
					case r.GetBastjanst() == b && (r.GetFel().GetFelkod() != bastjanst.FelkodOlasbart || r.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_SSBT):
						t.Errorf("%s: %v, want SSBT 2003", kind, r.GetFel())
					case r.GetBastjanst() != b && r.GetFel() != nil:
						t.Errorf("%s: %s was spoilt: %v", kind, bastjanst.Kod(r.GetBastjanst()), r.GetFel())
					}
				}
			}
		})
	}
}

func TestPerContractCalls(t *testing.T) {
	g := start(t, fanout.Config{})
	calls := []struct {
		path string
		b    ssbtekv1.Bastjanst
		call func(context.Context, *ssbtekv1.HamtaBastjanstRequest, ...grpc.CallOption) (*ssbtekv1.HamtaBastjanstResponse, error)
	}{
		{"/v1/arbetsmarknadsatgarder", ssbtekv1.Bastjanst_BASTJANST_AF, g.client.HamtaArbetsmarknadsatgarder},
		{"/v1/studiestod", ssbtekv1.Bastjanst_BASTJANST_CSN, g.client.HamtaStudiestod},
		{"/v1/socialforsakringsformaner", ssbtekv1.Bastjanst_BASTJANST_FK, g.client.HamtaSocialforsakringsformaner},
		{"/v1/beskattning", ssbtekv1.Bastjanst_BASTJANST_SKV, g.client.HamtaBeskattning},
		{"/v1/arbetsloshetsersattning", ssbtekv1.Bastjanst_BASTJANST_SO, g.client.HamtaArbetsloshetsersattning},
		{"/v1/fordonsinnehav", ssbtekv1.Bastjanst_BASTJANST_TNS, g.client.HamtaFordonsinnehav},
		{"/v1/uppehallstillstand", ssbtekv1.Bastjanst_BASTJANST_MIV, g.client.HamtaUppehallstillstand},
	}
	for _, c := range calls {
		res, err := c.call(context.Background(), &ssbtekv1.HamtaBastjanstRequest{Fraga: fraga(simkit.Nyanland)})
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if res.GetResultat().GetBastjanst() != c.b || res.GetResultat().GetFel() != nil {
			t.Errorf("gRPC %s: %v", c.path, res.GetResultat())
		}
		var body string
		req, _ := protojson.Marshal(&ssbtekv1.HamtaBastjanstRequest{Fraga: fraga(simkit.Nyanland)})
		if code := g.postJSON(t, c.path, string(req), nil, &body); code != 200 || !strings.Contains(body, `"bastjanst":"`+c.b.String()+`"`) {
			t.Errorf("REST %s: %d %s", c.path, code, body)
		}
	}
	// MIV knows Nyanland's permit.
	res, _ := g.client.HamtaUppehallstillstand(context.Background(), &ssbtekv1.HamtaBastjanstRequest{Fraga: fraga(simkit.Nyanland)})
	if len(res.GetResultat().GetMiv().GetTillstand()) == 0 {
		t.Errorf("MIV: no permit for the newly arrived: %v", res.GetResultat())
	}
}

func TestBadInputIs400NamingFieldAndStatusKod(t *testing.T) {
	g := start(t, fanout.Config{})
	tests := []struct {
		name   string
		mutate func(*ssbtekv1.Fraga)
		field  string
		kod    string
	}{
		{"wrong check digit", func(f *ssbtekv1.Fraga) { f.Personidentitet = "191212121213" }, "fraga.personidentitet", "VALIDERINGSFEL"},
		{"bad date", func(f *ssbtekv1.Fraga) { f.Personidentitet = "199002301234" }, "fraga.personidentitet", "VALIDERINGSFEL"},
		{"11 digits", func(f *ssbtekv1.Fraga) { f.Personidentitet = "19121212121" }, "fraga.personidentitet", "VALIDERINGSFEL"},
		{"bad organisationsnummer", func(f *ssbtekv1.Fraga) { f.Organisationsnummer = "162110002411" }, "fraga.organisationsnummer", "VALIDERINGSFEL"},
		{"missing ingivare", func(f *ssbtekv1.Fraga) { f.Ingivare = "" }, "fraga.ingivare", "VALIDERINGSFEL"},
		{"missing syfte", func(f *ssbtekv1.Fraga) { f.Syfte = "" }, "fraga.syfte", "VALIDERINGSFEL"},
		{"missing lagtext", func(f *ssbtekv1.Fraga) { f.Lagtext = "" }, "fraga.lagtext", "VALIDERINGSFEL"},
		{"900 KB syfte", func(f *ssbtekv1.Fraga) { f.Syfte = strings.Repeat("x", 900_000) }, "fraga.syfte", "VALIDERINGSFEL"},
		{"missing handlaggare", func(f *ssbtekv1.Fraga) { f.Handlaggare = "" }, "fraga.handlaggare", "VALIDERINGSFEL"},
		{"overlong arendeidentitet", func(f *ssbtekv1.Fraga) { f.Arendeidentitet = strings.Repeat("A", 101) }, "fraga.arendeidentitet", "VALIDERINGSFEL"},
		{"from after tom", func(f *ssbtekv1.Fraga) { f.Period = &ssbtekv1.Tidsperiod{From: "2026-10-01", Tom: "2026-09-01"} }, "fraga.period", "OGILTIGTIDSPERIOD"},
		{"impossible period date", func(f *ssbtekv1.Fraga) { f.Period.Tom = "2026-02-30" }, "fraga.period.tom", "OGILTIGTIDSPERIOD"},
		{"missing period", func(f *ssbtekv1.Fraga) { f.Period = nil }, "fraga.period", "OGILTIGTIDSPERIOD"},
		{"bad agency period", func(f *ssbtekv1.Fraga) {
			f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_AF, Period: &ssbtekv1.Tidsperiod{From: "2026-05-01", Tom: "2026-04-01"}}}
		}, "fraga.bastjanst_perioder[0].period", "OGILTIGTIDSPERIOD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fraga(simkit.Tolvan)
			tt.mutate(f)
			var body string
			req, _ := protojson.Marshal(&ssbtekv1.HamtaSammanstallningRequest{Fraga: f})
			code := g.postJSON(t, "/v1/sammanstallning", string(req), nil, &body)
			if code != http.StatusBadRequest || !strings.Contains(body, tt.field) || !strings.Contains(body, tt.kod) {
				t.Errorf("REST: %d %s, want 400 naming %s and %s", code, body, tt.field, tt.kod)
			}
			_, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f})
			if st, _ := status.FromError(err); st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), tt.field) || !strings.Contains(st.Message(), tt.kod) {
				t.Errorf("gRPC: %v, want INVALID_ARGUMENT naming %s and %s", err, tt.field, tt.kod)
			}
		})
	}
	// Bodies that are not a request at all are 400 too, never 500, in the
	// same shape: VALIDERINGSFEL naming the field (the body itself where it
	// cannot be read).
	for raw, field := range map[string]string{
		`{`:                               `"field":"body"`,
		`{"fraga": 5}`:                    `"field":"body"`,
		`{"nosuchfield": 1}`:              `"field":"nosuchfield"`,
		`{}`:                              `"field":"fraga"`,
		``:                                `"field":"fraga"`,
		strings.Repeat(`{"fraga":`, 5000): `"field":"body"`,
	} {
		var body string
		code := g.postJSON(t, "/v1/sammanstallning", raw, nil, &body)
		body = strings.ReplaceAll(body, " ", "")
		if code != http.StatusBadRequest || !strings.Contains(body, `"reason":"VALIDERINGSFEL"`) || !strings.Contains(body, field) {
			t.Errorf("body %.40q: status %d %s, want 400 VALIDERINGSFEL naming %s", raw, code, body, field)
		}
	}
}

// TestRESTRefusesWhatIsNotARequest: an over-size body is 413 and the wrong
// method 405 with the methods the path takes, never a 5xx.
func TestRESTRefusesWhatIsNotARequest(t *testing.T) {
	g := start(t, fanout.Config{})
	big := `{"fraga":{"ingivare":"` + strings.Repeat("x", 2<<20) + `"}}`
	var body string
	if code := g.postJSON(t, "/v1/sammanstallning", big, nil, &body); code != http.StatusRequestEntityTooLarge || !strings.Contains(body, "VALIDERINGSFEL") {
		t.Errorf("2 MiB body: %d %.200s, want 413 VALIDERINGSFEL", code, body)
	}
	// Without a Content-Length the limit still holds.
	req, _ := http.NewRequest(http.MethodPost, g.httpURL+"/v1/sammanstallning", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	resp, err := g.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked 2 MiB body: %d, want 413", resp.StatusCode)
	}
	for _, tt := range []struct{ method, path, allow string }{
		{http.MethodGet, "/v1/sammanstallning", "POST"},
		{http.MethodPut, "/v1/studiestod", "POST"},
		{http.MethodPost, "/v1/bastjanster/test", "GET"},
	} {
		req, _ := http.NewRequest(tt.method, g.httpURL+tt.path, strings.NewReader("{}"))
		resp, err := g.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Allow"), tt.allow)
		}
	}
}

func TestOpenAPIAndHealth(t *testing.T) {
	g := start(t, fanout.Config{})
	resp, err := g.http.Get(g.httpURL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(body, api.OpenAPI) || !json.Valid(body) {
		t.Errorf("openapi.json: %d, %d bytes", resp.StatusCode, len(body))
	}
	// The stream is declared as what it sends, newline-delimited JSON, and
	// every call that answers with results takes the view.
	var doc struct {
		Paths map[string]map[string]struct {
			Produces []string `json:"produces"`
		} `json:"paths"`
		Definitions map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if p := doc.Paths["/v1/sammanstallning:stream"]["post"].Produces; len(p) != 1 || p[0] != "application/x-ndjson" {
		t.Errorf("the stream produces %v, want application/x-ndjson", p)
	}
	for _, m := range []string{"v1HamtaSammanstallningRequest", "v1HamtaBastjanstRequest"} {
		if doc.Definitions[m].Properties["vy"] == nil {
			t.Errorf("%s has no vy", m)
		}
	}
	hc, err := healthpb.NewHealthClient(g.conn).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || hc.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health: %v %v", hc, err)
	}
	// Every source is pinged, the population register of its own question too.
	ts, err := g.client.TestaBastjanster(context.Background(), &ssbtekv1.TestaBastjansterRequest{})
	if err != nil || len(ts.GetTestsvar()) != len(bastjanst.Known()) {
		t.Fatalf("TestaBastjanster: %v %v", ts, err)
	}
	for _, s := range ts.GetTestsvar() {
		if !s.GetAnropad() || s.GetFel() != nil {
			t.Errorf("test of %s: %v", bastjanst.Kod(s.GetBastjanst()), s)
		}
	}
}

// Both forms of a personidentitet (ÅÅÅÅMMDD-NNNN and 12 digits) and of an
// organisationsnummer (NNNNNN-NNNN and 12 digits) are accepted on gRPC and
// REST, and the agencies are asked about the same person either way; the
// short forms that would need a guess (YYMMDD-NNNN) are refused.
func TestBothIdentityForms(t *testing.T) {
	g := start(t, fanout.Config{})
	dashed := func() *ssbtekv1.Fraga {
		f := fraga("19121212-1212")
		f.Organisationsnummer = "212000-2411"
		f.Personuppgiftsbitrade = []*ssbtekv1.Personuppgiftsbitrade{{Organisationsnummer: "556586-9996", Namn: "Ombudet AB"}}
		f.Bastjanster = []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_AF, ssbtekv1.Bastjanst_BASTJANST_MIV}
		return f
	}
	want := func(t *testing.T, how string, res []*ssbtekv1.BastjanstResultat) {
		t.Helper()
		af := byAgency(res)[ssbtekv1.Bastjanst_BASTJANST_AF]
		if len(res) != 2 || af.GetFel() != nil || !af.GetAf().GetArbetssokande() {
			t.Errorf("%s: Tolvan in the dashed form got %v, want AF's answer about Tolvan", how, res)
		}
	}
	resp, err := g.client.HamtaSammanstallning(t.Context(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: dashed()})
	if err != nil {
		t.Fatalf("gRPC: %v", err)
	}
	want(t, "gRPC", resp.GetSammanstallning().GetResultat())
	var rest ssbtekv1.HamtaSammanstallningResponse
	if code := g.postJSON(t, "/v1/sammanstallning", &ssbtekv1.HamtaSammanstallningRequest{Fraga: dashed()}, nil, &rest); code != 200 {
		t.Fatalf("REST: %d", code)
	}
	want(t, "REST", rest.GetSammanstallning().GetResultat())

	for _, bad := range []func(*ssbtekv1.Fraga){
		func(f *ssbtekv1.Fraga) { f.Personidentitet = "121212-1212" },
		func(f *ssbtekv1.Fraga) { f.Personidentitet = "1912121-21212" },
		func(f *ssbtekv1.Fraga) { f.Organisationsnummer = "21200-02411" },
	} {
		f := dashed()
		bad(f)
		_, err := g.client.HamtaSammanstallning(t.Context(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f})
		if st, _ := status.FromError(err); st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), "VALIDERINGSFEL") {
			t.Errorf("%v: %v, want INVALID_ARGUMENT VALIDERINGSFEL", f, err)
		}
	}
}
