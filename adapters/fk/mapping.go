package fk

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// mapSvar maps a 200 answer. LEFI's utlämnare in another state than OK make
// it LEFI's own error (kalla BT); a body that is not JSON, or whose mapped
// parts break the contract's types, enums or required fields, is unreadable.
func mapSvar(raw []byte, contentType string) (*ssbtekv1.BastjanstResultat, error) {
	if !isObject(raw) {
		return nil, bastjanst.Unreadable(errors.New("answer is not a JSON object"))
	}
	s, err := decodeSvar(raw)
	if err != nil {
		return nil, bastjanst.Unreadable(fmt.Errorf("decoding LefiExternFormansinformationSvar: %w", err))
	}
	if err := check(&s); err != nil {
		return nil, bastjanst.Unreadable(fmt.Errorf("LefiExternFormansinformationSvar: %w", err))
	}
	rd := rawAnswer(raw, contentType)
	if u, ok := felande(s.Utlamnare); ok {
		return bastjanst.NativeError(agency, u.Tillstand.Kod, tillstandText(u), rd), nil
	}
	formaner, ovrig, err := mapFormaner(&s)
	if err != nil {
		return nil, bastjanst.Unreadable(fmt.Errorf("LefiExternFormansinformationSvar: %w", err))
	}
	status := bastjanst.Status(len(formaner) > 0 || len(ovrig) > 0, skyddad(&s))
	if brister := interntFel(s.Avvikelser); len(brister) > 0 {
		// A valid answer, but LEFI could not deliver all that was asked: not
		// "nothing known", and not to be read as complete. Protected
		// identity still comes first, with the gap in its message.
		text := "LEFI kunde inte leverera: " + strings.Join(brister, "; ")
		if status.GetKod() == ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET {
			status.Meddelande += ". " + text
		} else {
			status = &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, Meddelande: text}
		}
	}
	res := &ssbtekv1.BastjanstResultat{Bastjanst: agency, Status: status, Radata: rd}
	if len(formaner) > 0 || len(ovrig) > 0 {
		// Typed content only when there is some, as for every agency.
		res.Innehall = &ssbtekv1.BastjanstResultat_Fk{Fk: &ssbtekv1.Socialforsakringsformaner{Formaner: formaner, OvrigInformation: ovrig}}
	}
	return res, nil
}

// rawAnswer keeps LEFI's body as received. An answer without a
// Content-Type is taken as the JSON the contract promises.
func rawAnswer(raw []byte, contentType string) *ssbtekv1.Radata {
	if contentType == "" {
		contentType = mediaTypeJSON
	}
	return radata.New(raw, contentType, SSBTEK)
}

// isObject reports whether raw is, at first glance, a JSON object; decoding
// checks the rest. A bare null or array would otherwise decode as empty.
func isObject(raw []byte) bool { return bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) }

// personnummerLike matches what could be a personnummer or samordningsnummer,
// with or without century and separator.
var personnummerLike = regexp.MustCompile(`\d{6,8}[-+]?\d{4}`)

// scrub keeps personal identities out of LEFI's texts before they travel on
// as felmeddelande. LEFI promises none, but the text reaches logs and callers.
func scrub(s string) string {
	return personnummerLike.ReplaceAllString(strings.TrimSpace(s), "[identitet]")
}

// felande returns the first utlämnare that is not OK.
func felande(list []utlamnareTillstand) (utlamnareTillstand, bool) {
	for _, u := range list {
		if u.Tillstand.Kod != tillstandOK {
			return u, true
		}
	}
	return utlamnareTillstand{}, false
}

// tillstandText names the authority with its state's description, since one
// LEFI answer speaks for both FK and PM.
func tillstandText(u utlamnareTillstand) string {
	who := u.Utlamnare.Namn
	if who == "" {
		who = u.Utlamnare.Kod
	}
	what := u.Tillstand.Beskrivning
	if what == "" {
		what = u.Tillstand.Kod
	}
	return scrub(who + ": " + what)
}

// skyddad reports LEFI's protected-identity flag on the person asked about.
func skyddad(s *svar) bool {
	if s.Formansinformation == nil {
		return false
	}
	for _, p := range s.Formansinformation.GenerellPersoninformation {
		if p.Skyddad != nil && *p.Skyddad {
			return true
		}
	}
	return false
}

// interntFel lists the groups LEFI could not deliver for internal reasons.
// OBEHORIG avvikelser are expected, since the adapter asks for every group,
// and say only that this actor may not see that group.
func interntFel(a *avvikelser) []string {
	if a == nil {
		return nil
	}
	var out []string
	for _, list := range [][]avvikelse{a.Formansinformation, a.Ansprak, a.Beslut, a.PreliminaraUtbetalningar, a.Utbetalningar, a.OvrigInformation} {
		for _, av := range list {
			if av.Avvikelse == nil || av.Avvikelse.Kod != avvikelseInternt {
				continue
			}
			what := av.Formansgrupp
			if what == nil {
				what = av.OvrigInformationstyp
			}
			text := "okänd informationstyp"
			if what != nil {
				text = cmpOr(what.Beskrivning, what.Kod)
			}
			if av.Avvikelse.Beskrivning != "" {
				text += " (" + av.Avvikelse.Beskrivning + ")"
			}
			out = append(out, scrub(text))
		}
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// check enforces what the contract requires of the parts this package maps,
// beyond the JSON types that decoding already checked. Every answer names
// at least one utlämnare: without one, no answer can be told from no data.
func check(s *svar) error {
	if len(s.Utlamnare) == 0 {
		return errors.New("no utlamnare")
	}
	if err := checkUtlamnare(s.Utlamnare); err != nil {
		return err
	}
	if a := s.Avvikelser; a != nil {
		for _, list := range [][]avvikelse{a.Formansinformation, a.Ansprak, a.Beslut, a.PreliminaraUtbetalningar, a.Utbetalningar, a.OvrigInformation} {
			for _, av := range list {
				if av.Avvikelse != nil && av.Avvikelse.Kod != "" && !slices.Contains(avvikelseKoder(), av.Avvikelse.Kod) {
					return errors.New("avvikelse kod not in LefiAvvikelseKod")
				}
			}
		}
	}
	if fi := s.Formansinformation; fi != nil && len(fi.GenerellPersoninformation) > 1 {
		return errors.New("generellPersoninformation has more than one item")
	}
	for _, a := range s.Ansprak {
		if err := checkGrupp(a.Formansgrupp); err != nil {
			return fmt.Errorf("ansprak: %w", err)
		}
		if err := checkDates(a.Ankomstdatum); err != nil {
			return fmt.Errorf("ansprak: %w", err)
		}
	}
	for _, b := range s.Beslut {
		if err := checkPmBeslut(b); err != nil {
			return fmt.Errorf("beslut: %w", err)
		}
	}
	return nil
}

// checkUtlamnare requires a known authority and state in every entry.
func checkUtlamnare(list []utlamnareTillstand) error {
	for _, u := range list {
		switch {
		case u.Utlamnare == nil || !slices.Contains(utlamnareKoder(), u.Utlamnare.Kod):
			return errors.New("utlamnare without a LefiUtlamnareKod")
		case u.Tillstand == nil || !slices.Contains(tillstandKoder(), u.Tillstand.Kod):
			return errors.New("utlamnare without a LefiTillstandKod")
		}
	}
	return nil
}

// checkGrupp requires a present group to carry a known code and a description.
func checkGrupp(g *kodBeskrivning) error {
	if g == nil {
		return nil
	}
	if !slices.Contains(pmGrupper(), g.Kod) || g.Beskrivning == "" {
		return errors.New("formansgrupp is not a LefiPmFormanGrupp with kod and beskrivning")
	}
	return nil
}

// checkKod requires a present {kod, beskrivning} to have both, kod from koder.
func checkKod(name string, k *kodBeskrivning, koder []string) error {
	if k != nil && (!slices.Contains(koder, k.Kod) || k.Beskrivning == "") {
		return fmt.Errorf("%s is not one of its codes with a beskrivning", name)
	}
	return nil
}

func checkPmBeslut(b pmBeslut) error {
	if err := checkGrupp(b.Formansgrupp); err != nil {
		return err
	}
	if err := checkKod("beslutsstatus", b.Beslutsstatus, beslutStatusKoder()); err != nil {
		return err
	}
	if err := checkKod("beslutsutfall", b.Beslutsutfall, beslutUtfallKoder()); err != nil {
		return err
	}
	if err := checkDates(b.Beslutsdatum); err != nil {
		return err
	}
	for _, e := range b.BeslutadErsattning {
		if e.BeslutatBelopp != nil {
			if err := checkKod("beloppsfrekvens", e.BeslutatBelopp.Beloppsfrekvens, frekvensKoder()); err != nil {
				return err
			}
		}
		if e.Omfattning != nil {
			if p, err := adapters.Hundredths(e.Omfattning.String()); err != nil || p < 0 || p > 100 {
				return errors.New("omfattning not a fraction 0..1 in hundredths")
			}
		}
		if e.Period != nil {
			if e.Period.From == "" {
				return errors.New("period without from")
			}
			if err := checkDates(e.Period.From, e.Period.Tom); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkDates requires each non-empty value to be a full date, as the
// contract's format: date fields (PM's) are. Errors never quote the
// answer's values, which could be anything, a personnummer included.
func checkDates(values ...string) error {
	for _, v := range values {
		if v != "" && !isDate(v) {
			return errors.New("a date field is not a date (YYYY-MM-DD)")
		}
	}
	return nil
}
