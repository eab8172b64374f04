#!/usr/bin/env bash
# Durable TokenUpdates/s against a running gateway, with wrk and a given request script: a warm-up,
# then the measured run, then what the gateway counted during the measured run (from /metrics).
# Shared by bench/wrk-tokenupdates.sh (unsigned) and bench/wrk-signed.sh (signed).
#   bench/wrk-run.sh SCRIPT [connections] [seconds]      (gateway on :8080, metrics on :9090)
set -euo pipefail
script=$1
conns=${2:-64}
secs=${3:-30}
url=${GATEWAY_URL:-http://127.0.0.1:8080}
metrics=${METRICS_URL:-http://127.0.0.1:9090/metrics}

batch_totals() {
  curl -s "$metrics" | awk '
    /^mdmgw_write_batch_size_count\{kind="token_update"/ { c = $2 }
    /^mdmgw_write_batch_size_sum\{kind="token_update"/ { s = $2 }
    /^mdmgw_checkin_requests_seconds_count\{message_type="TokenUpdate",status="200"/ { ok = $2; next }
    /^mdmgw_checkin_requests_seconds_count\{message_type="TokenUpdate",/ { bad += $2 }
    END { printf "%d %d %d %d\n", c, s, ok, bad }'
}

wrk -t2 -c"$conns" -d10s -s "$script" "$url" >/dev/null
read -r c0 s0 ok0 bad0 < <(batch_totals)
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$script" "$url"
read -r c1 s1 ok1 bad1 < <(batch_totals)
echo "200 answers counted by the gateway: $((ok1 - ok0)), other answers: $((bad1 - bad0)) (499: cut off by wrk at the end; 403: identity refused)"
echo "token_update batches: $((c1 - c0)), rows: $((s1 - s0)), mean rows per batch: $(( (s1 - s0) / (c1 - c0 > 0 ? c1 - c0 : 1) ))"
curl -s "$metrics" | grep -E '^mdmgw_write_batch_size_max\{kind="token_update"' || true
