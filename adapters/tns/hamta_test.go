package tns

import (
	"errors"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

func TestHamtaTestPersons(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency())
	tolvan := &ssbtekv1.Fordonsinnehav{Fordon: []*ssbtekv1.Fordonsinnehav_Fordon{
		{Registreringsnummer: "TLV121", Fabrikat: "VOLVO", Fordonsar: 2016, FordonsarText: "2016", Fordonsslag: "PERSONBIL", Handelsbeteckning: "V60"},
		{Registreringsnummer: "TLV12Y", Fabrikat: "YAMAHA", Fordonsar: 2009, FordonsarText: "2009", Fordonsslag: "MOTORCYKEL", Handelsbeteckning: "XJ6 DIVERSION"},
	}, Resultat: "OK"}
	skyddad := &ssbtekv1.Fordonsinnehav{Fordon: []*ssbtekv1.Fordonsinnehav_Fordon{
		{Registreringsnummer: "SKD385", Fabrikat: "TOYOTA", Fordonsar: 2019, FordonsarText: "2019", Fordonsslag: "PERSONBIL", Handelsbeteckning: "COROLLA"},
	}, Resultat: "OK"}
	tests := []struct {
		name    string
		pnr     string
		status  ssbtekv1.StatusKod
		innehav *ssbtekv1.Fordonsinnehav
		fel     *ssbtekv1.Fel
	}{
		{"Tolvan has two vehicles", simkit.Tolvan, ssbtekv1.StatusKod_STATUS_KOD_OK, tolvan, nil},
		// TS has no protected-identity flag, so the answer is plain data.
		{"protected identity", simkit.Skyddad, ssbtekv1.StatusKod_STATUS_KOD_OK, skyddad, nil},
		{"job seeker", simkit.Jobbsokare, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"newly arrived", simkit.Nyanland, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"student", simkit.Student, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"pensioner", simkit.Pensionar, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"samordningsnummer", simkit.Samordningsnummer, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"unknown person", adaptertest.Nobody, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"TS's own error", simkit.Felperson, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil,
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "103", Felmeddelande: feltextSimulerat}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := adaptertest.Fraga(tt.pnr)
			res, err := a.Hamta(t.Context(), f, f.GetPeriod())
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			adaptertest.CheckResult(t, Agency(), res, adaptertest.Want{Status: tt.status, Fel: tt.fel, Content: tt.innehav, MediaType: "text/xml"})
			// Radata is the simulator's HamtaUppgifterResponse as sent:
			// every answer the simulator gives must meet TS's schema.
			adaptertest.Validate(t, responderXSD, "radata", adaptertest.RadataAnswer(t, res))
		})
	}
}

func TestHamtaRefusesUnexpressiblePersonidentitet(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	a := srv.Adapter(Agency())
	for _, pnr := range []string{"181212121212", "19121212121", "191222121212"} {
		f := adaptertest.Fraga(pnr)
		_, err := a.Hamta(t.Context(), f, f.GetPeriod())
		if !errors.Is(err, errIdentitet) {
			t.Errorf("err = %v, want errIdentitet", err)
		}
		if err != nil && containsDigits(err.Error(), pnr) {
			t.Errorf("error text holds the personidentitet: %v", err)
		}
	}
	// Such a number is refused before anything is sent to TS.
	if n := len(srv.Exchanges()); n != 0 {
		t.Errorf("%d requests reached TS", n)
	}
}

func containsDigits(s, pnr string) bool {
	return len(pnr) >= 10 && (strings.Contains(s, pnr) || strings.Contains(s, pnr[2:]))
}
