#!/usr/bin/env bash
# Reports on a synthetic year (issues #7 and #8, item 5), on SQLite and on
# PostgreSQL: how long `ortalyq seed-synthetic` takes and what it writes,
# then the latency of the directors' dashboard, the regional roll-up and
# the exports over a month and over the whole year, measured with hyperfine
# through the real server (release build) signed in as the regional admin.
# Prints a markdown section on stdout (run by `make bench`, where BENCH_TMP
# is set: table rows in the harness's format); progress goes to stderr.
#
#   bench/50-reports.sh            (the release binary must be built:
#                                   cargo build -p server --release)
# Environment: ORTALYQ_BIN, BENCH_CENTERS (15), BENCH_DAYS (365),
# BENCH_RUNS (5), BENCH_REPORTS_PORT (3590), PG_ADMIN.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ortalyq/target}"
BIN="${ORTALYQ_BIN:-$CARGO_TARGET_DIR/release/ortalyq}"
PORT="${BENCH_REPORTS_PORT:-3590}"
CENTERS="${BENCH_CENTERS:-15}"
DAYS="${BENCH_DAYS:-365}"
RUNS="${BENCH_RUNS:-5}"
PG="${PG_ADMIN:-postgres://postgres@127.0.0.1:5432}"
PGDB=bench_reports
log() { echo "[reports] $*" >&2; }

[ -x "$BIN" ] || { echo "build the release binary first: cargo build -p server --release" >&2; exit 1; }
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
command -v jq >/dev/null || apt-get install -y jq >/dev/null

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Dates in center time (UTC+5): the history ends yesterday.
to=$(TZ=Asia/Almaty date -d yesterday +%F)
month_from=$(TZ=Asia/Almaty date -d "$to -29 days" +%F)
year_from=$(TZ=Asia/Almaty date -d "$to -$((DAYS - 1)) days" +%F)
base="http://127.0.0.1:$PORT"

# The server's environment for database URL $1 (an `env` command line).
server_env() {
  echo env DATABASE_URL="$1" ORTALYQ_DATA_DIR="$work" RUST_LOG=warn \
    LEPTOS_OUTPUT_NAME=ortalyq LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_ENV=PROD
}

# mean and max in ms of one URL with the session cookie; under make bench
# the mean is also the figure reports_<backend>_<key>_ms.
measure() {
  local name="$1" url="$2" key="$3" out="$work/h.json"
  hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$out" \
    "curl -sf -o /dev/null -b $work/jar '$base$url'" >/dev/null 2>&1 || { echo "| $name | failed | |"; return; }
  if [ -n "${BENCH_FIGURES:-}" ]; then
    echo "reports_${backend}_${key}_ms=$(jq '.results[0].mean * 1000 | round' "$out")" >>"$BENCH_FIGURES"
  fi
  local bytes
  bytes=$(curl -sf -b "$work/jar" "$base$url" | wc -c)
  if [ -n "${BENCH_TMP:-}" ]; then
    jq -r --arg n "$name" --arg b "$bytes" --arg db "$backend" \
      '.results[0] | "| 5 Reports (\($db)) | \($n) | \((.mean*1000)|round) ms mean, \((.max*1000)|round) ms max, \(($b|tonumber/1024)|round) KiB | – | – |"' "$out"
  else
    jq -r --arg n "$name" --arg b "$bytes" \
      '.results[0] | "| \($n) | \((.mean*1000)|round) ms | \((.max*1000)|round) ms | \(($b|tonumber/1024)|round) KiB |"' "$out"
  fi
}
# Section text only when run on its own.
say_md() { [ -n "${BENCH_TMP:-}" ] || echo "$@"; }

say_md "### Reports on a synthetic year ($CENTERS centers, $DAYS days)"
say_md
say_md "Command: \`bench/50-reports.sh\` (release build; hyperfine, $RUNS runs after a warm-up, through HTTP with a signed-in admin)."
say_md "Month = $month_from – $to, year = $year_from – $to."
for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then
    url="sqlite://$work/synthetic.db?mode=rwc"
  else
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null
    url="$PG/$PGDB"
  fi
  log "$backend: seed-synthetic --centers $CENTERS --days $DAYS"
  # shellcheck disable=SC2046
  seed_out=$(/usr/bin/time -f 'TIME %e %M' $(server_env "$url") "$BIN" seed-synthetic --centers "$CENTERS" --days "$DAYS" 2>&1)
  wall=$(echo "$seed_out" | awk '/^TIME/ {print $2}')
  rss=$(echo "$seed_out" | awk '/^TIME/ {printf "%.0f", $3/1024}')
  summary=$(echo "$seed_out" | grep '^synthetic region' | sed 's/^synthetic region written in [0-9.]* s: //')
  if [ "$backend" = sqlite ]; then
    size=$(du -m "$work/synthetic.db" | cut -f1)
  else
    size=$(psql "$PG/$PGDB" -Atc "select pg_database_size('$PGDB')/1048576")
  fi
  log "$backend: serving"
  # shellcheck disable=SC2046
  $(server_env "$url") "$BIN" serve >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf -o /dev/null "$base/" && break; sleep 0.2; done
  curl -sf -c "$work/jar" -o /dev/null -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'login=director0%40synthetic.ortalyq.kz&password=ortalyq-demo' "$base/api/login"
  say_md
  say_md "#### $backend"
  say_md
  say_md "seed-synthetic: ${wall} s wall, ${rss} MiB peak RSS, database ${size} MiB; wrote $summary."
  say_md
  say_md "| request | mean | max | body |"
  say_md "|---|---|---|---|"
  if [ -n "${BENCH_TMP:-}" ]; then
    echo "| 5 Reports ($backend) | seed-synthetic --centers $CENTERS --days $DAYS | ${wall} s, ${rss} MiB RSS, ${size} MiB database; $summary | – | – |"
  fi
  measure "center dashboard, month" "/director/reports?center=1&from=$month_from&to=$to" center_month
  measure "center dashboard, year" "/director/reports?center=1&from=$year_from&to=$to" center_year
  measure "regional roll-up ($CENTERS centers), month" "/director/region?from=$month_from&to=$to" region_month
  measure "regional roll-up ($CENTERS centers), year" "/director/region?from=$year_from&to=$to" region_year
  measure "center export XLSX, year" "/reports/center.xlsx?center=1&from=$year_from&to=$to" center_xlsx_year
  measure "center export CSV (spaces), year" "/reports/center.csv?center=1&from=$year_from&to=$to&table=spaces" center_csv_year
  measure "regional export XLSX, year" "/reports/region.xlsx?from=$year_from&to=$to" region_xlsx_year
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
