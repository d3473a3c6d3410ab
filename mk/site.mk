# The static web page: www/ + the npm package (pkg/) → site/, a folder any
# static file server can serve. www/server.mjs is the small server used here and by the tests.
.PHONY: site serve test-e2e bench-page

# Everything in www/ is part of the page except the development server.
SITE_SOURCES := $(filter-out www/server.mjs,$(wildcard www/*))

## Build site/: page, scripts, wasm engine and model; no files from anywhere else.
site: pkg
	rm -rf site
	mkdir -p site/onoma
	cp $(SITE_SOURCES) site/
	cp -R pkg/. site/onoma/
	@echo "site/ is ready: $$(du -sh site | cut -f1)"

## Build the site and serve it at http://localhost:$(PORT)/ (PORT=8080 by default;
## HOST=0.0.0.0 to open it from another device).
serve: site
	node www/server.mjs site $(PORT)

## End-to-end tests of the page in headless Debian Chromium (screenshots in tests/artifacts/);
## the export tests train on the page's training file with the CLI, built here.
test-e2e: site
	bash scripts/install-chromium.sh
	cargo build --release -p onoma-ner-cli
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	cd tests/e2e && node --test --test-concurrency=1

## How the page copes with long texts, as a report (timings vary by machine): paste →
## highlights, an edit → drawn again, scroll frames, DOM elements and renderer memory at
## 200 KB and 2 MB (SIZES="200 2000 10000" for more), in headless Debian Chromium.
SIZES ?= 200 2000
bench-page: site
	bash scripts/install-chromium.sh
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	cd tests/e2e && node bench-long.mjs $(SIZES)
