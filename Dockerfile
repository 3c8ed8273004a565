# The ssbtekd image: one static binary (CGO_ENABLED=0; the SQLite driver is
# modernc.org/sqlite, pure Go; time/tzdata and the fallback CA roots are
# linked in), the user it runs as and nothing else: no shell, no package
# manager, nothing writable needed (run it with a read-only root file system).
#
# No Docker daemon runs in CI: `make image` builds the same image from this
# file's final stage with go-containerregistry (deploy/image), and
# deploy/image's test checks its config and runs the binary taken out of it.
# That builder reads the final stage below (COPY, USER, ENTRYPOINT, LABEL,
# ARG) and refuses any instruction it does not know, so keep to those.

ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETARCH
RUN CGO_ENABLED=0 GOOS=linux GOARCH=${TARGETARCH} go build -trimpath -ldflags=-s -o /out/ssbtekd ./cmd/ssbtekd

FROM scratch
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=1970-01-01T00:00:00Z
COPY deploy/image/rootfs/ /
COPY --from=build /out/ssbtekd /usr/local/bin/ssbtekd
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/ssbtekd"]
LABEL org.opencontainers.image.title="ssbtek-gateway" \
      org.opencontainers.image.description="ssbtekd: the SSBTEK gateway (gRPC, REST, legacy SOAP) in front of AF, CSN, FK, SKV, SO, TNS and MIV" \
      org.opencontainers.image.source="https://github.com/ssbtek/gateway" \
      org.opencontainers.image.documentation="https://github.com/ssbtek/gateway/blob/main/docs/OPERATIONS.md" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
