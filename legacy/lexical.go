package legacy

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The lexical spaces of the simple types the contract uses, as XML Schema
// 1.0 defines them, keyed by the types' names in the XSDs. Every type but
// the strings has whiteSpace=collapse; since inner white space makes all of
// them invalid except base64Binary, trimming is all the collapsing needed.

// rule is one simple type's lexical space.
type rule struct {
	label    string
	collapse bool
	// pattern must match the whole (collapsed) value; nil matches any.
	pattern *regexp.Regexp
	// check, if set, is what a pattern cannot say.
	check func(m []string) bool
}

const (
	zone     = `(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?`
	datePart = `(-?(?:[1-9]\d{3,}|0\d{3}))-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])`
)

func anchored(re string) *regexp.Regexp { return regexp.MustCompile(`^(?:` + re + `)$`) }

var dateOnlyRE = regexp.MustCompile(`^` + datePart)

var rules = map[string]*rule{
	"string":              {label: "xsd:string"},
	"NonEmptyString":      {label: "NonEmptyString", check: func(m []string) bool { return m[0] != "" }},
	"boolean":             {label: "xsd:boolean (true, false, 1 eller 0)", collapse: true, pattern: anchored(`true|false|1|0`)},
	"Personidentitet":     {label: "Personidentitet (12 siffror)", collapse: true, pattern: anchored(`[0-9]{12}`)},
	"Organisationsnummer": {label: "Organisationsnummer (12 siffror)", collapse: true, pattern: anchored(`\p{Nd}{4}[2-9]\p{Nd}{7}`)},
	"date":                {label: "xsd:date (ÅÅÅÅ-MM-DD)", collapse: true, pattern: anchored(datePart + zone), check: validDay},
	"dateTime": {label: "xsd:dateTime (ÅÅÅÅ-MM-DDThh:mm:ss)", collapse: true,
		pattern: anchored(datePart + `T([01]\d|2[0-4]):([0-5]\d):([0-5]\d)(\.\d+)?` + zone),
		check: func(m []string) bool {
			// 24:00:00 ends a day; nothing after it does.
			return validDay(m) && (m[4] != "24" || m[5] == "00" && m[6] == "00" && strings.Trim(m[7], ".0") == "")
		}},
	"short":        {label: "xsd:short", collapse: true, pattern: anchored(`[+-]?\d+`), check: inRange(-32768, 32767)},
	"Ar":           {label: "Ar (1900–2100)", collapse: true, pattern: anchored(`[+-]?\d+`), check: inRange(1900, 2100)},
	"base64Binary": {label: "xsd:base64Binary", check: func(m []string) bool { _, ok := decodeBase64(m[0]); return ok }},
}

// validDay checks the day of a matched date against its month and year.
func validDay(m []string) bool {
	year := strings.TrimPrefix(m[1], "-")
	if strings.Trim(year, "0") == "" {
		return false // there is no year 0000
	}
	// The year modulo 400 is all the leap rule needs; years may be long.
	y400 := 0
	for _, c := range year {
		y400 = (y400*10 + int(c-'0')) % 400
	}
	month, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	// Day 0 of the next month is the last of this one, in a year at the
	// same place in the 400-year cycle (2000 ≡ 0).
	return day <= time.Date(2000+y400, time.Month(month+1), 0, 0, 0, 0, 0, time.UTC).Day()
}

func inRange(lo, hi int64) func([]string) bool {
	return func(m []string) bool {
		_, ok := parseInteger(m[0], lo, hi)
		return ok
	}
}

// dropXMLSpace removes XML white space, which base64Binary may hold anywhere.
var dropXMLSpace = strings.NewReplacer(" ", "", "\t", "", "\r", "", "\n", "")

// lexical checks simple content against def's type and returns its value.
func lexical(def *elemDef, text string) (string, error) {
	r, v := def.simple, text
	switch {
	case text == "" && def.dflt != "":
		return def.dflt, nil
	case r.collapse:
		v = strings.Trim(v, " \t\r\n")
	case def.typeName == "base64Binary":
		v = dropXMLSpace.Replace(v)
	}
	m := []string{v}
	if r.pattern != nil {
		m = r.pattern.FindStringSubmatch(v)
	}
	switch {
	case m != nil && (r.check == nil || r.check(m)):
		return v, nil
	case def.typeName == "NonEmptyString":
		return "", invalid("elementet %s får inte vara tomt", def.name)
	}
	return "", invalid("elementet %s är inte ett giltigt värde av typen %s", def.name, r.label)
}

// parseBoolean reads an xsd:boolean: true, false, 1 or 0.
func parseBoolean(s string) (value, ok bool) {
	switch s {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// parseInteger reads [+-]?[0-9]+ and reports whether it lies in [lo, hi].
func parseInteger(s string, lo, hi int64) (int64, bool) {
	v, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
	return v, err == nil && v >= lo && v <= hi
}

// decodeBase64 decodes an xsd:base64Binary from which white space has been
// removed. XML Schema wants the unused bits of the last group zero, as
// strict decoding does.
func decodeBase64(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	return b, err == nil
}

// dateOnly returns the -?YYYY-MM-DD part of a valid xsd:date.
func dateOnly(s string) string { return dateOnlyRE.FindString(s) }
