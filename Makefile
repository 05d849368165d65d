# The README's two commands are `make demo` and `make test`.
GO ?= go
CORPUS ?= ../shared/corpus

.PHONY: build test eval demo bench fixtures producer-fixtures vet fuzz

# The version `yusuan --version` prints: the nearest tag and commit.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/yusuan ./cmd/yusuan

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Measures the extractor on the shared corpus (skipped when it is absent).
eval: build
	@if [ -d "$(CORPUS)/real" ]; then \
	  $(GO) run ./tools/eval -corpus $(CORPUS) -yusuan bin/yusuan && \
	  $(GO) run ./tools/tableeval -corpus $(CORPUS); \
	else echo "eval: $(CORPUS) not found, nothing to measure"; fi

demo: build
	./bin/yusuan demo

# Benchmarks: text layer and whole extraction per page, tables, ingest per
# document, check over many documents, and what one process costs before
# its work (yusuan -h, yusuan extract on one page).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./extract/ ./extract/table/
	$(GO) test -run '^$$' -bench Startup -benchtime 20x ./cmd/yusuan/
	$(GO) test -run '^$$' -bench Ingest ./ingest/
	$(GO) test -run '^$$' -bench Check -benchtime 1x ./check/

fixtures:
	$(GO) run ./fixtures/cmd/genpdf -out fixtures/testdata/pdf

# PDFs printed by real producers (chromium, soffice, gs, qpdf and
# fonts-noto-cjk needed); the tests read the committed output.
producer-fixtures:
	$(GO) run ./fixtures/producers/cmd/genproducers -out fixtures/producers/testdata

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

# Short fuzzing runs of every parser of untrusted bytes.
# Every fuzz target (package:Target), each FUZZTIME long.
FUZZTIME ?= 30s
FUZZ_TARGETS = \
	./extract/content:FuzzParse \
	./extract/content:FuzzScanObject \
	./extract/pdfsyntax:FuzzLiteral \
	./extract/textlayer:FuzzRead \
	./extract/pdfobj:FuzzOpen \
	./extract/decrypt:FuzzDecrypt \
	./extract/font:FuzzCMap \
	./crawl:FuzzParseConfig \
	./crawl:FuzzLinkHeuristics \
	./crawl:FuzzDispositionFilename \
	./crawl:FuzzCappedBody \
	./crawl:FuzzAPIAnswer \
	./web:FuzzQuery \
	./extract/draw:FuzzPage \
	./extract/font:FuzzDecode \
	./extract/docmeta:FuzzParse \
	./extract/narrative:FuzzParse \
	./extract/narrative:FuzzSections \
	./extract/table:FuzzSplitSegment \
	./extract/table:FuzzSplitGaps \
	./vocab:FuzzMatchTitle \
	./store:FuzzParseAliases

fuzz:
	@set -e; for pt in $(FUZZ_TARGETS); do \
	  echo "fuzz $${pt#*:} in $${pt%%:*}"; \
	  $(GO) test -run '^$$' -fuzz "^$${pt#*:}$$" -fuzztime $(FUZZTIME) "$${pt%%:*}"; \
	done
