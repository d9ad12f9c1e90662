# Ortalyq: `make run` serves the app with demo data; `make test` runs everything.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
# Build cache outside the clone, so fresh clones (CI) reuse it.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/ortalyq/target
PG_ADMIN ?= postgres://postgres@127.0.0.1:5432
export ORTALYQ_TEST_PG ?= $(PG_ADMIN)

.PHONY: run test build test-unit test-db test-api test-e2e lint fmt clean-test-dbs bench

## Build a release and serve it on SQLite with demo data at http://127.0.0.1:3000
run:
	@.ci/ensure-tools release
	cargo leptos build --release --split --precompress
	@mkdir -p data
	ORTALYQ_SEED_DEMO=1 ORTALYQ_DEMO_HISTORY_DAYS=$${ORTALYQ_DEMO_HISTORY_DAYS:-56} LEPTOS_OUTPUT_NAME=ortalyq LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
	  LEPTOS_SITE_ADDR=$${LEPTOS_SITE_ADDR:-127.0.0.1:3000} LEPTOS_ENV=PROD \
	  $(CARGO_TARGET_DIR)/release/ortalyq serve

## Everything: lint, unit tests, DB tests on SQLite and PostgreSQL, browser test
test: lint test-unit test-db test-api test-e2e
	@echo "make test: all suites passed"

build:
	@.ci/ensure-tools build
	cargo leptos build --split

lint:
	cargo fmt --all -- --check
	.ci/arch-report --check --check-layers
	cargo clippy -p app -p server -p migrations --features app/ssr --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

## Pure domain rules, i18n, errors (no database, no browser).
## app and server go in one cargo call (here and in lint) so their dependencies
## resolve to one feature set and are compiled once, not once per package.
test-unit:
	cargo test -p app -p server --features app/ssr --lib

## Services and HTTP endpoints, each test on SQLite and on PostgreSQL
test-db: clean-test-dbs
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not running at 127.0.0.1:5432 (.ci/run starts it)"; exit 1; }
	@echo "== integration suites: SQLite and PostgreSQL =="
	cargo test -p server --test services --test scheduling --test door --test clubs --test http --test programs --test lending --test reporting --test synthetic --test faults --test badinput --test ops --test shutdown --test api --test notify --test security --test region --test spaces --test content --test pagecache --test islands --test sms --test telegram -- --test-threads=2
	@$(MAKE) --no-print-directory clean-test-dbs

## The REST API's OpenAPI document fuzzed by schemathesis (no 5xx, answers as documented)
test-api:
	cargo build -p server --bin ortalyq
	.ci/api-fuzz

## Browser tests in headless Chromium (SQLite), then the slice again on PostgreSQL
test-e2e:
	@.ci/ensure-tools test
	cargo leptos build --split
	cd end2end && npm test
	@psql "$(PG_ADMIN)/postgres" -qc "DROP DATABASE IF EXISTS ortalyq_t_e2e WITH (FORCE)" -c "CREATE DATABASE ortalyq_t_e2e"
	cd end2end && E2E_DATABASE_URL=$(PG_ADMIN)/ortalyq_t_e2e node --test tests/slice.test.mjs
	@psql "$(PG_ADMIN)/postgres" -qc "DROP DATABASE IF EXISTS ortalyq_t_e2e WITH (FORCE)"

## Benchmarks (not part of `make test`): builds in release mode, runs every
## bench/NN-*.sh, prints the table and appends it to docs/BENCHMARKS.md
bench:
	bench/run.sh

## Drop databases left behind by interrupted test runs
clean-test-dbs:
	@psql "$(PG_ADMIN)/postgres" -Atqc "select datname from pg_database where datname like 'ortalyq_t_%'" 2>/dev/null \
	  | while read -r db; do psql "$(PG_ADMIN)/postgres" -qc "DROP DATABASE IF EXISTS \"$$db\" WITH (FORCE)" >/dev/null; done || true

fmt:
	cargo fmt --all
