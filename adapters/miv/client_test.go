package miv

import (
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
	"github.com/ssbtek/gateway/internal/adaptertest"
)

func TestHamtaTestPersons(t *testing.T) {
	nyanland := &ssbtekv1.Uppehallstillstand{Hemland: "SYRIEN", Inresedatum: "2023-08-14", Tillstand: []*ssbtekv1.Uppehallstillstand_Tillstand{{
		Arendetyp:       "UAT",
		ArendetypNamn:   "UPPEHÅLLS- OCH ARBETSTILLSTÅND",
		Beslutstyp:      "TUT",
		BeslutstypNamn:  "TIDSBEGRÄNSAT UPPEHÅLLSTILLSTÅND",
		Beslutskod:      "BEV",
		BeslutskodNamn:  "ANSÖKAN BEVILJAS",
		Anledning:       "FLY",
		AnledningNamn:   "FLYKTINGSTATUSFÖRKLARING",
		Ansokningsdatum: "2023-08-21",
		Beslutsdatum:    "2024-01-10",
		Giltighetstid:   "TIDBEGRANSAT",
		Giltighet:       ssbtekv1.Giltighet_GILTIGHET_TIDBEGRANSAT,
		From:            "2024-01-15",
		Tom:             "2027-01-14",
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
		{"any other valid number", adaptertest.Nobody, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil, elemSvar},
		{
			"Felperson gets MIV's SSBTEKSoapException", simkit.Felperson, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil,
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: felpersonFaultCode, Felmeddelande: felpersonFaultString},
			"Fault",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency()).Hamta(t.Context(), adaptertest.Fraga(tt.pnr), nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			adaptertest.CheckResult(t, Agency(), res, adaptertest.Want{Status: tt.status, Fel: tt.fel, Content: tt.content, MediaType: "text/xml"})
			root := adaptertest.RadataRoot(t, res)
			if root.Tag != tt.radata {
				t.Errorf("radata root = %s, want %s", root.Tag, tt.radata)
			}
			if tt.radata == elemSvar {
				adaptertest.Validate(t, schemaPath, "radata", adaptertest.RadataAnswer(t, res))
			}
		})
	}
}

// An answer in a namespace other than MIV's is unreadable. Nyanland has a
// permit, so a wrong namespace cannot hide behind an empty answer.
func TestHamtaWrongNamespace(t *testing.T) {
	ad := adaptertest.Serve(t, Agency(), wrongNamespaceSimulator()).Adapter(Agency())
	_, err := ad.Hamta(t.Context(), adaptertest.Fraga(simkit.Nyanland), nil)
	if got := adaptertest.Felkod(err); got != bastjanst.FelkodOlasbart {
		t.Errorf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
	}
	if err != nil && strings.Contains(err.Error(), simkit.Nyanland) {
		t.Errorf("error text holds the personnummer: %v", err)
	}
}

func TestHamtaLatencyStillAnswers(t *testing.T) {
	sim := NewSimulator()
	sim.Faults().Set(simkit.Fault{Kind: simkit.FaultLatency, Latency: 50 * time.Millisecond})
	res, err := adaptertest.Serve(t, Agency(), sim).Adapter(Agency()).Hamta(t.Context(), adaptertest.Fraga(simkit.Nyanland), nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if got := res.GetStatus().GetKod(); got != ssbtekv1.StatusKod_STATUS_KOD_OK {
		t.Errorf("status = %v, want OK", got)
	}
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
			res, err := adaptertest.Serve(t, Agency(), adaptertest.FaultServer(tt.fault)).Adapter(Agency()).Hamta(t.Context(), adaptertest.Fraga(simkit.Tolvan), nil)
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
		srv := adaptertest.Serve(t, Agency(), NewSimulator())
		if err := srv.Adapter(Agency()).Testa(t.Context()); err != nil {
			t.Fatalf("Testa: %v", err)
		}
		raw := srv.Last(t).Request
		adaptertest.Validate(t, schemaPath, "ping", adaptertest.Payload(t, raw))
		body := adaptertest.Envelope(t, raw).Body
		if got := soap.Text(body, "query", "personnummer"); got != pingPersonnummer {
			t.Errorf("ping asked about %q, want the ping identity", got)
		}
		if got := soap.Text(body, "query", "korrelationsid"); got != pingKorrelationsid {
			t.Errorf("ping korrelationsid = %q, want %q", got, pingKorrelationsid)
		}
	})
	// HTTP 500 and malformed answers: see the conformance suite.
	failures := []struct {
		name   string
		server http.Handler
		felkod string
	}{
		{"wrong namespace", wrongNamespaceSimulator(), bastjanst.FelkodOlasbart},
		// MIV's own error to the ping still means it cannot answer questions.
		{"SSBTEKSoapException", adaptertest.FaultServer(felsvar()), bastjanst.FelkodOtillganglig},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			err := adaptertest.Serve(t, Agency(), tt.server).Adapter(Agency()).Testa(t.Context())
			if got := adaptertest.Felkod(err); got != tt.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tt.felkod, err)
			}
		})
	}
}
