#!/usr/bin/env bash
# Durable TokenUpdates/s against a running gateway, with wrk: a warm-up, then the measured run,
# then the write batches the gateway cut during the measured run (from /metrics).
#   bench/wrk-tokenupdates.sh [connections] [seconds]      (gateway on :8080, metrics on :9090)
set -euo pipefail
conns=${1:-64}
secs=${2:-30}
url=${GATEWAY_URL:-http://127.0.0.1:8080}
metrics=${METRICS_URL:-http://127.0.0.1:9090/metrics}
here=$(dirname "$0")

batch_totals() {
  curl -s "$metrics" | awk '
    /^mdmgw_write_batch_size_count\{kind="token_update"/ { c = $2 }
    /^mdmgw_write_batch_size_sum\{kind="token_update"/ { s = $2 }
    /^mdmgw_checkin_requests_seconds_count\{message_type="TokenUpdate",status="200"/ { ok = $2 }
    END { printf "%d %d %d\n", c, s, ok }'
}

wrk -t2 -c"$conns" -d10s -s "$here/tokenupdate.lua" "$url" >/dev/null
read -r c0 s0 ok0 < <(batch_totals)
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/tokenupdate.lua" "$url"
read -r c1 s1 ok1 < <(batch_totals)
echo "200 answers counted by the gateway: $((ok1 - ok0))"
echo "token_update batches: $((c1 - c0)), rows: $((s1 - s0)), mean rows per batch: $(( (s1 - s0) / (c1 - c0 > 0 ? c1 - c0 : 1) ))"
curl -s "$metrics" | grep -E '^mdmgw_write_batch_size_max\{kind="token_update"' || true
