#!/usr/bin/env bash
# 1. Booking throughput on PostgreSQL: successful bookings per second with 64
# concurrent clients on distinct slots, through `/api/book` over HTTP, next to
# pgbench's TPC-B on the same server in the same run.
source "$(dirname "$0")/lib.sh"
port=$((BENCH_PORT + 0))
clients=${BENCH_BOOK_CLIENTS:-64}

url=$(pg_fresh book)
server_start "$url" "$port"
bench_sessions "$url" 800 "$BENCH_TMP/book.sessions"
log "booking: $clients clients on distinct studio hours"
"$BENCH_LOADGEN" --addr "127.0.0.1:$port" --sessions "$BENCH_TMP/book.sessions" \
  book --clients "$clients" >"$BENCH_TMP/book.out"
server_stop "$SERVER_PID"

log "pgbench: TPC-B, scale 10, $clients clients, 15 s"
pg=$(pg_fresh pgbench)
pgbench -i -q -s 10 "$pg" >/dev/null 2>&1
pgbench -c "$clients" -j 2 -T 15 "$pg" >"$BENCH_TMP/pgbench.out" 2>&1
tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$BENCH_TMP/pgbench.out" | head -n1)

o="$BENCH_TMP/book.out"
rate=$(kv "$o" ok_per_s)
figure bookings_per_s "$rate"
figure booking_p99_ms "$(kv "$o" p99_ms)"
figure pgbench_tps "$(printf '%.0f' "$tps")"
echo "| 1 booking | successful bookings/s, $clients clients, distinct slots, PostgreSQL | **$rate/s** ($(kv "$o" ok) booked in $(kv "$o" seconds) s; refused $(kv "$o" refused), errors $(kv "$o" errors); p50 $(kv "$o" p50_ms) ms, p99 $(kv "$o" p99_ms) ms) | pgbench TPC-B, $clients clients: $(printf '%.0f' "$tps") tps | $(ratio "$rate" "$tps") of TPC-B tps |"
