package main

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/registry"
)

// TestLatencyFlag: -latency FK=300ms makes FK, and only FK, answer after
// 300 ms, through the real adapter; a bad value is refused at start.
func TestLatencyFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, errc := start(ctx, "-latency", "FK=300ms")
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("no banner: %v", <-errc)
	}
	base, ok := strings.CutPrefix(lines.Text(), "agency simulators on ")
	if !ok {
		t.Fatalf("banner %q", lines.Text())
	}
	go io.Copy(io.Discard, pr)

	f := tolvan()
	for _, a := range registry.Agencies() {
		ad := a.New(adapters.Config{URL: a.URL(base)})
		start := time.Now()
		res, err := ad.Hamta(ctx, f, nil)
		took := time.Since(start)
		if err != nil || res.GetFel() != nil {
			t.Fatalf("%s: %v %v", a.Name, err, res.GetFel())
		}
		slow := a.Name == "fk"
		if slow && took < 300*time.Millisecond {
			t.Errorf("fk answered in %v, want at least 300ms", took)
		}
		if !slow && took >= 300*time.Millisecond {
			t.Errorf("%s answered in %v: the latency leaked to another agency", a.Name, took)
		}
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}

	for _, bad := range []string{"FK", "XX=1s", "FK=soon", "FK=-1s"} {
		if err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-latency", bad}, func(string) string { return "" }, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "latency") {
			t.Errorf("-latency %q: %v, want an error naming the latency", bad, err)
		}
	}
}
