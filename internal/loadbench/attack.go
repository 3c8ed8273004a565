package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/beevik/etree"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/adapters/simkit"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// fraga is the question of every request: Tolvan, who has data at every
// agency, asked by the development municipality.
func fraga() *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162120002411", Ingivare: "Exempelkommun", Handlaggare: "h1",
		Personidentitet: simkit.Tolvan, Arendeidentitet: "A1",
		Syfte: "Utredning av ekonomiskt bistånd", Lagtext: "SoL 11 kap. 11 §",
		Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"},
	}
}

// soapEnvelope is the same question as a v10 hamtaBastjanstInformation.
const soapEnvelope = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ssbt="http://schema.forsakringskassan.se/integration/ssbt/10"><soap:Body><ssbt:hamtaBastjanstInformation>
<ssbt:generellaFrageparametrar>
<ssbt:fraganSkallInkluderasISvaret>false</ssbt:fraganSkallInkluderasISvaret>
<ssbt:ingivare><ssbt:organisationsnummer>162120002411</ssbt:organisationsnummer><ssbt:namn>Exempelkommun</ssbt:namn><ssbt:handlaggare>h1</ssbt:handlaggare></ssbt:ingivare>
<ssbt:personidentitet>191212121212</ssbt:personidentitet>
<ssbt:arendeidentitet>A1</ssbt:arendeidentitet>
<ssbt:tidsperiod><ssbt:fromDatum>2026-08-01</ssbt:fromDatum><ssbt:tomDatum>2026-10-31</ssbt:tomDatum></ssbt:tidsperiod>
<ssbt:syfte>Utredning av ekonomiskt bistånd</ssbt:syfte>
<ssbt:lagtext>SoL 11 kap. 11 §</ssbt:lagtext>
</ssbt:generellaFrageparametrar>
<ssbt:specifikaFrageparametrar><ssbt:AF inkludera="true"/><ssbt:CSN inkludera="true"/><ssbt:FK inkludera="true"/><ssbt:SKV inkludera="true"/><ssbt:SO inkludera="true"/><ssbt:TNS inkludera="true"/><ssbt:MIV inkludera="true"/></ssbt:specifikaFrageparametrar>
</ssbt:hamtaBastjanstInformation></soap:Body></soap:Envelope>`

// wantAgencies is how many agency results every answer must hold.
const wantAgencies = 7

// checkProto checks a composite answer: seven agency results, none an error.
func checkProto(resp *ssbtekv1.HamtaSammanstallningResponse) error {
	res := resp.GetSammanstallning().GetResultat()
	if len(res) != wantAgencies {
		return fmt.Errorf("%d agency results, want %d", len(res), wantAgencies)
	}
	for _, r := range res {
		if f := r.GetFel(); f != nil {
			return fmt.Errorf("agency %s answered error %s/%s", r.GetBastjanst(), f.GetKalla(), f.GetFelkod())
		}
	}
	return nil
}

func checkREST(body []byte) error {
	var resp ssbtekv1.HamtaSammanstallningResponse
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("REST answer is not a HamtaSammanstallningResponse: %w", err)
	}
	return checkProto(&resp)
}

func checkSOAP(body []byte) error {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(body); err != nil {
		return fmt.Errorf("SOAP answer is not XML: %w", err)
	}
	if doc.FindElement("//Fault") != nil {
		return errors.New("SOAP fault")
	}
	sv := doc.FindElement("//svarsdata")
	if sv == nil {
		return errors.New("SOAP answer without svarsdata")
	}
	n := 0
	for _, el := range sv.ChildElements() {
		if el.SelectElement("error") != nil {
			return fmt.Errorf("agency %s answered an error", el.Tag)
		}
		n++
	}
	if n != wantAgencies {
		return fmt.Errorf("%d agency results, want %d", n, wantAgencies)
	}
	return nil
}

func checkGRPC(body []byte) error {
	var resp ssbtekv1.HamtaSammanstallningResponse
	if err := proto.Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("gRPC answer: %w", err)
	}
	return checkProto(&resp)
}

// checkFK checks the slowest agency's own answer: HTTP 200 and a JSON object.
func checkFK(body []byte) error {
	if !json.Valid(body) || !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		return errors.New("FK answer is not a JSON object")
	}
	return nil
}

// grpcTransport lets vegeta's attacker (pacer, workers, result timing) drive
// gRPC, which it cannot speak itself: every "HTTP request" it sends becomes
// one HamtaSammanstallning on a shared gRPC connection, and the answer comes
// back as a 200 with the protobuf body, a gRPC error as a 502 with its
// status. ghz is not reachable from the module proxy here.
type grpcTransport struct {
	client ssbtekv1.SammansattBastjanstServiceClient
	req    *ssbtekv1.HamtaSammanstallningRequest
}

func (t grpcTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	resp, err := t.client.HamtaSammanstallning(r.Context(), t.req)
	code, text, body := http.StatusOK, "200 OK", []byte(nil)
	if err != nil {
		// vegeta reports a failed request by its status line: the gRPC
		// status goes there.
		code, text, body = http.StatusBadGateway, "gRPC "+status.Convert(err).String(), []byte(err.Error())
	} else if body, err = proto.Marshal(resp); err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: code, Status: text, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Header: http.Header{}, Request: r}, nil
}

// target is one interface's request and the check of its answers.
type target struct {
	name  string
	check func([]byte) error
	// attacker makes a vegeta attacker with these extra options, and the
	// function that closes its connections once the phase is over (else
	// the next phase would find -max-conns-per-org taken by idle ones).
	attacker func(opts ...func(*vegeta.Attacker)) (*vegeta.Attacker, func())
	tgt      vegeta.Target
	close    func()
	// grpc: the attacker's client is the gRPC transport, which has no
	// HTTP connection pool to size.
	grpc bool
}

// httpAttacker sends over HTTP/1.1 with keep-alive, as case systems' SOAP
// and REST stacks mostly do: one connection per request in flight, at most
// maxConnsPerHost, the gateway's -max-conns-per-org.
func httpAttacker(tc *tls.Config) func(opts ...func(*vegeta.Attacker)) (*vegeta.Attacker, func()) {
	return func(opts ...func(*vegeta.Attacker)) (*vegeta.Attacker, func()) {
		tr := &http.Transport{
			TLSClientConfig: tc, MaxConnsPerHost: maxConnsPerHost,
			DialContext: (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext,
		}
		// Client first: the options after it set up this transport.
		base := []func(*vegeta.Attacker){vegeta.Client(&http.Client{Transport: tr}), vegeta.HTTP2(false), vegeta.KeepAlive(true), vegeta.Timeout(30 * time.Second), vegeta.MaxBody(4 << 20)}
		return vegeta.NewAttacker(append(base, opts...)...), tr.CloseIdleConnections
	}
}

// maxConnsPerHost bounds the load generator's connections to one server
// (the gateway is started with -max-conns-per-org as large): above it a
// handshake would fail instead of waiting in the generator, where it is
// timed.
const maxConnsPerHost = 512

func restTarget(s *system) (target, error) {
	body, err := protojson.Marshal(&ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga()})
	if err != nil {
		return target{}, err
	}
	return target{
		name: "REST", check: checkREST, attacker: httpAttacker(s.tls), close: func() {},
		tgt: vegeta.Target{Method: http.MethodPost, URL: "https://" + s.httpAddr + "/v1/sammanstallning", Body: body, Header: http.Header{"Content-Type": {"application/json"}}},
	}, nil
}

func soapTarget(s *system) (target, error) {
	return target{
		name: "SOAP", check: checkSOAP, attacker: httpAttacker(s.tls), close: func() {},
		tgt: vegeta.Target{Method: http.MethodPost, URL: "https://" + s.httpAddr + "/ssbtek", Body: []byte(soapEnvelope), Header: http.Header{"Content-Type": {"text/xml; charset=utf-8"}}},
	}, nil
}

func grpcTarget(s *system) (target, error) {
	conn, err := grpc.NewClient(s.grpcAddr, grpc.WithTransportCredentials(credentials.NewTLS(s.tls)))
	if err != nil {
		return target{}, fmt.Errorf("gRPC client: %w", err)
	}
	rt := grpcTransport{client: ssbtekv1.NewSammansattBastjanstServiceClient(conn), req: &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga()}}
	return target{
		name: "gRPC", check: checkGRPC, close: func() { conn.Close() }, grpc: true,
		attacker: func(opts ...func(*vegeta.Attacker)) (*vegeta.Attacker, func()) {
			return vegeta.NewAttacker(append([]func(*vegeta.Attacker){vegeta.Client(&http.Client{Transport: rt, Timeout: 30 * time.Second})}, opts...)...), func() {}
		},
		tgt: vegeta.Target{Method: http.MethodPost, URL: "grpc://" + s.grpcAddr + "/ssbtek.v1.SammansattBastjanstService/HamtaSammanstallning"},
	}, nil
}

// recorder keeps the request an adapter sends.
type recorder struct {
	mu   sync.Mutex
	req  *http.Request
	body []byte
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.req, r.body = req.Clone(context.Background()), body
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// fkTarget is FK alone: the request the gateway's FK adapter sends for the
// same question, recorded from the adapter itself and sent straight to the
// simulator.
func fkTarget(ctx context.Context, s *system) (target, error) {
	rec := &recorder{next: http.DefaultTransport}
	for _, a := range registry.Agencies() {
		if a.Name != slowest {
			continue
		}
		ad := a.New(adapterConfig(s.simBase+"/"+a.Name, &http.Client{Transport: rec}))
		res, err := ad.Hamta(ctx, fraga(), nil)
		if err != nil || res.GetFel() != nil {
			return target{}, fmt.Errorf("recording FK's request: %v %v", err, res.GetFel())
		}
	}
	if rec.req == nil {
		return target{}, errors.New("the FK adapter sent no request")
	}
	h := rec.req.Header.Clone()
	return target{
		name: "FK alone", check: checkFK, close: func() {}, attacker: httpAttacker(nil),
		tgt: vegeta.Target{Method: rec.req.Method, URL: rec.req.URL.String(), Body: rec.body, Header: h},
	}, nil
}

// load is how a phase drives its target: rate > 0 is an open loop at that
// many requests per second, else inFlight requests in a closed loop.
type load struct {
	rate     int
	inFlight int
	duration time.Duration
}

func (l load) String() string {
	if l.rate > 0 {
		return fmt.Sprintf("%d/s", l.rate)
	}
	return fmt.Sprintf("%d in flight", l.inFlight)
}

// outcome is what one phase measured.
type outcome struct {
	target, load string
	m            vegeta.Metrics
	ok, failed   int
	firstErrors  []string
	// Gateway-side, not for FK alone.
	gateway     bool
	cpuPerReq   time.Duration
	simPerReq   time.Duration // the simulators' CPU, which shares the machine
	allocPerReq float64
	peakRSS     int64
}

// attack runs one phase and checks every answer.
func attack(tg target, l load) outcome {
	var opts []func(*vegeta.Attacker)
	var pacer vegeta.Pacer
	conns := 1024
	if l.rate > 0 {
		pacer = vegeta.ConstantPacer{Freq: l.rate, Per: time.Second}
		opts = append(opts, vegeta.Workers(64))
	} else {
		// Rate 0 is no pacing: exactly inFlight workers, each sending its
		// next request when the last is answered.
		pacer = vegeta.ConstantPacer{}
		n := uint64(l.inFlight)
		opts = append(opts, vegeta.Workers(n), vegeta.MaxWorkers(n))
		conns = l.inFlight
	}
	if !tg.grpc {
		opts = append(opts, vegeta.Connections(conns))
	}
	atk, closeConns := tg.attacker(opts...)
	defer closeConns()
	tr := vegeta.NewStaticTargeter(tg.tgt)
	o := outcome{target: tg.name, load: l.String()}
	errs := map[string]int{}
	for r := range atk.Attack(tr, pacer, l.duration, tg.name) {
		if r.Error == "" && r.Code == http.StatusOK {
			if err := tg.check(r.Body); err != nil {
				r.Code, r.Error = 0, "check: "+err.Error()
			}
		} else if r.Error == "" {
			r.Error = fmt.Sprintf("HTTP %d", r.Code)
		}
		if r.Error != "" {
			o.failed++
			msg := r.Error
			if len(msg) > 200 {
				msg = msg[:200]
			}
			if errs[msg]++; errs[msg] == 1 && len(o.firstErrors) < 5 {
				o.firstErrors = append(o.firstErrors, strings.TrimSpace(msg))
			}
		} else {
			o.ok++
		}
		r.Body = nil
		o.m.Add(r)
	}
	o.m.Close()
	return o
}
