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
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./extract/content
	$(GO) test -run '^$$' -fuzz FuzzScanObject -fuzztime 30s ./extract/content
	$(GO) test -run '^$$' -fuzz FuzzLiteral -fuzztime 30s ./extract/pdfsyntax
	$(GO) test -run '^$$' -fuzz FuzzRead -fuzztime 30s ./extract/textlayer
	$(GO) test -run '^$$' -fuzz FuzzOpen -fuzztime 30s ./extract/pdfobj
	$(GO) test -run '^$$' -fuzz FuzzDecrypt -fuzztime 30s ./extract/decrypt
	$(GO) test -run '^$$' -fuzz FuzzCMap -fuzztime 30s ./extract/font
	$(GO) test -run '^$$' -fuzz FuzzParseConfig -fuzztime 30s ./crawl
	$(GO) test -run '^$$' -fuzz FuzzLinkHeuristics -fuzztime 30s ./crawl
	$(GO) test -run '^$$' -fuzz FuzzDispositionFilename -fuzztime 30s ./crawl
	$(GO) test -run '^$$' -fuzz FuzzCappedBody -fuzztime 30s ./crawl
	$(GO) test -run '^$$' -fuzz FuzzAPIAnswer -fuzztime 30s ./crawl
	$(GO) test -run '^$$' -fuzz FuzzQuery -fuzztime 30s ./web
	$(GO) test -run '^$$' -fuzz FuzzPage -fuzztime 30s ./extract/draw
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime 30s ./extract/font
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./extract/docmeta
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./extract/narrative
	$(GO) test -run '^$$' -fuzz FuzzSections -fuzztime 30s ./extract/narrative
	$(GO) test -run '^$$' -fuzz FuzzSplitSegment -fuzztime 30s ./extract/table
	$(GO) test -run '^$$' -fuzz FuzzSplitGaps -fuzztime 30s ./extract/table
	$(GO) test -run '^$$' -fuzz FuzzMatchTitle -fuzztime 30s ./vocab
	$(GO) test -run '^$$' -fuzz FuzzParseAliases -fuzztime 30s ./store
