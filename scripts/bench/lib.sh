# Functions for scripts/bench.sh: sourced, not run. Expects root, work, db, http_port, mgmt_port.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}

pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"; }

# --- PostgreSQL ----------------------------------------------------------------------------------

pg_ready() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -q
  else
    (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null
  fi
}

# As .ci/run does: start an installed cluster, else install the Debian packages (trust on localhost).
ensure_postgres() {
  if ! command -v psql >/dev/null 2>&1 || ! command -v pgbench >/dev/null 2>&1; then
    log "installing postgresql-client and postgresql-contrib (psql, pgbench)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client postgresql-contrib >/dev/null
  fi
  pg_ready && return 0
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [[ -z $version ]]; then
    log "installing PostgreSQL"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client postgresql-contrib >/dev/null
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' \
      "/etc/postgresql/$version/main/pg_hba.conf"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_ready && return 0; sleep 1; done
  die "PostgreSQL did not come up at $PG_HOST:$PG_PORT"
}

# BENCH_POSTGRES=dedicated (the default): a cluster of the script's own in $work/pgdata on a free
# port, set up as a large fleet's database (postgresql.conf here, shared_buffers a quarter of the
# RAM), removed when the script ends; every run starts from the same server state. =shared: the
# machine's cluster at PG_HOST:PG_PORT, as it is configured.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
dedicated_pg=
start_dedicated_postgres() {
  local bin mem_mb
  bin=$(pg_bin)
  [[ -x $bin/initdb ]] || die "no initdb under /usr/lib/postgresql (apt-get install postgresql)"
  dedicated_pg=$work/pgdata
  mkdir -p "$dedicated_pg"
  if [[ $(id -u) == 0 ]]; then chown postgres: "$dedicated_pg"; fi
  as_postgres "$bin/initdb" -D "$dedicated_pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; die "initdb failed"; }
  mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 / 4 }' /proc/meminfo)
  PG_HOST=127.0.0.1 PG_USER=postgres PG_PORT=${BENCH_PG_PORT:-$(first_free_port 55432)}
  cp "$here/postgresql.conf" "$dedicated_pg/postgresql.bench.conf"
  printf "include 'postgresql.bench.conf'\nport = %s\nshared_buffers = %sMB\n" "$PG_PORT" "$mem_mb" \
    >>"$dedicated_pg/postgresql.conf"
  as_postgres "$bin/pg_ctl" -D "$dedicated_pg" -l "$dedicated_pg/server.log" -w -t 60 start >/dev/null \
    || { tail -20 "$dedicated_pg/server.log" >&2; die "the benchmark's PostgreSQL did not start"; }
  log "dedicated PostgreSQL at $PG_HOST:$PG_PORT ($dedicated_pg), shared_buffers ${mem_mb} MB"
  preallocate_wal
}

# Gives the fresh cluster the reusable WAL segments a long-running database has (see min_wal_size
# in bench/postgresql.conf): a segment switch after each tiny commit creates one zero-filled 16 MB
# segment, and the checkpoint then keeps them all for reuse. ~50 ms a segment here.
preallocate_wal() {
  local segments before
  segments=$(pg -d postgres -Atc "SELECT pg_size_bytes(current_setting('min_wal_size')) / pg_size_bytes(current_setting('wal_segment_size'))")
  before=$(pg -d postgres -Atc "SELECT count(*) FROM pg_ls_waldir()")
  {
    echo "CREATE TABLE wal_preallocation (n int);"
    for ((i = 0; i < segments; i++)); do echo "INSERT INTO wal_preallocation VALUES ($i); SELECT pg_switch_wal();"; done
    echo "DROP TABLE wal_preallocation; CHECKPOINT;"
  } | pg -d postgres -o /dev/null
  log "WAL: $(pg -d postgres -Atc "SELECT count(*) FROM pg_ls_waldir()") segments ready for reuse (were $before)"
}
stop_dedicated_postgres() {
  [[ -n $dedicated_pg ]] || return 0
  as_postgres "$(pg_bin)/pg_ctl" -D "$dedicated_pg" -m fast -w stop >/dev/null 2>&1 || true
  cp "$dedicated_pg/server.log" "$work/postgres.log" 2>/dev/null || true
  rm -rf "$dedicated_pg"   # a 10M run leaves gigabytes of table and WAL
  dedicated_pg=
}
# The server's settings that decide the write path, for the table's machine line.
pg_settings_line() {
  pg -d "$db" -Atc "SELECT string_agg(name || ' ' || current_setting(name), ', ' ORDER BY name) FROM pg_settings
    WHERE name IN ('shared_buffers', 'max_wal_size', 'min_wal_size', 'checkpoint_timeout', 'wal_compression', 'fsync', 'synchronous_commit')"
}

fresh_database() {
  pg -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
}

# --- build ---------------------------------------------------------------------------------------

gateway_jar() { echo "$root/gateway/target/mdm-gateway.jar"; }
loadtest_jar() { echo "${BENCH_LOADTEST_JAR:-$root/loadtest/target/mdm-loadtest.jar}"; }

ensure_jars() {   # $1 = skip build (true/false)
  local missing=false
  [[ -f $(gateway_jar) ]] || missing=true
  [[ -f $(loadtest_jar) ]] || missing=true
  if $missing; then
    $1 && die "--skip-build, but $(gateway_jar) or $(loadtest_jar) is missing"
    if ! $1; then
      log "building the jars (./mvnw -q -B package -DskipTests)"
      (cd "$root" && ./mvnw -q -B package -DskipTests) || die "build failed"
    fi
  fi
  [[ -f $(gateway_jar) && -f $(loadtest_jar) ]] || die "no $(gateway_jar) or $(loadtest_jar) after the build"
}

# --- the gateway ---------------------------------------------------------------------------------

gateway_pid=
probes_pid=
stop_gateway() {
  if [[ -n $probes_pid ]]; then
    kill "$probes_pid" 2>/dev/null || true
    wait "$probes_pid" 2>/dev/null || true
    probes_pid=
  fi
  if [[ -n $gateway_pid ]]; then
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
    gateway_pid=
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
first_free_port() {   # $1 = where to start looking; $2 = a port not to return
  local p=$1
  while ! port_free "$p" || [[ $p == "${2:-}" ]]; do p=$((p + 1)); done
  echo "$p"
}

# A fixed escrow key: the reads benchmark escrows bootstrap tokens first (never a production key).
BENCH_BOOTSTRAP_KEY=bench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=

# The JVM options the image and the chart use: G1's pause goal at 10 ms instead of 200 ms (young
# pauses of ~25 ms every second or two set the p99 of an open load otherwise).
BENCH_GATEWAY_JVM=${BENCH_GATEWAY_JVM:--XX:MaxGCPauseMillis=10}

# The gateway stays in the script's session, as the load tester does: with the kernel's session
# autogroups (sched_autogroup_enabled=1, Debian's default) a gateway started in a session of its own
# (setsid) was scheduled as a separate group from the load tester and made 17-18k TokenUpdates/s
# at 512 connections instead of 30k, at twice the CPU per request (BENCHMARKS.md, 2026-11-25).
start_gateway() {   # $1 = log name, then VAR=value settings (default MDMGW_DEVICE_AUTH=none: unsigned check-ins)
  local name=$1; shift
  port_free "$http_port" || die "port $http_port is taken (set BENCH_HTTP_PORT)"
  port_free "$mgmt_port" || die "port $mgmt_port is taken (set BENCH_MGMT_PORT)"
  env MDMGW_DB_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$db" MDMGW_DEVICE_AUTH=none \
    MDMGW_HTTP_PORT="$http_port" MDMGW_MGMT_PORT="$mgmt_port" MDMGW_LOG_LEVEL=WARN \
    MDMGW_BOOTSTRAP_KEYS="$BENCH_BOOTSTRAP_KEY" MDMGW_ADMIN_API_KEY=bench "$@" \
    java $BENCH_GATEWAY_JVM -jar "$(gateway_jar)" >>"$work/gateway-$name.log" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 1 90); do
    if curl -sf "http://127.0.0.1:$mgmt_port/readyz" >/dev/null; then
      start_probes
      return 0
    fi
    kill -0 "$gateway_pid" 2>/dev/null || die "the gateway exited; see $work/gateway-$name.log"
    sleep 1
  done
  die "the gateway did not become ready; see $work/gateway-$name.log"
}

# What a deployment sends the management port while the gateway runs, at the chart's periods
# (helm/mdm-gateway/values.yaml): readiness every 2 s, liveness every 10 s, a Prometheus scrape
# every 30 s. Without them the gateway's JIT compiled its HTTP path for check-ins only, and the
# first GET of a run (the script's own /metrics read) deoptimised it under load: ~0.5 s of
# interpreted code, seconds of 300-500 ms p99 in an open-model run.
start_probes() {
  (
    local n=0
    while kill -0 "$gateway_pid" 2>/dev/null; do
      curl -s -o /dev/null "http://127.0.0.1:$mgmt_port/readyz" || true
      (( n % 5 == 0 )) && { curl -s -o /dev/null "http://127.0.0.1:$mgmt_port/healthz" || true; }
      (( n % 15 == 0 )) && { curl -s -o /dev/null "http://127.0.0.1:$mgmt_port/metrics" || true; }
      n=$((n + 1))
      sleep 2
    done
  ) &
  probes_pid=$!
}

# Answers of one message type (default TokenUpdate) the gateway counted, from one scrape of its
# own metrics: "<200s> <other statuses> <200s within 25 ms>" (its latency histogram, from the
# request read to the answer written: the issue's latency target, as the gateway saw it). One
# scrape, not one a figure: a scrape takes the gateway 5-10 ms idle, 23-47 ms under load, and each
# timed one showed as that second's p99 at 50% of the maximum (34-56 ms against 8-15 around it).
gateway_counts() {
  curl -s "http://127.0.0.1:$mgmt_port/metrics" | awk -v type="${1:-TokenUpdate}" '
    index($0, "mdmgw_checkin_requests_seconds_count{message_type=\"" type "\",status=\"200\"") == 1 { ok = $2; next }
    index($0, "mdmgw_checkin_requests_seconds_count{message_type=\"" type "\",") == 1 { bad += $2; next }
    index($0, "mdmgw_checkin_requests_seconds_bucket{message_type=\"" type "\",status=\"200\",le=\"0.025\"}") == 1 { in25 = $2 }
    END { printf "%d %d %d\n", ok, bad, in25 }'
}

# CPU time the gateway process has used, in microseconds (user + system).
gateway_cpu_us() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f\n", ($14 + $15) * 1000000 / hz }' "/proc/$gateway_pid/stat"
}

# The machine's CPU time and the part of it stolen (the hypervisor running something else on this
# VM's cores), in jiffies since boot, from /proc/stat: "<total> <steal>". A VM sharing its host
# lost up to 29% of its time to steal in a 10 s window (2026-11-25), and with it half its
# throughput, so every figure is printed with the steal of its own window.
cpu_mark() {
  awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9; exit }' /proc/stat
}
steal_pct() {   # $1 $2 = cpu_mark at the start, $3 $4 = at the end
  awk -v t0="$1" -v s0="$2" -v t1="$3" -v s1="$4" 'BEGIN { if (t1 > t0) printf "%.1f", 100 * (s1 - s0) / (t1 - t0); else print "n/a" }'
}

# --- the gateway's own TokenUpdate upsert, for pgbench -------------------------------------------

# Prints the SQL of TokenUpdateStatement.java with its placeholders filled in and $1..$15 replaced
# by columns b.a1..b.a15 of a row of arrays the pgbench script builds: the same statement the
# gateway prepares, read from the source so the two cannot drift apart.
gateway_upsert_sql() {
  local src=$root/persistence/src/main/java/dev/mdmgw/persistence/postgres/TokenUpdateStatement.java
  [[ -f $src ]] || die "no $src"
  local newer newer_unlock superseded body
  newer=$(sed -nE 's/.*String NEWER = "(.*)";/\1/p' "$src")
  newer_unlock=$(sed -nE 's/.*String NEWER_UNLOCK = "(.*)";/\1/p' "$src")
  superseded=$(sed -nE 's/.*String SUPERSEDED = "(.*)";/\1/p' "$src")
  [[ -n $newer && -n $newer_unlock && -n $superseded ]] || die "cannot read the constants of $src"
  body=$(awk '/String SQL = """/ { on = 1; next } on && /"""/ { exit } on { sub(/^            /, ""); print }' "$src")
  [[ -n $body ]] || die "cannot read the SQL text block of $src"
  body=${body//'%1$s'/$newer}
  body=${body//'%2$s'/$newer_unlock}
  body=${body//'%3$s'/$superseded}
  body=$(printf '%s\n' "$body" | sed -E 's/\$([0-9]+)::/b.a\1::/g; s/FROM unnest\(/FROM batch AS b, unnest(/')
  if grep -qE '%[0-9]\$s|\$[0-9]' <<<"$body"; then die "unexpected placeholders left in the upsert SQL"; fi
  printf '%s;\n' "$body"
}

# --- machine -------------------------------------------------------------------------------------

machine_line() {
  local cores mem cpu
  cores=$(nproc)
  mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  echo "$cores cores, $mem, ${cpu:-unknown CPU}"
}

fmt_int() { printf '%.0f' "$1" | sed -E ':a; s/^([0-9]+)([0-9]{3})/\1,\2/; ta'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
