#!/usr/bin/env bash
# Reproduces the TokenUpdate benchmark from scratch on this machine and prints one Markdown table
# (issue 4, part 2): PostgreSQL up, jars built, a fresh database migrated by the gateway, the
# enrollments seeded to --size, then
#   (a) PostgreSQL's ceiling for the gateway's own batched upsert (pgbench, 256 rows a statement),
#   (b) the raw HTTP ceiling of the gateway's Reactor Netty server (wrk on GET /healthz),
#   (c) the NanoMDM design bound (pgbench, NanoMDM's three autocommit statements per TokenUpdate),
#   the gateway's durable TokenUpdates/s at 64 and 256 connections (the load tester, or wrk with
#   bench/tokenupdate.lua when loadtest/target/mdm-loadtest.jar is not there),
# and the ratios of the gateway's figures to (a), (b), (c).
#
#   scripts/bench.sh [--size 10k|1m|10m|N] [--seconds 30] [--warmup 60] [--skip-build] [--seed-only]
#
# --seconds: each measurement; --warmup: seconds of load on the gateway before each measured run
# (C2 keeps compiling for about a minute, so short warm-ups understate a long-running gateway);
# --seed-only: stop after seeding and print the seeding times. BENCH_LOADTEST_JAR: another jar.
#
# Everything runs on this one machine: the gateway, PostgreSQL, pgbench and the load generator
# share its cores, so every figure is a floor for a deployment with separate machines. Needs: a
# JDK 17+, curl, wrk; PostgreSQL at 127.0.0.1:5432 (user postgres, trust), started or installed as
# .ci/run does (Debian). The database is $BENCH_DB (default mdmgw_bench_script), dropped and made
# anew each run; logs and pgbench scripts go to target/bench/. The gateway listens on
# $BENCH_HTTP_PORT/$BENCH_MGMT_PORT (default: the first free ports from 28080/29090).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/scripts/bench
# shellcheck source=bench/lib.sh
source "$here/lib.sh"

size=10k
secs=30
skip_build=false
seed_only=false
warmup=60
while [[ $# -gt 0 ]]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    --warmup) warmup=${2%s}; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --seed-only) seed_only=true; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
case $size in
  *[kK]) devices=$(( ${size%[kK]} * 1000 )) ;;
  *[mM]) devices=$(( ${size%[mM]} * 1000000 )) ;;
  *) devices=$size ;;
esac
[[ $devices =~ ^[0-9]+$ && $devices -ge 1000 ]] || die "--size must be at least 1k (got $size)"
[[ $secs =~ ^[0-9]+$ && $secs -ge 1 ]] || die "--seconds must be a whole number"

db=${BENCH_DB:-mdmgw_bench_script}
# Ports of the gateway: the first free ones from 28080 and 29090 unless given (other gateways and
# load tests may be running on this machine).
http_port=${BENCH_HTTP_PORT:-$(first_free_port 28080)}
mgmt_port=${BENCH_MGMT_PORT:-$(first_free_port 29090 "$http_port")}
work=$root/target/bench
rm -rf "$work" && mkdir -p "$work"
trap 'stop_gateway' EXIT
trap 'exit 130' INT TERM

# --- 1. PostgreSQL, jars, a fresh migrated database ----------------------------------------------
ensure_postgres
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
ensure_jars "$skip_build"
if [[ -f $(loadtest_jar) ]]; then
  generator="mdm-loadtest ($(basename "$(loadtest_jar)"))"
  prefix=LOADTEST- first=0   # the seeded ids must be the ones the generator sends
else
  generator="wrk + bench/tokenupdate.lua (no loadtest/target/mdm-loadtest.jar: fallback)"
  prefix=BENCH- first=1      # bench/tokenupdate.lua's ids
  log "no $(loadtest_jar): the gateway figure comes from wrk with bench/tokenupdate.lua"
fi
log "fresh database $db; the gateway migrates it"
fresh_database
start_gateway migrate
stop_gateway

# --- 2. seed -------------------------------------------------------------------------------------
seed() {
  local t0 t1 t2
  log "seeding $devices enrollments ($prefix%09d from $first)"
  t0=$(date +%s.%N)
  pg -d "$db" -v devices="$devices" -v first="$first" -v prefix="$prefix" -f "$here/seed.sql" >>"$work/seed.log"
  pg -d "$db" -c '\timing on' -c 'VACUUM ANALYZE devices' -c 'VACUUM ANALYZE enrollments' >>"$work/seed.log"
  t1=$(date +%s.%N)
  pg -d "$db" -f "$here/nanomdm-schema.sql"
  pg -d "$db" -v devices="$devices" -v first="$first" -v prefix="$prefix" -v token_update="$(cat "$here/tokenupdate.plist")" \
    -f "$here/nanomdm-seed.sql" >>"$work/seed.log"
  pg -d "$db" -c 'VACUUM ANALYZE nanomdm.devices' -c 'VACUUM ANALYZE nanomdm.enrollments' \
    -c 'VACUUM ANALYZE nanomdm.cert_auth_associations'
  t2=$(date +%s.%N)
  pg -d "$db" -c CHECKPOINT   # the runs should not pay for writing the seed out
  seed_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  nano_seed_secs=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')
  table_bytes=$(pg -d "$db" -Atc "SELECT pg_size_pretty(pg_total_relation_size('enrollments'))")
  log "seeded $devices enrollments in ${seed_secs} s incl. VACUUM ANALYZE ($table_bytes with indexes);" \
    "NanoMDM's tables in ${nano_seed_secs} s"
}
seed
if $seed_only; then
  echo "| enrollments | seed time (gateway tables, incl. VACUUM ANALYZE) | size with indexes | seed time (NanoMDM tables) |"
  echo "|---|---|---|---|"
  echo "| $(fmt_int "$devices") | ${seed_secs} s | $table_bytes | ${nano_seed_secs} s |"
  exit 0
fi

# --- 3. (a) PostgreSQL's ceiling for the gateway's batched upsert --------------------------------
rows_counted() { pg -d "$db" -Atc 'SELECT coalesce(sum(token_update_count), 0) FROM enrollments'; }

pgbench_run() {   # $1 = script, $2 = clients, $3 = log name; extra env (PGOPTIONS) passes through
  pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -M prepared -f "$1" -c "$2" -j 2 -T "$secs" "$db" \
    >"$work/$3.out" 2>&1 || { cat "$work/$3.out" >&2; die "pgbench $3 failed"; }
}
pgbench_result() {   # $1 = log name: "<tps> <mean latency>"
  awk '/^latency average = / { lat = $4 } /^tps = / { tps = $3 } END { printf "%.1f %.1fms\n", tps, lat }' "$work/$1.out"
}

measure_upsert() {
  # 256 distinct ids from a few more random draws (duplicates in one batch are coalesced by the
  # gateway; ON CONFLICT could not update a row twice).
  local draws=$(( devices < 20000 ? 360 : 270 )) clients before after
  gateway_upsert_sql >"$work/upsert.sql"
  awk -v sql="$work/upsert.sql" '/^@UPSERT@$/ { while ((getline l < sql) > 0) print l; next } { print }' \
    "$here/upsert-batch.pgbench" | sed "s/@DEVICES@/$devices/g; s/@FIRST@/$first/g; s/@DRAWS@/$draws/g; s/@PREFIX@/$prefix/g" \
    >"$work/upsert-batch.pgbench"
  for clients in "${upsert_clients[@]}"; do
    before=$(rows_counted)
    pgbench_run "$work/upsert-batch.pgbench" "$clients" "upsert-c$clients"
    read -r tps upsert_lat[$clients] < <(pgbench_result "upsert-c$clients")
    after=$(rows_counted)
    upsert_rows[$clients]=$(awk -v t="$tps" 'BEGIN { printf "%.0f", t * 256 }')
    log "(a) $clients clients: $tps batches/s x 256 = ${upsert_rows[$clients]} rows/s" \
      "(rows counted in the table: $((after - before)), $(awk -v r=$((after - before)) -v s="$secs" 'BEGIN { printf "%.0f", r / s }')/s)"
  done
}

# --- 5. (c) the NanoMDM design bound -------------------------------------------------------------
measure_nanomdm() {
  local clients
  awk -v plist="$here/tokenupdate.plist" '
    { if (index($0, "@TOKEN_UPDATE@")) { split($0, p, "@TOKEN_UPDATE@"); body = "";
        while ((getline l < plist) > 0) body = body (body == "" ? "" : "\n") l; print p[1] body p[2] } else print }' \
    "$here/nanomdm-tokenupdate.pgbench" | sed "s/@FIRST@/$first/g; s/@LAST@/$((first + devices - 1))/g; s/@PREFIX@/$prefix/g" >"$work/nanomdm.pgbench"
  for clients in 16 64; do
    PGOPTIONS='-c search_path=nanomdm' pgbench_run "$work/nanomdm.pgbench" "$clients" "nanomdm-c$clients"
    read -r nano_tps[$clients] nano_lat[$clients] < <(pgbench_result "nanomdm-c$clients")
    log "(c) $clients clients: ${nano_tps[$clients]} TokenUpdates/s"
  done
}

# --- 4. (b) the raw HTTP ceiling, and 6. the gateway ---------------------------------------------
wrk_rps() {   # $1 = wrk output file: requests/s and p99
  awk '/^Requests\/sec:/ { rps = $2 } /^ +99%/ { p99 = $2 } END { printf "%s %s\n", rps, p99 }' "$1"
}

measure_http() {
  local c
  for c in 64 256; do
    wrk -t2 -c"$c" -d"${secs}s" --latency "http://127.0.0.1:$mgmt_port/healthz" >"$work/healthz-c$c.out"
    read -r http_rps[$c] http_p99[$c] < <(wrk_rps "$work/healthz-c$c.out")
    log "(b) $c connections: ${http_rps[$c]} GET /healthz per second"
  done
}

measure_gateway() {   # 200s counted by the gateway during the measured run only, per second
  local c ok0 bad0 ok1 bad1 elapsed0 window line t_line t_snap counts
  for c in 64 256; do
    if [[ -f $(loadtest_jar) ]]; then
      # One process for warm-up and measured phase (the load tester warms up too). Its progress
      # lines on stderr ("[steady]   1.0s sent=..."), one a second, tell when the measured phase
      # has begun: the gateway's counters are read at the first one, and again when it exits;
      # the window is then --seconds minus the elapsed time that first line shows (to ~0.1 s).
      rm -f "$work/steady-start"
      gateway_counts >/dev/null   # a first scrape, so the timed one below is not a cold one
      if ! java -jar "$(loadtest_jar)" --target "http://127.0.0.1:$http_port" --devices "$devices" \
          --connections "$c" --mix tokenupdate=100 --auth none --skip-enroll \
          --udid-prefix "$prefix" --topic com.apple.mgmt.External.bench \
          --warmup "${warmup}s" --duration "${secs}s" --report "$work/loadtest-c$c" 2>&1 >"$work/loadtest-c$c.stdout" \
        | while IFS= read -r line; do
            printf '%s\n' "$line" >>"$work/loadtest-c$c.out"
            if [[ ! -f $work/steady-start && $line =~ ^\[steady\]\ +([0-9.]+)s ]]; then
              t_line=$(date +%s.%N)
              counts=$(gateway_counts)
              echo "${BASH_REMATCH[1]} $t_line $(date +%s.%N) $counts" >"$work/steady-start"
            fi
          done; then
        tail -20 "$work/loadtest-c$c.out" >&2
        die "the load tester failed ($c connections)"
      fi
      [[ -f $work/steady-start ]] || die "no [steady] progress line from the load tester; see $work/loadtest-c$c.out"
      read -r elapsed0 t_line t_snap ok0 bad0 <"$work/steady-start"
      read -r ok1 bad1 < <(gateway_counts)
      # The phase ends at t_line - elapsed0 + secs; the counters were read around the middle of
      # the scrape (which can take a while on a busy machine).
      window=$(awk -v s="$secs" -v e="$elapsed0" -v a="$t_line" -v b="$t_snap" 'BEGIN { printf "%.3f", s - e - (b - a) / 2 }')
      # The tool's p99 of the measured phase (report fields as of its first version; n/a if they moved).
      gw_p99[$c]=$(jq -r '[.phases[-1] | .. | objects | select(has("p99Ms")) | .p99Ms][0] // empty | "\(. * 100 | round / 100)ms"' \
        "$work/loadtest-c$c.json" 2>/dev/null || true)
      gw_p99[$c]=${gw_p99[$c]:-n/a}
      log "the load tester's own count of the measured phase: $(jq -r '[.phases[-1] | .. | objects | select(has("count")) | .count][0] // "?"' \
        "$work/loadtest-c$c.json" 2>/dev/null || echo '?') answered"
    else
      DEVICES=$devices wrk -t2 -c"$c" -d"${warmup}s" -s "$root/bench/tokenupdate.lua" "http://127.0.0.1:$http_port" >/dev/null
      read -r ok0 bad0 < <(gateway_counts)
      DEVICES=$devices wrk -t2 -c"$c" -d"${secs}s" --latency -s "$root/bench/tokenupdate.lua" \
        "http://127.0.0.1:$http_port" >"$work/gateway-wrk-c$c.out"
      read -r ok1 bad1 < <(gateway_counts)
      read -r _ gw_p99[$c] < <(wrk_rps "$work/gateway-wrk-c$c.out")
      window=$secs
    fi
    gw_ok[$c]=$((ok1 - ok0))
    gw_bad[$c]=$((bad1 - bad0))
    gw_rate[$c]=$(awk -v ok="${gw_ok[$c]}" -v s="$window" 'BEGIN { printf "%.0f", ok / s }')
    log "gateway, $c connections: ${gw_rate[$c]} durable TokenUpdates/s (${gw_ok[$c]} answered 200, ${gw_bad[$c]} other, in $window s)"
  done
}

# (a) at the gateway's default pool size, max(4, 2 x cores), which bounds its batches in flight, and
# at four times that.
pool=$(( $(nproc) * 2 > 4 ? $(nproc) * 2 : 4 ))
upsert_clients=("$pool" $((pool * 4)))
declare -A upsert_rows upsert_lat nano_tps nano_lat http_rps http_p99 gw_ok gw_bad gw_rate gw_p99
log "(a) pgbench, the gateway's upsert, 256 rows a batch, ${secs} s each"
measure_upsert
log "(c) pgbench, NanoMDM's statements, ${secs} s each"
measure_nanomdm
pg -d "$db" -c 'VACUUM ANALYZE enrollments' -c CHECKPOINT   # (a) left dead tuples behind
log "starting the gateway against the seeded database"
rows_before_gateway=$(rows_counted)
start_gateway run
measure_http
measure_gateway
read -r all_ok _ < <(gateway_counts)   # every TokenUpdate 200 of this gateway, warm-ups included
stop_gateway
rows_written=$(( $(rows_counted) - rows_before_gateway ))
# Every 200 must be in the table. The table may count a few more: requests committed but cut off by
# the load generator at the end of a run (warm-ups included), which got no 200.
if [[ $rows_written -ge $all_ok ]]; then
  durability="ok: $(fmt_int "$all_ok") TokenUpdates answered 200, all counted in the table ($((rows_written - all_ok)) more committed but cut off at the ends of runs)"
  log "durability check $durability"
else
  durability="FAILED: $(fmt_int "$all_ok") TokenUpdates answered 200, but the table counts only $(fmt_int "$rows_written")"
  log "durability check $durability"
fi

# --- 7. one table --------------------------------------------------------------------------------
g64=${gw_rate[64]}
g256=${gw_rate[256]}
row() {   # what, load, figure, p99, value to divide by
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$(ratio "$g64" "$5")" "$(ratio "$g256" "$5")"
}
echo
echo "| measurement | load | per second | latency: p99, or pgbench's mean per transaction | gateway@64 ÷ this | gateway@256 ÷ this |"
echo "|---|---|---|---|---|---|"
echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?'), ${secs} s a measurement | | | | |"
echo "| machine | $(machine_line); PostgreSQL $(pg -d "$db" -Atc 'SHOW server_version'), everything on this machine | | | | |"
echo "| enrollments | $(fmt_int "$devices") ($table_bytes), seeded in ${seed_secs} s (NanoMDM's tables, same size: ${nano_seed_secs} s) | | | | |"
for c in 64 256; do
  echo "| gateway: durable TokenUpdates/s (its own 200s, /metrics) | $generator, $c conn. | **$(fmt_int "${gw_rate[$c]}")** | ${gw_p99[$c]} | | |"
done
for c in "${upsert_clients[@]}"; do
  row "(a) PostgreSQL ceiling: the gateway's upsert, rows/s (tps × 256)" "pgbench, $c clients$([[ $c == "$pool" ]] && echo " (the gateway's pool)")" "$(fmt_int "${upsert_rows[$c]}")" "mean ${upsert_lat[$c]} a batch" "${upsert_rows[$c]}"
done
for c in 64 256; do
  row "(b) HTTP ceiling: GET /healthz on the gateway's Reactor Netty server" "wrk, $c conn." "$(fmt_int "${http_rps[$c]}")" "${http_p99[$c]}" "${http_rps[$c]}"
done
for c in 16 64; do
  row "(c) NanoMDM design bound: TokenUpdates/s (3 autocommit statements)" "pgbench, $c clients" "$(fmt_int "${nano_tps[$c]}")" "mean ${nano_lat[$c]}" "${nano_tps[$c]}"
done
echo "| durability check | $durability | | | | |"
echo
log "non-200 TokenUpdate answers: ${gw_bad[64]} at 64, ${gw_bad[256]} at 256 (499: cut off at the end of a run); logs in $work"
