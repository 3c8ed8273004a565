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
		if _, err := lefiSamePerson(raw, f.GetPersonidentitet()); err != nil {
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
// other spelling of it), naming pnr in its 12- or 10-digit form. It returns
// the question's top-level members, for the period bound and the audit
// record, which read them after this check passed.
func lefiSamePerson(raw []byte, pnr string) (map[string]json.RawMessage, error) {
	members, err := jsonMembers(raw, lefiKeys)
	if err != nil {
		return nil, err
	}
	v, ok := members["personnummer"]
	if !ok {
		return nil, errors.New("saknar personnummer")
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil || !lefiPnr.MatchString(s) {
		return nil, errors.New("personnummer är inte 10 eller 12 siffror")
	}
	if s != pnr && (len(s) != 10 || len(pnr) != 12 || s != pnr[2:]) {
		return nil, errors.New("avser en annan person än personidentitet")
	}
	return members, nil
}

// lefiKeys are the members of LefiExternFormansinformationFraga this
// gateway reads, each of which must be spelt exactly so: LEFI reads keys
// as written, encoding/json ignoring case would read another spelling too.
var lefiKeys = []string{"personnummer", "period"}

// jsonMembers reads raw as one JSON object whose keys occur once each and
// whose keys in known are spelt exactly, returning its members.
func jsonMembers(raw []byte, known []string) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("är inget JSON-objekt")
	}
	members := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, errors.New("är ingen giltig JSON")
		}
		key, _ := t.(string)
		if _, dup := members[key]; dup {
			return nil, fmt.Errorf("anger fältet %q mer än en gång", truncate(key, 64))
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, errors.New("är ingen giltig JSON")
		}
		for _, k := range known {
			if key != k && strings.EqualFold(key, k) {
				return nil, fmt.Errorf("stavar fältet %s %q", k, truncate(key, 64))
			}
		}
		members[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, errors.New("är ingen giltig JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("har innehåll efter JSON-objektet")
	}
	return members, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
