package fk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ssbtek/gateway/adapters"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Övrig information is everything LEFI sends that is not a benefit decision
// or payment: FK's programanvisning, programjobdagar,
// sjukpenninggrundandeInkomstuppgift, skatteuppgift, studiemedelsavisering,
// intjanande*, levnadsintygsuppgift, ... and PM's ovrigInformation. LEFI v9
// has dozens of such shapes, so they are typed generically: each object is
// one Ovriguppgift whose falt holds every scalar by its JSON path (verbatim,
// numbers as written), with kod, from, tom and belopp_ore picked out where
// the object has them. A new LEFI member is thereby typed, never dropped.

// ovrigaFK types formansinformation's members that have no field of their own.
func ovrigaFK(fi *formansinformation) []*ssbtekv1.Ovriguppgift {
	var out []*ssbtekv1.Ovriguppgift
	for _, name := range slices.Sorted(maps.Keys(fi.Ovrigt)) {
		for _, obj := range fi.Ovrigt[name] {
			out = append(out, ovrigUppgift(name, utlamnareFK, obj))
		}
	}
	return out
}

// ovrigaPM types PM's ovrigInformation, each under its informationstyp's code.
func ovrigaPM(list []json.RawMessage) ([]*ssbtekv1.Ovriguppgift, error) {
	var out []*ssbtekv1.Ovriguppgift
	for i, raw := range list {
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil {
			return nil, fmt.Errorf("ovrigInformation %d is not an object", i+1)
		}
		typ := "ovrigInformation"
		if it, ok := obj["informationstyp"].(map[string]any); ok {
			if k, ok := it["kod"].(string); ok && k != "" {
				typ = k
			}
		}
		out = append(out, ovrigUppgift(typ, utlamnarePM, obj))
	}
	return out, nil
}

// ovrigUppgift types one object of övrig information.
func ovrigUppgift(typ, utlamnare string, obj map[string]any) *ssbtekv1.Ovriguppgift {
	falt := map[string]string{}
	flatten("", obj, falt)
	o := &ssbtekv1.Ovriguppgift{Typ: typ, Utlamnare: utlamnare, Falt: falt}
	o.Kod = first(falt, "typ/id", "typ/kod", "informationstyp/kod", "kod")
	o.From = forstaDag(first(falt, "period/fran", "period/from", "from", "fran"))
	o.Tom = sistaDag(first(falt, "period/till", "period/tom", "tom", "till"))
	// One amount: the uppgift's belopp (an SGI, a holding).
	var summor []string
	for k, v := range falt {
		if k == "summa" || strings.HasSuffix(k, "/summa") || k == "belopp" || strings.HasSuffix(k, "/belopp") {
			summor = append(summor, v)
		}
	}
	if len(summor) == 1 {
		if n, err := adapters.Hundredths(summor[0]); err == nil {
			o.BeloppOre = &n
		}
	}
	return o
}

// first is the first of keys falt has.
func first(falt map[string]string, keys ...string) string {
	for _, k := range keys {
		if v, ok := falt[k]; ok {
			return v
		}
	}
	return ""
}

// flatten adds every scalar of v to falt by its path: object members by
// name, list items by index, joined with "/".
func flatten(path string, v any, falt map[string]string) {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "/" + k
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flatten(join(k), e, falt)
		}
	case []any:
		for i, e := range x {
			flatten(join(strconv.Itoa(i)), e, falt)
		}
	case json.Number:
		falt[path] = x.String()
	case string:
		falt[path] = x
	case bool:
		falt[path] = strconv.FormatBool(x)
	}
}
