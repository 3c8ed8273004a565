package main

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Defaults match what `make run` serves and creates: gRPC on loopback, the
// development CA and a municipality's client certificate under ./data/pki.
const (
	defaultAddr    = "127.0.0.1:9090"
	defaultCert    = "data/pki/kommun.pem"
	defaultKey     = "data/pki/kommun-key.pem"
	defaultCACert  = "data/pki/ca.pem"
	defaultTimeout = 10 * time.Second
)

// conn is how every command reaches the gateway, from flags with env defaults.
type conn struct {
	addr, cert, key, cacert string
	plaintext               bool
	timeout                 time.Duration
}

// register adds the connection flags to fs. getenv supplies the defaults,
// so a flag always wins over the environment.
func (c *conn) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.addr, "addr", cmp.Or(getenv("SSBTEK_ADDR"), defaultAddr), "gateway gRPC address (env SSBTEK_ADDR)")
	fs.StringVar(&c.cert, "cert", cmp.Or(getenv("SSBTEK_CERT"), defaultCert), "client certificate, PEM (env SSBTEK_CERT)")
	fs.StringVar(&c.key, "key", cmp.Or(getenv("SSBTEK_KEY"), defaultKey), "client certificate's private key, PEM (env SSBTEK_KEY)")
	fs.StringVar(&c.cacert, "cacert", cmp.Or(getenv("SSBTEK_CACERT"), defaultCACert), "CA bundle the gateway's certificate is checked against, PEM (env SSBTEK_CACERT)")
	plain, _ := strconv.ParseBool(getenv("SSBTEK_PLAINTEXT"))
	fs.BoolVar(&c.plaintext, "plaintext", plain, "talk to a development gateway without TLS (env SSBTEK_PLAINTEXT)")
	fs.DurationVar(&c.timeout, "timeout", defaultTimeout, "deadline for the whole call")
}

// dial opens the gRPC connection: mutual TLS with the client certificate,
// or plaintext when asked for. grpc.NewClient connects lazily, so an
// unreachable gateway shows up at the first call.
func (c *conn) dial() (*grpc.ClientConn, ssbtekv1.SammansattBastjanstServiceClient, error) {
	creds := insecure.NewCredentials()
	if !c.plaintext {
		cfg, err := c.tlsConfig()
		if err != nil {
			return nil, nil, err
		}
		creds = credentials.NewTLS(cfg)
	}
	cc, err := grpc.NewClient(c.addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, nil, fmt.Errorf("connecting to %s: %w", c.addr, err)
	}
	return cc, ssbtekv1.NewSammansattBastjanstServiceClient(cc), nil
}

func (c *conn) tlsConfig() (*tls.Config, error) {
	const hint = " (set --cert/--key/--cacert or SSBTEK_CERT/SSBTEK_KEY/SSBTEK_CACERT, or --plaintext for a development gateway without TLS)"
	pair, err := tls.LoadX509KeyPair(c.cert, c.key)
	if err != nil {
		return nil, fmt.Errorf("reading the client certificate %s and key %s: %w%s", c.cert, c.key, err, hint)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{pair}}
	if c.cacert != "" {
		pem, err := os.ReadFile(c.cacert)
		if err != nil {
			return nil, fmt.Errorf("reading the CA bundle: %w%s", err, hint)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the CA bundle %s holds no PEM certificate%s", c.cacert, hint)
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// connect dials the gateway and bounds the call by --timeout; done
// cancels the deadline and closes the connection.
func (c *conn) connect(ctx context.Context) (context.Context, ssbtekv1.SammansattBastjanstServiceClient, func(), error) {
	cc, client, err := c.dial()
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	return ctx, client, func() { cancel(); cc.Close() }, nil
}

// callError says what the gateway answered in words a user can act on.
func callError(addr string, err error) error {
	if st, ok := status.FromError(err); ok {
		return fmt.Errorf("the gateway at %s answered %s: %s", addr, st.Code(), st.Message())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no answer from %s within the deadline", addr)
	}
	return fmt.Errorf("calling %s: %w", addr, err)
}
