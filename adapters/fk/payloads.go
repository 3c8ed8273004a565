package fk

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
)

// The simulator's data: what LEFI knows of each test person, by group.

// felpersonMeddelande is the LefiFelsvar text Felperson gets with HTTP 500.
const felpersonMeddelande = "Ett internt fel uppstod vid hämtning av förmånsinformation. Försök igen senare."

// obehorigMeddelande is the LefiFelsvar text of LEFI's 403 for an actor the
// caller may not represent.
const obehorigMeddelande = "Anroparen saknar behörighet att företräda aktören."

// simPerson is one test person as LEFI knows them.
type simPerson struct {
	info personinformation
	// fk adds FK ärenden, each under the group code that asks for it.
	fk []simData
	// utbetalningar adds FK payments, under the group asked for in utbetalningar.
	utbetalningar []simData
	// preliminara adds FK's planned payments, under the group asked for in preliminaraUtbetalningar.
	preliminara []simData
	// ovrig adds övrig information, under the type asked for in ovrigInformation.
	ovrig   []simData
	ansprak []pmAnsprak
	beslut  []pmBeslut
	// pmUtbetalningar and pmPreliminara are PM's payments, under their group.
	pmUtbetalningar, pmPreliminara []pmUtbetalning
}

type simData struct {
	grupp string
	add   func(*formansinformation)
}

// svarFor answers q about pnr with what the person has in the groups asked for.
func svarFor(pnr string, q fraga) svar {
	s := svar{Utlamnare: utlamnareFor(q)}
	p, known := simPersons()[pnr]
	if !known {
		return s
	}
	var fi formansinformation
	if slices.Contains(q.OvrigInformation, gepi) {
		info := p.info
		info.Personnummer = pnr
		fi.GenerellPersoninformation = []personinformation{info}
	}
	for _, part := range []struct {
		data  []simData
		asked []string
	}{
		{p.fk, q.Formansinformation}, {p.utbetalningar, q.Utbetalningar},
		{p.preliminara, q.PreliminaraUtbetalningar}, {p.ovrig, q.OvrigInformation},
	} {
		for _, d := range part.data {
			if slices.Contains(part.asked, d.grupp) {
				d.add(&fi)
			}
		}
	}
	fi = inPeriod(fi, q.Period)
	if !isZero(fi) {
		s.Formansinformation = &fi
	}
	for _, a := range p.ansprak {
		if slices.Contains(q.Ansprak, a.Formansgrupp.Kod) && (q.Period == nil || a.Ankomstdatum <= q.Period.Tom) {
			s.Ansprak = append(s.Ansprak, a)
		}
	}
	for _, b := range p.beslut {
		if slices.Contains(q.Beslut, b.Formansgrupp.Kod) && pmBeslutInPeriod(b, q.Period) {
			s.Beslut = append(s.Beslut, b)
		}
	}
	for _, u := range p.pmUtbetalningar {
		if slices.Contains(q.Utbetalningar, pmGrupp(u)) && dayIn(u.Utbetalningsdatum, q.Period) {
			s.Utbetalningar = append(s.Utbetalningar, u)
		}
	}
	for _, u := range p.pmPreliminara {
		if slices.Contains(q.PreliminaraUtbetalningar, pmGrupp(u)) && dayIn(u.Utbetalningsdatum, q.Period) {
			s.PreliminaraUtbetalningar = append(s.PreliminaraUtbetalningar, u)
		}
	}
	return s
}

// pmGrupp is the group of a PM payment: its first line's.
func pmGrupp(u pmUtbetalning) string {
	for _, r := range u.Utbetalningsrader {
		if r.Formansgrupp != nil {
			return r.Formansgrupp.Kod
		}
	}
	return ""
}

// The simulator answers for the period asked, as LEFI's period says: the
// decisions whose period touches it (an open one runs on), the payments made
// or planned in it, and no ärende left without decisions.

// dayIn reports whether a day lies in p; every day does when p is absent.
func dayIn(day string, p *period) bool {
	return p == nil || day >= p.From && (p.Tom == "" || day <= p.Tom)
}

// overlaps reports whether fran..till (month-only or open ends allowed) touches p.
func overlaps(fran, till string, p *period) bool {
	if p == nil {
		return true
	}
	return (fran == "" || forstaDag(fran) <= cmpOr(p.Tom, "9999-12-31")) && (till == "" || sistaDag(till) >= p.From)
}

// base gives a decision's shared fields, whatever its kind.
func (b beslut) base() beslut { return b }

// arendenInPeriod keeps the decisions of each ärende that touch p, and the
// ärenden left with one (or that had none).
func arendenInPeriod[B interface{ base() beslut }](list []arende[B], p *period) []arende[B] {
	var out []arende[B]
	for _, a := range list {
		had := len(a.Beslut) > 0
		a.Beslut = slices.DeleteFunc(slices.Clone(a.Beslut), func(b B) bool {
			per := b.base().Period
			return per != nil && !overlaps(per.Fran, per.Till, p)
		})
		if !had || len(a.Beslut) > 0 {
			out = append(out, a)
		}
	}
	return out
}

// utbetalningarInPeriod keeps the payments dated in p.
func utbetalningarInPeriod(list []utbetalningsuppgift, p *period) []utbetalningsuppgift {
	return slices.DeleteFunc(slices.Clone(list), func(u utbetalningsuppgift) bool { return !dayIn(u.Datum, p) })
}

// inPeriod is what of fi LEFI gives for p.
func inPeriod(fi formansinformation, p *period) formansinformation {
	fi.Aktivitetsstod = arendenInPeriod(fi.Aktivitetsstod, p)
	fi.Allmanpension = arendenInPeriod(fi.Allmanpension, p)
	fi.Barnbidrag = arendenInPeriod(fi.Barnbidrag, p)
	fi.Bostadsbidrag = arendenInPeriod(fi.Bostadsbidrag, p)
	fi.Bostadstillagg = arendenInPeriod(fi.Bostadstillagg, p)
	fi.Efterlevandepension = arendenInPeriod(fi.Efterlevandepension, p)
	fi.Foraldrapenning = arendenInPeriod(fi.Foraldrapenning, p)
	fi.Handikappersattning = arendenInPeriod(fi.Handikappersattning, p)
	fi.Programersattning = arendenInPeriod(fi.Programersattning, p)
	fi.SjukOchAktivitetsersattning = arendenInPeriod(fi.SjukOchAktivitetsersattning, p)
	fi.Sjukpenning = arendenInPeriod(fi.Sjukpenning, p)
	fi.Underhallsstod = arendenInPeriod(fi.Underhallsstod, p)
	fi.Vardbidrag = arendenInPeriod(fi.Vardbidrag, p)
	fi.Utbetalningsuppgift = utbetalningarInPeriod(fi.Utbetalningsuppgift, p)
	fi.Preliminarautbetalningar = utbetalningarInPeriod(fi.Preliminarautbetalningar, p)
	return fi
}

// pmBeslutInPeriod reports whether a PM decision's ersättningar touch p (or,
// without ersättningar, whether it was made by p's end).
func pmBeslutInPeriod(b pmBeslut, p *period) bool {
	if len(b.BeslutadErsattning) == 0 {
		return p == nil || b.Beslutsdatum <= cmpOr(p.Tom, "9999-12-31")
	}
	for _, e := range b.BeslutadErsattning {
		if e.Period == nil || overlaps(e.Period.From, e.Period.Tom, p) {
			return true
		}
	}
	return false
}

func isZero(fi formansinformation) bool {
	return len(fi.GenerellPersoninformation) == 0 && len(fi.Foraldrapenning) == 0 && len(fi.Barnbidrag) == 0 &&
		len(fi.Bostadsbidrag) == 0 && len(fi.Bostadstillagg) == 0 && len(fi.Programersattning) == 0 &&
		len(fi.Utbetalningsuppgift) == 0 && len(fi.Preliminarautbetalningar) == 0 && len(fi.Ovrigt) == 0
}

// utlamnareFor lists the authorities a question concerns, both available.
func utlamnareFor(q fraga) []utlamnareTillstand {
	var fk, pm bool
	for _, list := range [][]string{q.Formansinformation, q.Ansprak, q.Beslut, q.PreliminaraUtbetalningar, q.Utbetalningar, q.OvrigInformation} {
		for _, c := range list {
			fk = fk || strings.HasPrefix(c, "FK:")
			pm = pm || strings.HasPrefix(c, "PM:")
		}
	}
	var out []utlamnareTillstand
	if fk {
		out = append(out, utlamnareTillstand{&utlamnare{"FK", "Försäkringskassan"}, &kodBeskrivning{tillstandOK, "Tillgänglig"}})
	}
	if pm {
		out = append(out, utlamnareTillstand{&utlamnare{"PM", "Pensionsmyndigheten"}, &kodBeskrivning{tillstandOK, "Tillgänglig"}})
	}
	return out
}

// tillgangliga is what every actor may fetch from the simulator.
func tillgangliga() tillgangligaTyper {
	ap := []kodBeskrivning{{"PM:AP", "Allmän pension"}}
	return tillgangligaTyper{
		Formansinformation: []kodBeskrivning{
			{"FK:ABB", "Barnbidrag"}, {"FK:BOB", "Bostadsbidrag"}, {"FK:BST", "Bostadstillägg"},
			{"FK:FP", "Föräldrapenning"}, {"FK:PROG", "Programersättning"},
		},
		Ansprak:          ap,
		Beslut:           ap,
		Utbetalningar:    []kodBeskrivning{{"FK:FP", "Föräldrapenning"}, {"PM:AP", "Allmän pension"}},
		OvrigInformation: []kodBeskrivning{{gepi, "Generell personinformation"}, {"FK:SGI", "Sjukpenninggrundande inkomst"}},
	}
}

// wrongShape is valid JSON whose members have types neither answer's schema
// allows (utlamnare, formansinformation and beslut should be lists or objects).
func wrongShape() map[string]any {
	return map[string]any{
		"utlamnare":          "FK",
		"formansinformation": "FK:FP",
		"beslut":             "PM:AP",
	}
}

func ja() *bool  { v := true; return &v }
func nej() *bool { v := false; return &v }

// sek is an amount in kronor, written as LEFI writes it ("5080", "1016.5").
func sek(kronor string) *belopp { return &belopp{Summa: number(kronor), Valuta: "SEK"} }

func manadsvis() *sifferkod { return &sifferkod{ID: 1, Beskrivning: "Månadsvis"} }

// simPersons is built anew for every answer, so no request can change another's data.
func simPersons() map[string]simPerson {
	return map[string]simPerson{
		simkit.Tolvan:            tolvan(),
		simkit.Nyanland:          nyanland(),
		simkit.Pensionar:         pensionar(),
		simkit.Samordningsnummer: samordningsnummer(),
		simkit.Skyddad:           skyddadPerson(),
	}
}

// arbetsdagar are n weekdays from the day from (YYYY-MM-DD) on.
func arbetsdagar(from string, n int) []string {
	d, err := time.Parse(dateLayout, from)
	if err != nil {
		return nil
	}
	var out []string
	for ; len(out) < n; d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			out = append(out, d.Format(dateLayout))
		}
	}
	return out
}

// dagbelopp is föräldrapenning per day at sjukpenningnivå.
const dagbelopp = "1016"

// fpBeslut is a decision on föräldrapenning for the days given, full-time.
func fpBeslut(fattades string, dagar []string) foraldrapenningBeslut {
	var ed []foraldrapenningDag
	for _, d := range dagar {
		ed = append(ed, foraldrapenningDag{Dag: d, Niva: &bokstavskod{"S", "Sjukpenningsnivå"}, Bruttobelopp: sek(dagbelopp)})
	}
	n := int64(len(dagar))
	return foraldrapenningBeslut{
		omfattningsbeslut: omfattningsbeslut{
			beslut: beslut{
				Fattades: fattades, Definitivt: ja(), Forman: &bokstavskod{"FP", "Föräldrapenning"},
				Period: &franTill{Fran: dagar[0], Till: dagar[len(dagar)-1]},
			},
			Omfattning: &omfattning{Taljare: 1, Namnare: 1},
		},
		Dagar:            &n,
		Ersattning:       &sifferkod{ID: 3, Beskrivning: "Vanliga dagar"},
		Ersattningsdagar: ed,
	}
}

// fpUtbetalning is a monthly föräldrapenning payment for fran..till: its
// lines the ersättning, the preliminary tax (30 %) and any other deduction
// (code, amount); LEFI's avdragsbelopp is the tax plus that.
func fpUtbetalning(datum, fran, till, brutto, skatt, netto string, avdrag ...string) utbetalningsuppgift {
	period := &franTill{Fran: fran, Till: till}
	fp := &bokstavskod{"FP", "Föräldrapenning"}
	u := utbetalningsuppgift{
		Typ: &sifferkod{ID: 1, Beskrivning: "Månad"}, Foretag: &sifferkod{ID: 1001, Beskrivning: "Försäkringskassan"},
		Formansfamilj: fp, Datum: datum, Period: period,
		Bruttobelopp: sek(brutto), Skattebelopp: sek(skatt), Nettobelopp: sek(netto),
		Utbetalningsdetalj: []utbetalningsdetalj{
			{Forman: fp, Period: period, Beloppstyp: &bokstavskod{"FP", "Föräldrapenning"}, Bruttobelopp: sek(brutto)},
			{Forman: fp, Period: period, Beloppstyp: &bokstavskod{"PS", "Preliminär skatt"}, Skattebelopp: sek(skatt)},
		},
	}
	if len(avdrag) == 3 {
		u.Avdragsbelopp = sek(avdrag[2])
		u.Utbetalningsdetalj = append(u.Utbetalningsdetalj, utbetalningsdetalj{
			Forman: fp, Period: period, Beloppstyp: &bokstavskod{avdrag[0], "Utmätning"}, Avdragsbelopp: sek(avdrag[1]),
		})
	}
	return u
}

// bobUtbetalning is a month's bostadsbidrag, 1 850 kronor, paid without tax.
func bobUtbetalning(datum, manad string) utbetalningsuppgift {
	bob := &bokstavskod{"BOB", "Bostadsbidrag"}
	period := &franTill{Fran: manad, Till: manad}
	return utbetalningsuppgift{
		Typ: &sifferkod{ID: 1, Beskrivning: "Månad"}, Foretag: &sifferkod{ID: 1001, Beskrivning: "Försäkringskassan"},
		Formansfamilj: bob, Datum: datum, Period: period,
		Bruttobelopp: sek("1850"), Skattebelopp: sek("0"), Nettobelopp: sek("1850"),
		Utbetalningsdetalj: []utbetalningsdetalj{{Forman: bob, Period: period, Beloppstyp: bob, Bruttobelopp: sek("1850")}},
	}
}

// Tolvan's allmän pension from PM for 2026, in whole kronor a month, as
// PM's annual recalculation decided it: inkomstpension 6 120 and
// garantipension 4 280 (the guarantee tops up a small inkomstpension),
// 10 400 gross, 1 456 preliminary tax (14 %), 8 944 net.
const (
	tolvanIP, tolvanGARP = 6120, 4280
	tolvanPensionSkatt   = 1456
)

// tolvanPension are PM's monthly payments of 2026 to Tolvan: on the 19th,
// or the weekday before when that is a weekend or midsommarafton (19 June
// 2026). Paid from January to November; December's is planned (today's
// date in the simulated world is 1 December 2026). Built anew per answer, as
// simPersons is.
func tolvanPension() (utbetalda, preliminara []pmUtbetalning) {
	ap := &kodBeskrivning{"PM:AP", "Allmän pension"}
	var out []pmUtbetalning
	for i, dag := range []string{"19", "19", "19", "17", "19", "18", "17", "19", "18", "19", "19", "18"} {
		manad := fmt.Sprintf("2026-%02d", i+1)
		out = append(out, pensionsutbetalning(manad+"-"+dag, manad, ap, tolvanIP, tolvanGARP, tolvanPensionSkatt))
	}
	return out[:11], out[11:]
}

// tolvanPensionsbeslut is PM's decision on Tolvan's allmän pension for
// 2026, made in the annual recalculation of December 2025.
func tolvanPensionsbeslut() pmBeslut {
	ap := &kodBeskrivning{"PM:AP", "Allmän pension"}
	manad := &kodBeskrivning{"MANAD", "Månad"}
	hel := number("1")
	ip, garp := int64(tolvanIP), int64(tolvanGARP)
	ersattning := func(belopp *int64, typ *kodBeskrivning) pmErsattning {
		return pmErsattning{
			BeslutatBelopp: &pmBelopp{Belopp: belopp, Beloppsfrekvens: manad},
			Period:         &period{From: "2026-01-01", Tom: "2026-12-31"},
			Ersattningstyp: typ,
			Omfattning:     &hel,
		}
	}
	return pmBeslut{
		Beslutsid: "B-AP-2025-120412", Beslutsdatum: "2025-12-15", Formansgrupp: ap,
		Beslutsstatus: &kodBeskrivning{"SLUTLIGT", "Slutligt"},
		Beslutsutfall: &kodBeskrivning{"BIFALL", "Bifall"},
		BeslutadErsattning: []pmErsattning{
			ersattning(&ip, &kodBeskrivning{"PM:IP", "Inkomstpension"}),
			ersattning(&garp, &kodBeskrivning{"PM:GARP", "Garantipension"}),
		},
	}
}

// tolvan has föräldrapenning (paid in arrears, per day, monthly), bostadsbidrag,
// barnbidrag and a sjukpenninggrundande inkomst from FK, and at 114 allmän
// pension from PM (tolvanPension). Föräldrapenning is paid
// 2026-02-25 for January, 2026-08-25, 09-25 and 10-26 for July to September
// (the last with 300 kronor utmätning), and planned 2026-11-25; bostadsbidrag
// 1 850 kronor a month, paid 2026-08-26, 09-25 and 10-23.
func tolvan() simPerson {
	jan := arbetsdagar("2026-01-12", 5)
	jul := arbetsdagar("2026-07-06", 10)
	aug := arbetsdagar("2026-08-03", 10)
	sep := arbetsdagar("2026-09-07", 5)
	okt := arbetsdagar("2026-10-05", 5)
	pension, planerad := tolvanPension()
	return simPerson{
		info: personinformation{Foddes: "1912-12-12", Namn: "Tolvan Tolvansson", Skyddad: nej()},
		fk: []simData{
			{"FK:FP", func(fi *formansinformation) {
				fi.Foraldrapenning = append(fi.Foraldrapenning, arende[foraldrapenningBeslut]{
					Startades: "2025-11-20", Aktivt: ja(), Avslaget: nej(),
					Beslut: []foraldrapenningBeslut{
						fpBeslut("2026-02-03", jan), fpBeslut("2026-08-10", jul), fpBeslut("2026-09-08", aug),
						fpBeslut("2026-10-12", sep), fpBeslut("2026-11-09", okt),
					},
				})
			}},
			{"FK:BOB", func(fi *formansinformation) {
				fi.Bostadsbidrag = append(fi.Bostadsbidrag, arende[beslut]{
					Startades: "2025-12-01", Aktivt: ja(), Avslaget: nej(),
					Beslut: []beslut{{
						Fattades: "2025-12-15", Definitivt: ja(), Forman: &bokstavskod{"BOB", "Bostadsbidrag"},
						Periodicitet: manadsvis(), Period: &franTill{Fran: "2026-01", Till: "2026-06"},
						BeslutatBruttobelopp: sek("1850"),
					}, {
						// Renewed for the second half-year.
						Fattades: "2026-06-12", Definitivt: ja(), Forman: &bokstavskod{"BOB", "Bostadsbidrag"},
						Periodicitet: manadsvis(), Period: &franTill{Fran: "2026-07", Till: "2026-12"},
						BeslutatBruttobelopp: sek("1850"),
					}},
				})
			}},
			{"FK:ABB", func(fi *formansinformation) {
				fi.Barnbidrag = append(fi.Barnbidrag, arende[beslut]{Beslut: []beslut{{
					Fattades: "2024-05-10", Definitivt: ja(), Forman: &bokstavskod{"ABB", "Barnbidrag"},
					Periodicitet: manadsvis(), Period: &franTill{Fran: "2024-06"}, BeslutatBruttobelopp: sek("1250"),
				}}})
			}},
		},
		utbetalningar: []simData{
			{"FK:FP", func(fi *formansinformation) {
				fi.Utbetalningsuppgift = append(fi.Utbetalningsuppgift,
					fpUtbetalning("2026-02-25", jan[0], jan[len(jan)-1], "5080", "1524", "3556"),
					fpUtbetalning("2026-08-25", jul[0], jul[len(jul)-1], "10160", "3048", "7112"),
					fpUtbetalning("2026-09-25", aug[0], aug[len(aug)-1], "10160", "3048", "7112"),
					fpUtbetalning("2026-10-26", sep[0], sep[len(sep)-1], "5080", "1524", "3256", "INF", "300", "1824"),
				)
			}},
			{"FK:BOB", func(fi *formansinformation) {
				fi.Utbetalningsuppgift = append(fi.Utbetalningsuppgift,
					bobUtbetalning("2026-08-26", "2026-08"), bobUtbetalning("2026-09-25", "2026-09"), bobUtbetalning("2026-10-23", "2026-10"))
			}},
		},
		preliminara: []simData{
			{"FK:FP", func(fi *formansinformation) {
				fi.Preliminarautbetalningar = append(fi.Preliminarautbetalningar,
					fpUtbetalning("2026-11-25", okt[0], okt[len(okt)-1], "5080", "1524", "3556"))
			}},
		},
		beslut:          []pmBeslut{tolvanPensionsbeslut()},
		pmUtbetalningar: pension,
		pmPreliminara:   planerad,
		ovrig: []simData{
			{"FK:SGI", func(fi *formansinformation) {
				if fi.Ovrigt == nil {
					fi.Ovrigt = map[string][]map[string]any{}
				}
				fi.Ovrigt["sjukpenninggrundandeInkomstuppgift"] = append(fi.Ovrigt["sjukpenninggrundandeInkomstuppgift"], map[string]any{
					"faststalldes": "2026-01-15",
					"typ":          map[string]any{"id": json.Number("0"), "beskrivning": "A- eller B-inkomst"},
					"anstallning":  map[string]any{"summa": json.Number("412000"), "valuta": "SEK"},
					"dagar":        json.Number("260"),
				})
			}},
		},
	}
}

// nyanland has etableringsersättning within a programme, per day, in arrears.
func nyanland() simPerson {
	var dagar []programersattningDag
	for _, d := range []string{"2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"} {
		dagar = append(dagar, programersattningDag{Dag: d, Ersattning: &bokstavskod{"EE", "Etableringsersättning"}, Belopp: sek("308")})
	}
	return simPerson{
		info: personinformation{Foddes: "1972-07-04", Namn: "Nadia Nyanland", Skyddad: nej()},
		fk: []simData{{"FK:PROG", func(fi *formansinformation) {
			fi.Programersattning = append(fi.Programersattning, arende[programersattningBeslut]{Beslut: []programersattningBeslut{{
				beslut: beslut{
					Fattades: "2026-01-20", Definitivt: ja(),
					Period: &franTill{Fran: "2026-01-05", Till: "2026-01-09"},
				},
				Ersattning:       &bokstavskod{"EE", "Etableringsersättning"},
				Ersattningsdagar: dagar,
			}}})
		}}},
	}
}

// pensionar has allmän pension from PM (inkomst- and garantipension) and
// bostadstillägg from FK, both until further notice.
func pensionar() simPerson {
	ap := &kodBeskrivning{"PM:AP", "Allmän pension"}
	manad := &kodBeskrivning{"MANAD", "Månad"}
	hel := number("1")
	ip, garp := int64(9850), int64(2140)
	return simPerson{
		info: personinformation{Foddes: "1964-08-23", Namn: "Per Pensionär", Skyddad: nej()},
		fk: []simData{{"FK:BST", func(fi *formansinformation) {
			fi.Bostadstillagg = append(fi.Bostadstillagg, arende[beslut]{
				Startades: "2024-09-02", Aktivt: ja(), Avslaget: nej(),
				Beslut: []beslut{{
					Fattades: "2024-10-01", Definitivt: ja(), Forman: &bokstavskod{"BST", "Bostadstillägg"},
					Periodicitet: manadsvis(), Period: &franTill{Fran: "2024-10"}, BeslutatBruttobelopp: sek("5120"),
				}},
			})
		}}},
		ansprak: []pmAnsprak{{
			Ansprakid: "AP-2024-000815", Ankomstdatum: "2024-06-03", Formansgrupp: ap,
			YrkadPeriod: &period{From: "2024-09-01"},
		}},
		pmUtbetalningar: []pmUtbetalning{
			pensionsutbetalning("2026-01-19", "2026-01", ap, ip, garp, pensionarSkatt),
			pensionsutbetalning("2026-02-19", "2026-02", ap, ip, garp, pensionarSkatt),
		},
		pmPreliminara: []pmUtbetalning{pensionsutbetalning("2026-03-19", "2026-03", ap, ip, garp, pensionarSkatt)},
		beslut: []pmBeslut{{
			Beslutsid: "B-AP-2024-000815", Beslutsdatum: "2024-08-15", Formansgrupp: ap,
			Beslutsstatus: &kodBeskrivning{"SLUTLIGT", "Slutligt"},
			Beslutsutfall: &kodBeskrivning{"BIFALL", "Bifall"},
			BeslutadErsattning: []pmErsattning{
				{
					BeslutatBelopp: &pmBelopp{Belopp: &ip, Beloppsfrekvens: manad},
					Period:         &period{From: "2024-09-01"},
					Ersattningstyp: &kodBeskrivning{"PM:IP", "Inkomstpension"},
					Omfattning:     &hel,
				},
				{
					BeslutatBelopp: &pmBelopp{Belopp: &garp, Beloppsfrekvens: manad},
					Period:         &period{From: "2024-09-01"},
					Ersattningstyp: &kodBeskrivning{"PM:GARP", "Garantipension"},
					Omfattning:     &hel,
				},
			},
		}},
	}
}

// pensionarSkatt is Per Pensionär's preliminary tax on 9 850 + 2 140 =
// 11 990 kronor a month: 20 %, 2 398 kronor.
const pensionarSkatt = 2398

// pensionsutbetalning is allmän pension from PM for manad (YYYY-MM), paid
// on datum: inkomst- and garantipension in whole kronor, skatt kronor
// preliminary tax withheld.
func pensionsutbetalning(datum, manad string, ap *kodBeskrivning, ip, garp, skatt int64) pmUtbetalning {
	brutto := ip + garp
	netto := brutto - skatt
	return pmUtbetalning{
		Utbetalningsdatum: datum, Utbetalningsperiod: &period{From: forstaDag(manad), Tom: sistaDag(manad)},
		Bruttobelopp: &brutto, Nettobelopp: &netto,
		Avdrag: []pmAvdrag{{Belopp: &skatt, Avdragstyp: &kodBeskrivning{"PM:PS", "Preliminär skatt"}}},
		Utbetalningsrader: []pmUtbetalRad{
			{Formansgrupp: ap, Belopp: &ip, Utbetalningsforman: &kodBeskrivning{"PM:AP37", "Allmän pension"}, Beloppstyp: &kodBeskrivning{"PM:IP", "Inkomstpension"}},
			{Formansgrupp: ap, Belopp: &garp, Utbetalningsforman: &kodBeskrivning{"PM:AP37", "Allmän pension"}, Beloppstyp: &kodBeskrivning{"PM:GARP", "Garantipension"}},
		},
	}
}

// samordningsnummer has a provisional bostadsbidrag.
func samordningsnummer() simPerson {
	return simPerson{
		info: personinformation{Foddes: "1983-05-14", Namn: "Sam Samordning", Skyddad: nej()},
		fk: []simData{{"FK:BOB", func(fi *formansinformation) {
			fi.Bostadsbidrag = append(fi.Bostadsbidrag, arende[beslut]{
				Startades: "2026-01-10", Aktivt: ja(), Avslaget: nej(),
				Beslut: []beslut{{
					Fattades: "2026-01-25", Definitivt: nej(), Forman: &bokstavskod{"BOB", "Bostadsbidrag"},
					Periodicitet: manadsvis(), Period: &franTill{Fran: "2026-02", Till: "2026-07"},
					BeslutatBruttobelopp: sek("1400"),
				}},
			})
		}}},
	}
}

// skyddadPerson has barnbidrag; LEFI flags the identity and gives no name.
func skyddadPerson() simPerson {
	return simPerson{
		info: personinformation{Skyddad: ja()},
		fk: []simData{{"FK:ABB", func(fi *formansinformation) {
			fi.Barnbidrag = append(fi.Barnbidrag, arende[beslut]{Beslut: []beslut{{
				Fattades: "2023-03-01", Definitivt: ja(), Forman: &bokstavskod{"ABB", "Barnbidrag"},
				Periodicitet: manadsvis(), Period: &franTill{Fran: "2023-04"}, BeslutatBruttobelopp: sek("1250"),
			}}})
		}}},
	}
}
