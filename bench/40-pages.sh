#!/usr/bin/env bash
# 4. Pages: requests/s and p99 of the availability page (a studio's week,
# anonymous), the home page (the list of centers, anonymous) and the scan
# station page (signed-in front desk), rendered on the server, next to a
# minimal axum hello-world in the same run. The bytes
# each page loads are counted in a browser by bench/45-browser.sh.
source "$(dirname "$0")/lib.sh"
port=$((BENCH_PORT + 30))
hello_port=$((BENCH_PORT + 90))
seconds=${BENCH_PAGE_SECONDS:-10}
conns=${BENCH_PAGE_CONNECTIONS:-32}
# What a browser sends; the same for both servers.
accept='Accept-Encoding: br, gzip'

# wrk_run URL [HEADER]: prints "rps p99_ms"
wrk_run() {
  local out
  if [ $# -gt 1 ]; then
    out=$(wrk -t2 -c"$conns" -d"${seconds}s" --latency -H "$accept" -H "$2" "$1")
  else
    out=$(wrk -t2 -c"$conns" -d"${seconds}s" --latency -H "$accept" "$1")
  fi
  echo "$out" >&2
  echo "$out" | awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
      if (u == "us") v = v / 1000; else if (u == "s") v = v * 1000; else if (u == "m") v = v * 60000;
      p99 = v }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.1f %d\n", rps, p99, bad }'
}

"$BENCH_HELLO" "127.0.0.1:$hello_port" &
hello=$!
_bench_pids+=("$hello")
url=$(pg_fresh pages)
server_start "$url" "$port"
bench_sessions "$url" 1 "$BENCH_TMP/pages.sessions"
desk="Cookie: oq_session=$(sed -n 's/^desk //p' "$BENCH_TMP/pages.sessions")"
base="http://127.0.0.1:$port"
regional=$(curl -fs -X POST "$base/api/centers" | jq '[.[] | select(.is_regional)][0].id')
studio=$(curl -fs -X POST "$base/api/center" -d "center_id=$regional" | jq '[.spaces[] | select(.kind == "PodcastStudio")][0].id')
until curl -fs -o /dev/null "http://127.0.0.1:$hello_port/"; do sleep 0.1; done

log "pages: hello-world, availability page, home page, scan page ($conns connections, $seconds s each)"
read -r h_rps h_p99 _ < <(wrk_run "http://127.0.0.1:$hello_port/")
read -r a_rps a_p99 a_bad < <(wrk_run "$base/spaces/$studio")
read -r c_rps c_p99 c_bad < <(wrk_run "$base/")
read -r s_rps s_p99 s_bad < <(wrk_run "$base/desk/scan" "$desk")
figure hello_rps "$h_rps"
figure hello_p99_ms "$h_p99"
figure availability_page_rps "$a_rps"
figure availability_page_p99_ms "$a_p99"
figure availability_page_ratio "$(ratio "$a_rps" "$h_rps")"
figure home_page_rps "$c_rps"
figure home_page_p99_ms "$c_p99"
figure scan_page_rps "$s_rps"
figure scan_page_p99_ms "$s_p99"
figure scan_page_ratio "$(ratio "$s_rps" "$h_rps")"
echo "| 4 pages | availability page \`/spaces/$studio\` (server-rendered, anonymous), $conns connections | **$a_rps req/s**, p99 $a_p99 ms (non-2xx: $a_bad) | axum hello-world: $h_rps req/s, p99 $h_p99 ms | $(ratio "$a_rps" "$h_rps") of hello-world |"
echo "| 4 pages | home page \`/\` (list of centers, server-rendered, anonymous), $conns connections | **$c_rps req/s**, p99 $c_p99 ms (non-2xx: $c_bad) | axum hello-world: $h_rps req/s, p99 $h_p99 ms | $(ratio "$c_rps" "$h_rps") of hello-world |"
echo "| 4 pages | scan page \`/desk/scan\` (front desk signed in), $conns connections | **$s_rps req/s**, p99 $s_p99 ms (non-2xx: $s_bad) | axum hello-world: $h_rps req/s, p99 $h_p99 ms | $(ratio "$s_rps" "$h_rps") of hello-world |"
