package af

import (
	"strconv"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// The simulator's status texts; codes above 99 are AF's own errors.
const (
	textOK            = "Frågan är behandlad och svaret innehåller Arbetsförmedlingens uppgifter om personen."
	textEjRegistrerad = "Personen är inte registrerad hos Arbetsförmedlingen."
	// KodTeknisktFel is the simulator's native error, given for Felperson.
	KodTeknisktFel  = 101
	textTeknisktFel = "Tekniskt fel: uppgifter om sökande kunde inte hämtas från Arbetsförmedlingens register."
)

// AktivitetsRapportMeddelande values (SSBTEK v4 release notes).
const (
	rapportInlamnad    = "200" // an activity report came in during the period
	rapportSaknasIALF  = "500" // the job seeker is not in ALF, AF's activity-report system
	rapportEjInlamnad  = "501" // no activity report during the period
	rapportTeknisktFel = "502" // ALF could not be read
	schemaversionSvar  = "4.0"
	ersattningEtablera = "Etableringsersättning"
)

// Two persons only AF's simulator knows, for the aktivitetsrapport codes
// 500 and 502 (the test persons of DESIGN §6 have 200 and 501).
const (
	// SaknasIALF: deregistered, AktivitetsRapportMeddelande 500.
	SaknasIALF = "199104151239"
	// RapportTeknisktFel: registered, AktivitetsRapportMeddelande 502.
	RapportTeknisktFel = "199302284568"
)

// person is what AF knows about one test person.
type person struct {
	fornamn, efternamn string
	sekretess          bool
	info               *arbetssokande // nil: not in AF's register of job seekers
	beslut             []beslut
	akassa             string
	kod                int
	text               string
}

// arbetssokande is ArbetssokandeInfo. Dates are written as AF writes them,
// some with a timezone, so the adapter's normalisation is exercised.
type arbetssokande struct {
	registrerad    bool
	skat           string
	datum          string
	omfattning     int
	avaktualiserad string
	rapport        string
	senasteRapport string
}

// beslut is one of BeslutInfo's EkonomiskaBeslut.
type beslut struct {
	typ        string
	omfattning int
	from, tom  string
}

// testperson returns AF's data for pnr: any number not among the test
// persons is not registered at AF.
func testperson(pnr string) person {
	ok := func(p person) person { p.kod, p.text = KodOK, textOK; return p }
	switch pnr {
	case simkit.Tolvan:
		return ok(person{
			fornamn: "Tolvan", efternamn: "Tolvansson",
			info: &arbetssokande{registrerad: true, skat: "Arbetslös", datum: "2016-11-18+01:00", omfattning: 100,
				rapport: rapportInlamnad, senasteRapport: "2024-01-12+01:00"},
			akassa: "Akademikernas a-kassa",
		})
	case simkit.Jobbsokare:
		return ok(person{
			fornamn: "Jonna", efternamn: "Jobbsökare",
			info: &arbetssokande{registrerad: true, skat: "Deltidsarbetslös", datum: "2023-09-04", omfattning: 50,
				rapport: rapportEjInlamnad},
			akassa: "Handelsanställdas a-kassa",
		})
	case simkit.Skyddad:
		// AF gives no name for a person with sekretessmarkering.
		return ok(person{
			sekretess: true,
			info: &arbetssokande{registrerad: true, skat: "Arbetslös", datum: "2022-05-02+02:00", omfattning: 100,
				rapport: rapportInlamnad, senasteRapport: "2024-01-08"},
		})
	case simkit.Nyanland:
		return ok(person{
			fornamn: "Amal", efternamn: "Nyanländ",
			info: &arbetssokande{registrerad: true, skat: "Deltagare i etableringsprogrammet", datum: "2025-06-12+02:00",
				omfattning: 100, rapport: rapportInlamnad, senasteRapport: "2026-01-10+01:00"},
			beslut: []beslut{
				{typ: ersattningEtablera, omfattning: 50, from: "2025-06-12+02:00", tom: "2025-12-31+01:00"},
				{typ: ersattningEtablera, omfattning: 100, from: "2026-01-01+01:00", tom: "2027-06-11+02:00"},
			},
		})
	case simkit.Samordningsnummer:
		return ok(person{
			fornamn: "Sami", efternamn: "Samordnad",
			info: &arbetssokande{registrerad: false, skat: "Avaktualiserad", datum: "2022-02-14Z",
				avaktualiserad: "2023-10-31Z", rapport: rapportEjInlamnad},
			akassa: "Byggnads a-kassa",
		})
	case SaknasIALF:
		// Once registered, unknown to ALF, AF's activity-report system.
		return ok(person{
			fornamn: "Alf", efternamn: "Saknad",
			info: &arbetssokande{skat: "Avaktualiserad", datum: "2019-05-02", avaktualiserad: "2020-01-31", rapport: rapportSaknasIALF},
		})
	case RapportTeknisktFel:
		return ok(person{
			fornamn: "Rapport", efternamn: "Felsson",
			info: &arbetssokande{registrerad: true, skat: "Arbetslös", datum: "2025-03-03", omfattning: 100, rapport: rapportTeknisktFel},
		})
	case simkit.Felperson:
		return person{kod: KodTeknisktFel, text: textTeknisktFel}
	default:
		return person{kod: KodEjRegistrerad, text: textEjRegistrerad}
	}
}

// svarMeddelande builds the simulator's answer to q.
func svarMeddelande(q *fraga, namespace string) *etree.Element {
	ns := func(local string) string { return prefix + ":" + local }
	msg := etree.NewElement(ns("SvarMeddelande"))
	msg.CreateAttr("xmlns:"+prefix, namespace)

	// Echo the question, in the answer's own prefix.
	echo := msg.CreateElement(ns("Fraga"))
	for _, c := range q.el.ChildElements() {
		if c.NamespaceURI() == Namespace {
			echo.CreateElement(ns(c.Tag)).SetText(c.Text())
		} else {
			echo.AddChild(soap.Standalone(c))
		}
	}

	svar := msg.CreateElement(ns("Svar"))
	add := func(parent *etree.Element, local, text string) { parent.CreateElement(ns(local)).SetText(text) }
	add(svar, "Schemaversion", schemaversionSvar)
	add(svar, "Referensnummer", soap.Text(q.el, "Referensnummer"))
	add(svar, "LagParagraf", soap.Text(q.el, "LagParagraf"))
	add(svar, "IdentitetsbeteckningFysiskPerson", q.personidentitet)

	p := testperson(q.personidentitet)
	known := p.kod == KodOK
	if p.fornamn != "" {
		add(svar, "Fornamn", p.fornamn)
		add(svar, "Efternamn", p.efternamn)
	}
	if known {
		add(svar, "Sekretessmarkering", strconv.FormatBool(p.sekretess))
	}
	if i := p.info; i != nil && q.inkludera.arbetssokandeInfo {
		info := svar.CreateElement(ns("ArbetssokandeInfo"))
		add(info, "Arbetssokande", strconv.FormatBool(i.registrerad))
		add(info, "ArbetssokandeSKAT", i.skat)
		add(info, "ArbetssokandeRegistrerad", i.datum)
		if i.registrerad {
			add(info, "ArbetssokandeOmfattning", strconv.Itoa(i.omfattning))
		}
		if i.avaktualiserad != "" {
			add(info, "ArbetssokandeAvaktualiserad", i.avaktualiserad)
		}
		rapport := info.CreateElement(ns("AktivetetsRapportDatum"))
		add(rapport, "AktivitetsRapportMeddelande", i.rapport)
		if i.senasteRapport != "" {
			add(rapport, "SenasteAktivitetsRapportDatum", i.senasteRapport)
		}
	}
	if known && q.inkludera.beslutInfo {
		// A known person always gets BeslutInfo; no decisions is an empty list.
		eko := svar.CreateElement(ns("BeslutInfo")).CreateElement(ns("EkonomiskaBeslut"))
		for _, b := range p.beslut {
			if !q.overlaps(b.from, b.tom) {
				continue
			}
			e := eko.CreateElement(ns("Beslut"))
			add(e, "ErsattningTyp", b.typ)
			add(e, "Omfattning", strconv.Itoa(b.omfattning))
			add(e, "BeslutFrom", b.from)
			add(e, "BeslutTom", b.tom)
		}
	}
	if p.akassa != "" && q.inkludera.akasseInfo {
		add(svar, "Akassetillhorighet", p.akassa)
	}
	add(svar, "StatusSokandeinformationKod", strconv.Itoa(p.kod))
	add(svar, "StatusSokandeinformationKodText", p.text)
	return msg
}
