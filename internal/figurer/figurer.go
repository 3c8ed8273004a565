// Package figurer checks that no figure an agency sent is lost in the typed
// content: it collects every numeric value of an agency's payload (XML or
// JSON, walking into XML carried as text, as Skatteverket's svar is) and
// reports those that no field of the typed message holds, in kronor, in öre
// or verbatim. Adapter tests use it as the "no figure lost" check.
package figurer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/beevik/etree"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Figure is one numeric value in a payload.
type Figure struct {
	// Path names where it is: element or attribute names (XML) or keys (JSON), joined by "/".
	Path string
	// Name is the last part of Path: the element, attribute or key.
	Name string
	// Text is the value as written.
	Text string
}

func (f Figure) String() string { return f.Path + "=" + f.Text }

// number is what the payloads write as a figure: optional sign, digits, an
// optional decimal part with a point or a comma.
var number = regexp.MustCompile(`^-?[0-9]+([.,][0-9]+)?$`)

// isoDate is a date as the typed messages write it, YYYY-MM-DD.
var isoDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// Figures returns every numeric leaf value of payload, which is XML or JSON.
func Figures(payload []byte) ([]Figure, error) {
	p := bytes.TrimSpace(payload)
	if len(p) > 0 && (p[0] == '{' || p[0] == '[') {
		var v any
		d := json.NewDecoder(bytes.NewReader(p))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return nil, fmt.Errorf("reading JSON: %w", err)
		}
		var out []Figure
		walkJSON("", "", v, &out)
		return out, nil
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(p); err != nil {
		return nil, fmt.Errorf("reading XML: %w", err)
	}
	var out []Figure
	if err := walkXML("", doc.Root(), &out); err != nil {
		return nil, err
	}
	return out, nil
}

func walkJSON(path, name string, v any, out *[]Figure) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			walkJSON(path+"/"+k, k, x[k], out)
		}
	case []any:
		for _, e := range x {
			walkJSON(path, name, e, out)
		}
	case json.Number:
		*out = append(*out, Figure{Path: path, Name: name, Text: x.String()})
	case string:
		if number.MatchString(x) {
			*out = append(*out, Figure{Path: path, Name: name, Text: x})
		}
	}
}

func walkXML(path string, el *etree.Element, out *[]Figure) error {
	if el == nil {
		return nil
	}
	path += "/" + el.Tag
	for _, a := range el.Attr {
		if a.Space == "xmlns" || a.Key == "xmlns" {
			continue
		}
		if v := strings.TrimSpace(a.Value); number.MatchString(v) {
			*out = append(*out, Figure{Path: path + "/@" + a.Key, Name: a.Key, Text: v})
		}
	}
	kids := el.ChildElements()
	text := strings.TrimSpace(el.Text())
	switch {
	case len(kids) == 0 && strings.HasPrefix(text, "<"):
		// XML carried as text (Skatteverket's svar): its figures count too.
		inner := etree.NewDocument()
		if err := inner.ReadFromString(text); err != nil {
			return fmt.Errorf("reading the XML inside %s: %w", path, err)
		}
		return walkXML(path, inner.Root(), out)
	case len(kids) == 0 && number.MatchString(text):
		*out = append(*out, Figure{Path: path, Name: el.Tag, Text: text})
	}
	for _, k := range kids {
		if err := walkXML(path, k, out); err != nil {
			return err
		}
	}
	return nil
}

// Missing returns the figures that typed does not hold. A figure is held
// when some integer field equals it in whole units (kronor, days, years),
// in hundredths (öre), or some string field holds its text verbatim.
// A zero is never reported: proto3 cannot tell a plain field holding 0 from
// an absent one, and a lost 0 changes no sum. A compact date (ÅÅÅÅMMDD, as
// Skatteverket and CSN write them) is held by a string field with the same
// date as YYYY-MM-DD. Figures whose Name is in ignore (identifiers such as personnummer,
// organisationsnummer, reference numbers) are not looked for.
func Missing(figures []Figure, typed proto.Message, ignore ...string) []Figure {
	ints := map[string]bool{}
	strs := map[string]bool{}
	collect(typed.ProtoReflect(), ints, strs)
	var out []Figure
	for _, f := range figures {
		if slices.Contains(ignore, f.Name) {
			continue
		}
		if strs[f.Text] || held(f.Text, ints) || isZero(f.Text) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func isZero(text string) bool {
	r, ok := new(big.Rat).SetString(strings.Replace(text, ",", ".", 1))
	return ok && r.Sign() == 0
}

// held reports whether the decimal text equals an integer in ints as units
// (when it has no fraction) or as hundredths.
func held(text string, ints map[string]bool) bool {
	r, ok := new(big.Rat).SetString(strings.Replace(text, ",", ".", 1))
	if !ok {
		return false
	}
	if r.IsInt() && ints[r.Num().String()] {
		return true
	}
	hundredths := new(big.Rat).Mul(r, big.NewRat(100, 1))
	return hundredths.IsInt() && ints[hundredths.Num().String()]
}

// collect gathers every integer and string value in m, recursively.
func collect(m protoreflect.Message, ints, strs map[string]bool) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			l := v.List()
			for i := range l.Len() {
				value(fd, l.Get(i), ints, strs)
			}
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				strs[k.String()] = true
				value(fd.MapValue(), mv, ints, strs)
				return true
			})
		default:
			value(fd, v, ints, strs)
		}
		return true
	})
}

func value(fd protoreflect.FieldDescriptor, v protoreflect.Value, ints, strs map[string]bool) {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		collect(v.Message(), ints, strs)
	case protoreflect.StringKind:
		strs[v.String()] = true
		if isoDate.MatchString(v.String()) {
			strs[strings.ReplaceAll(v.String(), "-", "")] = true
		}
	case protoreflect.Int32Kind, protoreflect.Int64Kind, protoreflect.Sint32Kind, protoreflect.Sint64Kind,
		protoreflect.Sfixed32Kind, protoreflect.Sfixed64Kind:
		ints[fmt.Sprint(v.Int())] = true
	case protoreflect.Uint32Kind, protoreflect.Uint64Kind, protoreflect.Fixed32Kind, protoreflect.Fixed64Kind:
		ints[fmt.Sprint(v.Uint())] = true
	}
}
