package main

import (
	"context"
	"fmt"
	"io"

	"google.golang.org/protobuf/encoding/protojson"
)

// runProfil is `ssbtek profil`: the profile file the user keeps, written
// from the flags given (only those, over the profile --profil names), so
// that query and stream need not repeat them. It prints the JSON; the user
// decides where it goes.
func runProfil(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var w who
	fs := newFlags("profil", "[--profil FILE] [--org ORGNR] [--ingivare NAMN] [--handlaggare ID] [--arende ID] [--syfte TEXT] [--lagtext TEXT] > FILE")
	w.register(fs, func(string) string { return "" }) // what the user types, not the environment
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	f, err := w.merged()
	if err != nil {
		return err
	}
	out, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(f)
	if err != nil {
		return fmt.Errorf("writing the profile: %w", err)
	}
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}
