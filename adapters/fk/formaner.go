package fk

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ssbtek/gateway/adapters"
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

// get returns the förmån's FormansBeslut, adding it with its group code and
// utlämnare when new (the first to name them wins).
func (f *formaner) get(forman, kod, utlamnare string) *ssbtekv1.FormansBeslut {
	for _, fb := range f.list {
		if fb.GetForman() == forman {
			fb.FormanKod = cmpOr(fb.GetFormanKod(), kod)
			fb.Utlamnare = cmpOr(fb.GetUtlamnare(), utlamnare)
			return fb
		}
	}
	fb := &ssbtekv1.FormansBeslut{Forman: forman, FormanKod: kod, Utlamnare: utlamnare}
	f.list = append(f.list, fb)
	return fb
}

// byKod returns the FormansBeslut of a group code, adding one named after
// the group when no förmån has it yet (a payment of a family without ärenden).
func (f *formaner) byKod(kod, name, utlamnare string) *ssbtekv1.FormansBeslut {
	for _, fb := range f.list {
		if fb.GetFormanKod() == kod {
			return fb
		}
	}
	return f.get(name, kod, utlamnare)
}

// mapper maps one answer. Amounts are read exactly; the first amount that
// cannot be (finer than öre, not a number) makes the answer unreadable.
type mapper struct {
	f   formaner
	err error
}

func (m *mapper) fail(err error) {
	if m.err == nil {
		m.err = err
	}
}

// ore reads a LefiBelopp's summa exactly in öre; nil when absent.
func (m *mapper) ore(b *belopp) *int64 {
	if b == nil {
		return nil
	}
	n, err := adapters.Hundredths(b.Summa.String())
	if err != nil {
		m.fail(fmt.Errorf("a summa: %w", err))
		return nil
	}
	return &n
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

// addArenden adds every decision of the ärenden under forman (group code
// kod), or under the förmån that mapB names for a decision (programersättning
// names its kind).
func addArenden[B any](m *mapper, forman, kod string, arenden []arende[B], mapB func(*mapper, B, arendeFakta) (string, *ssbtekv1.Beslut)) {
	for _, a := range arenden {
		fakta := faktaOm(a)
		if len(a.Beslut) == 0 {
			fb := m.f.get(forman, kod, utlamnareFK)
			fb.AnsokanInkommen = fb.AnsokanInkommen || fakta.ansokan
			continue
		}
		for _, b := range a.Beslut {
			name, mapped := mapB(m, b, fakta)
			fb := m.f.get(cmpOr(name, forman), kod, utlamnareFK)
			fb.AnsokanInkommen = fb.AnsokanInkommen || fakta.ansokan
			fb.Beslut = append(fb.Beslut, mapped)
		}
	}
}

// The utlämnare of FormansBeslut, and LEFI's foretag codes for them.
const (
	utlamnareFK = "FK"
	utlamnarePM = "PM"
	foretagPM   = 1003
)

// mapFormaner maps every ärende, payment and PM decision the answer holds,
// and everything else into övrig information.
func mapFormaner(s *svar) ([]*ssbtekv1.FormansBeslut, []*ssbtekv1.Ovriguppgift, error) {
	m := &mapper{}
	var ovrig []*ssbtekv1.Ovriguppgift
	if fi := s.Formansinformation; fi != nil {
		addArenden(m, formanForaldrapenning, "FK:FP", fi.Foraldrapenning, foraldrapenning)
		addArenden(m, formanBarnbidrag, "FK:ABB", fi.Barnbidrag, plain)
		addArenden(m, formanBostadsbidrag, "FK:BOB", fi.Bostadsbidrag, plain)
		addArenden(m, formanBostadstillagg, "FK:BST", fi.Bostadstillagg, plain)
		addArenden(m, formanUnderhallsstod, "FK:US", fi.Underhallsstod, plain)
		addArenden(m, formanProgramersattning, "FK:PROG", fi.Programersattning, programersattning)
		addArenden(m, formanAktivitetsstod, "FK:AS", fi.Aktivitetsstod, plain)
		addArenden(m, formanSjukpenning, "FK:SJP", fi.Sjukpenning, sjukpenning)
		addArenden(m, formanSjukOchAktivitet, "FK:SA", fi.SjukOchAktivitetsersattning, withOmfattning)
		addArenden(m, formanHandikappersattning, "FK:HE", fi.Handikappersattning, withOmfattning)
		addArenden(m, formanVardbidrag, "FK:VB", fi.Vardbidrag, withOmfattning)
		addArenden(m, formanEfterlevandepension, "", fi.Efterlevandepension, plain)
		addArenden(m, formanAllmanpension, "FK:AP", fi.Allmanpension, withOmfattning)
		for _, u := range fi.Utbetalningsuppgift {
			m.fkUtbetalning(u, false)
		}
		for _, u := range fi.Preliminarautbetalningar {
			m.fkUtbetalning(u, true)
		}
		ovrig = append(ovrig, ovrigaFK(fi)...)
	}
	for _, a := range s.Ansprak {
		fb := m.pmFormansBeslut(a.Formansgrupp)
		if fb == nil {
			continue
		}
		an := &ssbtekv1.Ansprak{FormanKod: a.Formansgrupp.Kod, Inkommen: a.Ankomstdatum}
		if p := a.YrkadPeriod; p != nil {
			an.From, an.Tom = p.From, p.Tom
		}
		fb.Ansprak = append(fb.Ansprak, an)
	}
	for _, b := range s.Beslut {
		if fb := m.pmFormansBeslut(b.Formansgrupp); fb != nil {
			fb.Beslut = append(fb.Beslut, m.pmBeslutList(b)...)
		}
	}
	for _, u := range s.Utbetalningar {
		m.pmUtbetalning(u, false)
	}
	for _, u := range s.PreliminaraUtbetalningar {
		m.pmUtbetalning(u, true)
	}
	pm, err := ovrigaPM(s.OvrigInformation)
	if err != nil {
		m.fail(err)
	}
	return m.f.list, append(ovrig, pm...), m.err
}

// pmFormansBeslut is the FormansBeslut of the PM förmånsgrupp grupp, nil
// when LEFI names none. An anspråk has come in whichever way PM names the
// förmån: in an anspråk, or in a decision, which answers one.
func (m *mapper) pmFormansBeslut(grupp *kodBeskrivning) *ssbtekv1.FormansBeslut {
	if grupp == nil {
		return nil
	}
	fb := m.f.get(pmForman(grupp.Kod), grupp.Kod, utlamnarePM)
	fb.AnsokanInkommen = true
	return fb
}

func plain(m *mapper, b beslut, a arendeFakta) (string, *ssbtekv1.Beslut) {
	return "", m.fkBeslut(b, a, nil)
}

// foraldrapenning adds the days decided and each day's amount as a line
// (its level as beloppstyp, the decision's ersättning code as forman_kod).
func foraldrapenning(m *mapper, b foraldrapenningBeslut, a arendeFakta) (string, *ssbtekv1.Beslut) {
	mb := m.fkBeslut(b.beslut, a, b.Omfattning)
	if b.Dagar != nil {
		mb.Dagar = int32(min(max(*b.Dagar, 0), math.MaxInt32))
	}
	kod := ""
	if b.Ersattning != nil {
		kod = strconv.FormatInt(b.Ersattning.ID, 10)
	}
	mb.Belopp = slices.Grow(mb.Belopp, len(b.Ersattningsdagar))
	for _, d := range b.Ersattningsdagar {
		mb.Belopp = append(mb.Belopp, m.dagrad(d.Dag, d.Niva, kod, d.Bruttobelopp))
	}
	dagsumma(mb)
	return "", mb
}

// programersattning names the förmån by the decision's ersättning, or
// failing that by its days'.
func programersattning(m *mapper, b programersattningBeslut, a arendeFakta) (string, *ssbtekv1.Beslut) {
	mb := m.fkBeslut(b.beslut, a, nil)
	kod := ""
	if b.Ersattning != nil {
		kod = b.Ersattning.ID
	}
	mb.Belopp = slices.Grow(mb.Belopp, len(b.Ersattningsdagar))
	for _, d := range b.Ersattningsdagar {
		if kod == "" && d.Ersattning != nil {
			kod = d.Ersattning.ID
		}
		dagKod := ""
		if d.Ersattning != nil {
			dagKod = d.Ersattning.ID
		}
		mb.Belopp = append(mb.Belopp, m.dagrad(d.Dag, d.Ersattning, dagKod, d.Belopp))
	}
	dagsumma(mb)
	return programForman(kod), mb
}

// sjukpenning reads its free-text outcome and type: AVSLAG, and
// INTERMISTISKT (sic, as the contract spells it) for a provisional decision.
func sjukpenning(m *mapper, b sjukpenningBeslut, a arendeFakta) (string, *ssbtekv1.Beslut) {
	a.avslaget = a.avslaget || b.Beslutsutfall == "AVSLAG"
	mb := m.fkBeslut(b.beslut, a, b.Omfattning)
	if b.Beslutstyp == "INTERMISTISKT" && mb.Beslutskod == ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT {
		mb.Beslutskod = ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
	}
	mb.Belopp = slices.Grow(mb.Belopp, len(b.Ersattningsdagar))
	for _, d := range b.Ersattningsdagar {
		mb.Belopp = append(mb.Belopp, m.dagrad(d.Ersattningsdatum, nil, "", d.Ersattningsbelopp))
	}
	dagsumma(mb)
	return "", mb
}

// dagrad is one day's amount of a decision paid per day.
func (m *mapper) dagrad(dag string, typ *bokstavskod, kod string, b *belopp) *ssbtekv1.Beloppsrad {
	r := &ssbtekv1.Beloppsrad{From: dag, Tom: dag, FormanKod: kod, Art: ssbtekv1.Beloppsart_BELOPPSART_ERSATTNING}
	if typ != nil {
		r.Beloppstyp, r.Klartext = typ.ID, typ.Beskrivning
	}
	if o := m.ore(b); o != nil {
		r.BeloppOre = *o
	}
	return r
}

// dagsumma sets a decision's gross amount from its days' amounts when the
// decision states none of its own.
func dagsumma(mb *ssbtekv1.Beslut) {
	if mb.BruttobeloppOre != nil || len(mb.Belopp) == 0 {
		return
	}
	var sum int64
	for _, r := range mb.GetBelopp() {
		sum += r.GetBeloppOre()
	}
	mb.BruttobeloppOre = &sum
	mb.Bruttobelopp = adapters.RoundHundredths(sum)
}

func withOmfattning(m *mapper, b omfattningsbeslut, a arendeFakta) (string, *ssbtekv1.Beslut) {
	return "", m.fkBeslut(b.beslut, a, b.Omfattning)
}

// fkBeslut maps the fields all FK decisions share: definitivt also
// verbatim, delforman (else forman) as forman_kod, periodicitet's code as
// beloppsperiod, the gross amount exactly in öre and rounded in kronor.
func (m *mapper) fkBeslut(b beslut, a arendeFakta, o *omfattning) *ssbtekv1.Beslut {
	mb := &ssbtekv1.Beslut{Beslutsdatum: b.Fattades, Omfattning: procent(o)}
	switch {
	case a.avslaget:
		mb.Beslutskod = ssbtekv1.Beslutskod_BESLUTSKOD_AVSLAG
	case b.Definitivt == nil:
	case *b.Definitivt:
		mb.Beslutskod = ssbtekv1.Beslutskod_BESLUTSKOD_DEFINITIVT
	default:
		mb.Beslutskod = ssbtekv1.Beslutskod_BESLUTSKOD_PROVISORISK
	}
	if b.Definitivt != nil {
		mb.BeslutskodKod = strconv.FormatBool(*b.Definitivt)
	}
	switch {
	case b.Delforman != nil:
		mb.FormanKod = b.Delforman.ID
	case b.Forman != nil:
		mb.FormanKod = b.Forman.ID
	}
	if b.Periodicitet != nil {
		mb.Beloppsperiod = strconv.FormatInt(b.Periodicitet.ID, 10)
	}
	if b.Period != nil {
		mb.From, mb.Tom = forstaDag(b.Period.Fran), sistaDag(b.Period.Till)
	}
	mb.Periodtyp = periodtyp(mb.Beslutsdatum, mb.From, mb.Tom)
	if o := m.ore(b.BeslutatBruttobelopp); o != nil {
		mb.BruttobeloppOre = o
		mb.Bruttobelopp = adapters.RoundHundredths(*o)
	}
	return mb
}

// skattekoder are LEFI's beloppstyper for tax (PS, PST, SS, SST); avdragskoder
// its other deductions. Any other beloppstyp is an ersättning.
func skattekoder() []string { return []string{"PS", "PST", "SS", "SST"} }
func avdragskoder() []string {
	return []string{"AFR", "ALA", "ART", "AVB", "AVR", "FMF", "FUM", "INC", "INF", "INM", "INU", "KOA", "KVI",
		"OAV", "PF", "SAV", "SKV", "SOC", "UMG", "UTF", "ÅFA", "ÖVA"}
}

// beloppsart tells what a LEFI beloppstyp is.
func beloppsart(typ string) ssbtekv1.Beloppsart {
	switch {
	case slices.Contains(skattekoder(), typ):
		return ssbtekv1.Beloppsart_BELOPPSART_SKATT
	case slices.Contains(avdragskoder(), typ):
		return ssbtekv1.Beloppsart_BELOPPSART_AVDRAG
	}
	return ssbtekv1.Beloppsart_BELOPPSART_ERSATTNING
}

// fkUtbetalning adds one LefiUtbetalningUppgift to its förmån family's
// FormansBeslut: made, or planned (preliminarautbetalningar). LEFI's
// avdragsbelopp includes the tax; avdrag_ore does not.
func (m *mapper) fkUtbetalning(u utbetalningsuppgift, preliminar bool) {
	utb := &ssbtekv1.Utbetalning{
		Utbetalningsdatum: u.Datum,
		Status:            ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UTBETALD,
		BruttoOre:         m.ore(u.Bruttobelopp),
		SkattOre:          m.ore(u.Skattebelopp),
		NettoOre:          m.ore(u.Nettobelopp),
	}
	if preliminar {
		utb.Status = ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR
	}
	if u.Period != nil {
		utb.From, utb.Tom = forstaDag(u.Period.Fran), sistaDag(u.Period.Till)
	}
	if u.Typ != nil {
		utb.TypKod = strconv.FormatInt(u.Typ.ID, 10)
	}
	utlamnare := utlamnareFK
	if u.Foretag != nil {
		utb.Utbetalare = strconv.FormatInt(u.Foretag.ID, 10)
		if u.Foretag.ID == foretagPM {
			utlamnare = utlamnarePM
		}
	}
	for _, b := range []*belopp{u.Bruttobelopp, u.Skattebelopp, u.Avdragsbelopp, u.Nettobelopp} {
		if b != nil && b.Valuta != "" {
			utb.Valuta = b.Valuta
			break
		}
	}
	switch avdrag := m.ore(u.Avdragsbelopp); {
	case avdrag != nil:
		a := *avdrag - ptrValue(utb.SkattOre)
		utb.AvdragOre = &a
	case utb.BruttoOre != nil && utb.NettoOre != nil:
		// No avdragsbelopp: what is neither tax nor paid out was deducted.
		a := *utb.BruttoOre - ptrValue(utb.SkattOre) - *utb.NettoOre
		utb.AvdragOre = &a
	}
	utb.Rader = slices.Grow(utb.Rader, len(u.Utbetalningsdetalj))
	for _, d := range u.Utbetalningsdetalj {
		rad := &ssbtekv1.Beloppsrad{}
		if d.Beloppstyp != nil {
			rad.Beloppstyp, rad.Klartext = d.Beloppstyp.ID, d.Beloppstyp.Beskrivning
		}
		rad.Art = beloppsart(rad.Beloppstyp)
		if d.Forman != nil {
			rad.FormanKod = d.Forman.ID
		}
		if d.Period != nil {
			rad.From, rad.Tom = forstaDag(d.Period.Fran), sistaDag(d.Period.Till)
		}
		// A line has the one amount its kind names; take whichever came.
		for _, b := range []*belopp{d.Bruttobelopp, d.Skattebelopp, d.Avdragsbelopp} {
			if o := m.ore(b); o != nil {
				rad.BeloppOre = *o
				break
			}
		}
		utb.Rader = append(utb.Rader, rad)
	}
	familj, namn := "", ""
	if u.Formansfamilj != nil {
		familj, namn = u.Formansfamilj.ID, u.Formansfamilj.Beskrivning
	}
	utb.FormanKod = familj
	kod := utlamnare + ":" + familj
	fb := m.f.byKod(kod, cmpOr(familjForman(familj), strings.ToLower(cmpOr(namn, familj))), utlamnare)
	if preliminar {
		fb.PreliminaraUtbetalningar = append(fb.PreliminaraUtbetalningar, utb)
	} else {
		fb.Utbetalningar = append(fb.Utbetalningar, utb)
	}
}

// familjForman names the förmån of a payment's family, for the families
// whose ärenden this package maps.
func familjForman(familj string) string {
	switch familj {
	case "FP":
		return formanForaldrapenning
	case "ABB":
		return formanBarnbidrag
	case "BOB":
		return formanBostadsbidrag
	case "BST":
		return formanBostadstillagg
	case "US":
		return formanUnderhallsstod
	case "PROG":
		return formanProgramersattning
	case "AS":
		return formanAktivitetsstod
	case "SJP":
		return formanSjukpenning
	case "SA":
		return formanSjukOchAktivitet
	case "HE":
		return formanHandikappersattning
	case "VB":
		return formanVardbidrag
	case "AP":
		return formanAllmanpension
	}
	return ""
}

func ptrValue(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// pmSkattekoder are PM's avdragstyper for tax.
func pmSkattekoder() []string { return []string{"PM:PS", "PM:PST", "PM:SS", "PM:SST"} }

// pmUtbetalning adds one LefiPmFormanUtbetalning (whole kronor) to the
// FormansBeslut of its first line's group: the tax is the avdrag of PM's tax
// codes, the other avdrag are deductions; the lines and the avdrag become
// its rader.
func (m *mapper) pmUtbetalning(u pmUtbetalning, preliminar bool) {
	utb := &ssbtekv1.Utbetalning{
		Utbetalningsdatum: u.Utbetalningsdatum,
		Status:            ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UTBETALD,
		Utbetalare:        strconv.Itoa(foretagPM),
	}
	if preliminar {
		utb.Status = ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR
	}
	if p := u.Utbetalningsperiod; p != nil {
		utb.From, utb.Tom = p.From, p.Tom
	}
	if u.Bruttobelopp != nil {
		utb.BruttoOre = ore(*u.Bruttobelopp)
	}
	if u.Nettobelopp != nil {
		utb.NettoOre = ore(*u.Nettobelopp)
	}
	var skatt, avdrag int64
	// Room for every line at once, rather than an allocation per doubling.
	utb.Rader = slices.Grow(utb.Rader, len(u.Avdrag)+len(u.Utbetalningsrader))
	for _, a := range u.Avdrag {
		rad := &ssbtekv1.Beloppsrad{Art: ssbtekv1.Beloppsart_BELOPPSART_AVDRAG}
		if a.Avdragstyp != nil {
			rad.Beloppstyp, rad.Klartext = a.Avdragstyp.Kod, a.Avdragstyp.Beskrivning
		}
		if a.Belopp != nil {
			rad.BeloppOre = *ore(*a.Belopp)
		}
		if slices.Contains(pmSkattekoder(), rad.Beloppstyp) {
			rad.Art = ssbtekv1.Beloppsart_BELOPPSART_SKATT
			skatt += rad.BeloppOre
		} else {
			avdrag += rad.BeloppOre
		}
		utb.Rader = append(utb.Rader, rad)
	}
	utb.SkattOre, utb.AvdragOre = &skatt, &avdrag
	grupp := ""
	for _, r := range u.Utbetalningsrader {
		rad := &ssbtekv1.Beloppsrad{Art: ssbtekv1.Beloppsart_BELOPPSART_ERSATTNING}
		if r.Beloppstyp != nil {
			rad.Beloppstyp, rad.Klartext = r.Beloppstyp.Kod, r.Beloppstyp.Beskrivning
		}
		if r.Utbetalningsforman != nil {
			rad.FormanKod = r.Utbetalningsforman.Kod
		}
		if r.Belopp != nil {
			rad.BeloppOre = *ore(*r.Belopp)
		}
		if r.Formansgrupp != nil && grupp == "" {
			grupp = r.Formansgrupp.Kod
		}
		utb.Rader = append(utb.Rader, rad)
	}
	utb.FormanKod = grupp
	fb := m.f.get(cmpOr(pmForman(grupp), strings.ToLower(grupp)), grupp, utlamnarePM)
	if preliminar {
		fb.PreliminaraUtbetalningar = append(fb.PreliminaraUtbetalningar, utb)
	} else {
		fb.Utbetalningar = append(fb.Utbetalningar, utb)
	}
}

// ore is adapters.Ore: whole kronor in öre.
func ore(kronor int64) *int64 { return adapters.Ore(kronor) }

// pmBeslutList maps one PM decision: one Beslut per beslutad ersättning
// (ersättningstyp as forman_kod, beloppsfrekvens as beloppsperiod, both
// verbatim), the status and outcome codes verbatim in beslutskod_kod. A
// decision without ersättningar (e.g. an avslag) is one Beslut with its date
// and code.
func (m *mapper) pmBeslutList(b pmBeslut) []*ssbtekv1.Beslut {
	kod := pmBeslutskod(b)
	var koder []string
	for _, k := range []*kodBeskrivning{b.Beslutsstatus, b.Beslutsutfall} {
		if k != nil {
			koder = append(koder, k.Kod)
		}
	}
	verbatim := strings.Join(koder, "/")
	var out []*ssbtekv1.Beslut
	for _, e := range b.BeslutadErsattning {
		mb := &ssbtekv1.Beslut{Beslutsdatum: b.Beslutsdatum, Beslutskod: kod, BeslutskodKod: verbatim}
		if e.Period != nil {
			mb.From, mb.Tom = e.Period.From, e.Period.Tom
		}
		mb.Periodtyp = periodtyp(mb.Beslutsdatum, mb.From, mb.Tom)
		if e.Omfattning != nil {
			p, err := adapters.Hundredths(e.Omfattning.String())
			if err != nil {
				m.fail(fmt.Errorf("omfattning: %w", err))
			}
			mb.Omfattning = int32(p)
		}
		if e.Ersattningstyp != nil {
			mb.FormanKod = e.Ersattningstyp.Kod
		}
		if bb := e.BeslutatBelopp; bb != nil {
			if bb.Belopp != nil {
				mb.Bruttobelopp, mb.BruttobeloppOre = *bb.Belopp, ore(*bb.Belopp)
			}
			if bb.Beloppsfrekvens != nil {
				mb.Beloppsperiod = bb.Beloppsfrekvens.Kod
			}
		}
		out = append(out, mb)
	}
	if len(out) == 0 {
		out = append(out, &ssbtekv1.Beslut{Beslutsdatum: b.Beslutsdatum, Beslutskod: kod, BeslutskodKod: verbatim})
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

const (
	dateLayout  = "2006-01-02"
	monthLayout = "2006-01"
)

// The length checks below answer the common case, a value of the other
// layout, before time.Parse would: it accepts only that exact length, and
// each refusal costs it an error value.

func isDate(s string) bool {
	if len(s) != len(dateLayout) {
		return false
	}
	_, err := time.Parse(dateLayout, s)
	return err == nil
}

// forstaDag makes a month-only start ("2022-09") a date; other values stay.
func forstaDag(s string) string {
	if len(s) != len(monthLayout) {
		return s
	}
	if t, err := time.Parse(monthLayout, s); err == nil {
		return t.Format(dateLayout)
	}
	return s
}

// sistaDag makes a month-only end a date, the month's last day.
func sistaDag(s string) string {
	if len(s) != len(monthLayout) {
		return s
	}
	if t, err := time.Parse(monthLayout, s); err == nil {
		return t.AddDate(0, 1, -1).Format(dateLayout)
	}
	return s
}
