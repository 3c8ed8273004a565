package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestShortRun is `make bench-load` in its smoke mode: the real binaries,
// every interface, the slowest agency alone, the sequential baseline and a
// CPU profile, for a few seconds at 20/s. It fails when any answer fails
// its check, and checks the table that goes into docs/PERFORMANCE.md.
func TestShortRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	out := filepath.Join(t.TempDir(), "PERFORMANCE.md")
	os.WriteFile(out, []byte("# Performance\n\nprose stays\n\n"+beginMarker+"\nold table\n"+endMarker+"\n\nmore prose\n"), 0o644)
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"-short", "-out", out}, func(string) string { return "" }, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	table := stdout.String()
	for _, want := range []string{"| FK alone | 20/s |", "| sequential | 1 in flight |", "| REST | 20/s |", "| SOAP | 4 in flight |", "| gRPC | 20/s |", "Parallel vs sequential", "CPU profile of the gateway during REST 20/s", "flat%"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	for _, l := range strings.Split(table, "\n") {
		f := strings.Split(l, "|")
		if len(f) < 6 || strings.TrimSpace(f[1]) == "interface" || strings.HasPrefix(f[1], "---") {
			continue
		}
		if reqs, errs := strings.TrimSpace(f[3]), strings.TrimSpace(f[4]); reqs == "0" || errs != "0" {
			t.Errorf("row %q: %s requests, %s errors", l, reqs, errs)
		}
	}
	t.Logf("\n%s", table)
	doc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(doc); !strings.Contains(s, "prose stays") || !strings.Contains(s, "more prose") || strings.Contains(s, "old table") || !strings.Contains(s, "| REST | 20/s |") {
		t.Errorf("the table did not replace the generated part only:\n%s", s)
	}
}
