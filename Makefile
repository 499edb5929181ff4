# The two commands of the quick start are `make dev` and `make test`; both install what they need.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
WASM_TARGET := wasm32-unknown-unknown

.PHONY: help setup dev test lint unit wasm worker e2e deploy-check npm-build npm-test bench bench-npm bench-argon2 bench-worker parity-fixture unicode-tables

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

setup: ## Install the toolchain pieces (idempotent).
	@scripts/setup.sh

dev: setup worker ## Build and serve the Worker on http://127.0.0.1:8787 (local KV, Durable Objects, Queues; outbox providers).
	@[[ -f .dev.vars ]] || { cp .dev.vars.example .dev.vars; echo "dev: wrote .dev.vars from .dev.vars.example"; }
	@grep -Eq '^ENVIRONMENT=development[[:space:]]*$$' .dev.vars || echo "dev: .dev.vars does not set ENVIRONMENT=development, so the Worker applies production rules (no outbox, https:// URLs) and answers 503: add the line from .dev.vars.example"
	WRANGLER_SEND_METRICS=false node_modules/.bin/wrangler dev --local --ip 127.0.0.1 --port 8787 \
	  --persist-to .wrangler/state --show-interactive-dev-session=false

worker: npm-build ## Build the Worker into worker/build (skipped when up to date; zxcvbn built in, WORKER_NO_DEFAULT_FEATURES=1 leaves it out).
	scripts/build-worker.sh

e2e: worker ## The built Worker under wrangler's local runtime, over HTTP, with fake providers.
	node --test --test-concurrency=1 tests/e2e/*.test.mjs

deploy-check: ## Refuse wrangler.toml's REPLACE_WITH_ placeholders and example secrets, then wrangler deploy --dry-run --env production (sizes).
	node scripts/deploy-check.mjs --no-dry-run
	$(MAKE) --no-print-directory worker
	node scripts/deploy-check.mjs

test: setup lint unit wasm worker npm-build npm-test e2e fuzz-short ## Everything CI runs: format, lints, tests, wasm32 builds, the npm package, a short fuzz run.

.PHONY: fuzz-short fuzz-long
FUZZ_SECONDS ?= 15
FUZZ_RUNS ?= 10000000

fuzz-short: setup ## Each cargo-fuzz target for FUZZ_SECONDS (15) from the committed corpus; a crash fails.
	fuzz/run.sh short $(FUZZ_SECONDS)

fuzz-long: setup ## Each cargo-fuzz target for FUZZ_RUNS (10 million) executions, growing the corpus (docs/reliability.md).
	fuzz/run.sh long $(FUZZ_RUNS)

lint: ## rustfmt check and clippy -D warnings, native and wasm32.
	cargo fmt --all --check
	cargo clippy --workspace --exclude pwreset-worker --all-targets --locked -- -D warnings
	cargo clippy -p pwreset-service --locked --target $(WASM_TARGET) -- -D warnings
	cargo clippy -p pwreset-worker --locked --target $(WASM_TARGET) -- -D warnings
	cargo clippy -p pwreset-worker --locked --target $(WASM_TARGET) --no-default-features -- -D warnings
	cargo clippy -p pwreset-core --locked --target $(WASM_TARGET) --no-default-features -- -D warnings
	cargo clippy -p pwreset-core --locked --target $(WASM_TARGET) -- -D warnings
	cargo clippy -p pwreset-wasm --locked --target $(WASM_TARGET) --no-default-features --features policy -- -D warnings
	cargo clippy -p pwreset-wasm --locked --target $(WASM_TARGET) --no-default-features --features strength -- -D warnings
	cargo clippy -p pwreset-wasm --locked --target $(WASM_TARGET) --no-default-features --features hashing -- -D warnings

unit: ## All Rust tests, the Django parity suite included.
	cargo test --workspace --exclude pwreset-worker --locked

wasm: ## The core for wasm32, with and without zxcvbn.
	cargo build -p pwreset-core --locked --target $(WASM_TARGET) --no-default-features
	cargo build -p pwreset-core --locked --target $(WASM_TARGET)

npm-build: setup ## Build the npm package's wasm modules into npm/dist (skipped when up to date).
	scripts/build-npm.sh

npm-test: npm-build ## The npm package's tests: API, parity, native agreement, client, consumers (Node, Vite, webpack, TypeScript), Chromium.
	node --test npm/test/*.test.js

bench: bench-npm bench-argon2 bench-worker ## Every benchmark (figures go to docs/benchmarks.md).
	cargo bench -p pwreset-core --bench policy
	cargo bench -p pwreset-core --bench secrets

bench-npm: setup npm-build ## The npm package: checks/s against zxcvbn-ts, boundary, first check, sizes, keystrokes in Chromium.
	node npm/bench/strength.mjs
	node npm/bench/sizes.mjs
	node npm/bench/keystrokes.mjs

bench-argon2: setup ## argon2id natively and as wasm under Node, one run.
	cargo build --locked -p pwreset-wasm --target $(WASM_TARGET) --profile wasm-release --no-default-features --features hashing
	wasm-bindgen --target web --no-typescript --out-dir target/wasm-bench --out-name pwreset_hashing \
	  target/$(WASM_TARGET)/wasm-release/pwreset_wasm.wasm
	node crates/pwreset-wasm/bench/argon2.mjs

bench-worker: setup worker ## The Worker: size, start-up, requests/s per route (wrk), each flow natively and as wasm.
	@command -v wrk >/dev/null || { echo "bench-worker: wrk is missing (apt-get install -y wrk)"; exit 1; }
	cargo bench -p pwreset-service --bench flows
	benches/worker/build-flow-cost.sh
	node benches/worker/size.mjs
	node benches/worker/startup.mjs
	node benches/worker/load.mjs
	node benches/worker/flow-cost.mjs

.PHONY: bench-load bench-timing bench-bruteforce bench-sidebyside
bench-load: setup worker ## 100 clients for 60 s on every request and submit route; 0 5xx, delivered once, resets visible.
	node benches/attack/load.mjs

bench-timing: setup worker ## Enumeration by timing: existing vs unknown accounts, 1,000 each per route, interleaved.
	node benches/attack/timing.mjs

bench-bruteforce: setup worker ## Guessing a live code under the dev and the production limits, from one IP and from many.
	node benches/attack/bruteforce.mjs

bench-sidebyside: setup worker ## CPU per password-setting request and size: the Rust Worker vs a JavaScript Worker (zxcvbn-ts, PBKDF2).
	cd worker && WASM_BINDGEN_BIN="$$HOME/.cargo/bin/wasm-bindgen" \
	  WASM_OPT_BIN="$$PWD/../node_modules/.bin/wasm-opt" ESBUILD_BIN="$$PWD/../node_modules/@esbuild/linux-x64/bin/esbuild" \
	  worker-build --release --out-dir ../target/bench-attack/worker-strength -- --features strength
	node benches/attack/sidebyside.mjs

parity-fixture: ## Regenerate tests/parity/django-5.2.jsonl with Django 5.2 from PyPI.
	python3 -m venv target/django-parity
	target/django-parity/bin/pip install --quiet "django==5.2.*"
	target/django-parity/bin/python tests/parity/generate_django_cases.py > tests/parity/django-5.2.jsonl

unicode-tables: ## Regenerate the Python character tables from this machine's python3.
	python3 scripts/gen_unicode_tables.py > crates/pwreset-core/src/text/tables.rs
	cargo fmt -p pwreset-core
