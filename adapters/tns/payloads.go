package tns

import (
	"strconv"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
)

// fordon is one vehicle in the simulated vägtrafikregister.
type fordon struct {
	regnr, fabrikat, fordonsar, fordonsslag, handelsbeteckning string
}

// fordonFor is what the simulated register knows: Tolvan holds two vehicles
// and the protected person one; everybody else holds none.
func fordonFor(personidentitet string) []fordon {
	switch personidentitet {
	case simkit.Tolvan:
		return []fordon{
			{"TLV121", "VOLVO", "2016", "PERSONBIL", "V60"},
			{"TLV12Y", "YAMAHA", "2009", "MOTORCYKEL", "XJ6 DIVERSION"},
		}
	case simkit.Skyddad:
		return []fordon{
			{"SKD385", "TOYOTA", "2019", "PERSONBIL", "COROLLA"},
		}
	default:
		return nil
	}
}

// The simulated TS error for Felperson.
const (
	felkodSimulerat  = 103
	feltextSimulerat = "Tekniskt fel: uppgifter kunde inte hämtas från vägtrafikregistret"
)

// TS's refusal of an ingivare without a medgivande om direktåtkomst to the
// vägtrafikregister (seed 002: SSBTEK v6 requires one). TS's contract fixes
// no codes, only FelresultatType{felkod int, feltext}; 110 is the simulator's,
// and the adapter reads it as ATKOMSTNEKAD (README).
const (
	felkodUtanMedgivande  = 110
	feltextUtanMedgivande = "Medgivande om direktåtkomst till vägtrafikregistret saknas för organisationen"
)

// wrongNS is the namespace the simulator answers in when asked to be wrong.
const wrongNS = "http://schema.transportstyrelsen.se/ssbtek/hamtauppgifterresponder/2"

// svarOK is an OK answer listing the vehicles; an empty list is TS's
// "nothing found" (fordonsinnehav "kan vara tom lista").
func svarOK(ns string, innehav []fordon) *etree.Element {
	svar := responseElement(ns, resultatOK)
	list := svar.CreateElement("hu:fordonsinnehav")
	for _, f := range innehav {
		el := list.CreateElement("frdn:fordon")
		el.CreateElement("frdn:regnr").SetText(f.regnr)
		el.CreateElement("frdn:fabrikat").SetText(f.fabrikat)
		el.CreateElement("frdn:fordonsar").SetText(f.fordonsar)
		el.CreateElement("frdn:fordonsslag").SetText(f.fordonsslag)
		el.CreateElement("frdn:handelsbeteckning").SetText(f.handelsbeteckning)
	}
	return svar
}

// svarFel is TS's own error answer: resultat FEL with a felresultat.
func svarFel(ns string, felkod int, feltext string) *etree.Element {
	svar := responseElement(ns, resultatFel)
	fr := svar.CreateElement("hu:felresultat")
	fr.CreateElement("hu:felkod").SetText(strconv.Itoa(felkod))
	fr.CreateElement("hu:feltext").SetText(feltext)
	return svar
}

func responseElement(ns, resultat string) *etree.Element {
	svar := etree.NewElement("hu:HamtaUppgifterResponse")
	svar.CreateAttr("xmlns:hu", ns)
	svar.CreateAttr("xmlns:frdn", NSFordon)
	svar.CreateElement("hu:resultat").SetText(resultat)
	return svar
}

// pingSvar answers our ping (see Adapter.Testa).
func pingSvar() *etree.Element {
	svar := etree.NewElement("tsp:PingResponse")
	svar.CreateAttr("xmlns:tsp", NSPing)
	svar.CreateElement("tsp:resultat").SetText(resultatOK)
	return svar
}
