#!/usr/bin/env bash
# 2. Race storm: 500 members ask for one single-capacity slot at the same
# instant, then 500 for one hour of the 20-seat coworking pool; SQLite,
# PostgreSQL, and two server instances sharing one PostgreSQL. Exactly the
# capacity may be accepted.
source "$(dirname "$0")/lib.sh"
n=${BENCH_STORM_REQUESTS:-500}

storm_rows() { # label addrs sessions slug
  local label=$1 addrs=$2 sessions=$3 slug=$4 kind offset o verdict want
  for kind in PodcastStudio Coworking; do
    offset=0
    [ "$kind" = Coworking ] && offset=$n
    o="$BENCH_TMP/storm-$label-$kind.out"
    log "race storm: $n requests for one $kind slot on $label"
    "$BENCH_LOADGEN" --addr "$addrs" --sessions "$sessions" \
      storm --kind "$kind" --requests "$n" --member-offset "$offset" >"$o"
    want=$(kv "$o" capacity)
    figure "race_${slug}_${kind,,}_accepted" "$(kv "$o" ok)"
    figure "race_${slug}_${kind,,}_capacity" "$want"
    if [ "$(kv "$o" ok)" = "$want" ] && [ "$(kv "$o" seats_taken)" = "$want" ] && [ "$(kv "$o" errors)" = 0 ]; then
      verdict="OK: exactly $want accepted"
    else
      verdict="**FAILED**: want $want accepted, no errors"
    fi
    echo "| 2 race storm | $n simultaneous bookings, $kind (capacity $want), $label | accepted **$(kv "$o" ok)**, refused $(kv "$o" refused) ($(kv "$o" codes)), errors $(kv "$o" errors); p50 $(kv "$o" p50_ms) ms, p99 $(kv "$o" p99_ms) ms; seats taken afterwards $(kv "$o" seats_taken) | – | $verdict |"
  done
}

# SQLite
port=$((BENCH_PORT + 10))
url=$(sqlite_url storm)
server_start "$url" "$port"
bench_sessions "$url" $((2 * n)) "$BENCH_TMP/storm-sqlite.sessions"
storm_rows SQLite "127.0.0.1:$port" "$BENCH_TMP/storm-sqlite.sessions" sqlite
server_stop "$SERVER_PID"

# PostgreSQL, one instance
url=$(pg_fresh storm)
server_start "$url" "$port"
bench_sessions "$url" $((2 * n)) "$BENCH_TMP/storm-pg.sessions"
storm_rows PostgreSQL "127.0.0.1:$port" "$BENCH_TMP/storm-pg.sessions" postgres
server_stop "$SERVER_PID"

# PostgreSQL, two instances (requests alternate between them)
url=$(pg_fresh storm2)
server_start "$url" "$port"
first=$SERVER_PID
server_start "$url" $((port + 1))
second=$SERVER_PID
bench_sessions "$url" $((2 * n)) "$BENCH_TMP/storm-pg2.sessions"
storm_rows "2 instances, one PostgreSQL" "127.0.0.1:$port,127.0.0.1:$((port + 1))" "$BENCH_TMP/storm-pg2.sessions" postgres_2_instances
server_stop "$first"
server_stop "$second"
