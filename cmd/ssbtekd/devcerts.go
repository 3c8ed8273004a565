package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ssbtek/gateway/internal/pki"
)

// The development organisations: a municipality with every right and an
// ombud, its ombud (the hosting company of its case system), and a
// municipality without Transportstyrelsen's medgivande.
const (
	devKommun  = "162120002411"
	devOmbud   = "165565869996"
	devUtanTNS = "162120001420"
)

var devClients = []pki.DevClient{
	{Name: "kommun", Client: pki.Client{CommonName: "Exempelkommun socialtjänst", Organization: "Exempelkommun", SerialNumber: devKommun}},
	{Name: "ombud", Client: pki.Client{CommonName: "Ombudet AB drift", Organization: "Ombudet AB", SerialNumber: devOmbud}},
	{Name: "utan-tns", Client: pki.Client{CommonName: "Kommun utan medgivande", Organization: "Kommun utan medgivande", SerialNumber: devUtanTNS}},
}

const devRights = `# Development rights, written by ssbtekd -dev-certs on first start.
# Edit and send SIGHUP (or wait for -rights-reload) to change them.
standard_dagskvot: 10000
organisationer:
  - organisationsnummer: "` + devKommun + `"
    namn: Exempelkommun
    bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]
    ombud: ["` + devOmbud + `"]
  - organisationsnummer: "` + devUtanTNS + `"
    namn: Kommun utan medgivande
    bastjanster: [AF, CSN, FK, SKV, SO, MIV]
`

// devSetup creates, under dir, the development CA, server and client
// certificates (dir/pki) and the development rights file (dir/rights.yaml),
// each only when absent, and points cfg at them.
func devSetup(cfg *config, stdout io.Writer) error {
	files, created, err := pki.EnsureDev(filepath.Join(cfg.devCerts, "pki"), devClients)
	if err != nil {
		return fmt.Errorf("development certificates: %w", err)
	}
	if created {
		fmt.Fprintf(stdout, "created a development CA, server and client certificates in %s\n", files.Dir)
	}
	cfg.tlsCert, cfg.tlsKey, cfg.clientCA = files.ServerCert, files.ServerKey, files.CA
	cfg.devFiles = &files
	if cfg.rightsFile == "" {
		cfg.rightsFile = filepath.Join(cfg.devCerts, "rights.yaml")
		if _, err := os.Stat(cfg.rightsFile); errors.Is(err, os.ErrNotExist) {
			if err := os.WriteFile(cfg.rightsFile, []byte(devRights), 0o644); err != nil {
				return fmt.Errorf("writing the development rights file: %w", err)
			}
			fmt.Fprintf(stdout, "created the development rights file %s\n", cfg.rightsFile)
		}
	}
	return nil
}
