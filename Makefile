# Cloud Engine — the commands a newcomer runs: `make run` and `make test`.
SHELL := /bin/bash
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo none)
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GO_TEST_FLAGS ?= -count=1 -timeout 30m

export CHECKPOINT_DISABLE := 1
export TF_CLI_CONFIG_FILE :=

.PHONY: build run test test-go test-fuzz test-chart lint bench fuzz docker clean

build:
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o bin/cloud-engine ./cmd/cloud-engine

# Starts the service on SQLite in ./data, reading .env when present. With
# no Discord credentials in the environment or .env, it starts the
# playground instead: the same service wired to a built-in Discord stand-in,
# with a web page on http://127.0.0.1:8080/.
run: build
	@if [ -n "$$DISCORD_PUBLIC_KEY$$DISCORD_APPLICATION_ID$$DISCORD_BOT_TOKEN" ] || { [ -f .env ] && \
	    grep -Eq '^[[:space:]]*(export[[:space:]]+)?DISCORD_(PUBLIC_KEY|APPLICATION_ID|BOT_TOKEN)[[:space:]]*=[[:space:]]*[^[:space:]#]' .env; }; then \
	  exec ./bin/cloud-engine serve; \
	else \
	  echo "No Discord credentials in the environment or .env: starting the playground."; \
	  exec ./bin/cloud-engine playground; \
	fi

# Everything CI runs besides lint: Go tests against real terraform, real
# SQLite, a throwaway PostgreSQL and headless Chromium (each installed or
# built when missing), then the Helm chart checks.
test: test-go test-fuzz test-chart

test-go:
	@scripts/ensure-chromium.sh
	@tf="$$(scripts/ensure-terraform.sh)" && echo "terraform: $$tf" && \
	  TERRAFORM_PATH="$$tf" scripts/with-postgres.sh go test $(GO_TEST_FLAGS) ./...

# A short run of every fuzz target (make fuzz runs them longer).
test-fuzz:
	FUZZTIME=3s scripts/fuzz.sh

fuzz:
	FUZZTIME=$${FUZZTIME:-2m} scripts/fuzz.sh

test-chart:
	scripts/chart-test.sh

lint:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	go run $(STATICCHECK) ./...
	scripts/dockerfile-lint.sh

# The store's and terraform's Go benchmarks, the interactions endpoint
# under load, then 50 whole deployments at once on one engine and over
# three replicas on a throwaway PostgreSQL (docs/benchmarks.md).
bench:
	@tf="$$(scripts/ensure-terraform.sh)" && \
	  TERRAFORM_PATH="$$tf" scripts/with-postgres.sh go test -run '^$$' -bench . -benchtime 3s ./db/... ./tf/... && \
	  go run ./cmd/loadgen && \
	  TERRAFORM_PATH="$$tf" scripts/with-postgres.sh go run ./cmd/loadgen -scenario deployments

docker:
	docker build --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) -t cloud-engine:$(VERSION) .

clean:
	rm -rf bin data
