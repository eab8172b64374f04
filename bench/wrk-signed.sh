#!/usr/bin/env bash
# Durable signed TokenUpdates/s (MDMGW_DEVICE_AUTH=signature) against a running gateway, from a
# fleet made and enrolled beforehand by bench/SignedFleet.java:
#   M=~/.m2/repository/org/bouncycastle
#   BC=$M/bcprov-jdk18on/1.87/bcprov-jdk18on-1.87.jar:$M/bcpkix-jdk18on/1.87/bcpkix-jdk18on-1.87.jar:$M/bcutil-jdk18on/1.87/bcutil-jdk18on-1.87.jar
#   java -cp "$BC" bench/SignedFleet.java --ca-cert data/device-ca/ca.pem --ca-key data/device-ca/ca.key \
#        --devices 10000 --target http://127.0.0.1:8080 --out bench/signed-fleet.lua
#   bench/wrk-signed.sh [connections] [seconds]      (gateway on :8080, metrics on :9090)
# The unsigned figure to compare with: the same fleet size against a gateway with
# MDMGW_DEVICE_AUTH=none, DEVICES=10000 bench/wrk-tokenupdates.sh.
set -euo pipefail
here=$(dirname "$0")
export SIGNED_FLEET=${SIGNED_FLEET:-$here/signed-fleet.lua}
[[ -f $SIGNED_FLEET ]] || { echo "no fleet at $SIGNED_FLEET: make one with bench/SignedFleet.java (see the top of $0)" >&2; exit 1; }
exec "$here/wrk-run.sh" "$here/tokenupdate-signed.lua" "$@"
