#!/usr/bin/env bash
# Durable unsigned TokenUpdates/s (bench/tokenupdate.lua, DEVICES ids) against a running gateway.
#   bench/wrk-tokenupdates.sh [connections] [seconds]      (gateway on :8080, metrics on :9090)
exec "$(dirname "$0")/wrk-run.sh" "$(dirname "$0")/tokenupdate.lua" "$@"
