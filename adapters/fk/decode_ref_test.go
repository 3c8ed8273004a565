package fk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// refSvar is svar read the plain way throughout: json.Unmarshal, and
// formansinformation's two readings (decodeTwice) instead of its one pass.
type refSvar struct {
	Utlamnare                []utlamnareTillstand `json:"utlamnare"`
	Avvikelser               *avvikelser          `json:"avvikelser,omitempty"`
	Formansinformation       *refFormansinfo      `json:"formansinformation,omitempty"`
	Ansprak                  []pmAnsprak          `json:"ansprak,omitempty"`
	Beslut                   []pmBeslut           `json:"beslut,omitempty"`
	PreliminaraUtbetalningar []pmUtbetalning      `json:"preliminaraUtbetalningar,omitempty"`
	Utbetalningar            []pmUtbetalning      `json:"utbetalningar,omitempty"`
	OvrigInformation         []json.RawMessage    `json:"ovrigInformation,omitempty"`
}

type refFormansinfo formansinformation

func (fi *refFormansinfo) UnmarshalJSON(b []byte) error {
	return (*formansinformation)(fi).decodeTwice(b)
}

// refDecode is what decodeSvar must agree with, the error's text with the
// reference type's name put back.
func refDecode(raw []byte) (svar, string) {
	var r refSvar
	err := json.Unmarshal(raw, &r)
	s := svar{r.Utlamnare, r.Avvikelser, (*formansinformation)(r.Formansinformation), r.Ansprak, r.Beslut,
		r.PreliminaraUtbetalningar, r.Utbetalningar, r.OvrigInformation}
	return s, strings.ReplaceAll(fmt.Sprint(err), "Go struct field refSvar.", "Go struct field svar.")
}

// TestDecodeSvarAsReference: for Tolvan's answer with each of its values in
// turn replaced by values of every JSON type, and with odd members added,
// decodeSvar reads what the plain reading does, and fails with its error.
func TestDecodeSvarAsReference(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "svar_tolvan.json"))
	if err != nil {
		t.Fatal(err)
	}
	bodies := [][]byte{raw, []byte(allaSlag)}
	replacements := []any{"12", true, nil, map[string]any{}, []any{}, []any{map[string]any{}}, json.Number("1.5")}
	var tree any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&tree); err != nil {
		t.Fatal(err)
	}
	// Each value is replaced in place, written out and put back.
	var walk func(v any)
	walk = func(v any) {
		visit := func(get func() any, set func(any)) {
			old := get()
			for _, r := range replacements {
				set(r)
				b, err := json.Marshal(tree)
				if err != nil {
					t.Fatal(err)
				}
				bodies = append(bodies, b)
			}
			set(old)
			walk(old)
		}
		switch x := v.(type) {
		case map[string]any:
			for k := range x {
				visit(func() any { return x[k] }, func(n any) { x[k] = n })
			}
		case []any:
			for i := range x {
				visit(func() any { return x[i] }, func(n any) { x[i] = n })
			}
		}
	}
	walk(tree)
	fi := `"formansinformation": {`
	for _, add := range []string{
		`"nytt": [{"a": 1.50, "b": {"c": [true, null]}}],`, `"nytt": 5,`, `"nytt": [1],`, `"nytt": 5, "nytt": [{"a": 1}],`,
		`"BARNBIDRAGSARENDE": [{"beslut": [{"fattades": "2020-01-01"}]}],`, `"barnbidragsArende": 5,`, `"ſjukpenningarende": [],`,
		`"barnbidragsarende": [{}],`, `"barnbidragsarend\u0065": [{}],`, `"utbetalningsuppgift": [{"bruttobelopp": {"summa": "1"}}], "sjukpenningarende": 5,`,
		`"sjukpenningarende": 5, "utbetalningsuppgift": [{"bruttobelopp": {"summa": true}}],`,
	} {
		bodies = append(bodies, []byte(strings.Replace(string(raw), fi, fi+add, 1)))
	}
	for _, add := range []string{
		`"Utlamnare": [], `, `"utlamnare": [], `, `"nyttToppmedlem": {"a": [1, 2]}, `, `"Formansinformation": {"barnbidragsarende": [{}]}, `,
		`"formansinformation": {"nytt": [{"a": 1}]}, `, `"formansinformation": null, `, `"formansinformation": {}, "x": 1, `,
		`"avvikelser": [], `, `"avvikelser": [ ], `, `"avvikelser": [{}], `, `"avvikelser": [1], `, `"avvikelser": "x", `, `"avvikelser": null, `,
		`"avvikelser": {}, `, `"avvikelser": {"beslut": [{"avvikelse": {"kod": "OBEHORIG"}, "formansgrupp": {"kod": "PM:AP"}}], "nytt": 1}, `,
		`"avvikelser": {"Beslut": [{"avvikelse": {"kod": "INTERNT_FEL"}}]}, `, `"avvikelser": {"beslut": 5}, `,
		`"avvikelser": {"beslut": [{"avvikelse": {"kod": "INTERNT_FEL"}}]}, "avvikelser": {"ansprak": []}, `,
		`"avvikelser": [], "avvikelser": {"ansprak": [{}]}, `, `"ütlamnare": 1, `,
	} {
		bodies = append(bodies, []byte(strings.Replace(string(raw), fi, add+fi, 1)))
	}
	for _, tail := range []string{" \n", " {}", " x", "]"} {
		bodies = append(bodies, append(raw[:len(raw):len(raw)], tail...))
	}
	for _, body := range bodies {
		got, err := decodeSvar(body)
		want, wantErr := refDecode(body)
		if err != nil {
			// What a failed reading leaves behind is no answer, and the
			// reference's depends on map order.
			got, want = svar{}, svar{}
		}
		if fmt.Sprint(err) != wantErr || !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeSvar(%s)\n= %+v, %v\nwant %+v, %v", body, got, err, want, wantErr)
		}
	}
	t.Logf("%d answers", len(bodies))
}
