# The README's two commands are `make demo` and `make test`.
GO ?= go
CORPUS ?= ../shared/corpus

.PHONY: build test eval demo bench fixtures vet fuzz

build:
	$(GO) build -o bin/yusuan ./cmd/yusuan

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Measures the extractor on the shared corpus (skipped when it is absent).
eval: build
	@if [ -d "$(CORPUS)/real" ]; then $(GO) run ./tools/eval -corpus $(CORPUS) -yusuan bin/yusuan; \
	else echo "eval: $(CORPUS) not found, nothing to measure"; fi

demo: build
	./bin/yusuan demo

bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./extract/...

fixtures:
	$(GO) run ./fixtures/cmd/genpdf -out fixtures/testdata/pdf

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

# Short fuzzing runs of every parser of untrusted bytes.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./extract/content
	$(GO) test -run '^$$' -fuzz FuzzRead -fuzztime 30s ./extract/textlayer
