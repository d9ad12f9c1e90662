#!/usr/bin/env bash
# 3 and 4 in headless Chromium against the release server and the release
# browser bundle (bench/browser.mjs): the compressed bytes of everything the
# booking page and the scan page load, and the time the offline scan
# station takes to verify a pass in wasm.
source "$(dirname "$0")/lib.sh"
port=$((BENCH_PORT + 45))
chromium=${CHROMIUM:-/usr/bin/chromium}

skip() {
  log "browser measurements skipped: $1"
  echo "| 4 pages | bytes the booking and scan pages load (Chromium) | not measured: $1 | – | – |"
  echo "| 3 scan | pass verification in the browser (wasm) | not measured: $1 | – | – |"
  exit 0
}
command -v node >/dev/null || skip "node is missing"
[ -x "$chromium" ] || skip "no Chromium at $chromium"
if [ ! -d "$BENCH_ROOT/end2end/node_modules/playwright-core" ]; then
  (cd "$BENCH_ROOT/end2end" && npm ci --no-audit --no-fund >&2) || skip "playwright-core is not installed (cd end2end && npm ci)"
fi
site_matches "$BENCH_SITE_ROOT" ||
  skip "no release browser bundle matching ${BENCH_BIN%/*}/hash.txt at $BENCH_SITE_ROOT (cargo leptos build --release; BENCH_SKIP_SITE=1 skips it)"

url=$(sqlite_url browser)
server_start "$url" "$port"
bench_sessions "$url" 1 "$BENCH_TMP/browser.sessions"
base="http://127.0.0.1:$port"
regional=$(curl -fs -X POST "$base/api/centers" | jq '[.[] | select(.is_regional)][0].id')
studio=$(curl -fs -X POST "$base/api/center" -d "center_id=$regional" | jq '[.spaces[] | select(.kind == "PodcastStudio")][0].id')

log "browser: bytes of the booking and scan pages, wasm pass verification"
BASE=$base STUDIO=$studio CHROMIUM=$chromium \
  DESK=$(sed -n 's/^desk //p' "$BENCH_TMP/browser.sessions") \
  VISITOR=$(sed -n 's/^visitor //p' "$BENCH_TMP/browser.sessions" | head -n1) \
  node "$BENCH_ROOT/bench/browser.mjs"
