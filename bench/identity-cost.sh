#!/usr/bin/env bash
# The cost of device identity: durable TokenUpdates with MDMGW_DEVICE_AUTH=signature against
# MDMGW_DEVICE_AUTH=none, same machine, same database, same device ids. The modes alternate
# (none, signature, none, signature, ...) because a shared VM's speed drifts by tens of percent
# over minutes; besides throughput and latency, each round reports the gateway's own CPU time
# per answered request, which that drift disturbs far less. Each round starts a fresh gateway and
# warms it up first: C2 keeps compiling the CMS and certificate code for the first minute or so.
#   bench/identity-cost.sh [devices] [seconds per round] [rounds] [connections] [warm-up seconds]
# Needs: the built jar (./mvnw -q package -DskipTests), wrk, openssl, PostgreSQL at
# 127.0.0.1:5432 (user postgres, trust), Bouncy Castle 1.87 in ~/.m2 (it is after a build).
set -euo pipefail
devices=${1:-10000}
secs=${2:-30}
rounds=${3:-2}
conns=${4:-64}
warmup=${5:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=$(mktemp -d)
db=mdmgw_bench_identity
metrics=http://127.0.0.1:9090/metrics
M=~/.m2/repository/org/bouncycastle
BC=$M/bcprov-jdk18on/1.87/bcprov-jdk18on-1.87.jar:$M/bcpkix-jdk18on/1.87/bcpkix-jdk18on-1.87.jar:$M/bcutil-jdk18on/1.87/bcutil-jdk18on-1.87.jar
gateway_pid=

stop_gateway() {
  if [[ -n $gateway_pid ]]; then
    kill "$gateway_pid" && wait "$gateway_pid" || true
    gateway_pid=
  fi
}
trap 'stop_gateway; rm -rf "$work"' EXIT

start_gateway() {   # $1 = identity mode
  MDMGW_DB_URL=postgresql://postgres@127.0.0.1:5432/$db MDMGW_DEVICE_AUTH=$1 \
    MDMGW_DEVICE_CA_FILE=$work/ca.pem MDMGW_LOG_LEVEL=WARN \
    java -jar "$root/gateway/target/mdm-gateway.jar" >>"$work/gateway-$1.log" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 1 60); do
    curl -sf http://127.0.0.1:9090/readyz >/dev/null && return
    sleep 1
  done
  echo "gateway ($1) did not become ready; see $work/gateway-$1.log" >&2
  exit 1
}

counters() {   # gateway CPU ns, TokenUpdate 200s, other TokenUpdate answers
  curl -s "$metrics" | awk '
    /^process_cpu_time_ns_total / { cpu = $2 }
    /^mdmgw_checkin_requests_seconds_count\{message_type="TokenUpdate",status="200"/ { ok = $2; next }
    /^mdmgw_checkin_requests_seconds_count\{message_type="TokenUpdate",/ { bad += $2 }
    END { printf "%.0f %d %d\n", cpu, ok, bad }'
}

round() {   # $1 = mode, $2 = wrk script; prints one table row
  start_gateway "$1"
  wrk -t2 -c"$conns" -d"${warmup}s" -s "$2" http://127.0.0.1:8080 >/dev/null   # warm-up: JIT, caches
  read -r cpu0 ok0 bad0 < <(counters)
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$2" http://127.0.0.1:8080 >"$work/wrk.out"
  read -r cpu1 ok1 bad1 < <(counters)
  stop_gateway
  awk -v mode="$1" -v ok=$((ok1 - ok0)) -v bad=$((bad1 - bad0)) -v cpu=$((cpu1 - cpu0)) -v secs="$secs" '
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    END { printf "| %s | %.0f | %s | %s | %.0f | %d |\n", mode, ok / secs, p50, p99, cpu / 1000 / (ok > 0 ? ok : 1), bad }' "$work/wrk.out"
}

# A device CA of our own, as an MDM's SCEP CA would be.
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=bench device CA" -days 30 \
  -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout "$work/ca.rsa" -out "$work/ca.pem" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$work/ca.rsa" -out "$work/ca.key"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null

echo "enrolling $devices devices (a certificate and a signed Authenticate each)..." >&2
start_gateway signature
java -cp "$BC" "$here/SignedFleet.java" --ca-cert "$work/ca.pem" --ca-key "$work/ca.key" \
  --devices "$devices" --target http://127.0.0.1:8080 --out "$work/fleet.lua" >&2
stop_gateway
export SIGNED_FLEET=$work/fleet.lua DEVICES=$devices

echo "| identity | durable TokenUpdates/s | p50 | p99 | gateway CPU µs per request | non-200 |"
echo "|---|---|---|---|---|---|"
for _ in $(seq 1 "$rounds"); do
  round none "$here/tokenupdate.lua"
  round signature "$here/tokenupdate-signed.lua"
done
