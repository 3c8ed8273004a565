package fk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestMemberCoversEveryField: member names exactly the fields that
// encoding/json decodes, so that readMembers and decodeTwice agree on which
// members are known.
func TestMemberCoversEveryField(t *testing.T) {
	var fi formansinformation
	v := reflect.ValueOf(&fi).Elem()
	for i := range v.NumField() {
		tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if tag == "-" {
			if fi.member(v.Type().Field(i).Name) != nil {
				t.Errorf("member(%q) is a field, want none", v.Type().Field(i).Name)
			}
			continue
		}
		got := fi.member(tag)
		if got == nil || reflect.ValueOf(got).Pointer() != v.Field(i).Addr().Pointer() {
			t.Errorf("member(%q) is not the field %s", tag, v.Type().Field(i).Name)
		}
		if !knownMember(tag) {
			t.Errorf("knownMember(%q) = false", tag)
		}
	}
	for _, name := range []string{"", "sjukpenninggrundandeInkomstuppgift", "Barnbidragsarende"} {
		if fi.member(name) != nil {
			t.Errorf("member(%q) is a field, want none", name)
		}
	}
	// svar's, but for the two that readOnce reads itself, and avvikelser's.
	var s svar
	var a avvikelser
	for _, tt := range []struct {
		v      any
		member func(string) any
		own    []string
	}{{&s, s.member, []string{"formansinformation", "avvikelser"}}, {&a, a.member, nil}} {
		v := reflect.ValueOf(tt.v).Elem()
		for i := range v.NumField() {
			tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			got := tt.member(tag)
			switch {
			case slices.Contains(tt.own, tag):
				if got != nil {
					t.Errorf("%s.member(%q) is a field, want none", v.Type().Name(), tag)
				}
			case got == nil || reflect.ValueOf(got).Pointer() != v.Field(i).Addr().Pointer():
				t.Errorf("%s.member(%q) is not the field %s", v.Type().Name(), tag, v.Type().Field(i).Name)
			}
		}
	}
}

// TestDecodeSvarAsUnmarshal: decodeSvar's one pass and json.Unmarshal read
// the same from answers that take either way.
func TestDecodeSvarAsUnmarshal(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "svar_tolvan.json"))
	if err != nil {
		t.Fatal(err)
	}
	fi := []byte(`"formansinformation": {`)
	for name, body := range map[string][]byte{
		"Tolvan":                      raw,
		"every kind":                  []byte(allaSlag),
		"trailing space":              append(slices.Clip(raw), " \n"...),
		"trailing data":               append(slices.Clip(raw), " {}"...),
		"an unknown member":           bytes.Replace(raw, fi, []byte(`"nytt": {"a": [1, "b"]}, `+string(fi)), 1),
		"a name folding to a field":   bytes.Replace(raw, fi, []byte(`"Beslut": [], `+string(fi)), 1),
		"formansinformation twice":    bytes.Replace(raw, fi, []byte(`"formansinformation": {"nytt": [{"a": 1}]}, `+string(fi)), 1),
		"formansinformation null":     bytes.Replace(raw, fi, []byte(`"formansinformation": null, "x": `+string(fi)), 1),
		"formansinformation a number": bytes.Replace(raw, fi, []byte(`"formansinformation": 5, "x": `+string(fi)), 1),
		"a summa as a string":         bytes.Replace(raw, []byte(`"summa": 1016,`), []byte(`"summa": "1016",`), 1),
		"a type error":                bytes.Replace(raw, []byte(`"dagar": 5,`), []byte(`"dagar": "5",`), 1),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := decodeSvar(body)
			var want svar
			wantErr := json.Unmarshal(body, &want)
			if err != nil {
				got, want = svar{}, svar{} // no answer, whatever is left
			}
			if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
				t.Errorf("decodeSvar = %+v, %v\njson.Unmarshal %+v, %v", got, err, want, wantErr)
			}
		})
	}
}

// TestFormansinformationOneReadingOrTwo: decodeSvar reads formansinformation
// in its one pass, and the cases that pass leaves to json.Unmarshal
// (decodeTwice) are read as encoding/json reads them.
func TestFormansinformationOneReadingOrTwo(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		ovrigt     []string // the members in Ovrigt
		barnbidrag int      // the ärenden in Barnbidrag
	}{
		{"known and unknown", `{"barnbidragsarende":[{}],"nytt":[{"a":1}]}`, []string{"nytt"}, 1},
		{"a name that folds to a field", `{"BarnbidragsArende":[{},{}]}`, []string{"BarnbidragsArende"}, 2},
		{"non-ASCII", `{"nyttå":[{"a":1}]}`, []string{"nyttå"}, 0},
		{"an unknown member twice, the last a list", `{"nytt":5,"nytt":[{"a":1}]}`, []string{"nytt"}, 0},
		{"a known member twice", `{"barnbidragsarende":[{}],"barnbidragsarende":[{},{},{}]}`, nil, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := decodeSvar([]byte(`{"utlamnare":[],"formansinformation":` + tt.body + `}`))
			if err != nil {
				t.Fatal(err)
			}
			fi := s.Formansinformation
			var got []string
			for name := range fi.Ovrigt {
				got = append(got, name)
			}
			if !reflect.DeepEqual(got, tt.ovrigt) || len(fi.Barnbidrag) != tt.barnbidrag {
				t.Errorf("Ovrigt %v, %d barnbidrag; want %v, %d", got, len(fi.Barnbidrag), tt.ovrigt, tt.barnbidrag)
			}
			if n, ok := fi.Ovrigt["nytt"]; ok && n[0]["a"] != any(json.Number("1")) {
				t.Errorf("Ovrigt's number = %#v, want json.Number", n[0]["a"])
			}
		})
	}
}
