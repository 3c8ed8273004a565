package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// A body protojson refuses gets grpc-gateway's bare "unknown field" or
// "invalid value for enum field" text, which says what is wrong but not how
// to put it right. The REST decoder reads the refused body again against the
// request's descriptor and names each bad field with the fix: the message
// that has a field of that name (a top-level "bastjanster" belongs in
// fraga), the values an enum takes. grpc-gateway keeps only the text of a
// decoding error, so the decoder leaves its findings on the request's body
// (hintBody), where restError finds them.

// hintBody is a REST request's body, with what the decoder found wrong.
type hintBody struct {
	io.ReadCloser
	violations []violation
}

// withHints gives every request a hintBody.
func withHints(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = &hintBody{ReadCloser: r.Body}
		}
		next.ServeHTTP(w, r)
	})
}

// hints returns what the decoder found wrong with r's body, if anything.
func hints(r *http.Request) []violation {
	if hb, ok := r.Body.(*hintBody); ok {
		return hb.violations
	}
	return nil
}

// NewDecoder implements runtime.Marshaler: JSONPb's reading of a message,
// then, when protojson refuses the body, an explanation left on the body.
func (m *restMarshaler) NewDecoder(r io.Reader) runtime.Decoder {
	return runtime.DecoderFunc(func(v any) error {
		p, ok := v.(proto.Message)
		if !ok {
			return m.JSONPb.NewDecoder(r).Decode(v)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(data)) == 0 {
			return io.EOF // as JSONPb's decoder: an empty body is an empty message
		}
		err = m.Unmarshal(data, p)
		if hb, ok := r.(*hintBody); ok && err != nil {
			hb.violations = explain(data, p.ProtoReflect().Descriptor())
		}
		return err
	})
}

// explain lists the unknown fields and bad enum values in body, a JSON
// object for desc, with how to put each right. It returns nil when it finds
// nothing to add to protojson's own error (e.g. the body is not JSON).
func explain(body []byte, desc protoreflect.MessageDescriptor) []violation {
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return nil
	}
	var vs []violation
	walk(v, desc, "", &vs)
	return vs
}

// maxHints bounds the violations one body can produce.
const maxHints = 20

func walk(v any, desc protoreflect.MessageDescriptor, path string, vs *[]violation) {
	obj, ok := v.(map[string]any)
	if !ok || strings.HasPrefix(string(desc.FullName()), "google.protobuf.") {
		return // well-known types have JSON forms of their own
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if len(*vs) >= maxHints {
			return
		}
		name := join(path, k)
		fd := desc.Fields().ByJSONName(k)
		if fd == nil {
			fd = desc.Fields().ByTextName(k)
		}
		if fd == nil {
			reason := "okänt fält"
			if where := findField(desc, k, "", 0); where != "" {
				reason = fmt.Sprintf("okänt fält här; %s finns i %s (%s)", k, where, join(where, k))
			}
			*vs = append(*vs, violation{field: name, reason: reason})
			continue
		}
		checkValue(obj[k], fd, name, vs)
	}
}

// checkValue checks one field's JSON value: enum names, and messages
// within.
func checkValue(v any, fd protoreflect.FieldDescriptor, name string, vs *[]violation) {
	if fd.IsMap() {
		return
	}
	if fd.IsList() {
		list, ok := v.([]any)
		if !ok {
			return
		}
		for i, e := range list {
			checkOne(e, fd, fmt.Sprintf("%s[%d]", name, i), vs)
		}
		return
	}
	checkOne(v, fd, name, vs)
}

func checkOne(v any, fd protoreflect.FieldDescriptor, name string, vs *[]violation) {
	switch fd.Kind() {
	case protoreflect.EnumKind:
		s, ok := v.(string)
		if !ok || fd.Enum().Values().ByName(protoreflect.Name(s)) != nil {
			return
		}
		*vs = append(*vs, violation{field: name, reason: fmt.Sprintf("ogiltigt värde %q; giltiga värden: %s", s, strings.Join(enumNames(fd.Enum()), ", "))})
	case protoreflect.MessageKind, protoreflect.GroupKind:
		walk(v, fd.Message(), name, vs)
	}
}

// enumNames lists an enum's values a caller may name: all but the zero
// value, which means "not given".
func enumNames(e protoreflect.EnumDescriptor) []string {
	vals := e.Values()
	names := make([]string, 0, vals.Len())
	for i := range vals.Len() {
		if v := vals.Get(i); v.Number() != 0 {
			names = append(names, string(v.Name()))
		}
	}
	return names
}

// findField returns the JSON path, below desc, of the nearest message that
// has a field called k; "" when there is none within a few levels.
func findField(desc protoreflect.MessageDescriptor, k, path string, depth int) string {
	const maxDepth = 3
	if depth >= maxDepth {
		return ""
	}
	fields := desc.Fields()
	// Breadth first: the nearest message that has it.
	for i := range fields.Len() {
		fd := fields.Get(i)
		if fd.Message() == nil || fd.IsMap() {
			continue
		}
		if m := fd.Message(); m.Fields().ByJSONName(k) != nil || m.Fields().ByTextName(k) != nil {
			return join(path, fd.JSONName())
		}
	}
	for i := range fields.Len() {
		fd := fields.Get(i)
		if fd.Message() == nil || fd.IsMap() || strings.HasPrefix(string(fd.Message().FullName()), "google.protobuf.") {
			continue
		}
		if where := findField(fd.Message(), k, join(path, fd.JSONName()), depth+1); where != "" {
			return where
		}
	}
	return ""
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
