# Cloud Engine container image: a static cloud-engine binary and terraform
# 1.5.7 on a distroless base, running as a non-root user.

ARG GO_IMAGE=golang:1.26-alpine
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

# Terraform is built from source: the Go checksum database verifies the module,
# which a release download fetched here could not be.
FROM ${GO_IMAGE} AS terraform
ENV CGO_ENABLED=0
RUN go install -trimpath -ldflags="-s -w" github.com/hashicorp/terraform@v1.5.7

FROM ${GO_IMAGE} AS build
WORKDIR /src
ENV CGO_ENABLED=0
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
RUN go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
        -o /out/cloud-engine ./cmd/cloud-engine \
    && mkdir -p /out/data /out/home

FROM ${RUNTIME_IMAGE}
ARG VERSION=dev
ARG COMMIT=unknown
LABEL org.opencontainers.image.title="cloud-engine" \
      org.opencontainers.image.description="Discord ChatOps: plan, approve and apply Terraform from slash commands" \
      org.opencontainers.image.source="https://github.com/cloudengine/cloud-engine" \
      org.opencontainers.image.licenses="MPL-2.0 (terraform)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}"
COPY --from=terraform /go/bin/terraform /usr/local/bin/terraform
COPY --from=build /out/cloud-engine /usr/local/bin/cloud-engine
# /data and HOME belong to the runtime user so that the image also works
# without mounted volumes; Kubernetes mounts volumes over both.
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build --chown=65532:65532 /out/home /home/nonroot
ENV DATA_DIR=/data \
    HOME=/home/nonroot \
    TMPDIR=/tmp \
    TERRAFORM_PATH=/usr/local/bin/terraform \
    CHECKPOINT_DISABLE=1 \
    TF_IN_AUTOMATION=1
USER 65532:65532
WORKDIR /home/nonroot
EXPOSE 8080 9090
ENTRYPOINT ["/usr/local/bin/cloud-engine"]
CMD ["serve"]
