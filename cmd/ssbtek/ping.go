package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// runPing is `ssbtek ping`: TestaBastjanster, one line per agency. It exits
// 1 when an agency could not be reached, so a monitor can tell that from a
// gateway that is down (3).
func runPing(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c conn
	fs := newFlags("ping", "[flags]")
	c.register(fs, getenv)
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	ctx, client, done, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	res, err := client.TestaBastjanster(ctx, &ssbtekv1.TestaBastjansterRequest{})
	if err != nil {
		return callError(c.addr, err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "bastjänst\tsvar\ttid\tfel")
	var down []string
	for _, s := range res.GetTestsvar() {
		svar, fel := "ok", "-"
		if f := s.GetFel(); f != nil {
			svar = "FEL"
			fel = fmt.Sprintf("%s %s: %s", strings.TrimPrefix(f.GetKalla().String(), "KALLA_"), f.GetFelkod(), f.GetFelmeddelande())
			down = append(down, bastjanst.Kod(s.GetBastjanst()))
		} else if !s.GetAnropad() {
			svar = "ej anropad"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", bastjanst.Kod(s.GetBastjanst()), svar, s.GetLatens().AsDuration().Round(time.Millisecond), fel)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(down) > 0 {
		return failed(fmt.Errorf("not reachable: %s", strings.Join(down, ", ")))
	}
	return nil
}
