package fk

import (
	"encoding/json"
	"regexp"
	"slices"
	"time"
)

// personnummerPattern is the contract's pattern for personnummer.
var personnummerPattern = regexp.MustCompile(`^([0-9]{2})?([0-9]{10})$`)

// readFraga reads a question as LEFI would, returning the 400 text for one
// that breaks the contract (texts never repeat the personnummer).
func readFraga(raw []byte) (fraga, string) {
	var q fraga
	if !isObject(raw) || json.Unmarshal(raw, &q) != nil {
		return q, "Frågan kunde inte tolkas som en LefiExternFormansinformationFraga."
	}
	if !personnummerPattern.MatchString(q.Personnummer) {
		return q, "Personnummer saknas eller har fel format."
	}
	if q.Period == nil || !isDate(q.Period.From) || !isDate(q.Period.Tom) {
		return q, "Period saknas eller har fel format."
	}
	from, _ := time.Parse(dateLayout, q.Period.From)
	tom, _ := time.Parse(dateLayout, q.Period.Tom)
	switch {
	case tom.Before(from):
		return q, "Periodens slut ligger före dess början."
	case tom.After(from.AddDate(2, 0, 0)):
		return q, "Perioden är längre än två år."
	}
	lists := []struct {
		codes, allowed []string
	}{
		{q.Formansinformation, fkGrupper()},
		{q.Ansprak, pmGrupper()},
		{q.Beslut, pmGrupper()},
		{q.PreliminaraUtbetalningar, externGrupper()},
		{q.Utbetalningar, externGrupper()},
		{q.OvrigInformation, ovrigaTyper()},
	}
	asked := false
	for _, l := range lists {
		for i, c := range l.codes {
			if !slices.Contains(l.allowed, c) || slices.Contains(l.codes[:i], c) {
				return q, "Frågan har en okänd eller upprepad kod."
			}
			asked = true
		}
	}
	if !asked {
		return q, "Ingen förmånsgrupp eller typ av övrig information är angiven."
	}
	return q, ""
}
