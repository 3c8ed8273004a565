package rights_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/rights"
)

const good = `
standard_dagskvot: 500
organisationer:
  - organisationsnummer: "162120002411"
    namn: Exempelkommun
    bastjanster: [AF, TNS]
    ombud: ["165565869996"]
    dagskvot: 20
  - organisationsnummer: "162120001420"
    namn: Utan
    bastjanster: [AF]
`

func TestParse(t *testing.T) {
	r, err := rights.Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	o, ok := r.Organisation("162120002411")
	if !ok || !o.MayAsk(ssbtekv1.Bastjanst_BASTJANST_TNS) || o.MayAsk(ssbtekv1.Bastjanst_BASTJANST_FK) || !o.HasOmbud("165565869996") || o.HasOmbud("162120001420") || o.DailyQuota != 20 {
		t.Errorf("Exempelkommun: %+v", o)
	}
	if u, _ := r.Organisation("162120001420"); u.DailyQuota != 500 || u.MayAsk(ssbtekv1.Bastjanst_BASTJANST_TNS) {
		t.Errorf("the default quota or TNS: %+v", u)
	}
	if _, ok := r.Organisation("165565869996"); ok {
		t.Error("an ombud is not itself a connected ingivare")
	}
	d, _ := rights.Parse([]byte(`organisationer: [{organisationsnummer: "162120002411", bastjanster: [AF]}]`))
	if o, _ := d.Organisation("162120002411"); o.DailyQuota != rights.DefaultDailyQuota {
		t.Errorf("no quota given: %d, want %d", o.DailyQuota, rights.DefaultDailyQuota)
	}
}

// TestParseRefusesWhatItCannotRead: every problem of a bad file is named,
// and a misspelt key is one.
func TestParseRefusesWhatItCannotRead(t *testing.T) {
	bad := `
standard_dagskvot: -1
organisationer:
  - organisationsnummer: "2120002411"
    bastjanster: [AF]
  - organisationsnummer: "162120001420"
    bastjanster: [AF, XYZ]
    ombud: ["ombudet"]
    dagskvot: -5
  - organisationsnummer: "162120001420"
`
	_, err := rights.Parse([]byte(bad))
	for _, want := range []string{"standard_dagskvot -1", `"2120002411" is not 12 digits`, `unknown bastjänst "XYZ"`, `ombud "ombudet"`, "dagskvot -5", "listed twice"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q reported, got %v", want, err)
		}
	}
	if _, err := rights.Parse([]byte("organisationer:\n  - organisationsnummer: \"162120002411\"\n    bastjänster: [AF]\n")); err == nil || !strings.Contains(err.Error(), "bastjänster") {
		t.Errorf("a misspelt key was accepted: %v", err)
	}
}

// TestWatchReloads: SIGHUP (here its channel) reloads the file; a broken
// file keeps the rights in force.
func TestWatchReloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rights.yaml")
	if err := os.WriteFile(path, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := rights.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hup := make(chan os.Signal)
	done := make(chan struct{})
	go func() { s.Watch(ctx, 0, hup, slog.New(slog.DiscardHandler)); close(done) }()

	os.WriteFile(path, []byte(`organisationer: [{organisationsnummer: "162120009999", bastjanster: [AF]}]`), 0o644)
	hup <- os.Interrupt
	waitFor(t, func() bool { _, ok := s.Current().Organisation("162120009999"); return ok })
	if _, ok := s.Current().Organisation("162120002411"); ok {
		t.Error("an organisation removed from the file is still connected")
	}
	os.WriteFile(path, []byte("organisationer: [{"), 0o644)
	hup <- os.Interrupt
	hup <- os.Interrupt // the first reload is done once the second is taken
	if _, ok := s.Current().Organisation("162120009999"); !ok {
		t.Error("a broken file replaced the rights in force")
	}
	cancel()
	<-done
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("condition not reached")
}
