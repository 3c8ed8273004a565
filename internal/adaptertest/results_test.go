package adaptertest

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/ssbtek/gateway/adapters"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// failures records what a checker reports instead of failing the test.
type failures struct {
	testing.TB // nil: a checker calling anything else panics
	msgs       []string
	fatal      bool
}

func (f *failures) Helper() {}

func (f *failures) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

func (f *failures) Error(args ...any) { f.msgs = append(f.msgs, fmt.Sprint(args...)) }

func (f *failures) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.fatal = true
	runtime.Goexit()
}

// check runs a checker against a recorder, as a test would run it.
func check(run func(tb testing.TB)) *failures {
	f := &failures{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(f)
	}()
	<-done
	return f
}

func TestCheckResult(t *testing.T) {
	skv := adapters.Agency{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_SKV, Name: "skv"}
	const (
		ok     = ssbtekv1.StatusKod_STATUS_KOD_OK
		saknas = ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS
	)
	fel := &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "1", Felmeddelande: "fel"}
	content := func(ar int32) *ssbtekv1.Beskattning { return &ssbtekv1.Beskattning{Taxeringsar: ar} }
	result := func(b ssbtekv1.Bastjanst, kod ssbtekv1.StatusKod, f *ssbtekv1.Fel, c *ssbtekv1.Beskattning, mt string, rd []byte) *ssbtekv1.BastjanstResultat {
		res := &ssbtekv1.BastjanstResultat{
			Bastjanst: b, Status: &ssbtekv1.Status{Kod: kod}, Fel: f,
			Radata: &ssbtekv1.Radata{MediaType: mt, Innehall: rd},
		}
		if c != nil {
			res.Innehall = &ssbtekv1.BastjanstResultat_Skv{Skv: c}
		}
		return res
	}
	xml := []byte("<svar/>")
	data := result(ssbtekv1.Bastjanst_BASTJANST_SKV, ok, nil, content(2025), "application/xml", xml)
	none := result(ssbtekv1.Bastjanst_BASTJANST_SKV, saknas, nil, nil, "application/xml", xml)
	wantData := Want{Status: ok, Content: content(2025), MediaType: "application/xml"}
	afData := result(ssbtekv1.Bastjanst_BASTJANST_SKV, ok, nil, nil, "application/xml", xml)
	afData.Innehall = &ssbtekv1.BastjanstResultat_Af{Af: &ssbtekv1.Arbetsmarknadsatgarder{Omfattning: 2025}}

	tests := []struct {
		name  string
		res   *ssbtekv1.BastjanstResultat
		want  Want
		fails bool
	}{
		{"data as expected", data, wantData, false},
		{"none as expected, typed nil", none, Want{Status: saknas, Content: (*ssbtekv1.Beskattning)(nil), MediaType: "application/xml"}, false},
		{"none as expected, nil", none, Want{Status: saknas}, false},
		{"fel as expected", result(ssbtekv1.Bastjanst_BASTJANST_SKV, ok, fel, nil, "", nil), Want{Status: ok, Fel: fel}, false},
		{"another agency's result", result(ssbtekv1.Bastjanst_BASTJANST_MIV, ok, nil, content(2025), "application/xml", xml), wantData, true},
		{"another status", data, Want{Status: saknas, Content: content(2025), MediaType: "application/xml"}, true},
		{"an unexpected fel", result(ssbtekv1.Bastjanst_BASTJANST_SKV, ok, fel, content(2025), "application/xml", xml), wantData, true},
		{"a missing fel", data, Want{Status: ok, Fel: fel, Content: content(2025)}, true},
		{"another fel", result(ssbtekv1.Bastjanst_BASTJANST_SKV, ok, &ssbtekv1.Fel{Felkod: "2"}, nil, "", nil), Want{Status: ok, Fel: fel}, true},
		{"other content", data, Want{Status: ok, Content: content(2024)}, true},
		{"content, none wanted", data, Want{Status: ok}, true},
		{"content, typed nil wanted", data, Want{Status: ok, Content: (*ssbtekv1.Beskattning)(nil)}, true},
		{"empty content, none wanted", result(ssbtekv1.Bastjanst_BASTJANST_SKV, ok, nil, &ssbtekv1.Beskattning{}, "", nil), Want{Status: ok}, true},
		{"no content, some wanted", none, Want{Status: saknas, Content: content(2025)}, true},
		{"content of another type", afData, wantData, true},
		{"another media type", data, Want{Status: ok, Content: content(2025), MediaType: "application/json"}, true},
		{"empty radata", result(ssbtekv1.Bastjanst_BASTJANST_SKV, ok, nil, content(2025), "application/xml", nil), wantData, true},
		{"no radata, none checked", result(ssbtekv1.Bastjanst_BASTJANST_SKV, ok, nil, content(2025), "", nil), Want{Status: ok, Content: content(2025)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := check(func(tb testing.TB) { CheckResult(tb, skv, tt.res, tt.want) })
			if f.fatal {
				t.Errorf("CheckResult stopped the test: %q", f.msgs)
			}
			if got := len(f.msgs) > 0; got != tt.fails {
				t.Errorf("CheckResult reported %q, want failure %v", f.msgs, tt.fails)
			}
		})
	}
}

func TestRadataRoot(t *testing.T) {
	res := func(rd string) *ssbtekv1.BastjanstResultat {
		return &ssbtekv1.BastjanstResultat{Radata: &ssbtekv1.Radata{Innehall: []byte(rd)}}
	}
	f := check(func(tb testing.TB) {
		if root := RadataRoot(tb, res(`<?xml version="1.0"?><a:Svar xmlns:a="urn:x"><b/></a:Svar>`)); root.Tag != "Svar" || root.NamespaceURI() != "urn:x" {
			tb.Errorf("root = {%s}%s", root.NamespaceURI(), root.Tag)
		}
	})
	if len(f.msgs) != 0 {
		t.Errorf("RadataRoot on XML: %q", f.msgs)
	}
	for _, rd := range []string{"", "{}", "<unclosed>", "<?xml version=\"1.0\"?>"} {
		if f := check(func(tb testing.TB) { RadataRoot(tb, res(rd)) }); !f.fatal {
			t.Errorf("RadataRoot(%q) did not stop the test: %q", rd, f.msgs)
		}
	}
}
