# Helpers for the bench/NN-*.sh scripts (sourced, not run).
#
# Environment set by bench/run.sh (defaults let a script run alone):
#   BENCH_BIN       release `ortalyq` binary
#   BENCH_LOADGEN   release `loadgen` binary (bench/src/bin/loadgen.rs)
#   BENCH_HELLO     release `hello` binary (the axum baseline)
#   BENCH_PG        PostgreSQL admin URL without a database name
#   BENCH_SITE_ROOT cargo-leptos release site (static files), may be absent;
#                   see site_matches
#   BENCH_PORT      first of the ports this run may use (100 of them)
#   BENCH_TMP       scratch directory of this run
#   BENCH_FIGURES   `key=value` lines for bench/results/latest.json
# A script prints markdown table rows `| item | measurement | result |
# baseline (same run) | ratio / check |` on stdout; diagnostics go to stderr.
# Next to a row it records the row's numbers with `figure KEY VALUE` (keys in
# snake_case with their unit, e.g. `scan_p99_ms_sqlite`); bench/run.sh
# writes them all to bench/results/latest.json.
set -euo pipefail

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/ortalyq/target}
BENCH_BIN=${BENCH_BIN:-$CARGO_TARGET_DIR/release/ortalyq}
BENCH_LOADGEN=${BENCH_LOADGEN:-$CARGO_TARGET_DIR/release/loadgen}
BENCH_HELLO=${BENCH_HELLO:-$CARGO_TARGET_DIR/release/hello}
BENCH_PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
# site_matches SITE: whether SITE/pkg holds the script, wasm and stylesheet
# that the release binary's hash.txt names (cargo-leptos `hash-files`: every
# build has its own names, so a debug build's site does not fit).
site_matches() {
  local hashes=${BENCH_BIN%/*}/hash.txt ext hash
  [ -f "$hashes" ] || return 1
  for ext in js wasm css; do
    hash=$(sed -n "s/^$ext: *//p" "$hashes")
    [ -n "$hash" ] && [ -f "$1/pkg/ortalyq.$hash.$ext" ] || return 1
  done
}
# The release site: bench/run.sh keeps a copy beside the release binary
# (a later debug `cargo leptos build` replaces target/site).
if [ -z "${BENCH_SITE_ROOT:-}" ]; then
  BENCH_SITE_ROOT=$BENCH_ROOT/target/site
  if ! site_matches "$BENCH_SITE_ROOT" && site_matches "${BENCH_BIN%/*}/site"; then
    BENCH_SITE_ROOT=${BENCH_BIN%/*}/site
  fi
fi
BENCH_PORT=${BENCH_PORT:-3500}
_bench_own_tmp=
if [ -z "${BENCH_TMP:-}" ]; then
  BENCH_TMP=$(mktemp -d /tmp/ortalyq-bench.XXXXXX)
  _bench_own_tmp=1
fi
# The same instant as the tests: Tuesday 1 December 2026, 10:50 in Karaganda
# (the centers are open, the 11:00 slot is the next one).
BENCH_CLOCK=${BENCH_CLOCK:-2026-12-01T10:50:00+05:00}
# One pass-signing key for every instance, so two servers accept each
# other's passes.
BENCH_PASS_KEY=${BENCH_PASS_KEY:-$(head -c 32 /dev/urandom | base64)}
BENCH_FIGURES=${BENCH_FIGURES:-$BENCH_TMP/figures.env}
export BENCH_BIN BENCH_LOADGEN BENCH_HELLO BENCH_PG BENCH_SITE_ROOT BENCH_PORT BENCH_TMP BENCH_CLOCK BENCH_PASS_KEY BENCH_FIGURES

_bench_pids=()
# Databases this script created (pg_fresh runs in command substitutions,
# i.e. subshells, so the list lives in a file).
_bench_dbs_file="$BENCH_TMP/dbs.$$"

bench_cleanup() {
  local pid db
  for pid in "${_bench_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${_bench_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ -f "$_bench_dbs_file" ]; then
    while read -r db; do
      psql "$BENCH_PG/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done <"$_bench_dbs_file"
    rm -f "$_bench_dbs_file"
  fi
  if [ -n "$_bench_own_tmp" ]; then rm -rf "$BENCH_TMP"; fi
}
trap bench_cleanup EXIT

log() { printf '[bench] %s\n' "$*" >&2; }

# figure KEY VALUE: a number for bench/results/latest.json (a value that is
# not a number is kept as text; an empty one is skipped).
figure() {
  [ -n "$2" ] || return 0
  printf '%s=%s\n' "$1" "$2" >>"$BENCH_FIGURES"
  log "figure $1=$2"
}

# pg_fresh NAME: (re)create database bench_NAME, print its URL.
pg_fresh() {
  local db="bench_$1"
  echo "$db" >>"$_bench_dbs_file"
  psql "$BENCH_PG/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" >/dev/null 2>&1
  echo "$BENCH_PG/$db"
}

# sqlite_url NAME: a fresh SQLite file in the scratch directory.
sqlite_url() {
  mkdir -p "$BENCH_TMP/$1"
  rm -f "$BENCH_TMP/$1/bench.db"*
  echo "sqlite://$BENCH_TMP/$1/bench.db?mode=rwc"
}

# The environment of an `ortalyq` process on DATABASE_URL $1, port $2, in
# the array ORTALYQ_ENV.
_ortalyq_env() {
  local data="$BENCH_TMP/data-$2"
  mkdir -p "$data"
  ORTALYQ_ENV=(DATABASE_URL="$1" ORTALYQ_DATA_DIR="$data" ORTALYQ_FROZEN_CLOCK="$BENCH_CLOCK"
    ORTALYQ_PASS_KEY="$BENCH_PASS_KEY" LEPTOS_OUTPUT_NAME=ortalyq LEPTOS_SITE_ROOT="$BENCH_SITE_ROOT"
    LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:$2" LEPTOS_ENV=PROD RUST_LOG=warn)
}

# server_start DATABASE_URL PORT: serve (seeding the demo data into an empty
# database), wait until it answers; sets SERVER_PID.
server_start() {
  local url=$1 port=$2 i
  _ortalyq_env "$url" "$port"
  env "${ORTALYQ_ENV[@]}" ORTALYQ_SEED_DEMO=1 "$BENCH_BIN" serve \
    >"$BENCH_TMP/server-$port.log" 2>&1 &
  SERVER_PID=$!
  _bench_pids+=("$SERVER_PID")
  for i in $(seq 1 600); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/api/centers" -X POST; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      cat "$BENCH_TMP/server-$port.log" >&2
      log "server on port $port exited"
      return 1
    fi
    sleep 0.1
  done
  log "server on port $port did not answer within 60 s"
  return 1
}

# server_stop PID
server_stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# bench_sessions DATABASE_URL N FILE: N visitor sessions + the desk's.
bench_sessions() {
  _ortalyq_env "$1" 0
  env "${ORTALYQ_ENV[@]}" "$BENCH_BIN" bench-sessions --visitors "$2" >"$3"
}

# kv FILE KEY: the value of a `key=value` line of loadgen output.
kv() { sed -n "s/^$2=//p" "$1" | head -n1; }

# ratio A B: A/B, two significant digits.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2g", a / b; else print "n/a" }'; }

# rss_kb PID: resident set size in KiB.
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
