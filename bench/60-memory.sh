#!/usr/bin/env bash
# 6. Memory: the server's resident set idle (demo data, after a first page)
# and at its peak while 1,000 signed-in members each hold a connection and
# ask "who am I" once a second; PostgreSQL.
source "$(dirname "$0")/lib.sh"
port=$((BENCH_PORT + 40))
clients=${BENCH_HOLD_CLIENTS:-1000}
seconds=${BENCH_HOLD_SECONDS:-20}

url=$(pg_fresh memory)
server_start "$url" "$port"
bench_sessions "$url" "$clients" "$BENCH_TMP/memory.sessions"
curl -fs -o /dev/null "http://127.0.0.1:$port/"
sleep 2
idle=$(rss_kb "$SERVER_PID")
log "memory: $clients clients holding connections for $seconds s"
"$BENCH_LOADGEN" --addr "127.0.0.1:$port" --sessions "$BENCH_TMP/memory.sessions" \
  hold --clients "$clients" --seconds "$seconds" >"$BENCH_TMP/memory.out" &
gen=$!
peak=$idle
while kill -0 "$gen" 2>/dev/null; do
  now=$(rss_kb "$SERVER_PID")
  [ "$now" -gt "$peak" ] && peak=$now
  sleep 0.25
done
wait "$gen"
o="$BENCH_TMP/memory.out"
figure memory_idle_mib "$(awk -v k="$idle" 'BEGIN { printf "%.1f", k / 1024 }')"
figure memory_peak_mib "$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')"
echo "| 6 memory | server RSS idle (demo data, PostgreSQL) | **$(mib "$idle")** | – | – |"
echo "| 6 memory | server RSS peak, $clients signed-in clients holding connections, 1 request/s each for $seconds s | **$(mib "$peak")** ($(kv "$o" ok) requests answered, errors $(kv "$o" errors), p99 $(kv "$o" p99_ms) ms) | idle: $(mib "$idle") | $(awk -v p="$peak" -v i="$idle" -v n="$clients" 'BEGIN { printf "%.1f KiB per session", (p - i) / n }') |"
