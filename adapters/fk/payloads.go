package fk

import (
	"slices"
	"strings"

	"github.com/ssbtek/gateway/adapters/simkit"
)

// The simulator's data: what LEFI knows of each test person, by group.

// felpersonMeddelande is the LefiFelsvar text Felperson gets with HTTP 500.
const felpersonMeddelande = "Ett internt fel uppstod vid hämtning av förmånsinformation. Försök igen senare."

// simPerson is one test person as LEFI knows them.
type simPerson struct {
	info personinformation
	// fk adds FK ärenden, each under the group code that asks for it.
	fk []simData
	// utbetalningar adds FK payments, under the group asked for in utbetalningar.
	utbetalningar []simData
	ansprak       []pmAnsprak
	beslut        []pmBeslut
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
	for _, d := range p.fk {
		if slices.Contains(q.Formansinformation, d.grupp) {
			d.add(&fi)
		}
	}
	for _, d := range p.utbetalningar {
		if slices.Contains(q.Utbetalningar, d.grupp) {
			d.add(&fi)
		}
	}
	if !isZero(fi) {
		s.Formansinformation = &fi
	}
	for _, a := range p.ansprak {
		if slices.Contains(q.Ansprak, a.Formansgrupp.Kod) {
			s.Ansprak = append(s.Ansprak, a)
		}
	}
	for _, b := range p.beslut {
		if slices.Contains(q.Beslut, b.Formansgrupp.Kod) {
			s.Beslut = append(s.Beslut, b)
		}
	}
	return s
}

func isZero(fi formansinformation) bool {
	return len(fi.GenerellPersoninformation) == 0 && len(fi.Foraldrapenning) == 0 && len(fi.Barnbidrag) == 0 &&
		len(fi.Bostadsbidrag) == 0 && len(fi.Bostadstillagg) == 0 && len(fi.Programersattning) == 0 &&
		len(fi.Utbetalningsuppgift) == 0
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
		Utbetalningar:    []kodBeskrivning{{"FK:FP", "Föräldrapenning"}},
		OvrigInformation: []kodBeskrivning{{gepi, "Generell personinformation"}},
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

func sek(v float64) *belopp { return &belopp{Summa: v, Valuta: "SEK"} }

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

// tolvan has föräldrapenning (paid in arrears, per day), bostadsbidrag and barnbidrag.
func tolvan() simPerson {
	var dagar []foraldrapenningDag
	for _, d := range []string{"2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"} {
		dagar = append(dagar, foraldrapenningDag{Dag: d, Niva: &bokstavskod{"S", "Sjukpenningsnivå"}, Bruttobelopp: sek(1016)})
	}
	five := int64(5)
	return simPerson{
		info: personinformation{Foddes: "1912-12-12", Namn: "Tolvan Tolvansson", Skyddad: nej()},
		fk: []simData{
			{"FK:FP", func(fi *formansinformation) {
				fi.Foraldrapenning = append(fi.Foraldrapenning, arende[foraldrapenningBeslut]{
					Startades: "2025-11-20", Aktivt: ja(), Avslaget: nej(),
					Beslut: []foraldrapenningBeslut{{
						omfattningsbeslut: omfattningsbeslut{
							beslut: beslut{
								Fattades: "2026-02-03", Definitivt: ja(), Forman: &bokstavskod{"FP", "Föräldrapenning"},
								Period: &franTill{Fran: "2026-01-12", Till: "2026-01-16"},
							},
							Omfattning: &omfattning{Taljare: 1, Namnare: 1},
						},
						Dagar:            &five,
						Ersattning:       &sifferkod{ID: 3, Beskrivning: "Vanliga dagar"},
						Ersattningsdagar: dagar,
					}},
				})
			}},
			{"FK:BOB", func(fi *formansinformation) {
				fi.Bostadsbidrag = append(fi.Bostadsbidrag, arende[beslut]{
					Startades: "2025-12-01", Aktivt: ja(), Avslaget: nej(),
					Beslut: []beslut{{
						Fattades: "2025-12-15", Definitivt: ja(), Forman: &bokstavskod{"BOB", "Bostadsbidrag"},
						Periodicitet: manadsvis(), Period: &franTill{Fran: "2026-01", Till: "2026-06"},
						BeslutatBruttobelopp: sek(1850),
					}},
				})
			}},
			{"FK:ABB", func(fi *formansinformation) {
				fi.Barnbidrag = append(fi.Barnbidrag, arende[beslut]{Beslut: []beslut{{
					Fattades: "2024-05-10", Definitivt: ja(), Forman: &bokstavskod{"ABB", "Barnbidrag"},
					Periodicitet: manadsvis(), Period: &franTill{Fran: "2024-06"}, BeslutatBruttobelopp: sek(1250),
				}}})
			}},
		},
		utbetalningar: []simData{
			{"FK:FP", func(fi *formansinformation) {
				fi.Utbetalningsuppgift = append(fi.Utbetalningsuppgift, utbetalningsuppgift{
					Typ: &sifferkod{ID: 1, Beskrivning: "Månad"}, Foretag: &sifferkod{ID: 1001, Beskrivning: "Försäkringskassan"},
					Formansfamilj: &bokstavskod{"FP", "Föräldrapenning"}, Datum: "2026-02-25",
					Period:       &franTill{Fran: "2026-01-12", Till: "2026-01-16"},
					Bruttobelopp: sek(5080), Skattebelopp: sek(1524), Nettobelopp: sek(3556),
				})
			}},
		},
	}
}

// nyanland has etableringsersättning within a programme, per day, in arrears.
func nyanland() simPerson {
	var dagar []programersattningDag
	for _, d := range []string{"2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"} {
		dagar = append(dagar, programersattningDag{Dag: d, Ersattning: &bokstavskod{"EE", "Etableringsersättning"}, Belopp: sek(308)})
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
	hel := 1.0
	ip, garp := int64(9850), int64(2140)
	return simPerson{
		info: personinformation{Foddes: "1964-08-23", Namn: "Per Pensionär", Skyddad: nej()},
		fk: []simData{{"FK:BST", func(fi *formansinformation) {
			fi.Bostadstillagg = append(fi.Bostadstillagg, arende[beslut]{
				Startades: "2024-09-02", Aktivt: ja(), Avslaget: nej(),
				Beslut: []beslut{{
					Fattades: "2024-10-01", Definitivt: ja(), Forman: &bokstavskod{"BST", "Bostadstillägg"},
					Periodicitet: manadsvis(), Period: &franTill{Fran: "2024-10"}, BeslutatBruttobelopp: sek(5120),
				}},
			})
		}}},
		ansprak: []pmAnsprak{{
			Ansprakid: "AP-2024-000815", Ankomstdatum: "2024-06-03", Formansgrupp: ap,
			YrkadPeriod: &period{From: "2024-09-01"},
		}},
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
					BeslutatBruttobelopp: sek(1400),
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
				Periodicitet: manadsvis(), Period: &franTill{Fran: "2023-04"}, BeslutatBruttobelopp: sek(1250),
			}}})
		}}},
	}
}
