#!/usr/bin/env bash
# 3. Door scans: verify the signature and record the check-in (`/api/scan`,
# the scan station's server fn) for distinct membership cards at a steady
# 200 scans/s, open loop (latency from each scan's due time; a plain
# thread keeps the pace, see loadgen.rs); SQLite and PostgreSQL. The
# verification in the browser's wasm is timed by bench/45-browser.sh.
source "$(dirname "$0")/lib.sh"
rate=${BENCH_SCAN_RATE:-200}
seconds=${BENCH_SCAN_SECONDS:-10}
port=$((BENCH_PORT + 20))

scan_row() { # label url slug
  local o="$BENCH_TMP/scan-$1.out"
  server_start "$2" "$port"
  bench_sessions "$2" $((rate * seconds)) "$BENCH_TMP/scan-$1.sessions"
  log "scan: $rate scans/s for $seconds s on $1"
  "$BENCH_LOADGEN" --addr "127.0.0.1:$port" --sessions "$BENCH_TMP/scan-$1.sessions" \
    scan --rate "$rate" --seconds "$seconds" >"$o"
  server_stop "$SERVER_PID"
  figure "scan_p50_ms_$3" "$(kv "$o" p50_ms)"
  figure "scan_p99_ms_$3" "$(kv "$o" p99_ms)"
  figure "scan_send_late_p99_ms_$3" "$(kv "$o" send_late_p99_ms)"
  local verdict="OK"
  [ "$(kv "$o" ok)" = "$((rate * seconds))" ] || verdict="**FAILED**: not every card admitted"
  echo "| 3 scan | verify + record check-in at $rate scans/s for $seconds s, $1 | p50 **$(kv "$o" p50_ms) ms**, p99 **$(kv "$o" p99_ms) ms**, max $(kv "$o" max_ms) ms; admitted $(kv "$o" ok)/$(kv "$o" requests), errors $(kv "$o" errors); achieved $(kv "$o" achieved_per_s)/s over $(kv "$o" connections) connections; the load generator sent p99 $(kv "$o" send_late_p99_ms) ms after each scan's due time (latency counts from the due time) | – | $verdict |"
}

scan_row SQLite "$(sqlite_url scan)" sqlite
scan_row PostgreSQL "$(pg_fresh scan)" postgres
