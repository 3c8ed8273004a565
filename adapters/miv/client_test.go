package miv

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// nobody is a valid personnummer that no simulator knows.
const nobody = "198001011231"

func TestHamtaTestPersons(t *testing.T) {
	nyanland := &ssbtekv1.Uppehallstillstand{Tillstand: []*ssbtekv1.Uppehallstillstand_Tillstand{{
		Arendetyp:     "UAT",
		Beslutstyp:    "TUT",
		Beslutskod:    "BEV",
		Beslutsdatum:  "2024-01-10",
		Giltighetstid: "TIDBEGRANSAT",
		From:          "2024-01-15",
		Tom:           "2027-01-14",
	}}}
	tests := []struct {
		name    string
		pnr     string
		status  ssbtekv1.StatusKod
		content *ssbtekv1.Uppehallstillstand // nil: no typed content
		fel     *ssbtekv1.Fel
		// radata is the local name of Radata's root element.
		radata string
	}{
		{"Nyanland has a time-limited permit", simkit.Nyanland, ssbtekv1.StatusKod_STATUS_KOD_OK, nyanland, nil, elemSvar},
		{"Tolvan has none", simkit.Tolvan, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil, elemSvar},
		// MIV's contract has no protected-identity flag, and MIV has no permit for her.
		{"Skyddad is unknown to MIV", simkit.Skyddad, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil, elemSvar},
		{"Jobbsokare", simkit.Jobbsokare, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil, elemSvar},
		{"Student", simkit.Student, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil, elemSvar},
		{"Pensionar", simkit.Pensionar, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil, elemSvar},
		{"Samordningsnummer", simkit.Samordningsnummer, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil, elemSvar},
		{"any other valid number", nobody, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil, elemSvar},
		{
			"Felperson gets MIV's SSBTEKSoapException", simkit.Felperson, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil,
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: felpersonFaultCode, Felmeddelande: felpersonFaultString},
			"Fault",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			res, err := e.adapter.Hamta(context.Background(), fraga(tt.pnr), nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			if res.GetBastjanst() != ssbtekv1.Bastjanst_BASTJANST_MIV {
				t.Errorf("bastjanst = %v, want MIV", res.GetBastjanst())
			}
			if got := res.GetStatus().GetKod(); got != tt.status {
				t.Errorf("status = %v, want %v", got, tt.status)
			}
			if got := res.GetMiv(); !proto.Equal(got, tt.content) {
				t.Errorf("content = %v, want %v", got, tt.content)
			}
			if !proto.Equal(res.GetFel(), tt.fel) {
				t.Errorf("fel = %v, want %v", res.GetFel(), tt.fel)
			}
			if res.GetRadata().GetMediaType() != "application/xml" {
				t.Errorf("radata media type = %q", res.GetRadata().GetMediaType())
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(res.GetRadata().GetInnehall()); err != nil {
				t.Fatalf("radata is not XML: %v", err)
			}
			if got := doc.Root().Tag; got != tt.radata {
				t.Errorf("radata root = %s, want %s", got, tt.radata)
			}
			if tt.radata == elemSvar {
				validate(t, "radata", res.GetRadata().GetInnehall())
			}
		})
	}
}

func TestHamtaSlowPersonHonoursDeadline(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.adapter.Hamta(ctx, fraga(simkit.Langsam), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context deadline exceeded", err)
	}
	if got := bastjanst.FelFor(err).GetFelkod(); got != bastjanst.FelkodTimeout {
		t.Errorf("felkod = %s, want %s", got, bastjanst.FelkodTimeout)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Hamta returned after %v, long after its deadline", d)
	}
}

func TestHamtaFaults(t *testing.T) {
	tests := []struct {
		name   string
		fault  simkit.Fault
		wrong  bool // answer in a foreign namespace
		felkod string
	}{
		{"hang", simkit.Fault{Kind: simkit.FaultHang}, false, bastjanst.FelkodTimeout},
		{"http500", simkit.Fault{Kind: simkit.FaultHTTP500}, false, bastjanst.FelkodOtillganglig},
		{"malformed", simkit.Fault{Kind: simkit.FaultMalformed}, false, bastjanst.FelkodOlasbart},
		{"truncated", simkit.Fault{Kind: simkit.FaultTruncated}, false, bastjanst.FelkodOlasbart},
		{"oversized", simkit.Fault{Kind: simkit.FaultOversized}, false, bastjanst.FelkodOlasbart},
		{"wrong namespace", simkit.Fault{}, true, bastjanst.FelkodOlasbart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.sim.Faults().Set(tt.fault)
			e.sim.SetWrongNamespace(tt.wrong)
			// Only the hang needs a short deadline; the 16 MiB answer takes a while under -race.
			deadline := 10 * time.Second
			if tt.fault.Kind == simkit.FaultHang {
				deadline = 200 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			// Nyanland, so a wrong namespace cannot hide behind an empty answer.
			res, err := e.adapter.Hamta(ctx, fraga(simkit.Nyanland), nil)
			if err == nil {
				t.Fatalf("Hamta = %v, want an error", res)
			}
			if tt.fault.Kind == simkit.FaultHang && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want context deadline exceeded", err)
			}
			if got := bastjanst.FelFor(err).GetFelkod(); got != tt.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tt.felkod, err)
			}
			if strings.Contains(err.Error(), simkit.Nyanland) {
				t.Errorf("error text holds the personnummer: %v", err)
			}
		})
	}
}

func TestHamtaLatencyStillAnswers(t *testing.T) {
	e := newEnv(t)
	e.sim.Faults().Set(simkit.Fault{Kind: simkit.FaultLatency, Latency: 50 * time.Millisecond})
	res, err := e.adapter.Hamta(context.Background(), fraga(simkit.Nyanland), nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if got := res.GetStatus().GetKod(); got != ssbtekv1.StatusKod_STATUS_KOD_OK {
		t.Errorf("status = %v, want OK", got)
	}
}

// faultServer answers every request with the given fault.
func faultServer(f soap.Fault) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { simkit.WriteFault(w, f) })
}

func TestHamtaFaultsWithoutException(t *testing.T) {
	nilExc := etree.NewElement(prefix + ":" + elemFelsvar)
	nilExc.CreateAttr("xmlns:"+prefix, Namespace)
	nilExc.CreateAttr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
	nilExc.CreateAttr("xsi:nil", "true")
	tests := []struct {
		name  string
		fault soap.Fault
	}{
		{"plain SOAP fault", soap.Fault{Code: "soap:Server", String: "Internal Error"}},
		{"nil SSBTEKSoapException", soap.Fault{Code: "soap:Server", String: "Internal Error", Detail: nilExc}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, faultServer(tt.fault))
			res, err := e.adapter.Hamta(context.Background(), fraga(simkit.Tolvan), nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			want := &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "soap:Server", Felmeddelande: "Internal Error"}
			if !proto.Equal(res.GetFel(), want) {
				t.Errorf("fel = %v, want %v", res.GetFel(), want)
			}
		})
	}
}

func TestTesta(t *testing.T) {
	t.Run("simulator answers the ping", func(t *testing.T) {
		e := newEnv(t)
		if err := e.adapter.Testa(context.Background()); err != nil {
			t.Fatalf("Testa: %v", err)
		}
		body := parse(t, e.requests.last(t)).Body
		if got := soap.Text(body, "query", "personnummer"); got != pingPersonnummer {
			t.Errorf("ping asked about %q, want the ping identity", got)
		}
		if got := soap.Text(body, "query", "korrelationsid"); got != pingKorrelationsid {
			t.Errorf("ping korrelationsid = %q, want %q", got, pingKorrelationsid)
		}
	})
	failures := []struct {
		name   string
		setup  func(e *env)
		server http.Handler
		felkod string
	}{
		{"http500", func(e *env) { e.sim.Faults().Set(simkit.Fault{Kind: simkit.FaultHTTP500}) }, nil, bastjanst.FelkodOtillganglig},
		{"wrong namespace", func(e *env) { e.sim.SetWrongNamespace(true) }, nil, bastjanst.FelkodOlasbart},
		{"SSBTEKSoapException", func(*env) {}, faultServer(felsvar()), bastjanst.FelkodOtillganglig},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, tt.server)
			tt.setup(e)
			err := e.adapter.Testa(context.Background())
			if err == nil {
				t.Fatal("Testa succeeded, want an error")
			}
			if got := bastjanst.FelFor(err).GetFelkod(); got != tt.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tt.felkod, err)
			}
		})
	}
}
