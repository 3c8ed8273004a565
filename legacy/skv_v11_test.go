package legacy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/testenv"
)

// v11Skv is hamta_v11.xml about pnr with SKV's fraga block replaced by
// block; only SKV is included when skvOnly.
func v11Skv(t testing.TB, pnr, block string, skvOnly bool) []byte {
	req := string(readTestdata(t, "hamta_v11.xml"))
	req = regexp.MustCompile(`(?s)<ssbt:SKV inkludera="true">.*</ssbt:SKV>`).ReplaceAllString(req, `<ssbt:SKV inkludera="true">`+block+`</ssbt:SKV>`)
	req = strings.Replace(req, "<ssbt:personidentitet>191212121212<", "<ssbt:personidentitet>"+pnr+"<", 1)
	if skvOnly {
		req = regexp.MustCompile(`<ssbt:(AF|CSN|SO|TNS|MIV) inkludera="true"/>`).ReplaceAllString(req, `<ssbt:$1 inkludera="false"/>`)
		req = regexp.MustCompile(`(?s)<ssbt:FK inkludera="true">.*</ssbt:FK>`).ReplaceAllString(req, `<ssbt:FK inkludera="false"/>`)
	}
	return []byte(req)
}

// allaDelar is the v11 fraga block asking every part for the income years 2024 and 2025.
const allaDelar = `<ssbt:fraga><ssbt:ar>2024</ssbt:ar><ssbt:ar>2025</ssbt:ar>` +
	`<ssbt:foretagsinformation>true</ssbt:foretagsinformation><ssbt:individuppgifter>true</ssbt:individuppgifter>` +
	`<ssbt:skattekonto>true</ssbt:skattekonto><ssbt:skatteuppgifter>true</ssbt:skatteuppgifter>` +
	`<ssbt:beskattningsbilagor>true</ssbt:beskattningsbilagor></ssbt:fraga>`

// skvParts returns the SKV element's children by name, in order.
func skvParts(t *testing.T, raw []byte) (*etree.Element, []string) {
	t.Helper()
	el := svarsdata(t, answerDoc(t, raw))["SKV"]
	if el == nil {
		t.Fatalf("no SKV in svarsdata:\n%s", raw)
	}
	var names []string
	for _, c := range el.ChildElements() {
		names = append(names, c.Tag)
	}
	return el, names
}

// The v11 answer holds one element per part asked, in the contract's
// order, each data (the part's bytes base64-encoded, exactly as received)
// or error; it is valid against our v11 XSD. Versions before 11 keep
// Beskattningsuppgifter's one answer.
func TestAnswerV11SkvDelar(t *testing.T) {
	fs := newFakes(t)
	url := serve(t, fs.service(t), Config{})

	t.Run("two parts asked", func(t *testing.T) {
		raw := postOK(t, url, readTestdata(t, "hamta_v11.xml"))
		validateAnswer(t, "11", raw)
		el, names := skvParts(t, raw)
		if got := strings.Join(names, ","); got != "individuppgifter,skatteuppgifter" {
			t.Fatalf("SKV holds %s", got)
		}
		for _, c := range el.ChildElements() {
			data := c.SelectElement("data")
			if data == nil || len(c.ChildElements()) != 1 {
				t.Fatalf("%s: want data alone", c.Tag)
			}
			got, err := base64.StdEncoding.DecodeString(data.Text())
			if err != nil || !bytes.Equal(got, cannedDel(c.Tag)) {
				t.Errorf("%s: data %q (%v), want the part's bytes %q", c.Tag, got, err, cannedDel(c.Tag))
			}
		}
	})
	t.Run("all five, one not found", func(t *testing.T) {
		raw := postOK(t, url, v11Skv(t, simkit.Tolvan, allaDelar, false))
		validateAnswer(t, "11", raw)
		el, names := skvParts(t, raw)
		if got := strings.Join(names, ","); got != strings.Join(skvDelar, ",") {
			t.Fatalf("SKV holds %s", got)
		}
		if e := el.FindElement("beskattningsbilagor/error"); e == nil || e.SelectElement("kalla").Text() != "BT" || e.SelectElement("felkod").Text() != "404" || e.SelectElement("felmeddelande").Text() != "Not found" {
			t.Errorf("beskattningsbilagor is not the 404 error")
		}
	})
	t.Run("no fraga block: every part", func(t *testing.T) {
		raw := postOK(t, url, v11Skv(t, simkit.Tolvan, "", false))
		validateAnswer(t, "11", raw)
		if _, names := skvParts(t, raw); len(names) != 5 {
			t.Errorf("SKV holds %v, want all five parts", names)
		}
		if f, _ := fs[ssbtekv1.Bastjanst_BASTJANST_SKV].last(); f.GetSkv() != nil {
			t.Errorf("SKV parameters %v, want none", f.GetSkv())
		}
	})
	t.Run("v10 keeps Beskattningsuppgifter", func(t *testing.T) {
		raw := postOK(t, url, readTestdata(t, "hamta_v10.xml"))
		validateAnswer(t, "10", raw)
		if el, _ := skvParts(t, raw); el.FindElement("data/svar") == nil {
			t.Error("v10's SKV has no data/svar")
		}
		if f, _ := fs[ssbtekv1.Bastjanst_BASTJANST_SKV].last(); !f.GetSkv().GetBeskattningsuppgifter() {
			t.Errorf("v10 asked SKV with %v, want Beskattningsuppgifter", f.GetSkv())
		}
	})
	t.Run("SKV unreachable: the whole error", func(t *testing.T) {
		fs := newFakes(t)
		fs[ssbtekv1.Bastjanst_BASTJANST_SKV].err = bastjanst.Unavailable(errors.New("connection refused"))
		raw := postOK(t, serve(t, fs.service(t), Config{}), v11Skv(t, simkit.Tolvan, allaDelar, false))
		validateAnswer(t, "11", raw)
		if el, names := skvParts(t, raw); len(names) != 1 || el.FindElement("error/felkod").Text() != bastjanst.FelkodOtillganglig {
			t.Errorf("SKV holds %v, want the whole error 2002", names)
		}
	})
}

// End to end over the real adapter and simulator: a v11 question asking
// every part is answered in parts for every test person, valid against our
// v11 XSD, each part data (Skatteverket's JSON about the person asked) or
// its error, as the simulator's table says.
func TestEndToEndV11SkvDelar(t *testing.T) {
	env := testenv.New(t, fanout.Config{})
	url := serve(t, env.Lookup, Config{})
	const d, nf, fel = "data", "404", "fel"
	for _, tt := range []struct {
		pnr   string
		want  [5]string
		whole bool // the whole error after the parts
	}{
		{simkit.Tolvan, [5]string{d, d, d, d, d}, false},
		{simkit.Skyddad, [5]string{nf, d, d, d, fel}, false},
		{simkit.Felperson, [5]string{fel, fel, fel, fel, fel}, true},
		{simkit.Jobbsokare, [5]string{nf, nf, nf, nf, nf}, false},
		{simkit.Nyanland, [5]string{nf, nf, nf, nf, nf}, false},
		{simkit.Student, [5]string{nf, nf, nf, nf, nf}, false},
		{simkit.Pensionar, [5]string{nf, nf, nf, nf, nf}, false},
		{simkit.Samordningsnummer, [5]string{nf, nf, nf, nf, nf}, false},
	} {
		t.Run(tt.pnr, func(t *testing.T) {
			raw := postOK(t, url, v11Skv(t, tt.pnr, allaDelar, true))
			validateAnswer(t, "11", raw)
			el, names := skvParts(t, raw)
			want := append([]string(nil), skvDelar...)
			if tt.whole {
				want = append(want, "error")
			}
			if strings.Join(names, ",") != strings.Join(want, ",") {
				t.Fatalf("SKV holds %v, want %v", names, want)
			}
			for i, del := range skvDelar {
				c := el.SelectElement(del)
				switch data, e := c.SelectElement("data"), c.SelectElement("error"); tt.want[i] {
				case d:
					var v map[string]any
					b, err := base64.StdEncoding.DecodeString(data.Text())
					if err == nil {
						err = json.Unmarshal(b, &v)
					}
					if err != nil {
						t.Errorf("%s: data is no base64 JSON: %v", del, err)
					}
					for _, k := range []string{"identitet", "kontohavare"} {
						if id, ok := v[k]; ok && id != tt.pnr {
							t.Errorf("%s: about %v, asked about another person", del, id)
						}
					}
				case nf:
					if e == nil || e.SelectElement("felkod").Text() != "404" || e.SelectElement("kalla").Text() != "BT" {
						t.Errorf("%s: want error 404, got %v", del, c.ChildElements())
					}
				case fel:
					if e == nil || e.SelectElement("kalla").Text() != "BT" || e.SelectElement("felkod").Text() == "404" {
						t.Errorf("%s: want Skatteverket's technical error", del)
					}
				}
			}
		})
	}
}
