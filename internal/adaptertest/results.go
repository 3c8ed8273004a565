package adaptertest

import (
	"testing"

	"github.com/beevik/etree"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Want is what a test expects of one agency result.
type Want struct {
	// Status is the result's status kod.
	Status ssbtekv1.StatusKod
	// Fel is the expected error; nil means none.
	Fel *ssbtekv1.Fel
	// Content is the expected typed content, of the agency's own message
	// type; nil, or a typed nil pointer, means none.
	Content proto.Message
	// MediaType, when set, is Radata's media type, and Radata must then hold
	// something; "" leaves Radata unchecked.
	MediaType string
}

// CheckResult checks what every agency's test-person table checks of a
// result: that it is agency a's, its status, its fel, its typed content (the
// BastjanstResultat oneof innehall, whichever field the agency fills) and
// Radata's media type. Mismatches are reported, not fatal.
func CheckResult(t testing.TB, a adapters.Agency, res *ssbtekv1.BastjanstResultat, want Want) {
	t.Helper()
	if got := res.GetBastjanst(); got != a.Bastjanst {
		t.Errorf("bastjanst = %v, want %v", got, a.Bastjanst)
	}
	if got := res.GetStatus().GetKod(); got != want.Status {
		t.Errorf("status = %v, want %v", got, want.Status)
	}
	if got := res.GetFel(); !proto.Equal(got, want.Fel) {
		t.Errorf("fel = %v, want %v", got, want.Fel)
	}
	checkContent(t, res, want.Content)
	if want.MediaType != "" {
		rd := res.GetRadata()
		if rd.GetMediaType() != want.MediaType {
			t.Errorf("radata media type = %q, want %q", rd.GetMediaType(), want.MediaType)
		}
		if len(rd.GetInnehall()) == 0 {
			t.Error("radata is empty")
		}
	}
}

// checkContent compares the typed content of res, whichever field of the
// oneof innehall holds it, with want (nil or a typed nil: none).
func checkContent(t testing.TB, res *ssbtekv1.BastjanstResultat, want proto.Message) {
	t.Helper()
	got := Content(res)
	wantNone := want == nil || !want.ProtoReflect().IsValid()
	switch {
	case got == nil && wantNone:
	case got == nil:
		t.Errorf("typed content: none, want %s:\n%s", want.ProtoReflect().Descriptor().FullName(), prototext.Format(want))
	case wantNone:
		t.Errorf("typed content: got %s, want none:\n%s", got.ProtoReflect().Descriptor().FullName(), prototext.Format(got))
	case got.ProtoReflect().Descriptor().FullName() != want.ProtoReflect().Descriptor().FullName():
		t.Errorf("typed content is %s, want %s", got.ProtoReflect().Descriptor().FullName(), want.ProtoReflect().Descriptor().FullName())
	case !proto.Equal(got, want):
		t.Errorf("typed content:\n got %v\nwant %v", prototext.Format(got), prototext.Format(want))
	}
}

// RadataRoot parses res's Radata as XML and returns the agency's answer
// element: the SOAP Body's element, or the root of a document that is no
// envelope. Radata that is not an XML document fails the test.
func RadataRoot(t testing.TB, res *ssbtekv1.BastjanstResultat) *etree.Element {
	t.Helper()
	rd := res.GetRadata()
	env, err := soap.ParseAs(rd.GetInnehall(), rd.GetMediaType()+"; charset="+rd.GetCharset())
	if err == nil {
		if env.Body == nil {
			t.Fatalf("radata has an empty SOAP body: %q", rd.GetInnehall())
		}
		return env.Body
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(rd.GetInnehall()); err != nil {
		t.Fatalf("radata is not XML: %v", err)
	}
	if doc.Root() == nil {
		t.Fatalf("radata has no root element: %q", rd.GetInnehall())
	}
	return doc.Root()
}

// RadataAnswer returns the agency's answer element in res's Radata (see
// RadataRoot) as a standalone document, e.g. to validate it against the
// agency's schema.
func RadataAnswer(t testing.TB, res *ssbtekv1.BastjanstResultat) []byte {
	t.Helper()
	return soap.Bytes(RadataRoot(t, res))
}
