// Package api holds the published interface documents: the OpenAPI document
// generated from proto/ (by `make generate`).
package api

import _ "embed"

// OpenAPI is the REST API's OpenAPI (Swagger 2.0) document.
//
//go:embed ssbtek.swagger.json
var OpenAPI []byte
