package legacy

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/soap"
)

// TestWSDLAddressIsNotTheHostHeader: a caller choosing Host cannot choose
// where the served WSDL points; a configured public URL is used as given.
func TestWSDLAddressIsNotTheHostHeader(t *testing.T) {
	svc := newFakes(t).service(t)
	for _, c := range []struct {
		name, publicURL string
		want            func(base string) string
	}{
		{"listener", "", func(base string) string { return base + Path }},
		{"public URL", "https://ssbtek.example.se/ssbtek", func(string) string { return "https://ssbtek.example.se/ssbtek" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := serve(t, svc, Config{PublicURL: c.publicURL})
			req, _ := http.NewRequest(http.MethodGet, base+Path+"?wsdl", nil)
			req.Host = "evil.example"
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if bytes.Contains(raw, []byte("evil.example")) || !bytes.Contains(raw, []byte(`location="`+c.want(base)+`"`)) {
				t.Errorf("soap:address not %s:\n%s", c.want(base), raw)
			}
			if !bytes.Contains(raw, []byte(versionByName("10").ns)) {
				t.Errorf("?wsdl is not the v10 WSDL")
			}
		})
	}
}

// TestLongNamesAreCapped: a huge element name is quoted back in the fault
// and the log only up to maxQuoted characters.
func TestLongNamesAreCapped(t *testing.T) {
	var logs bytes.Buffer
	url := serve(t, newFakes(t).service(t), Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	long := strings.Repeat("x", 512<<10)
	valid := string(readTestdata(t, "hamta_v10.xml"))
	body := strings.Replace(valid, `<ssbt:MIV inkludera="true"/>`, `<ssbt:MIV inkludera="true"/><ssbt:`+long+`/>`, 1)
	status, raw := post(t, url, []byte(body))
	_, msg, _, _ := faultOf(t, raw)
	if status != http.StatusInternalServerError || !strings.Contains(msg, "okänt element "+strings.Repeat("x", soap.MaxQuoted)+"…") {
		t.Errorf("status %d, felmeddelande %.200q", status, msg)
	}
	if len(raw) > 4096 || logs.Len() > 4096 {
		t.Errorf("fault of %d bytes, log of %d bytes: the name was not capped", len(raw), logs.Len())
	}
}

// TestBodyGrowsWithWhatArrives: a body declaring a megabyte but sending a
// few bytes holds a buffer of about what arrived, not of the declaration.
func TestBodyGrowsWithWhatArrives(t *testing.T) {
	h := &handler{cfg: Config{MaxBody: DefaultMaxBody}}
	r := httptest.NewRequest(http.MethodPost, Path, strings.NewReader("<a/>"))
	r.ContentLength = DefaultMaxBody
	body, err := h.readBody(httptest.NewRecorder(), r)
	if err != nil {
		t.Fatal(err)
	}
	if cap(body) > 64<<10 {
		t.Errorf("buffer of %d bytes for a 4-byte body that declared %d", cap(body), DefaultMaxBody)
	}
}

// manyAttributes is the valid v10 question with n attributes more on one
// element: 70 000 of them make a body of about 760 KB.
func manyAttributes(t testing.TB, n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ` x%06d=""`, i)
	}
	valid := string(readTestdata(t, "hamta_v10.xml"))
	return []byte(strings.Replace(valid, `<ssbt:MIV inkludera="true"/>`, `<ssbt:MIV inkludera="true"`+b.String()+`/>`, 1))
}

// leastCPU is the least CPU time (cpuTime: the work done, which a loaded
// machine stretches in wall-clock time but not here) f took in three runs.
func leastCPU(t testing.TB, f func()) time.Duration {
	least := time.Duration(math.MaxInt64)
	for range 3 {
		start := cpuTime(t)
		f()
		least = min(least, cpuTime(t)-start)
	}
	return least
}

// TestManyAttributesCostLinearTime: a body of 70 000 attributes on one
// element (760 KB) is refused, naming the bound, in under 100 ms of CPU
// (cpuScale× that under the race detector),
// and five times the attributes cost about five times as much. etree's
// CreateAttr (a search for the same name before each attribute) and our
// namespace check (a walk over the element's attributes for each) made it
// quadratic: 19.5 s.
func TestManyAttributesCostLinearTime(t *testing.T) {
	refuse := func(n int) func() {
		body := manyAttributes(t, n)
		return func() {
			_, err := decodeRequest(body, "text/xml", Config{}.limits())
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("fler än %d attribut", DefaultMaxAttrs)) {
				t.Fatalf("%d attributes: %v, want refused for more than %d", n, err, DefaultMaxAttrs)
			}
		}
	}
	if n := len(manyAttributes(t, 70000)); n < 750<<10 || n > DefaultMaxBody {
		t.Fatalf("the body has %d bytes, want about 760 KB", n)
	}
	small, large := leastCPU(t, refuse(14000)), leastCPU(t, refuse(70000))
	t.Logf("refused 14 000 attributes in %v of CPU, 70 000 in %v", small, large)
	if large > cpuScale*100*time.Millisecond {
		t.Errorf("70 000 attributes took %v of CPU, want under %v", large, cpuScale*100*time.Millisecond)
	}
	// Linear: about 5×; quadratic would be 25×. The small one is a few
	// milliseconds, so the ratio has room for the clock's granularity.
	if large > 12*max(small, time.Millisecond) {
		t.Errorf("5× the attributes cost %.1f× the CPU time: not linear", float64(large)/float64(small))
	}
}

// TestRequestBounds: namespace declarations and tokens beyond the bounds
// are refused by name, and a question within them is answered.
func TestRequestBounds(t *testing.T) {
	url := serve(t, newFakes(t).service(t), Config{MaxAttrs: 8, MaxTokens: 500})
	valid := string(readTestdata(t, "hamta_v10.xml"))
	var decls, elems strings.Builder
	for i := range 9 {
		fmt.Fprintf(&decls, ` xmlns:n%d="urn:n%d"`, i, i)
	}
	for range 300 {
		elems.WriteString("<x/>")
	}
	for _, c := range []struct{ name, body, want string }{
		{"namespace declarations", strings.Replace(valid, `<ssbt:MIV inkludera="true"/>`, `<ssbt:MIV inkludera="true"`+decls.String()+`/>`, 1), "fler än 8 attribut"},
		{"tokens", strings.Replace(valid, `<ssbt:MIV inkludera="true"/>`, `<ssbt:MIV inkludera="true">`+elems.String()+`</ssbt:MIV>`, 1), "fler än 500 XML-delar"},
	} {
		status, raw := post(t, url, []byte(c.body))
		if felkod, msg, _, _ := faultOf(t, raw); status != http.StatusInternalServerError || felkod != FelkodOgiltigFraga || !strings.Contains(msg, c.want) {
			t.Errorf("%s: status %d felkod %s %q, want 1001 naming %q", c.name, status, felkod, msg, c.want)
		}
	}
	postOK(t, url, []byte(valid))
}
