package main

import (
	"strconv"
	"strings"
)

// formanNames are the benefits' names as a case worker reads them, for the
// codes the agencies' typed content uses (FormansBeslut.forman).
var formanNames = map[string]string{
	"aktivitetsstod":              "aktivitetsstöd",
	"allmanpension":               "allmän pension",
	"arbetsloshetsersattning":     "arbetslöshetsersättning",
	"barnbidrag":                  "barnbidrag",
	"bostadsbidrag":               "bostadsbidrag",
	"bostadsinkomststod":          "bostadstillägg och inkomstpensionstillägg",
	"bostadstillagg":              "bostadstillägg",
	"efterlevandeformaner":        "efterlevandeförmåner",
	"efterlevandepension":         "efterlevandepension",
	"etableringsersattning":       "etableringsersättning",
	"foraldrapenning":             "föräldrapenning",
	"handikappersattning":         "merkostnadsersättning",
	"hemutrustningslan":           "hemutrustningslån",
	"omstallningsstudiestod":      "omställningsstudiestöd",
	"programersattning":           "ersättning vid arbetsmarknadsprogram",
	"sjukochaktivitetsersattning": "sjuk- och aktivitetsersättning",
	"sjukpenning":                 "sjukpenning",
	"studiehjalp":                 "studiehjälp",
	"studiemedel":                 "studiemedel",
	"studiestartsstod":            "studiestartsstöd",
	"underhallsstod":              "underhållsstöd",
	"utvecklingsersattning":       "utvecklingsersättning",
	"vardbidrag":                  "vårdbidrag",
}

// formanName is the benefit's name with its code beside it, e.g.
// "allmän pension (allmanpension)"; a code without a known name stands
// alone, the agency's own text (klartext) first when it sent one.
func formanName(kod, klartext string) string {
	name := formanNames[kod]
	if name == "" {
		name = klartext
	}
	switch {
	case kod == "":
		return dash(name)
	case name == "" || strings.EqualFold(name, kod):
		return kod
	}
	return name + " (" + kod + ")"
}

// payerNames are LEFI's foretag codes (Utbetalning.utbetalare from FK).
var payerNames = map[string]string{
	"1001": "Försäkringskassan",
	"1003": "Pensionsmyndigheten",
}

// payerName is who paid, with a code beside its name.
func payerName(utbetalare string) string {
	if name, ok := payerNames[utbetalare]; ok {
		return name + " (" + utbetalare + ")"
	}
	return dash(utbetalare)
}

// plural picks the Swedish form for n: "1 utbetalning", "2 utbetalningar".
func plural(n int32, singular, pluralForm string) string {
	if n == 1 {
		return "1 " + singular
	}
	return itoa(n) + " " + pluralForm
}

// pluralWord is the word for n things.
func pluralWord(n int32, singular, pluralForm string) string {
	if n == 1 {
		return singular
	}
	return pluralForm
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }
