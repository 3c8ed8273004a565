package folkbokforing

import (
	"context"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Tjanst is the register's own call, FolkbokforingService/HamtaPersonuppgifter
// (POST /v1/personuppgifter over REST).
var Tjanst = adapters.NewTjanst(&ssbtekv1.FolkbokforingService_ServiceDesc,
	func(f bastjanst.Fragare) ssbtekv1.FolkbokforingServiceServer { return &service{fragare: f} },
	ssbtekv1.RegisterFolkbokforingServiceHandlerServer)

// service answers HamtaPersonuppgifter: §12.1's question becomes an ordinary
// question to this one source, asked through the lookup service.
type service struct {
	ssbtekv1.UnimplementedFolkbokforingServiceServer
	fragare bastjanst.Fragare
}

func (s *service) HamtaPersonuppgifter(ctx context.Context, req *ssbtekv1.HamtaPersonuppgifterRequest) (*ssbtekv1.HamtaPersonuppgifterResponse, error) {
	res, err := s.fragare.Fraga(ctx, req, fraga(req.GetFraga()), ssbtekv1.Bastjanst_BASTJANST_FOLKBOKFORING)
	if err != nil {
		return nil, err
	}
	return &ssbtekv1.HamtaPersonuppgifterResponse{Resultat: res}, nil
}

// fraga is the question q as the lookup service takes every question: no
// period (the register answers as of today), this one source.
func fraga(q *ssbtekv1.PersonuppgifterFraga) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer:   q.GetOrganisationsnummer(),
		Ingivare:              q.GetIngivare(),
		Handlaggare:           q.GetHandlaggare(),
		Personidentitet:       q.GetPersonidentitet(),
		Arendeidentitet:       q.GetArendeidentitet(),
		Personuppgiftsbitrade: q.GetPersonuppgiftsbitrade(),
		Syfte:                 q.GetSyfte(),
		Lagtext:               q.GetLagtext(),
		Korrelationsid:        q.GetKorrelationsid(),
		Bastjanster:           []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_FOLKBOKFORING},
	}
}
