package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

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
