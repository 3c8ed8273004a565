package lookup

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/inkomst"
)

// Streama answers as Sammanstallning does, through Sammanstallning itself, so
// whatever Sammanstallning checks and records (identity, rights, quotas,
// audit) applies to the stream too, but hands each agency's result to send
// the moment it arrives. Since results leave before the outcomes are known,
// a stream's question is committed to the audit log before any agency is
// asked (a record marked StreamOpening; ErrAuditUnavailable and nothing sent
// when that fails), and its complete record after the fan-out: when that
// one fails, Streama returns ErrAuditUnavailable instead of the compiled
// answer. Results that did not come through the fan-out
// (e.g. an agency refused by the caller's rights) are sent after the others.
// It returns the compiled answer for the stream's final message. When send
// fails (the caller went away) the outstanding agencies are cancelled and its
// error is returned.
func (s *Service) Streama(ctx context.Context, req Request, send func(*ssbtekv1.BastjanstResultat) error) (*ssbtekv1.Sammanstallning, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sent := map[ssbtekv1.Bastjanst]bool{}
	var sendErr error
	observer := func(r *ssbtekv1.BastjanstResultat) {
		if sendErr != nil {
			return
		}
		if err := send(r); err != nil {
			sendErr = fmt.Errorf("sending the result of %s: %w", r.GetBastjanst(), err)
			cancel(sendErr)
			return
		}
		sent[r.GetBastjanst()] = true
	}
	sam, err := s.sammanstallning(fanout.WithObserver(ctx, observer), req, true)
	if err != nil {
		return nil, err
	}
	if sendErr != nil {
		return nil, sendErr
	}
	for _, r := range sam.GetResultat() {
		if !sent[r.GetBastjanst()] {
			if err := send(r); err != nil {
				return nil, fmt.Errorf("sending the result of %s: %w", r.GetBastjanst(), err)
			}
		}
	}
	return sam, nil
}

// Inkomstsammanstallning asks the agencies that pay income (the question's
// own selection when it names agencies) and returns the compiled answer,
// whose Inkomstsammanstallning is the point. It goes through Sammanstallning.
func (s *Service) Inkomstsammanstallning(ctx context.Context, req Request) (*ssbtekv1.Sammanstallning, error) {
	if len(req.Fraga.GetBastjanster()) == 0 {
		// Clone: the caller's message is not ours to change.
		f := proto.Clone(req.Fraga).(*ssbtekv1.Fraga)
		f.Bastjanster = inkomst.Kallor()
		req.Fraga, req.RulesChecked = f, false
	}
	return s.Sammanstallning(ctx, req)
}
