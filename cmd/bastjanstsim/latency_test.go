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
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"google.golang.org/protobuf/proto"
)

// startBase runs the command with args and returns the simulators' base
// URL from its banner and, once it ends, its error.
func startBase(t *testing.T, ctx context.Context, args ...string) (string, chan error) {
	t.Helper()
	pr, errc := start(ctx, args...)
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("no banner: %v", <-errc)
	}
	base, ok := strings.CutPrefix(lines.Text(), "agency simulators on ")
	if !ok {
		t.Fatalf("banner %q", lines.Text())
	}
	go io.Copy(io.Discard, pr)
	return base, errc
}

// TestLatencyFlag: -latency FK=300ms makes FK, and only FK, answer after
// 300 ms, through the real adapter; a bad value is refused at start.
func TestLatencyFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, errc := startBase(t, ctx, "-latency", "FK=300ms")

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

// TestMemoFlag: with -memo every agency answers a repeated question through
// its real adapter as it answered the first time; a negative count is
// refused at start.
func TestMemoFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, errc := startBase(t, ctx, "-memo", "16")
	f := tolvan()
	for _, a := range registry.Agencies() {
		ad := a.New(adapters.Config{URL: a.URL(base)})
		var first *ssbtekv1.BastjanstResultat
		for i := range 2 {
			res, err := ad.Hamta(ctx, f, nil)
			if err != nil || res.GetFel() != nil {
				t.Fatalf("%s, question %d: %v %v", a.Name, i+1, err, res.GetFel())
			}
			res.Latens = nil
			if first == nil {
				first = res
			} else if !proto.Equal(first, res) {
				t.Errorf("%s: the memorised answer differs from the first", a.Name)
			}
		}
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-memo", "-1"}, func(string) string { return "" }, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "memo") {
		t.Errorf("-memo -1: %v, want an error naming -memo", err)
	}
}
