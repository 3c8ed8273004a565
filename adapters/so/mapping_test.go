package so

import (
	"strings"
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

func TestWhole(t *testing.T) {
	ok := map[string]int64{
		"1250.50": 1251, "1250.49": 1250, "1250.4999": 1250, "7": 7, "+7.5": 8, "-0.5": -1,
		"-2.4": -2, ".5": 1, "5.": 5, "0": 0, "9223372036854775807": 9223372036854775807,
	}
	for in, want := range ok {
		if got, err := whole(in); err != nil || got != want {
			t.Errorf("whole(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", ".", "-", "1e3", "1,5", "abc", "1.2.3", "9223372036854775807.5", "99999999999999999999"} {
		if got, err := whole(in); err == nil {
			t.Errorf("whole(%q) = %d, want an error", in, got)
		}
	}
}

func TestXSDate(t *testing.T) {
	for in, want := range map[string]string{"2025-02-10": "2025-02-10", "2025-02-10Z": "2025-02-10", "2025-02-10+01:00": "2025-02-10"} {
		if got, err := xsDate(in); err != nil || got != want {
			t.Errorf("xsDate(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2025-02-30", "20250210", "2025-2-10", "2025-02-10T00:00:00"} {
		if got, err := xsDate(in); err == nil {
			t.Errorf("xsDate(%q) = %q, want an error", in, got)
		}
	}
}

// Answers the adapter must refuse as unreadable (2003), each a readable
// answer for Tolvan with one thing broken.
func TestMapSvarRefusesBrokenAnswers(t *testing.T) {
	const payment = `<Utbetalningar><Utbetalningsdatum>2025-02-10</Utbetalningsdatum><NettoEfterSkatt>100.00</NettoEfterSkatt>` +
		`<NettoEfterAvdrag>90.00</NettoEfterAvdrag><Ersattningsdagar>2</Ersattningsdagar><AvserFrom>2025-02-01</AvserFrom><AvserTom>2025-02-02</AvserTom></Utbetalningar>`
	answer := func(id, lista string) string {
		return `<GetUnemploymentBenefitPaymentResponse xmlns="` + Namespace + `"><IdentificationNumber>` + id + `</IdentificationNumber>` + lista + `</GetUnemploymentBenefitPaymentResponse>`
	}
	kassa := func(inner string) string {
		return `<ArbetsloshetsersattningLista><Arbetsloshetsersattning>` + inner + `</Arbetsloshetsersattning></ArbetsloshetsersattningLista>`
	}
	good := answer(simkit.Tolvan, kassa(`<SvarandeOrganisation>A</SvarandeOrganisation><StatusSvarandeOrganisation>OK</StatusSvarandeOrganisation>`+payment))
	if _, err := mapSvar(envelope(t, good), simkit.Tolvan); err != nil {
		t.Fatalf("the unbroken answer: %v", err)
	}
	tests := map[string]string{
		"wrong root":         strings.ReplaceAll(good, "GetUnemploymentBenefitPaymentResponse", "GetUnemploymentBenefitPaymentRequest"),
		"wrong namespace":    strings.Replace(good, Namespace, WrongNamespace, 1),
		"other person":       strings.Replace(good, simkit.Tolvan, simkit.Jobbsokare, 1),
		"no person":          strings.Replace(good, "<IdentificationNumber>"+simkit.Tolvan+"</IdentificationNumber>", "", 1),
		"no list":            answer(simkit.Tolvan, ""),
		"no a-kassa name":    strings.Replace(good, "<SvarandeOrganisation>A</SvarandeOrganisation>", "", 1),
		"no amount":          strings.Replace(good, "<NettoEfterSkatt>100.00</NettoEfterSkatt>", "", 1),
		"amount not decimal": strings.Replace(good, "100.00", "100,00", 1),
		"bad date":           strings.Replace(good, "2025-02-10", "2025-02-31", 1),
		"bad days":           strings.Replace(good, "<Ersattningsdagar>2<", "<Ersattningsdagar>två<", 1),
		"days out of range":  strings.Replace(good, "<Ersattningsdagar>2<", "<Ersattningsdagar>3000000000<", 1),
		"fault without code": `<soap:Fault xmlns:soap="` + soap.EnvelopeNS + `"><faultstring>x</faultstring></soap:Fault>`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			res, err := mapSvar(envelope(t, body), simkit.Tolvan)
			if got := adaptertest.Felkod(err); err == nil || got != bastjanst.FelkodOlasbart {
				t.Fatalf("mapSvar = %v, %v; want felkod %s", res, err, bastjanst.FelkodOlasbart)
			}
			if strings.Contains(err.Error(), simkit.Tolvan) || strings.Contains(err.Error(), simkit.Jobbsokare) {
				t.Errorf("error text holds a personnummer: %v", err)
			}
		})
	}
}

// An a-kassa listed without payments is still data, though nothing typed.
func TestMapSvarAkassaWithoutPayments(t *testing.T) {
	body := `<GetUnemploymentBenefitPaymentResponse xmlns="` + Namespace + `"><IdentificationNumber>` + simkit.Tolvan +
		`</IdentificationNumber><ArbetsloshetsersattningLista><Arbetsloshetsersattning><SvarandeOrganisation>A</SvarandeOrganisation>` +
		`<StatusSvarandeOrganisation>OK</StatusSvarandeOrganisation></Arbetsloshetsersattning></ArbetsloshetsersattningLista></GetUnemploymentBenefitPaymentResponse>`
	res, err := mapSvar(envelope(t, body), simkit.Tolvan)
	if err != nil {
		t.Fatal(err)
	}
	if res.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK || res.GetSo() == nil || len(res.GetSo().GetUtbetalningar()) != 0 {
		t.Errorf("result = %v", res)
	}
}

// envelope wraps body as the adapter receives it.
func envelope(t *testing.T, body string) *soap.Envelope {
	t.Helper()
	el, err := simkit.Document(body)
	if err != nil {
		t.Fatal(err)
	}
	return adaptertest.Envelope(t, soap.Build(el))
}
