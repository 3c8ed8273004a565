package main

import (
	"context"
	"log/slog"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// simulated marks an agency answered by its in-process simulator: every
// answer it gives is logged as SIMULATED, so nobody mistakes invented data
// for an agency's.
type simulated struct {
	bastjanst.Adapter
	log *slog.Logger
}

func (s simulated) Hamta(ctx context.Context, f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	res, err := s.Adapter.Hamta(ctx, f, p)
	outcome := res.GetStatus().GetKod().String()
	if err != nil {
		outcome = err.Error()
	}
	s.log.InfoContext(ctx, "SIMULATED agency answer: invented test data, not the agency's",
		slog.String("agency", bastjanst.Kod(s.Bastjanst())), slog.String("outcome", outcome))
	return res, err
}
