package lookup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// samePerson checks every caller-supplied agency question against the
// Fraga's personidentitet: a question about one person must never return
// another person's data. Today that is FK's LEFI JSON question, whose
// personnummer (10 or 12 digits) must name the same person. SKV's fraga
// (SSBTEK v11) selects years and parts and names no person by contract; the
// SKV adapter always asks about the personidentitet. A test fails when an
// agency parameter gains a field this function does not know.
func samePerson(f *ssbtekv1.Fraga) []Violation {
	var vs []Violation
	if raw := f.GetFk().GetLefiJsonFraga(); len(raw) > 0 {
		if err := lefiSamePerson(raw, f.GetPersonidentitet()); err != nil {
			vs = append(vs, Violation{Field: "fraga.fk.lefi_json_fraga", Description: err.Error()})
		}
	}
	return vs
}

// lefiPnr is LEFI's personnummer: 10 or 12 digits.
var lefiPnr = regexp.MustCompile(`^([0-9]{2})?[0-9]{10}$`)

// lefiSamePerson reads a LEFI question (LefiExternFormansinformationFraga)
// strictly enough that LEFI cannot read a different person from it than we
// do: one JSON object, its key personnummer exactly once (no duplicate, no
// other spelling of it), naming pnr in its 12- or 10-digit form.
func lefiSamePerson(raw []byte, pnr string) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New("är inget JSON-objekt")
	}
	var found []string
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return errors.New("är ingen giltig JSON")
		}
		key, _ := t.(string)
		if seen[key] {
			return fmt.Errorf("anger fältet %q mer än en gång", truncate(key, 64))
		}
		seen[key] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return errors.New("är ingen giltig JSON")
		}
		if !strings.EqualFold(key, "personnummer") {
			continue
		}
		if key != "personnummer" {
			return fmt.Errorf("stavar fältet personnummer %q", truncate(key, 64))
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil || !lefiPnr.MatchString(s) {
			return errors.New("personnummer är inte 10 eller 12 siffror")
		}
		found = append(found, s)
	}
	if _, err := dec.Token(); err != nil {
		return errors.New("är ingen giltig JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("har innehåll efter JSON-objektet")
	}
	if len(found) != 1 {
		return errors.New("saknar personnummer")
	}
	if s := found[0]; s != pnr && (len(s) != 10 || len(pnr) != 12 || s != pnr[2:]) {
		return errors.New("avser en annan person än personidentitet")
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
