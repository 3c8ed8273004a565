package main

import (
	"log/slog"
	"net/http"

	"github.com/ssbtek/gateway/lookup"
)

// extraRoutes are the HTTP handlers beside the REST API.
func extraRoutes(svc *lookup.Service, cfg config, log *slog.Logger) map[string]http.Handler {
	return map[string]http.Handler{}
}
