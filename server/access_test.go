package server_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/testpki"
)

// TestRefusedCertificates: no client certificate, another CA's, an expired
// one, and one without serialNumber are refused on gRPC and REST, and plain
// HTTP or plaintext gRPC to the TLS ports get nothing; no agency is asked.
func TestRefusedCertificates(t *testing.T) {
	g := start(t, fanout.Config{})
	body := `{"fraga":` + mustJSON(t, fraga(simkit.Tolvan)) + `}`
	for name, c := range g.pki.Refused(t, kommun) {
		t.Run(name, func(t *testing.T) {
			cl := httpClient(c)
			resp, err := cl.Post(g.httpURL+"/v1/sammanstallning", "application/json", strings.NewReader(body))
			if handshake := err != nil; handshake == (name == "without serialNumber") {
				t.Errorf("REST: handshake refused %v (%v): only the certificate without serialNumber passes TLS", handshake, err)
			}
			if err == nil {
				out, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				// Only a certificate TLS accepts but that names no
				// organisation gets this far: 401 UNAUTHENTICATED.
				if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(out), "ATKOMSTNEKAD") {
					t.Errorf("REST: %d %s, want the TLS handshake or 401 to refuse", resp.StatusCode, out)
				}
			}
			_, err = ssbtekv1.NewSammansattBastjanstServiceClient(g.dial(t, c)).HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan)})
			if code := status.Code(err); code != codes.Unavailable && code != codes.Unauthenticated {
				t.Errorf("gRPC: %v, want the handshake (UNAVAILABLE) or UNAUTHENTICATED", err)
			}
			// Nor is the API shown to it: no OpenAPI document, no reflection.
			if resp, err := cl.Get(g.httpURL + "/openapi.json"); err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("openapi.json: %d, want 401", resp.StatusCode)
				}
			}
			stream, err := reflectionpb.NewServerReflectionClient(g.dial(t, c)).ServerReflectionInfo(context.Background())
			if err == nil {
				stream.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}})
				_, err = stream.Recv()
			}
			if code := status.Code(err); code != codes.Unavailable && code != codes.Unauthenticated {
				t.Errorf("reflection: %v, want refused", err)
			}
		})
	}
	// Plain HTTP to the TLS port.
	resp, err := http.Post(strings.Replace(g.httpURL, "https:", "http:", 1)+"/v1/sammanstallning", "application/json", strings.NewReader(body))
	if err == nil {
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("plain HTTP answered: %s", out)
		}
	}
	conn, err := grpc.NewClient(g.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := ssbtekv1.NewSammansattBastjanstServiceClient(conn).HamtaSammanstallning(ctx, &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan)}); err == nil {
		t.Error("plaintext gRPC answered")
	}
	if n := g.env.Asked(); n != 0 {
		t.Errorf("the simulators saw %d requests", n)
	}
	// Health stays open to any verified connection, for probes.
	noSerial := testpki.Org(kommun)
	noSerial.SerialNumber = ""
	hc, err := healthpb.NewHealthClient(g.dial(t, g.pki.Client(t, noSerial))).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || hc.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health with a certificate naming no organisation: %v %v", hc, err)
	}
}

func mustJSON(t *testing.T, f *ssbtekv1.Fraga) string {
	t.Helper()
	b, err := protojson.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRightsOverRESTAndGRPC: an ingivare other than the certificate's
// organisation is 403 / PERMISSION_DENIED with no agency asked; the
// registered ombud is answered; a question across persons is VALIDERINGSFEL.
func TestRightsOverRESTAndGRPC(t *testing.T) {
	g := start(t, fanout.Config{})
	other := fraga(simkit.Tolvan)
	other.Organisationsnummer = utan
	crossFK := fraga(simkit.Jobbsokare)
	crossFK.Bastjanster = []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_FK}
	crossFK.Fk = &ssbtekv1.FkParametrar{LefiJsonFraga: []byte(`{"personnummer":"196408232814","period":{"from":"2025-01-01","tom":"2026-10-31"},"beslut":["PM:AP"]}`)}
	for _, tt := range []struct {
		name  string
		f     *ssbtekv1.Fraga
		http  int
		code  codes.Code
		words []string
	}{
		{"ingivare is another municipality", other, http.StatusForbidden, codes.PermissionDenied, []string{"ATKOMSTNEKAD", `"felkod":"1002"`}},
		{"LEFI question about the pensioner", crossFK, http.StatusBadRequest, codes.InvalidArgument, []string{"VALIDERINGSFEL", "fraga.fk.lefi_json_fraga"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var body string
			if code := g.postJSON(t, "/v1/sammanstallning", &ssbtekv1.HamtaSammanstallningRequest{Fraga: tt.f}, nil, &body); code != tt.http {
				t.Errorf("REST: %d %s, want %d", code, body, tt.http)
			}
			for _, w := range tt.words {
				if !strings.Contains(strings.ReplaceAll(body, " ", ""), w) {
					t.Errorf("REST body lacks %s: %s", w, body)
				}
			}
			_, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: tt.f})
			if status.Code(err) != tt.code {
				t.Errorf("gRPC: %v, want %v", err, tt.code)
			}
			if strings.Contains(body, "196408232814") || strings.Contains(status.Convert(err).Message(), "196408232814") {
				t.Error("the refusal quotes the personnummer")
			}
			if n := g.env.Asked(); n != 0 {
				t.Errorf("the simulators saw %d requests", n)
			}
		})
	}
	// The ombud's certificate, asking for Exempelkommun, is answered.
	ombud := ssbtekv1.NewSammansattBastjanstServiceClient(g.dial(t, g.pki.Client(t, testpki.Org(ombudet))))
	res, err := ombud.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan)})
	if err != nil || len(res.GetSammanstallning().GetResultat()) != 7 {
		t.Fatalf("the registered ombud: %v %v", res, err)
	}
	// ...but not for the municipality it is no ombud of.
	if _, err := ombud.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: other}); status.Code(err) != codes.PermissionDenied {
		t.Errorf("ombud for a municipality that has not registered it: %v", err)
	}
}

// TestNoMedgivandeOverREST: without Transportstyrelsen's medgivande, TNS is
// ATKOMSTNEKAD with SSBT 2004 and the six others answer.
func TestNoMedgivandeOverREST(t *testing.T) {
	g := start(t, fanout.Config{})
	f := fraga(simkit.Tolvan)
	f.Organisationsnummer = utan
	cl := ssbtekv1.NewSammansattBastjanstServiceClient(g.dial(t, g.pki.Client(t, testpki.Org(utan))))
	res, err := cl.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.GetSammanstallning().GetResultat()) != 7 {
		t.Fatalf("%d results", len(res.GetSammanstallning().GetResultat()))
	}
	for _, r := range res.GetSammanstallning().GetResultat() {
		if r.GetBastjanst() == ssbtekv1.Bastjanst_BASTJANST_TNS {
			if r.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_ATKOMSTNEKAD || r.GetFel().GetFelkod() != bastjanst.FelkodEjBehorig || r.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_SSBT {
				t.Errorf("TNS: %v", r)
			}
		} else if r.GetFel() != nil {
			t.Errorf("%s: %v", bastjanst.Kod(r.GetBastjanst()), r.GetFel())
		}
	}
}

// TestDailyQuotaOverRESTAndGRPC: past its daily quota (2 here) an
// organisation gets 429 with Retry-After, and RESOURCE_EXHAUSTED.
func TestDailyQuotaOverRESTAndGRPC(t *testing.T) {
	g := start(t, fanout.Config{})
	f := fraga(simkit.Tolvan)
	f.Organisationsnummer = snal
	f.Bastjanster = []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_AF}
	c := g.pki.Client(t, testpki.Org(snal))
	cl := ssbtekv1.NewSammansattBastjanstServiceClient(g.dial(t, c))
	for i := range 2 {
		if _, err := cl.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f}); err != nil {
			t.Fatalf("question %d: %v", i+1, err)
		}
	}
	_, err := cl.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f})
	if status.Code(err) != codes.ResourceExhausted {
		t.Errorf("3rd question over gRPC: %v, want RESOURCE_EXHAUSTED", err)
	}
	resp, err := httpClient(c).Post(g.httpURL+"/v1/sammanstallning", "application/json", strings.NewReader(`{"fraga":`+mustJSON(t, f)+`}`))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusTooManyRequests || secs < 1 || secs > 25*3600 || !strings.Contains(string(out), "1004") {
		t.Errorf("4th question over REST: %d Retry-After %q %s, want 429 with Retry-After until tomorrow", resp.StatusCode, resp.Header.Get("Retry-After"), out)
	}
}
