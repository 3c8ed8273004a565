// Package server serves the lookup service over gRPC and over JSON/REST
// through grpc-gateway, with the OpenAPI document, health and the legacy SOAP
// shim on the same HTTP port.
package server

import (
	"context"

	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
)

// service implements the gRPC API on top of the lookup service. It only
// validates and translates; everything else happens in lookup.
type service struct {
	ssbtekv1.UnimplementedSammansattBastjanstServiceServer
	lookup    *lookup.Service
	validator *validator
	// iface is "grpc" or "rest": the same service is mounted for both.
	iface string
}

func (s *service) request(fraga *ssbtekv1.Fraga) lookup.Request {
	return lookup.Request{
		Caller: lookup.Caller{Interface: s.iface},
		Fraga:  fraga,
	}
}

// checked is the request of a question that passed check: its field rules
// are evaluated, and lookup need not evaluate them again.
func (s *service) checked(fraga *ssbtekv1.Fraga) lookup.Request {
	r := s.request(fraga)
	r.RulesChecked = true
	return r
}

// check refuses a caller without identity first, then a bad request; a
// bad request is recorded in the audit log with its reason.
func (s *service) check(ctx context.Context, req proto.Message, fraga *ssbtekv1.Fraga) error {
	if err := s.lookup.Authenticate(ctx); err != nil {
		return toStatus(err)
	}
	if err := s.validator.check(req, fraga); err != nil {
		s.refused(ctx, fraga, err)
		return err
	}
	return nil
}

// refused records a question refused by validation, with the reason.
func (s *service) refused(ctx context.Context, fraga *ssbtekv1.Fraga, err error) {
	if fraga == nil {
		fraga = &ssbtekv1.Fraga{}
	}
	s.lookup.Refused(ctx, s.request(fraga), status.Convert(err).Message())
}

func (s *service) HamtaSammanstallning(ctx context.Context, req *ssbtekv1.HamtaSammanstallningRequest) (*ssbtekv1.HamtaSammanstallningResponse, error) {
	if err := s.check(ctx, req, req.GetFraga()); err != nil {
		return nil, err
	}
	sam, err := s.lookup.Sammanstallning(ctx, s.checked(req.GetFraga()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &ssbtekv1.HamtaSammanstallningResponse{Sammanstallning: sammanstallningInView(sam, req.GetVy())}, nil
}

func (s *service) one(ctx context.Context, req *ssbtekv1.HamtaBastjanstRequest, b ssbtekv1.Bastjanst) (*ssbtekv1.HamtaBastjanstResponse, error) {
	if err := s.check(ctx, req, req.GetFraga()); err != nil {
		return nil, err
	}
	res, err := s.lookup.Bastjanst(ctx, s.checked(req.GetFraga()), b)
	if err != nil {
		return nil, toStatus(err)
	}
	return &ssbtekv1.HamtaBastjanstResponse{Resultat: resultatInView(res, req.GetVy())}, nil
}

func (s *service) HamtaSocialforsakringsformaner(ctx context.Context, req *ssbtekv1.HamtaBastjanstRequest) (*ssbtekv1.HamtaBastjanstResponse, error) {
	return s.one(ctx, req, ssbtekv1.Bastjanst_BASTJANST_FK)
}

func (s *service) HamtaArbetsmarknadsatgarder(ctx context.Context, req *ssbtekv1.HamtaBastjanstRequest) (*ssbtekv1.HamtaBastjanstResponse, error) {
	return s.one(ctx, req, ssbtekv1.Bastjanst_BASTJANST_AF)
}

func (s *service) HamtaStudiestod(ctx context.Context, req *ssbtekv1.HamtaBastjanstRequest) (*ssbtekv1.HamtaBastjanstResponse, error) {
	return s.one(ctx, req, ssbtekv1.Bastjanst_BASTJANST_CSN)
}

func (s *service) HamtaBeskattning(ctx context.Context, req *ssbtekv1.HamtaBastjanstRequest) (*ssbtekv1.HamtaBastjanstResponse, error) {
	return s.one(ctx, req, ssbtekv1.Bastjanst_BASTJANST_SKV)
}

func (s *service) HamtaArbetsloshetsersattning(ctx context.Context, req *ssbtekv1.HamtaBastjanstRequest) (*ssbtekv1.HamtaBastjanstResponse, error) {
	return s.one(ctx, req, ssbtekv1.Bastjanst_BASTJANST_SO)
}

func (s *service) HamtaFordonsinnehav(ctx context.Context, req *ssbtekv1.HamtaBastjanstRequest) (*ssbtekv1.HamtaBastjanstResponse, error) {
	return s.one(ctx, req, ssbtekv1.Bastjanst_BASTJANST_TNS)
}

func (s *service) HamtaUppehallstillstand(ctx context.Context, req *ssbtekv1.HamtaBastjanstRequest) (*ssbtekv1.HamtaBastjanstResponse, error) {
	return s.one(ctx, req, ssbtekv1.Bastjanst_BASTJANST_MIV)
}

func (s *service) TestaBastjanster(ctx context.Context, _ *ssbtekv1.TestaBastjansterRequest) (*ssbtekv1.TestaBastjansterResponse, error) {
	svar, err := s.lookup.Testa(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	return &ssbtekv1.TestaBastjansterResponse{Testsvar: svar}, nil
}
