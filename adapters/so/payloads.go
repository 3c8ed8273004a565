package so

import (
	"fmt"
	"slices"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
)

// The simulator's data, per test person. Amounts and day counts are written
// as the a-kassor's system writes xs:decimal values.

// akassa is one a-kassa's part of an answer.
type akassa struct {
	namn, status  string
	utbetalningar []utbetalningData
	avstangningar [][2]string // from, tom
	ansokan       *ansokanData
}

type utbetalningData struct {
	datum, nettoEfterSkatt, nettoEfterAvdrag, dagar, from, tom string
}

type ansokanData struct {
	// beslut is the date of the decision on the right to benefit; "" is
	// written as xsi:nil, meaning not yet decided.
	beslut   string
	inlamnad bool
}

// inPeriod returns what of kassor the a-kassor give for the period from..tom
// (xs:date, as the request has them): payments made then and suspensions
// overlapping it. An a-kassa with nothing in the period still answers: the
// membership and the application are not tied to it.
func inPeriod(kassor []akassa, from, tom string) []akassa {
	out := make([]akassa, 0, len(kassor))
	for _, k := range kassor {
		k.utbetalningar = slices.DeleteFunc(slices.Clone(k.utbetalningar), func(u utbetalningData) bool {
			return u.datum < from || u.datum > tom
		})
		k.avstangningar = slices.DeleteFunc(slices.Clone(k.avstangningar), func(a [2]string) bool {
			return a[1] < from || a[0] > tom
		})
		out = append(out, k)
	}
	return out
}

// kassorFor returns what the a-kassor know about pnr: nothing for anybody
// but the test persons with SO data (DESIGN §6).
func kassorFor(pnr string) []akassa {
	switch pnr {
	case simkit.Tolvan:
		return []akassa{{
			namn:   "Akademikernas a-kassa",
			status: "OK",
			utbetalningar: []utbetalningData{
				{"2026-02-10", "9416.50", "9216.50", "20", "2026-01-05", "2026-02-01"},
				{"2026-03-10", "9416.00", "9216.00", "20", "2026-02-02", "2026-03-01"},
				{"2026-04-07", "4708.49", "4508.49", "10", "2026-03-02", "2026-03-29"},
				// The autumn, with 200 kronor union fee deducted each time.
				{"2026-08-10", "9887.50", "9687.50", "21", "2026-07-06", "2026-08-02"},
				{"2026-09-07", "9416.50", "9216.50", "20", "2026-08-03", "2026-08-30"},
				{"2026-10-05", "9416.50", "9216.50", "20", "2026-08-31", "2026-09-27"},
			},
			ansokan: &ansokanData{beslut: "2026-01-20", inlamnad: true},
		}, {
			// Tolvan changed a-kassa: the old one still answers, without payments.
			namn:   "Unionens arbetslöshetskassa",
			status: "OK",
		}}
	case simkit.Jobbsokare:
		return []akassa{{
			namn:   "Byggnadsarbetarnas a-kassa",
			status: "OK",
			utbetalningar: []utbetalningData{
				{"2026-03-13", "7812.00", "7812.00", "17", "2026-02-09", "2026-03-08"},
				{"2026-04-10", "8640.00", "8640.00", "19", "2026-03-09", "2026-04-05"},
			},
			avstangningar: [][2]string{{"2026-04-06", "2026-04-10"}},
			ansokan:       &ansokanData{inlamnad: true},
		}}
	case simkit.Skyddad:
		// INT014 has no protection flag: the a-kassor answer as for anybody.
		return []akassa{{
			namn:   "Kommunalarbetarnas a-kassa",
			status: "OK",
			utbetalningar: []utbetalningData{
				{"2026-03-12", "6120.00", "5970.00", "15", "2026-02-09", "2026-03-01"},
			},
		}}
	default:
		return nil
	}
}

// response builds the GetUnemploymentBenefitPaymentResponse to fraga in
// namespace ns: the question's elements echoed, then the a-kassor's data.
func response(ns string, fraga *etree.Element, kassor []akassa) (*etree.Element, error) {
	// The request's elements that the answer repeats, in schema order.
	echoed := []struct {
		name     string
		required bool
	}{
		{"OrganisationsnummerIngivare", true},
		{"NamnIngivare", true},
		{"KontonamnHandlaggare", true},
		{"Referensnummer", true},
		{"From", true},
		{"Tom", true},
		{"Syfte", true},
		{"Paragraf", true},
		{"OrganisationsnummerPersonuppgiftsbitrade", false},
		{"NamnPersonuppgiftsbitrade", false},
		{"IdentificationNumber", true},
	}
	svar := etree.NewElement(ResponseElement)
	svar.CreateAttr("xmlns", ns)
	for _, e := range echoed {
		found := children(fraga, e.name)
		if e.required && len(found) != 1 {
			return nil, fmt.Errorf("request needs exactly one %s", e.name)
		}
		for _, c := range found {
			svar.CreateElement(e.name).SetText(c.Text())
		}
	}
	lista := svar.CreateElement("ArbetsloshetsersattningLista")
	for _, k := range kassor {
		kassa := lista.CreateElement("Arbetsloshetsersattning")
		kassa.CreateElement("SvarandeOrganisation").SetText(k.namn)
		kassa.CreateElement("StatusSvarandeOrganisation").SetText(k.status)
		for _, u := range k.utbetalningar {
			el := kassa.CreateElement("Utbetalningar")
			el.CreateElement("Utbetalningsdatum").SetText(u.datum)
			el.CreateElement("NettoEfterSkatt").SetText(u.nettoEfterSkatt)
			el.CreateElement("NettoEfterAvdrag").SetText(u.nettoEfterAvdrag)
			el.CreateElement("Ersattningsdagar").SetText(u.dagar)
			el.CreateElement("AvserFrom").SetText(u.from)
			el.CreateElement("AvserTom").SetText(u.tom)
		}
		for _, a := range k.avstangningar {
			el := kassa.CreateElement("Avstangningar")
			el.CreateElement("AvstangdFrom").SetText(a[0])
			el.CreateElement("AvstangdTom").SetText(a[1])
		}
		if a := k.ansokan; a != nil {
			el := kassa.CreateElement("AnsoktOmErsattning")
			beslut := el.CreateElement("BeslutOmRattTillErsattning")
			if a.beslut == "" {
				beslut.CreateAttr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
				beslut.CreateAttr("xsi:nil", "true")
			} else {
				beslut.SetText(a.beslut)
			}
			el.CreateElement("AnsokanOmUtbetalningInlamnad").SetText(fmt.Sprint(a.inlamnad))
		}
	}
	return svar, nil
}
