# ssbtek-gateway. `make run` starts the gateway with every simulated agency;
# `make test` runs every test. Both work on a fresh machine with Go installed.
GO        ?= go
TOOL      := $(GO) tool -modfile=tools/go.mod
PROTOVALIDATE_VERSION := v1.2.2
GATEWAY_V1_VERSION    := v1.16.0

.PHONY: all generate thirdparty build run test check-generated lint bench clean

all: build

# Third-party protos come from Go modules: the Buf Schema Registry is not reachable.
thirdparty:
	@mkdir -p .thirdparty/buf/validate .thirdparty/google/api
	@pv=$$($(GO) mod download -json github.com/bufbuild/protovalidate@$(PROTOVALIDATE_VERSION) | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'); \
	  cp -f $$pv/proto/protovalidate/buf/validate/validate.proto .thirdparty/buf/validate/; \
	gw=$$($(GO) mod download -json github.com/grpc-ecosystem/grpc-gateway@$(GATEWAY_V1_VERSION) | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'); \
	  cp -f $$gw/third_party/googleapis/google/api/annotations.proto $$gw/third_party/googleapis/google/api/http.proto .thirdparty/google/api/
	@gw2=$$(cd tools && $(GO) list -m -f '{{.Dir}}' github.com/grpc-ecosystem/grpc-gateway/v2); \
	  mkdir -p .thirdparty/protoc-gen-openapiv2/options; \
	  cp -f $$gw2/protoc-gen-openapiv2/options/annotations.proto $$gw2/protoc-gen-openapiv2/options/openapiv2.proto .thirdparty/protoc-gen-openapiv2/options/
	@chmod -R u+w .thirdparty

generate: thirdparty
	rm -rf gen api/ssbtek.swagger.json
	$(TOOL) buf generate --path proto/ssbtek
	$(TOOL) buf lint

# Fails when gen/ or api/ differ from what proto/ generates.
check-generated: generate
	@git diff --exit-code --stat -- gen api || (echo "gen/ or api/ is stale: run make generate and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain -- gen api)" || (git status --porcelain -- gen api; echo "untracked generated files: run make generate and commit" >&2; exit 1)

build:
	$(GO) build -o bin/ ./cmd/...

run:
	$(GO) run ./cmd/ssbtekd

test: check-generated
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 10m ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin .thirdparty
