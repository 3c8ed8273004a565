package adapters_test

import (
	"testing"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

func TestFaultResult(t *testing.T) {
	rd := &ssbtekv1.Radata{Innehall: []byte("<soap:Fault/>"), MediaType: "application/xml"}
	res, err := adapters.FaultResult(ssbtekv1.Bastjanst_BASTJANST_AF, &soap.Fault{Code: "soap:Server", String: "Tjänsten är stängd"}, rd)
	if err != nil {
		t.Fatal(err)
	}
	if f := res.GetFel(); f.GetKalla() != ssbtekv1.Kalla_KALLA_BT || f.GetFelkod() != "soap:Server" || f.GetFelmeddelande() != "Tjänsten är stängd" {
		t.Errorf("fel = %v, want the fault as the agency's own error", f)
	}
	if res.GetRadata() != rd || res.GetBastjanst() != ssbtekv1.Bastjanst_BASTJANST_AF {
		t.Errorf("result = %v", res)
	}

	_, err = adapters.FaultResult(ssbtekv1.Bastjanst_BASTJANST_AF, &soap.Fault{String: "no code"}, rd)
	if got := bastjanst.FelFor(err).GetFelkod(); got != bastjanst.FelkodOlasbart {
		t.Errorf("a fault without faultcode: felkod %s, want %s", got, bastjanst.FelkodOlasbart)
	}
}

func TestAgencyURL(t *testing.T) {
	a := adapters.Agency{Name: "af"}
	if got := a.URL("http://127.0.0.1:1"); got != "http://127.0.0.1:1/af" {
		t.Errorf("URL = %s", got)
	}
}

func TestOperatorOrDefault(t *testing.T) {
	if got := (adapters.Config{}).OperatorOrDefault(); got != adapters.DefaultOperator {
		t.Errorf("no operator: %s, want %s", got, adapters.DefaultOperator)
	}
	if got := (adapters.Config{Operator: "165566778899"}).OperatorOrDefault(); got != "165566778899" {
		t.Errorf("operator 165566778899: %s", got)
	}
}
