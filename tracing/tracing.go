// Package tracing sets up OpenTelemetry tracing for the gateway: an OTLP
// exporter (OTLP/HTTP) when the standard OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, and a no-op provider
// otherwise, so a gateway nobody traces pays nothing.
package tracing

import (
	"context"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Provider is the tracer provider and how to flush and stop it.
type Provider struct {
	trace.TracerProvider
	// Shutdown flushes buffered spans and stops the exporter.
	Shutdown func(context.Context) error
	// Endpoint is where spans go ("" when tracing is off).
	Endpoint string
}

// New returns the provider the environment asks for. service names the
// process in the traces ("ssbtekd").
func New(ctx context.Context, service string, getenv func(string) string) (*Provider, error) {
	endpoint := getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	if endpoint == "" {
		if base := getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); base != "" {
			// The general endpoint is a base URL; traces go to /v1/traces
			// below it (OTLP/HTTP's rule).
			endpoint = strings.TrimSuffix(base, "/") + "/v1/traces"
		}
	}
	if endpoint == "" {
		return &Provider{TracerProvider: noop.NewTracerProvider(), Shutdown: func(context.Context) error { return nil }}, nil
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint))
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter for %s: %w", endpoint, err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))),
	)
	return &Provider{TracerProvider: tp, Shutdown: tp.Shutdown, Endpoint: endpoint}, nil
}
