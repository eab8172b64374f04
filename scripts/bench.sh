#!/usr/bin/env bash
# Reproduces the TokenUpdate benchmark from scratch on this machine and prints one Markdown table
# (issue 4, part 2): PostgreSQL up, jars built, a fresh database migrated by the gateway, the
# enrollments seeded to --size, then
#   (a) PostgreSQL's ceiling for the gateway's own batched upsert (pgbench, 256 rows a statement),
#   (b) the raw HTTP ceiling of the gateway's Reactor Netty server (wrk on GET /healthz),
#   (c) the NanoMDM design bound (pgbench, NanoMDM's three autocommit statements per TokenUpdate),
#       before and again after the gateway's runs,
#   with the load tester (loadtest/): the gateway's durable TokenUpdates/s at 64, 256 and 512 connections
#   (closed model; 384 too when 512's p99 is over 50 ms) and the best of them with p99 under 50 ms (the
#   maximum); p50/p99 at 50%, 70% and 80% of that maximum (open model); GetBootstrapToken reads/s
#   (after escrowing tokens); and the same 64-connection run against a gateway checking
#   Mdm-Signature, with a certificate per device (the identity cost, also as gateway CPU per request),
# and the ratios of the gateway's figures to (a), (b), (c), and the issue's targets. Every measurement
# comes with the CPU steal of its own window; one that lost over BENCH_MAX_STEAL% (default 5) is
# measured once more.
#
#   scripts/bench.sh [--size 10k|1m|10m|N] [--seconds 30] [--warmup 60] [--skip-build] [--seed-only] [--only-gateway]
#
# --seconds: each measurement; --warmup: seconds of load on the gateway before each measured run
# (C2 keeps compiling for about a minute, so short warm-ups understate a long-running gateway);
# --seed-only: stop after seeding and print the seeding times; --only-gateway: seed only the
# gateway's tables and measure only its maximum (for 1M/10M against 10k). BENCH_LOADTEST_JAR:
# another jar; BENCH_LOADTEST_OPTS: more JVM options for it (its heap is 4 GB, enough for 10M
# devices; -Xms8g -Xmx8g for more). While the gateway runs, the management port gets what a
# deployment sends it: probes and scrapes (lib.sh).
#
# Everything runs on this one machine: the gateway, PostgreSQL, pgbench and the load generator
# share its cores, so every figure is a floor for a deployment with separate machines; the load
# tester runs at a higher CPU priority (nice -10) so that its own waits for a core are not charged to
# the gateway, and each run also gives the gateway's own count of answers over 25 ms. Needs: a
# JDK 17+, curl, jq, wrk, openssl; PostgreSQL's server and client packages, installed as .ci/run
# does (Debian). PostgreSQL: by default a cluster of the script's own, made with initdb in
# target/bench/pgdata on a free port from 55432, set up as a large fleet's database
# (bench/postgresql.conf: fsync and synchronous commit on, checkpoints every 15 min or 16 GB of WAL,
# lz4 WAL compression, 8 GB of WAL segments written once and kept for reuse; shared_buffers a
# quarter of the RAM), removed at the end; the tables are
# loaded into its buffers after seeding (pg_prewarm). BENCH_POSTGRES=shared uses the machine's
# cluster at PG_HOST:PG_PORT (default 127.0.0.1:5432, user postgres, trust) as configured instead.
# The database is $BENCH_DB (default mdmgw_bench_script), made anew each run; logs and pgbench
# scripts go to target/bench/. The gateway listens on
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
only_gateway=false
warmup=60
while [[ $# -gt 0 ]]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    --warmup) warmup=${2%s}; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --seed-only) seed_only=true; shift ;;
    --only-gateway) only_gateway=true; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/!p}' "$0"; exit 0 ;;
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
# The load tester's own GC pauses delay the answers it records, and the open model charges them to
# the gateway: the same pause goal as the gateway's (G1's default of 200 ms let its young pauses reach 50-200 ms).
# Its heap is one size at every fleet size, touched once at start: a heap growing under load faulted
# in fresh pages (the kernel zeroing them), 28-44 µs of machine CPU per request instead of 24-27 at
# 10M devices.
loadtest_jvm="-XX:MaxGCPauseMillis=10 -Xms4g -Xmx4g -XX:+AlwaysPreTouch ${BENCH_LOADTEST_OPTS:-}"
# The load tester runs at a higher CPU priority than the gateway and PostgreSQL (nice -10, when the
# script may raise it): sharing two cores with them, its own event loops waited for a core, and an
# open-model request went out or was read late by that wait, which its latency charges to the
# gateway. At 70% of the maximum, alternating runs: p99 34-41 ms with it, 47-134 ms without, the
# gateway's own share of answers over 25 ms the same (0.3-1.5%). No effect on the closed model's rate.
loadtest_nice=()
if [[ $(id -u) == 0 ]]; then loadtest_nice=(nice -n -10); fi
# Ports of the gateway: the first free ones from 28080 and 29090 unless given (other gateways and
# load tests may be running on this machine).
http_port=${BENCH_HTTP_PORT:-$(first_free_port 28080)}
mgmt_port=${BENCH_MGMT_PORT:-$(first_free_port 29090 "$http_port")}
work=$root/target/bench
rm -rf "$work" && mkdir -p "$work"
# Only the script itself cleans up: its background subshells (the probes) run this trap too.
trap '[[ $BASHPID == "$$" ]] && { stop_gateway; stop_dedicated_postgres; }' EXIT
trap 'exit 130' INT TERM

# --- 1. PostgreSQL, jars, a fresh migrated database ----------------------------------------------
ensure_postgres
if [[ ${BENCH_POSTGRES:-dedicated} == dedicated ]]; then start_dedicated_postgres; fi
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
ensure_jars "$skip_build"
command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
[[ -f $(loadtest_jar) ]] || die "no $(loadtest_jar): build it (./mvnw -q package -DskipTests)"
prefix=LOADTEST- first=0   # the seeded ids must be the ones the load tester sends
log "fresh database $db; the gateway migrates it"
fresh_database
start_gateway migrate
stop_gateway

# --- 2. seed -------------------------------------------------------------------------------------
# A long-running database holds the tables its check-ins touch in memory; a fresh seed sits in the
# OS cache only. Loads them into shared_buffers, NanoMDM's tables alike, and the TokenUpdate's own
# working set last (the enrollments heap, its primary key, the devices' version index), so that
# where everything does not fit (10M: 8.8 GB of tables and indexes, 6 GB of buffers) that set is
# what stays, as in a database that has served TokenUpdates for a while. In pg_class order the
# indexes came last and 14% of the enrollments heap was left out (pg_buffercache, 10M).
prewarm() {
  local pages
  pages=$(pg -d "$db" -Atc 'CREATE EXTENSION IF NOT EXISTS pg_prewarm' -c "SELECT sum(pg_prewarm(oid)) FROM (
      SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'nanomdm') AND c.relkind IN ('r', 'i')
      ORDER BY c.oid IN ('public.enrollments'::regclass, 'public.enrollments_pkey'::regclass,
                         'public.devices_id_write_version_idx'::regclass), c.oid) AS coldest_first")
  log "prewarmed $pages pages ($(pg -d "$db" -Atc 'SHOW shared_buffers') of shared buffers)"
}

seed() {
  local t0 t1 t2
  log "seeding $devices enrollments ($prefix%09d from $first)"
  t0=$(date +%s.%N)
  pg -d "$db" -v devices="$devices" -v first="$first" -v prefix="$prefix" -f "$here/seed.sql" >>"$work/seed.log"
  pg -d "$db" -c '\timing on' -c 'VACUUM ANALYZE devices' -c 'VACUUM ANALYZE enrollments' >>"$work/seed.log"
  t1=$(date +%s.%N)
  if $only_gateway; then
    seed_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    pg -d "$db" -c CHECKPOINT
    prewarm
    table_bytes=$(pg -d "$db" -Atc "SELECT pg_size_pretty(pg_total_relation_size('enrollments'))")
    log "seeded $devices enrollments in ${seed_secs} s incl. VACUUM ANALYZE ($table_bytes with indexes)"
    return
  fi
  pg -d "$db" -f "$here/nanomdm-schema.sql"
  pg -d "$db" -v devices="$devices" -v first="$first" -v prefix="$prefix" -v token_update="$(cat "$here/tokenupdate.plist")" \
    -f "$here/nanomdm-seed.sql" >>"$work/seed.log"
  pg -d "$db" -c 'VACUUM ANALYZE nanomdm.devices' -c 'VACUUM ANALYZE nanomdm.enrollments' \
    -c 'VACUUM ANALYZE nanomdm.cert_auth_associations'
  t2=$(date +%s.%N)
  pg -d "$db" -c CHECKPOINT   # the runs should not pay for writing the seed out
  prewarm
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

pgbench_run() {   # $1 = script, $2 = clients, $3 = log name; extra env (PGOPTIONS) passes through. Sets run_steal.
  local m0
  m0=$(cpu_mark)
  pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -M prepared -f "$1" -c "$2" -j 2 -T "$secs" "$db" \
    >"$work/$3.out" 2>&1 || { cat "$work/$3.out" >&2; die "pgbench $3 failed"; }
  run_steal=$(steal_pct $m0 $(cpu_mark))
}
# Runs a measurement ("$@", which sets run_steal) and, when its window lost more than
# BENCH_MAX_STEAL percent (default 5) of the machine's time to steal, runs it once more: it measured a
# smaller machine than the others (2026-11-25: 24% stolen in one window, 9.6k TokenUpdates/s at 256
# connections against 15.1k an hour earlier). The second run stands, whatever its steal; the log keeps both.
measured() {
  "$@"
  if awk -v s="$run_steal" -v m="${BENCH_MAX_STEAL:-5}" 'BEGIN { exit !(s + 0 > m) }'; then
    log "${run_steal}% of the machine stolen in that window (over ${BENCH_MAX_STEAL:-5}%): measuring it again"
    "$@"
  fi
}

pgbench_result() {   # $1 = log name: "<tps> <mean latency>"
  awk '/^latency average = / { lat = $4 } /^tps = / { tps = $3 } END { printf "%.1f %.1fms\n", tps, lat }' "$work/$1.out"
}

measure_upsert() {
  # 256 distinct ids from a few more random draws (duplicates in one batch are coalesced by the
  # gateway; ON CONFLICT could not update a row twice).
  local draws=$(( devices < 20000 ? 360 : 270 )) clients
  gateway_upsert_sql >"$work/upsert.sql"
  awk -v sql="$work/upsert.sql" '/^@UPSERT@$/ { while ((getline l < sql) > 0) print l; next } { print }' \
    "$here/upsert-batch.pgbench" | sed "s/@DEVICES@/$devices/g; s/@FIRST@/$first/g; s/@DRAWS@/$draws/g; s/@PREFIX@/$prefix/g" \
    >"$work/upsert-batch.pgbench"
  for clients in "${upsert_clients[@]}"; do
    measured upsert_run "$clients"
  done
}

upsert_run() {   # $1 = clients
  local clients=$1 before after tps
  before=$(rows_counted)
  pgbench_run "$work/upsert-batch.pgbench" "$clients" "upsert-c$clients"
  read -r tps upsert_lat[$clients] < <(pgbench_result "upsert-c$clients")
  upsert_steal[$clients]=$run_steal
  after=$(rows_counted)
  upsert_rows[$clients]=$(awk -v t="$tps" 'BEGIN { printf "%.0f", t * 256 }')
  log "(a) $clients clients: $tps batches/s x 256 = ${upsert_rows[$clients]} rows/s" \
    "(rows counted in the table: $((after - before)), $(awk -v r=$((after - before)) -v s="$secs" 'BEGIN { printf "%.0f", r / s }')/s), steal ${run_steal}%"
}

# --- 5. (c) the NanoMDM design bound -------------------------------------------------------------
# $1: "" the first pass, "-after" the second, once the gateway's runs are done: this machine's speed
# drifted by a quarter within an hour with no steal to show for it (2026-11-25), so (c) is taken on
# both sides of the gateway's figures and the ratios use the best of all four.
measure_nanomdm() {
  local clients pass=${1:-}
  awk -v plist="$here/tokenupdate.plist" '
    { if (index($0, "@TOKEN_UPDATE@")) { split($0, p, "@TOKEN_UPDATE@"); body = "";
        while ((getline l < plist) > 0) body = body (body == "" ? "" : "\n") l; print p[1] body p[2] } else print }' \
    "$here/nanomdm-tokenupdate.pgbench" | sed "s/@FIRST@/$first/g; s/@LAST@/$((first + devices - 1))/g; s/@PREFIX@/$prefix/g" >"$work/nanomdm.pgbench"
  for clients in 16 64; do
    measured nanomdm_run "$clients$pass"
  done
}

nanomdm_run() {   # $1 = clients, then the pass's suffix: the key of its figures
  local key=$1 clients=${1%%-*}
  PGOPTIONS='-c search_path=nanomdm' pgbench_run "$work/nanomdm.pgbench" "$clients" "nanomdm-c$key"
  read -r nano_tps[$key] nano_lat[$key] < <(pgbench_result "nanomdm-c$key")
  nano_steal[$key]=$run_steal
  log "(c) $clients clients$([[ $key == *-after ]] && echo ", after the gateway's runs"): ${nano_tps[$key]} TokenUpdates/s, steal ${run_steal}%"
}

# --- 4. (b) the raw HTTP ceiling -----------------------------------------------------------------
wrk_rps() {   # $1 = wrk output file: requests/s and p99
  awk '/^Requests\/sec:/ { rps = $2 } /^ +99%/ { p99 = $2 } END { printf "%s %s\n", rps, p99 }' "$1"
}

measure_http() {
  local c
  for c in 64 256; do
    measured wrk_run "$c"
  done
}

wrk_run() {   # $1 = connections
  local c=$1 m0
  m0=$(cpu_mark)
  wrk -t2 -c"$c" -d"${secs}s" --latency "http://127.0.0.1:$mgmt_port/healthz" >"$work/healthz-c$c.out"
  run_steal=$(steal_pct $m0 $(cpu_mark))
  http_steal[$c]=$run_steal
  read -r http_rps[$c] http_p99[$c] < <(wrk_rps "$work/healthz-c$c.out")
  log "(b) $c connections: ${http_rps[$c]} GET /healthz per second, steal ${run_steal}%"
}

# --- 6. the gateway, driven by the load tester ---------------------------------------------------
# One load-tester run against the running gateway. $1 = run name (logs, report), $2 = the message
# type counted (TokenUpdate, GetBootstrapToken), then the load tester's options. The figures of its
# measured phase come from the gateway's own counters: read at the load tester's first "[steady]"
# progress line, once a second on stderr, and again when it exits; the window is --seconds minus the
# elapsed time that first line shows (to ~0.1 s). Sets run_ok, run_bad, run_rate (200s a second),
# run_p50/run_p99 (the load tester's, ms), run_over25 (% of the 200s the gateway itself took more
# than 25 ms for: the load tester's latency also holds its own delays and the kernel's queues),
# run_cpu (gateway CPU µs per 200), run_steal (% of the machine's time stolen in the window).
run_loadtest() {
  local name=$1 type=$2 line t_line t_snap elapsed0 ok0 bad0 cpu0 in0 ok1 bad1 cpu1 in1 window mt0 ms0
  shift 2
  rm -f "$work/$name.start"
  gateway_counts "$type" >/dev/null   # a first scrape, so the timed one below is not a cold one
  if ! "${loadtest_nice[@]}" java $loadtest_jvm -jar "$(loadtest_jar)" --target "http://127.0.0.1:$http_port" \
      --udid-prefix "$prefix" --topic com.apple.mgmt.External.bench --duration "${secs}s" --report "$work/$name" "$@" \
      2>&1 >"$work/$name.stdout" \
    | while IFS= read -r line; do
        printf '%s\n' "$line" >>"$work/$name.out"
        if [[ ! -f $work/$name.start && $line =~ ^\[steady\]\ +([0-9.]+)s ]]; then
          t_line=$(date +%s.%N)
          echo "${BASH_REMATCH[1]} $t_line $(gateway_counts "$type") $(gateway_cpu_us) $(date +%s.%N) $(cpu_mark)" >"$work/$name.start"
        fi
      done; then
    tail -20 "$work/$name.out" >&2
    die "the load tester failed ($name)"
  fi
  [[ -f $work/$name.start ]] || die "no [steady] progress line from the load tester; see $work/$name.out"
  read -r elapsed0 t_line ok0 bad0 in0 cpu0 t_snap mt0 ms0 <"$work/$name.start"
  read -r ok1 bad1 in1 < <(gateway_counts "$type")
  cpu1=$(gateway_cpu_us)
  run_steal=$(steal_pct "$mt0" "$ms0" $(cpu_mark))
  window=$(awk -v s="$secs" -v e="$elapsed0" -v a="$t_line" -v b="$t_snap" 'BEGIN { printf "%.3f", s - e - (b - a) / 2 }')
  run_ok=$((ok1 - ok0))
  run_bad=$((bad1 - bad0))
  run_rate=$(awk -v ok="$run_ok" -v s="$window" 'BEGIN { printf "%.0f", ok / s }')
  # The CPU counters also cover the load tester's last partial second and its drain: a slight over-count.
  run_cpu=$(awk -v c=$((cpu1 - cpu0)) -v ok="$run_ok" 'BEGIN { if (ok > 0) printf "%.0f", c / ok; else print "n/a" }')
  run_over25=$(awk -v i=$((in1 - in0)) -v ok="$run_ok" 'BEGIN { if (ok > 0) printf "%.2f", 100 * (ok - i) / ok; else print "n/a" }')
  read -r run_p50 run_p99 < <(jq -r --arg t "$(tr 'A-Z' 'a-z' <<<"$type")" \
    '[.phases[-1].types[] | select(.type == $t)][0] | "\(.p50Ms * 100 | round / 100) \(.p99Ms * 100 | round / 100)"' \
    "$work/$name.json" 2>/dev/null || echo "n/a n/a")
  log "$name: $run_rate $type 200s/s ($run_ok, $run_bad other, in $window s), p50 ${run_p50} ms, p99 ${run_p99} ms," \
    "gateway CPU ${run_cpu} µs per 200, ${run_over25}% over 25 ms in the gateway, steal ${run_steal}%"
}

under_50ms() { awk -v p="$1" 'BEGIN { exit !(p + 0 > 0 && p + 0 < 50) }'; }

measure_closed() {   # $1 = connections
  local c=$1
  run_loadtest "max-c$c" TokenUpdate --devices "$devices" --connections "$c" --mix tokenupdate=100 --auth none \
    --skip-enroll --warmup "${warmup}s"
  gw_ok[$c]=$run_ok gw_bad[$c]=$run_bad gw_rate[$c]=$run_rate gw_p50[$c]=$run_p50 gw_p99[$c]=$run_p99 gw_cpu[$c]=$run_cpu
  gw_over25[$c]=$run_over25 gw_steal[$c]=$run_steal
}

measure_gateway() {   # the most the gateway sustains: closed model at 64, 256 and 512 connections (and 384)
  local c
  for c in "${gw_conns[@]}"; do
    measured measure_closed "$c"
  done
  # Where 512 connections queue past a p99 of 50 ms, the maximum would fall back to 256's rate:
  # 384 takes the step between (a slower host: 15.1k/s at 256 with p99 36 ms, 18.6k at 512 with 67 ms).
  if ! under_50ms "${gw_p99[512]}"; then
    measured measure_closed 384
    gw_conns=(64 256 384 512)
  fi
  # The maximum: the best of those whose p99 stayed under 50 ms.
  max_rate=0 max_at=
  for c in "${gw_conns[@]}"; do
    if under_50ms "${gw_p99[$c]}" && [[ ${gw_rate[$c]} -gt $max_rate ]]; then
      max_rate=${gw_rate[$c]} max_at=$c
    fi
  done
  [[ $max_rate -gt 0 ]] || log "no run kept its p99 under 50 ms: no maximum to take fractions of"
}

# Each point runs in a new load-tester JVM, which needs its own warm-up: with 20 s, its JIT still
# showed as 100-300 ms p99 in the first seconds measured.
measure_fractions() {   # open model at fractions of the maximum: latency with headroom
  local pct rate
  for pct in 50 70 80; do
    rate=$((max_rate * pct / 100))
    measured run_loadtest "rate-$pct" TokenUpdate --devices "$devices" --rate "$rate" --mix tokenupdate=100 --auth none \
      --skip-enroll --warmup "${warmup}s"
    frac_rate[$pct]=$rate frac_ok[$pct]=$run_rate frac_p50[$pct]=$run_p50 frac_p99[$pct]=$run_p99 frac_bad[$pct]=$run_bad
    frac_over25[$pct]=$run_over25 frac_steal[$pct]=$run_steal
  done
}

measure_reads() {   # GetBootstrapToken: escrow a token for the devices first (not measured), then read
  log "escrowing bootstrap tokens (SetBootstrapToken, ${secs} s, not measured)"
  "${loadtest_nice[@]}" java $loadtest_jvm -jar "$(loadtest_jar)" --target "http://127.0.0.1:$http_port" --udid-prefix "$prefix" \
    --topic com.apple.mgmt.External.bench --devices "$devices" --connections 64 --mix setbootstraptoken=100 \
    --auth none --skip-enroll --warmup 0s --duration "${secs}s" >"$work/escrow.stdout" 2>"$work/escrow.out" \
    || die "the escrow pass failed; see $work/escrow.out"
  escrowed=$(pg -d "$db" -Atc 'SELECT count(*) FROM devices WHERE bootstrap_token IS NOT NULL')
  measured run_loadtest reads GetBootstrapToken --devices "$devices" --connections 64 --mix getbootstraptoken=100 --auth none \
    --skip-enroll --warmup "${warmup}s"
  reads_rate=$run_rate reads_p50=$run_p50 reads_p99=$run_p99 reads_bad=$run_bad reads_steal=$run_steal
}

# Every TokenUpdate 200 of the running gateway must be in the table; the table may count a few more
# (committed, but the load tester cut them off at the end of a run: no 200). $1 = table count before it started.
durability_check() {
  local all_ok rows
  read -r all_ok _ _ < <(gateway_counts TokenUpdate)
  rows=$(( $(rows_counted) - $1 ))
  if [[ $rows -ge $all_ok ]]; then
    echo "ok: $(fmt_int "$all_ok") TokenUpdates answered 200, all counted in the table ($((rows - all_ok)) more committed but cut off at the ends of runs)"
  else
    echo "FAILED: $(fmt_int "$all_ok") TokenUpdates answered 200, but the table counts only $(fmt_int "$rows")"
  fi
}

measure_signed() {   # the identity cost: a gateway that checks Mdm-Signature, a fleet with one certificate each
  local rows_before
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mdm-gateway bench device CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$work/device-ca.key" -out "$work/device-ca.pem" 2>/dev/null || die "openssl could not make the device CA"
  rows_before=$(rows_counted)
  start_gateway signed MDMGW_DEVICE_AUTH=signature MDMGW_DEVICE_CA_FILE="$work/device-ca.pem"
  # Enrolled first (Authenticate binds each device's certificate), then the same closed model as the 64-connection run.
  measured run_loadtest signed-c64 TokenUpdate --devices "$signed_devices" --connections 64 --mix tokenupdate=100 \
    --auth signature --ca-cert "$work/device-ca.pem" --ca-key "$work/device-ca.key" --token-variants 2 --warmup "${warmup}s"
  signed_rate=$run_rate signed_p50=$run_p50 signed_p99=$run_p99 signed_cpu=$run_cpu signed_bad=$run_bad signed_steal=$run_steal
  signed_durability=$(durability_check "$rows_before")
  log "signed gateway: durability $signed_durability"
  stop_gateway
}

# (a) at the gateway's default pool size, max(4, 2 x cores), which bounds its batches in flight, and
# at four times that.
pool=$(( $(nproc) * 2 > 4 ? $(nproc) * 2 : 4 ))
upsert_clients=("$pool" $((pool * 4)))
signed_devices=$(( devices < 10000 ? devices : 10000 ))
# More connections than the batches in flight need: at 256 the cores were not yet full (~13% idle).
gw_conns=(64 256 512)
declare -A upsert_rows upsert_lat nano_tps nano_lat http_rps http_p99 gw_ok gw_bad gw_rate gw_p50 gw_p99 gw_cpu \
  gw_over25 frac_rate frac_ok frac_p50 frac_p99 frac_bad frac_over25 upsert_steal nano_steal http_steal gw_steal frac_steal
if ! $only_gateway; then
  log "(a) pgbench, the gateway's upsert, 256 rows a batch, ${secs} s each"
  measure_upsert
  log "(c) pgbench, NanoMDM's statements, ${secs} s each"
  measure_nanomdm
  pg -d "$db" -c 'VACUUM ANALYZE enrollments' -c CHECKPOINT   # (a) left dead tuples behind
fi
log "starting the gateway against the seeded database"
rows_before_gateway=$(rows_counted)
start_gateway run
$only_gateway || measure_http
measure_gateway
if ! $only_gateway; then
  [[ $max_rate -gt 0 ]] && measure_fractions
  measure_reads
fi
durability=$(durability_check "$rows_before_gateway")
log "durability check $durability"
stop_gateway
if ! $only_gateway; then
  log "(c) again, after the gateway's runs"
  measure_nanomdm -after
  measure_signed
fi

# --- 7. one table --------------------------------------------------------------------------------
g64=${gw_rate[64]}
row() {   # what, load, figure, latency, value to divide by
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$(ratio "$g64" "$5")" "$(ratio "$max_rate" "$5")"
}
echo
echo "| measurement | load | per second | latency: p50 / p99, or pgbench's mean per transaction | gateway@64 ÷ this | maximum ÷ this |"
echo "|---|---|---|---|---|---|"
echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?'), ${secs} s a measurement, ${warmup} s warm-up | | | | |"
echo "| machine | $(machine_line); PostgreSQL $(pg -d "$db" -Atc 'SHOW server_version') ($([[ -n $dedicated_pg ]] && echo "the script's own cluster" || echo "the machine's cluster"): $(pg_settings_line)), everything on this machine | | | | |"
if $only_gateway; then
  echo "| enrollments | $(fmt_int "$devices") ($table_bytes), seeded in ${seed_secs} s | | | | |"
else
  echo "| enrollments | $(fmt_int "$devices") ($table_bytes), seeded in ${seed_secs} s (NanoMDM's tables, same size: ${nano_seed_secs} s) | | | | |"
fi
for c in "${gw_conns[@]}"; do
  echo "| gateway: durable TokenUpdates/s (its own 200s) | load tester, closed model, $c conn., unsigned; steal ${gw_steal[$c]}% | **$(fmt_int "${gw_rate[$c]}")** | ${gw_p50[$c]} / ${gw_p99[$c]} ms; in the gateway ${gw_over25[$c]}% over 25 ms | | |"
done
echo "| **maximum with p99 < 50 ms** | ${max_at:-none} conn. | **$(fmt_int "$max_rate")** | | | |"
if ! $only_gateway; then
  for pct in 50 70 80; do
    [[ -n ${frac_rate[$pct]:-} ]] || continue
    echo "| gateway at ${pct}% of the maximum | load tester, open model, $(fmt_int "${frac_rate[$pct]}")/s scheduled; steal ${frac_steal[$pct]}% | $(fmt_int "${frac_ok[$pct]}") | ${frac_p50[$pct]} / ${frac_p99[$pct]} ms; in the gateway ${frac_over25[$pct]}% over 25 ms | | |"
  done
  echo "| gateway: GetBootstrapToken reads/s | load tester, closed model, 64 conn. ($(fmt_int "$escrowed") of $(fmt_int "$devices") devices hold a token); steal ${reads_steal}% | **$(fmt_int "$reads_rate")** | ${reads_p50} / ${reads_p99} ms | | |"
  echo "| gateway: durable TokenUpdates/s, **signed** (Mdm-Signature checked) | load tester, closed model, 64 conn., $(fmt_int "$signed_devices") devices with their own certificates; steal ${signed_steal}% | **$(fmt_int "$signed_rate")** | ${signed_p50} / ${signed_p99} ms | | |"
  echo "| identity cost | gateway CPU per TokenUpdate: ${signed_cpu} µs signed vs ${gw_cpu[64]} µs unsigned (64 conn.) | $(ratio "$signed_rate" "${gw_rate[64]}") of the unsigned rate | | | |"
  for c in "${upsert_clients[@]}"; do
    row "(a) PostgreSQL ceiling: the gateway's upsert, rows/s (tps × 256)" "pgbench, $c clients$([[ $c == "$pool" ]] && echo " (the gateway's pool)"); steal ${upsert_steal[$c]}%" "$(fmt_int "${upsert_rows[$c]}")" "mean ${upsert_lat[$c]} a batch" "${upsert_rows[$c]}"
  done
  for c in 64 256; do
    row "(b) HTTP ceiling: GET /healthz on the gateway's Reactor Netty server" "wrk, $c conn.; steal ${http_steal[$c]}%" "$(fmt_int "${http_rps[$c]}")" "p99 ${http_p99[$c]}" "${http_rps[$c]}"
  done
  for c in 16 64 16-after 64-after; do
    row "(c) NanoMDM design bound: TokenUpdates/s (3 autocommit statements)" \
      "pgbench, ${c%%-*} clients$([[ $c == *-after ]] && echo ", after the gateway's runs"); steal ${nano_steal[$c]}%" \
      "$(fmt_int "${nano_tps[$c]}")" "mean ${nano_lat[$c]}" "${nano_tps[$c]}"
  done
fi
echo "| durability check | $durability | | | | |"
$only_gateway || echo "| durability check (signed) | $signed_durability | | | | |"
echo
if ! $only_gateway; then
  best_nano=$(printf '%s\n' "${nano_tps[@]}" | sort -g | tail -1)
  echo "Targets: maximum ÷ best (c) = **$(ratio "$max_rate" "$best_nano")** (target 5); p99 at 70% of the maximum = **${frac_p99[70]:-n/a} ms** (target < 25 ms; in the gateway itself ${frac_over25[70]:-n/a}% of the answers took over 25 ms, under 1% being a p99 under 25 ms)."
  echo
fi
echo "Steal: the share of this VM's CPU time its host gave to something else during each measurement (/proc/stat). A few percent is usual on a shared host; a run with much more measured a smaller machine than the others, and its figures should be compared with care."
echo
log "non-200 TokenUpdate answers: $(for c in "${gw_conns[@]}"; do printf '%s at %s; ' "${gw_bad[$c]}" "$c"; done)(499: cut off at the end of a run); logs in $work"
