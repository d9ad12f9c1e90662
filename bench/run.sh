#!/usr/bin/env bash
# `make bench`: build the release server and the load generator, run every
# executable bench/NN-*.sh in order (each prints markdown table rows), print
# the table and append it, with the date, machine and commit, to
# docs/BENCHMARKS.md, and write every figure the scripts recorded to
# bench/results/latest.json (for a script comparing runs). To add a
# benchmark, drop in an executable bench/NN-name.sh that sources
# bench/lib.sh (see there), prints rows
# `| item | measurement | result | baseline (same run) | ratio / check |`
# and records their numbers with `figure KEY VALUE`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/ortalyq/target}
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

missing=()
for tool in wrk hyperfine; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get install -y "${missing[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
fi
for tool in pgbench psql jq curl; do
  command -v "$tool" >/dev/null || { echo "make bench needs $tool" >&2; exit 1; }
done
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not running at 127.0.0.1:5432" >&2; exit 1; }

# BENCH_SKIP_BUILD=1: use the release binaries already in $CARGO_TARGET_DIR.
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  # The browser bundle is only needed for the byte counts of item 4.
  if [ "${BENCH_SKIP_SITE:-}" != 1 ] && command -v cargo-leptos >/dev/null; then
    say "building the release site (server + wasm bundle)"
    .ci/ensure-tools release
    cargo leptos build --release --split --precompress
    # Keep this build's site beside its binary and hash.txt: a debug
    # `cargo leptos build` (browser tests) overwrites target/site.
    rm -rf "$CARGO_TARGET_DIR/release/site"
    cp -a target/site "$CARGO_TARGET_DIR/release/site"
  else
    say "cargo-leptos not found (or BENCH_SKIP_SITE=1): the browser measurements (bench/45-browser.sh) are skipped"
  fi
  say "building the release server and the load generator"
  # One package at a time: built together, the load generator's hyper
  # client feature would be unified into the server's dependencies and the
  # server (already built by cargo-leptos) compiled a second time.
  cargo build --release -p server
  cargo build --release -p ortalyq-bench
fi

export BENCH_TMP=$(mktemp -d /tmp/ortalyq-bench.XXXXXX)
export BENCH_PASS_KEY=$(head -c 32 /dev/urandom | base64)
export BENCH_FIGURES="$BENCH_TMP/figures.env"
: >"$BENCH_FIGURES"
# Hundreds of client and server sockets at once.
ulimit -n 65536 2>/dev/null || ulimit -n 20000 2>/dev/null || true

rows="$BENCH_TMP/rows.md"
: >"$rows"
failed=0
started=$(date +%s)
for script in bench/[0-9][0-9]-*.sh; do
  [ -x "$script" ] || continue
  say "$script"
  t0=$(date +%s)
  if ! "$script" >>"$rows"; then
    echo "| $(basename "$script" .sh) | the script failed (see the output of make bench) | **not measured** | – | – |" >>"$rows"
    failed=1
  fi
  say "$script took $(($(date +%s) - t0)) s"
done

commit=$(git rev-parse --short HEAD)
dirty=false
git diff --quiet HEAD -- . ':!docs/BENCHMARKS.md' ':!bench/results' || dirty=true
[ "$dirty" = false ] || commit="$commit (with uncommitted changes)"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
mem_gib=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
mem="$mem_gib GiB"
postgres=$(psql -Atqc 'show server_version' "${BENCH_PG:-postgres://postgres@127.0.0.1:5432}/postgres")
report="$BENCH_TMP/report.md"
{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC') · commit $commit"
  echo
  echo "Command: \`$(env | grep -o '^BENCH_SKIP_[A-Z]*=1' | tr '\n' ' ')make bench\` ($(($(date +%s) - started)) s). Machine: $(nproc) CPUs ($cpu), $mem RAM, $(uname -srm); PostgreSQL $postgres."
  echo
  echo "| item | measurement | result | baseline (same run) | ratio / check |"
  echo "|---|---|---|---|---|"
  cat "$rows"
} >"$report"
cat "$report"
[ -f docs/BENCHMARKS.md ] || printf '# Benchmarks\n\nAppended by `make bench` (see bench/run.sh); newest last.\n' >docs/BENCHMARKS.md
cat "$report" >>docs/BENCHMARKS.md
say "appended to docs/BENCHMARKS.md"
mkdir -p bench/results
bench/figures-json "$BENCH_FIGURES" "${commit%% *}" "$dirty" "$(nproc)" "$cpu" "$mem_gib" "$(uname -srm)" "$postgres" \
  >bench/results/latest.json
rm -rf "$BENCH_TMP"
say "wrote bench/results/latest.json"
exit $failed
