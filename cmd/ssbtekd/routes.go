package main

import (
	"log/slog"
	"net/http"

	"github.com/ssbtek/gateway/legacy"
	"github.com/ssbtek/gateway/lookup"
)

// extraRoutes are the HTTP handlers beside the REST API: the SSBTEK SOAP
// shim, so existing clients switch to us by changing only the URL.
func extraRoutes(svc *lookup.Service, cfg config, log *slog.Logger) map[string]http.Handler {
	return map[string]http.Handler{
		legacy.Path: legacy.NewHandler(svc, legacy.Config{MaxBody: cfg.maxBody, PublicURL: cfg.publicURL, Logger: log}),
	}
}
