// Package server serves the lookup service over gRPC and over JSON/REST
// through grpc-gateway, with the OpenAPI document, health and the legacy SOAP
// shim on the same HTTP port.
package server

import (
	"context"

	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/personnummer"
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
// bad request is recorded in the audit log with its reason. The question's
// identities are normalised first (normalise), so the rules, the lookup and
// the record all see the 12-digit forms.
func (s *service) check(ctx context.Context, req proto.Message, fraga *ssbtekv1.Fraga) error {
	return s.checkAnswering(ctx, req, fraga, false)
}

// checkAnswering is check; with checkDigitAnswered a wrong check digit of
// the personidentitet is left for the source to answer (a source's own call,
// bastjanst.Kallegenskaper.kontrollsiffra_besvaras).
func (s *service) checkAnswering(ctx context.Context, req proto.Message, fraga *ssbtekv1.Fraga, checkDigitAnswered bool) error {
	if err := s.lookup.Authenticate(ctx); err != nil {
		return toStatus(err)
	}
	normalise(fraga)
	if err := s.validator.checkAnswering(req, fraga, checkDigitAnswered); err != nil {
		s.refused(ctx, fraga, err)
		return err
	}
	return nil
}

// normalise puts the identities of f in the 12-digit forms, from either
// form the modern API accepts (seed 004 §6.4 and §12.1): personidentitet
// ÅÅÅÅMMDD-NNNN or 12 digits, organisationsnummer NNNNNN-NNNN or 12 digits.
// The rules are personnummer's.
func normalise(f *ssbtekv1.Fraga) {
	if f == nil {
		return
	}
	f.Personidentitet = personnummer.Normalise(f.GetPersonidentitet())
	f.Organisationsnummer = personnummer.Organisationsnummer(f.GetOrganisationsnummer())
	for _, b := range f.GetPersonuppgiftsbitrade() {
		b.Organisationsnummer = personnummer.Organisationsnummer(b.GetOrganisationsnummer())
	}
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

// Fraga asks source b the question of a source's own call (an
// adapters.Tjanst, through bastjanst.Fragare), with the checks of every call.
func (s *service) Fraga(ctx context.Context, req proto.Message, f *ssbtekv1.Fraga, b ssbtekv1.Bastjanst) (*ssbtekv1.BastjanstResultat, error) {
	if err := s.checkAnswering(ctx, req, f, bastjanst.Egenskaper(b).GetKontrollsiffraBesvaras()); err != nil {
		return nil, err
	}
	res, err := s.lookup.Bastjanst(ctx, s.checked(f), b)
	if err != nil {
		return nil, toStatus(err)
	}
	return res, nil
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
