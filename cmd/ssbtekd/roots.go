package main

// The container image (Dockerfile) holds the binary and its user only: no
// /etc/ssl/certs. Go uses these Mozilla roots only where the system has
// none, so an agency URL with a publicly trusted certificate works there
// too; SSL_CERT_FILE or SSL_CERT_DIR name an operator's own bundle, which
// then takes their place (docs/OPERATIONS.md).
import _ "golang.org/x/crypto/x509roots/fallback"
