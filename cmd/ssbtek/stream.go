package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// runStream is `ssbtek stream`: the question of query, each agency's result
// printed the moment the gateway sends it (with the time since asking), then
// the monthly income summary. With --json every message is one line of
// JSON, as the REST stream sends them.
func runStream(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return ask(ctx, "stream", args, getenv, stdout, stderr, func(ctx context.Context, q *question, client ssbtekv1.SammansattBastjanstServiceClient, req *ssbtekv1.HamtaSammanstallningRequest) error {
		start := time.Now()
		stream, err := client.StreamaSammanstallning(ctx, req)
		if err != nil {
			return callError(q.addr, err)
		}
		var got []*ssbtekv1.BastjanstResultat
		for {
			msg, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return agenciesFailed(got)
			}
			if err != nil {
				return callError(q.addr, err)
			}
			if r := msg.GetResultat(); r != nil {
				got = append(got, r)
			}
			if q.json {
				line, err := protojson.Marshal(msg)
				if err != nil {
					return fmt.Errorf("writing JSON: %w", err)
				}
				if _, err := fmt.Fprintln(stdout, string(line)); err != nil {
					return err
				}
				continue
			}
			switch {
			case msg.GetResultat() != nil:
				fmt.Fprintf(stdout, "[+%s] ", time.Since(start).Round(time.Millisecond))
				writeResult(stdout, msg.GetResultat())
			case msg.GetSammanstallning() != nil:
				writeSammanstatus(stdout, msg.GetSammanstallning().GetStatus())
				writeInkomst(stdout, msg.GetSammanstallning().GetInkomstsammanstallning())
			}
		}
	})
}
