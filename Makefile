# ssbtek-gateway. `make run` starts the gateway with every simulated agency;
# `make test` runs every test. Both work on a fresh machine with Go installed.
GO        ?= go
TOOL      := $(GO) tool -modfile=tools/go.mod
PROTOVALIDATE_VERSION := v1.2.2
GATEWAY_V1_VERSION    := v1.16.0

.PHONY: all generate gen-tmp thirdparty build run test check-generated lint bench bench-load fuzz image clean

all: build

# Third-party protos come from Go modules: the Buf Schema Registry is not
# reachable. Every one is fetched the same way, `go mod download -json`, which
# downloads the module when the cache lacks it and prints its directory
# (`go list -m` prints an empty Dir for a module not yet downloaded).
# grpc-gateway/v2 is taken at the version tools/go.mod pins for the plugins.
modir = $$(cd $(1) && $(GO) mod download -json $(2) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$$/\1/p')

thirdparty:
	@mkdir -p .thirdparty/buf/validate .thirdparty/google/api .thirdparty/protoc-gen-openapiv2/options
	@set -e; \
	pv=$(call modir,.,github.com/bufbuild/protovalidate@$(PROTOVALIDATE_VERSION)); \
	gw=$(call modir,.,github.com/grpc-ecosystem/grpc-gateway@$(GATEWAY_V1_VERSION)); \
	gw2=$(call modir,tools,github.com/grpc-ecosystem/grpc-gateway/v2); \
	for d in "$$pv" "$$gw" "$$gw2"; do test -n "$$d" || { echo "thirdparty: go mod download gave no module directory" >&2; exit 1; }; done; \
	cp -f $$pv/proto/protovalidate/buf/validate/validate.proto .thirdparty/buf/validate/; \
	cp -f $$gw/third_party/googleapis/google/api/annotations.proto $$gw/third_party/googleapis/google/api/http.proto .thirdparty/google/api/; \
	cp -f $$gw2/protoc-gen-openapiv2/options/annotations.proto $$gw2/protoc-gen-openapiv2/options/openapiv2.proto .thirdparty/protoc-gen-openapiv2/options/
	@chmod -R u+w .thirdparty

# Generation writes into a fresh temporary directory first, so a failing or
# offline buf never leaves the tree without gen/; only a complete result
# replaces gen/ and api/ssbtek.swagger.json.
GENTMP := .thirdparty/gen.out

gen-tmp: thirdparty
	@rm -rf $(GENTMP) && mkdir -p $(GENTMP)
	$(TOOL) buf lint
	$(TOOL) buf generate --path proto/ssbtek -o $(GENTMP)

generate: gen-tmp
	rm -rf gen && mv $(GENTMP)/gen gen
	mv -f $(GENTMP)/api/ssbtek.swagger.json api/ssbtek.swagger.json

# Fails when gen/ or api/ differ from what proto/ generates. It compares a
# fresh generation with the committed tree and never touches gen/ or api/.
check-generated: gen-tmp
	@diff -r gen $(GENTMP)/gen >/dev/null && cmp -s api/ssbtek.swagger.json $(GENTMP)/api/ssbtek.swagger.json || { \
	  diff -r gen $(GENTMP)/gen | head -40 >&2; cmp api/ssbtek.swagger.json $(GENTMP)/api/ssbtek.swagger.json >&2; \
	  echo "gen/ or api/ is stale: run make generate and commit" >&2; exit 1; }
	@test -z "$$(git status --porcelain -- gen api 2>/dev/null)" || (git status --porcelain -- gen api; echo "gen/ or api/ has uncommitted changes: commit them" >&2; exit 1)

build:
	$(GO) build -o bin/ ./cmd/...

# Every agency simulated (-simulate), development certificates and rights
# created under ./data on first start (-dev-certs), and agency rates raised
# for local load: the production default is 1 question/s, burst 5.
run:
	$(GO) run ./cmd/ssbtekd -simulate -dev-certs ./data -agency-rate 100 -agency-burst 100

test: check-generated
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/')); \
	  test -z "$$unformatted" || { echo "not gofmt-ed (run gofmt -w):" >&2; echo "$$unformatted" >&2; exit 1; }
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 10m ./...
	$(GO) -C deploy vet ./...
	$(GO) -C deploy test -count=1 -timeout 10m ./...

# The container image as an OCI archive (bin/ssbtekd-image.tar), built
# without a Docker daemon: deploy/image builds what the Dockerfile's final
# stage says (docs/OPERATIONS.md). deploy/ is a module of its own, so the
# gateway's module does not carry BuildKit, go-containerregistry and the
# Kubernetes types. Reproducible: every time stamp is the commit's.
IMAGE_TAR ?= bin/ssbtekd-image.tar
image:
	$(GO) -C deploy run ./image -context .. -o $(abspath $(IMAGE_TAR)) \
	  -build-arg VERSION=$$(git describe --tags --always --dirty) \
	  -build-arg REVISION=$$(git rev-parse HEAD) \
	  -build-arg CREATED=$$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Every fuzz target, each for FUZZTIME, from its committed seed corpus
# (testdata/fuzz/<target>). go test fuzzes one target of one package at a time.
FUZZTIME ?= 10s
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# The load benchmark (about 5 minutes; not part of make test): the built
# ssbtekd against bastjanstsim with fixed agency latencies, REST, SOAP and
# gRPC at fixed rates and in closed loops; writes its table into
# docs/PERFORMANCE.md. BENCH_LOAD_ARGS passes flags (e.g. -rates 100 or
# -short); `go test ./internal/loadbench` runs the short mode.
bench-load:
	$(GO) run ./internal/loadbench -out docs/PERFORMANCE.md $(BENCH_LOAD_ARGS)

clean:
	rm -rf bin .thirdparty
