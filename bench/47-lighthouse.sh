#!/usr/bin/env bash
# 4. Lighthouse (the npm package, bench/lighthouse/) with Debian's Chromium,
# default settings (a mid-range phone on a slow 4G link, simulated), on a
# visitor's availability page (a studio's week, anonymous) served by the
# release server with the release browser bundle: the performance score,
# the total blocking time and the page weight Lighthouse counts.
source "$(dirname "$0")/lib.sh"
port=$((BENCH_PORT + 47))
chromium=${CHROMIUM:-/usr/bin/chromium}
lh_dir=$BENCH_ROOT/bench/lighthouse

skip() {
  log "Lighthouse skipped: $1"
  echo "| 4 pages | Lighthouse, mobile, a visitor's availability page | not measured: $1 | – | – |"
  exit 0
}
command -v node >/dev/null || skip "node is missing"
[ -x "$chromium" ] || skip "no Chromium at $chromium"
site_matches "$BENCH_SITE_ROOT" ||
  skip "no release browser bundle matching ${BENCH_BIN%/*}/hash.txt at $BENCH_SITE_ROOT (cargo leptos build --release)"
if [ ! -x "$lh_dir/node_modules/.bin/lighthouse" ]; then
  (cd "$lh_dir" && npm ci --no-audit --no-fund >&2) || skip "the lighthouse package is not installed (cd bench/lighthouse && npm ci)"
fi

url=$(sqlite_url lighthouse)
server_start "$url" "$port"
base="http://127.0.0.1:$port"
regional=$(curl -fs -X POST "$base/api/centers" | jq '[.[] | select(.is_regional)][0].id')
studio=$(curl -fs -X POST "$base/api/center" -d "center_id=$regional" | jq '[.spaces[] | select(.kind == "PodcastStudio")][0].id')
page="$base/spaces/$studio"
out="$BENCH_TMP/lighthouse.json"

log "Lighthouse: $page (mobile, default throttling)"
CHROME_PATH=$chromium "$lh_dir/node_modules/.bin/lighthouse" "$page" \
  --only-categories=performance --output=json --output-path="$out" --quiet \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu" >&2 ||
  skip "lighthouse failed (see above)"

read -r score tbt weight fcp lcp tti < <(jq -r '[
    .categories.performance.score,
    (.audits["total-blocking-time"].numericValue | round),
    (.audits["total-byte-weight"].numericValue / 1024 | round),
    (.audits["first-contentful-paint"].numericValue | round),
    (.audits["largest-contentful-paint"].numericValue | round),
    (.audits["interactive"].numericValue | round)
  ] | @tsv' "$out")
figure lighthouse_mobile_performance "$score"
figure lighthouse_total_blocking_ms "$tbt"
figure lighthouse_total_byte_weight_kib "$weight"
figure lighthouse_first_contentful_paint_ms "$fcp"
figure lighthouse_largest_contentful_paint_ms "$lcp"
figure lighthouse_interactive_ms "$tti"
verdict=$(awk -v s="$score" -v t="$tbt" 'BEGIN {
  if (s >= 0.99 && t <= 100) print "OK (targets: score ≥ 0.99, blocking ≤ 100 ms)";
  else print "**below target** (score ≥ 0.99, blocking ≤ 100 ms)" }')
echo "| 4 pages | Lighthouse $(jq -r .lighthouseVersion "$out"), mobile (default settings), availability page \`/spaces/$studio\`, anonymous | performance **$score**, total blocking time **$tbt ms**; first contentful paint $fcp ms, largest $lcp ms, interactive $tti ms; total byte weight $weight KiB | – | $verdict |"
