package af

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/simkit"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// trickyAnswer is AF's Tolvan answer written the way other XML stacks write:
// single quotes, its prefix declared on the Envelope, a character reference,
// CDATA and an element written with a start and an end tag. Re-serializing
// would change each of them.
func trickyAnswer(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/svar_tolvan.xml")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for _, e := range [][2]string{
		{`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">`, `<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/' xmlns:ers='` + Namespace + `'>`},
		{`<ers:SvarMeddelande xmlns:ers="` + Namespace + `">`, `<ers:SvarMeddelande>`},
		{`<ers:Fornamn>Tolvan</ers:Fornamn>`, `<ers:Fornamn>&#84;olvan</ers:Fornamn>`},
		{`<ers:Efternamn>Tolvansson</ers:Efternamn>`, `<ers:Efternamn><![CDATA[Tolvansson]]></ers:Efternamn>`},
		{`<ers:Schemaversion>4.0</ers:Schemaversion>`, `<ers:Schemaversion></ers:Schemaversion>`},
	} {
		if !strings.Contains(doc, e[0]) {
			t.Fatalf("edit does not apply: %s", e[0])
		}
		doc = strings.Replace(doc, e[0], e[1], 1)
	}
	return []byte(doc)
}

// TestRadataIsTheAnswerAsReceived: whatever AF's XML looks like, radata is
// the HTTP body byte for byte with its media type and charset, the typed
// content is still read from it, and the part the SSBTEK shim embeds is the
// SvarMeddelande's content exactly as sent.
func TestRadataIsTheAnswerAsReceived(t *testing.T) {
	answer := trickyAnswer(t)
	srv := adaptertest.Serve(t, Agency(), http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.Write(answer)
	}))
	f := adaptertest.Fraga(simkit.Tolvan)
	res, err := srv.Adapter(Agency()).Hamta(t.Context(), f, f.GetPeriod())
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	rd := res.GetRadata()
	if !bytes.Equal(rd.GetInnehall(), answer) {
		t.Errorf("radata is not the body as received:\n%s", rd.GetInnehall())
	}
	if rd.GetMediaType() != "text/xml" || rd.GetCharset() != "UTF-8" {
		t.Errorf("media type %q charset %q, want text/xml and UTF-8", rd.GetMediaType(), rd.GetCharset())
	}
	if res.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK || !res.GetAf().GetArbetssokande() {
		t.Errorf("typed content not read from the tricky answer: %v", res)
	}
	part, err := radata.Part(rd)
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(answer, []byte("<ers:SvarMeddelande>")) + len("<ers:SvarMeddelande>")
	end := bytes.Index(answer, []byte("</ers:SvarMeddelande>"))
	if !bytes.Equal(part, answer[start:end]) {
		t.Errorf("embedded part is not SvarMeddelande's content as sent:\n%s", part)
	}
	ns := rd.GetInbaddning().GetNamnrymder()
	if len(ns) != 2 || ns[1].GetPrefix() != "ers" || ns[1].GetUri() != Namespace {
		t.Errorf("namespaces in scope = %v, want soap and ers from the Envelope", ns)
	}
}
