package fk

import (
	"math"
	"time"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// The förmån names used in FormansBeslut.forman, in the agency's words.
const (
	formanAktivitetsstod        = "aktivitetsstod"
	formanAllmanpension         = "allmanpension"
	formanBarnbidrag            = "barnbidrag"
	formanBostadsbidrag         = "bostadsbidrag"
	formanBostadstillagg        = "bostadstillagg"
	formanBostadsInkomststod    = "bostadsinkomststod"
	formanEfterlevandepension   = "efterlevandepension"
	formanEfterlevandeformaner  = "efterlevandeformaner"
	formanEtableringsersattning = "etableringsersattning"
	formanForaldrapenning       = "foraldrapenning"
	formanHandikappersattning   = "handikappersattning"
	formanProgramersattning     = "programersattning"
	formanSjukOchAktivitet      = "sjukochaktivitetsersattning"
	formanSjukpenning           = "sjukpenning"
	formanUnderhallsstod        = "underhallsstod"
	formanUtvecklingsersattning = "utvecklingsersattning"
	formanVardbidrag            = "vardbidrag"
)

// pmForman names Pensionsmyndigheten's benefit groups.
func pmForman(kod string) string {
	switch kod {
	case "PM:AP":
		return formanAllmanpension
	case "PM:BTI":
		return formanBostadsInkomststod
	case "PM:EF":
		return formanEfterlevandeformaner
	}
	return ""
}

// programForman names the kind of programme compensation by LEFI's
// ersättning code (LefiProgramersattningDag: AS, EE, UE).
func programForman(kod string) string {
	switch kod {
	case "AS":
		return formanAktivitetsstod
	case "EE":
		return formanEtableringsersattning
	case "UE":
		return formanUtvecklingsersattning
	}
	return formanProgramersattning
}

// formaner collects one FormansBeslut per förmån, in the order first seen,
// so that e.g. FK's and PM's allmän pension end up together.
type formaner struct {
	list []*ssbtekv1.FormansBeslut
}

func (f *formaner) get(forman string) *ssbtekv1.FormansBeslut {
	for _, fb := range f.list {
		if fb.GetForman() == forman {
			return fb
		}
	}
	fb := &ssbtekv1.FormansBeslut{Forman: forman}
	f.list = append(f.list, fb)
	return fb
}

// arendeFakta is what an FK ärende says about all its decisions.
type arendeFakta struct {
	ansokan  bool
	avslaget bool
}

func faktaOm[B any](a arende[B]) arendeFakta {
	// startades is "normally when the application arrived".
	return arendeFakta{ansokan: a.Startades != "", avslaget: a.Avslaget != nil && *a.Avslaget}
}

// addArenden adds every decision of the ärenden under forman, or under the
// förmån that mapB names for a decision (programersättning names its kind).
func addArenden[B any](f *formaner, forman string, arenden []arende[B], mapB func(B, arendeFakta) (string, *ssbtekv1.Beslut)) {
	for _, a := range arenden {
		fakta := faktaOm(a)
		if len(a.Beslut) == 0 {
			fb := f.get(forman)
			fb.AnsokanInkommen = fb.AnsokanInkommen || fakta.ansokan
			continue
		}
		for _, b := range a.Beslut {
			name, mapped := mapB(b, fakta)
			fb := f.get(cmpOr(name, forman))
			fb.AnsokanInkommen = fb.AnsokanInkommen || fakta.ansokan
			fb.Beslut = append(fb.Beslut, mapped)
		}
	}
}

// mapFormaner maps every ärende and PM decision the answer holds.
func mapFormaner(s *svar) []*ssbtekv1.FormansBeslut {
	var f formaner
	if fi := s.Formansinformation; fi != nil {
		addArenden(&f, formanForaldrapenning, fi.Foraldrapenning, foraldrapenning)
		addArenden(&f, formanBarnbidrag, fi.Barnbidrag, plain)
		addArenden(&f, formanBostadsbidrag, fi.Bostadsbidrag, plain)
		addArenden(&f, formanBostadstillagg, fi.Bostadstillagg, plain)
		addArenden(&f, formanUnderhallsstod, fi.Underhallsstod, plain)
		addArenden(&f, formanProgramersattning, fi.Programersattning, programersattning)
		addArenden(&f, formanAktivitetsstod, fi.Aktivitetsstod, plain)
		addArenden(&f, formanSjukpenning, fi.Sjukpenning, sjukpenning)
		addArenden(&f, formanSjukOchAktivitet, fi.SjukOchAktivitetsersattning, withOmfattning)
		addArenden(&f, formanHandikappersattning, fi.Handikappersattning, withOmfattning)
		addArenden(&f, formanVardbidrag, fi.Vardbidrag, withOmfattning)
		addArenden(&f, formanEfterlevandepension, fi.Efterlevandepension, plain)
		addArenden(&f, formanAllmanpension, fi.Allmanpension, withOmfattning)
	}
	for _, a := range s.Ansprak {
		if a.Formansgrupp != nil {
			f.get(pmForman(a.Formansgrupp.Kod)).AnsokanInkommen = true
		}
	}
	for _, b := range s.Beslut {
		if b.Formansgrupp == nil {
			continue
		}
		fb := f.get(pmForman(b.Formansgrupp.Kod))
		// A PM decision answers an anspråk, so one has come in.
		fb.AnsokanInkommen = true
		fb.Beslut = append(fb.Beslut, pmBeslutList(b)...)
	}
	return f.list
}

func plain(b beslut, a arendeFakta) (string, *ssbtekv1.Beslut) { return "", fkBeslut(b, a, nil) }

func foraldrapenning(b foraldrapenningBeslut, a arendeFakta) (string, *ssbtekv1.Beslut) {
	m := fkBeslut(b.beslut, a, b.Omfattning)
	dagsumma(m, b.Ersattningsdagar, func(d foraldrapenningDag) *belopp { return d.Bruttobelopp })
	return "", m
}

// programersattning names the förmån by the decision's ersättning, or
// failing that by its days'.
func programersattning(b programersattningBeslut, a arendeFakta) (string, *ssbtekv1.Beslut) {
	m := fkBeslut(b.beslut, a, nil)
	dagsumma(m, b.Ersattningsdagar, func(d programersattningDag) *belopp { return d.Belopp })
	kod := ""
	if b.Ersattning != nil {
		kod = b.Ersattning.ID
	}
	for _, d := range b.Ersattningsdagar {
		if kod == "" && d.Ersattning != nil {
			kod = d.Ersattning.ID
		}
	}
	return programForman(kod), m
}

// sjukpenning reads its free-text outcome and type: AVSLAG, and
// INTERMISTISKT (sic, as the contract spells it) for a provisional decision.
func sjukpenning(b sjukpenningBeslut, a arendeFakta) (string, *ssbtekv1.Beslut) {
	a.avslaget = a.avslaget || b.Beslutsutfall == "AVSLAG"
	m := fkBeslut(b.beslut, a, b.Omfattning)
	if b.Beslutstyp == "INTERMISTISKT" && m.Beslutskod == ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT {
		m.Beslutskod = ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
	}
	dagsumma(m, b.Ersattningsdagar, func(d sjukpenningDag) *belopp { return d.Ersattningsbelopp })
	return "", m
}

// dagsumma sets a decision's gross amount from its days' amounts when the
// decision states none of its own.
func dagsumma[D any](m *ssbtekv1.Beslut, dagar []D, beloppOf func(D) *belopp) {
	if m.Bruttobelopp != 0 {
		return
	}
	var sum float64
	for _, d := range dagar {
		sum += summa(beloppOf(d))
	}
	m.Bruttobelopp = kronor(sum)
}

func withOmfattning(b omfattningsbeslut, a arendeFakta) (string, *ssbtekv1.Beslut) {
	return "", fkBeslut(b.beslut, a, b.Omfattning)
}

// fkBeslut maps the fields all FK decisions share.
func fkBeslut(b beslut, a arendeFakta, o *omfattning) *ssbtekv1.Beslut {
	m := &ssbtekv1.Beslut{Beslutsdatum: b.Fattades, Omfattning: procent(o)}
	switch {
	case a.avslaget:
		m.Beslutskod = ssbtekv1.Beslutskod_BESLUTSKOD_AVSLAG
	case b.Definitivt == nil:
	case *b.Definitivt:
		m.Beslutskod = ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT
	default:
		m.Beslutskod = ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
	}
	if b.Period != nil {
		m.From, m.Tom = forstaDag(b.Period.Fran), sistaDag(b.Period.Till)
	}
	m.Periodtyp = periodtyp(m.Beslutsdatum, m.From, m.Tom)
	if b.BeslutatBruttobelopp != nil {
		m.Bruttobelopp = kronor(b.BeslutatBruttobelopp.Summa)
	}
	return m
}

// pmBeslutList maps one PM decision: one Beslut per period and frequency,
// its ersättningar (e.g. inkomstpension and garantipension) added up, since
// Beslut has no place for the kind of ersättning. A decision without
// ersättningar (e.g. an avslag) is one Beslut with its date and code.
func pmBeslutList(b pmBeslut) []*ssbtekv1.Beslut {
	kod := pmBeslutskod(b)
	var out []*ssbtekv1.Beslut
	keys := map[string]*ssbtekv1.Beslut{}
	for _, e := range b.BeslutadErsattning {
		m := &ssbtekv1.Beslut{Beslutsdatum: b.Beslutsdatum, Beslutskod: kod}
		if e.Period != nil {
			m.From, m.Tom = e.Period.From, e.Period.Tom
		}
		m.Periodtyp = periodtyp(m.Beslutsdatum, m.From, m.Tom)
		if e.Omfattning != nil {
			m.Omfattning = int32(math.Round(*e.Omfattning * 100))
		}
		frekvens := ""
		if e.BeslutatBelopp != nil {
			if e.BeslutatBelopp.Belopp != nil {
				m.Bruttobelopp = *e.BeslutatBelopp.Belopp
			}
			if e.BeslutatBelopp.Beloppsfrekvens != nil {
				frekvens = e.BeslutatBelopp.Beloppsfrekvens.Kod
			}
		}
		key := m.From + "/" + m.Tom + "/" + frekvens
		if prev, ok := keys[key]; ok {
			prev.Bruttobelopp += m.Bruttobelopp
			prev.Omfattning = max(prev.Omfattning, m.Omfattning)
			continue
		}
		keys[key] = m
		out = append(out, m)
	}
	if len(out) == 0 {
		out = append(out, &ssbtekv1.Beslut{Beslutsdatum: b.Beslutsdatum, Beslutskod: kod})
	}
	return out
}

func pmBeslutskod(b pmBeslut) ssbtekv1.Beslutskod {
	switch {
	case b.Beslutsutfall != nil && b.Beslutsutfall.Kod == "AVSLAG":
		return ssbtekv1.Beslutskod_BESLUTSKOD_AVSLAG
	case b.Beslutsstatus == nil:
		return ssbtekv1.Beslutskod_BESLUTSKOD_UNSPECIFIED
	case b.Beslutsstatus.Kod == "SLUTLIGT":
		return ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT
	default: // PRELIMINART, INTERIMISTISKT
		return ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
	}
}

// periodtyp reads the kind of period from LEFI's dates: an open period runs
// until further notice; one that had ended when the decision was made was
// paid in arrears. Anything else LEFI does not say.
func periodtyp(beslutsdatum, from, tom string) ssbtekv1.Periodtyp {
	switch {
	case from != "" && tom == "":
		return ssbtekv1.Periodtyp_PERIODTYP_TILLSVIDARE
	case isDate(tom) && isDate(beslutsdatum) && tom <= beslutsdatum:
		return ssbtekv1.Periodtyp_PERIODTYP_RETROAKTIV
	}
	return ssbtekv1.Periodtyp_PERIODTYP_UNSPECIFIED
}

// procent turns LEFI's fraction into percent; 0/0 means not given.
func procent(o *omfattning) int32 {
	if o == nil || o.Namnare <= 0 || o.Taljare < 0 {
		return 0
	}
	return int32(min(100, math.Round(float64(o.Taljare)*100/float64(o.Namnare))))
}

func summa(b *belopp) float64 {
	if b == nil {
		return 0
	}
	return b.Summa
}

// kronor rounds to whole kronor, as FormansBeslut carries them.
func kronor(v float64) int64 { return int64(math.Round(v)) }

const (
	dateLayout  = "2006-01-02"
	monthLayout = "2006-01"
)

func isDate(s string) bool {
	_, err := time.Parse(dateLayout, s)
	return err == nil
}

// forstaDag makes a month-only start ("2022-09") a date; other values stay.
func forstaDag(s string) string {
	if t, err := time.Parse(monthLayout, s); err == nil {
		return t.Format(dateLayout)
	}
	return s
}

// sistaDag makes a month-only end a date, the month's last day.
func sistaDag(s string) string {
	if t, err := time.Parse(monthLayout, s); err == nil {
		return t.AddDate(0, 1, -1).Format(dateLayout)
	}
	return s
}
