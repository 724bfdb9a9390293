#!/usr/bin/env bash
# Throughput and tail latency of the public site and API on a synthetic country of N services
# (default 50,000), against a bare axum handler returning a fixed JSON body in the same run (the
# ceiling on this machine). wrk: 2 threads, 32 connections, DURATION per route (default 10s).
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-50000}; DURATION=${DURATION:-10s}
WORK=${WORK:-$(mktemp -d)}; mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
cargo build --release -q -p egovwatch
cargo build --release -q -p egovwatch-web --example bare
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/egovwatch
[ -f "$WORK/synth-$SERVICES.db" ] || $BIN synth --countries 1 --services "$SERVICES" --rounds 2 --db "$WORK/synth-$SERVICES.db" >/dev/null
PORT=$((20000 + RANDOM % 20000)); BARE=$((PORT + 1))
EGOVWATCH_LOG=error $BIN serve --db "$WORK/synth-$SERVICES.db" --listen 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 &
SERVE=$!
$TARGET/release/examples/bare 127.0.0.1:$BARE >/dev/null 2>&1 &
BAREPID=$!
trap 'kill $SERVE $BAREPID 2>/dev/null' EXIT
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && curl -sf -o /dev/null "http://127.0.0.1:$BARE/" && break; sleep 0.2; done
B="http://127.0.0.1:$PORT"
# The first read builds the snapshot (registry, rounds scored, search index); time it.
start=$(date +%s.%N); curl -sf -o /dev/null "$B/api/v1/rounds"; end=$(date +%s.%N)
echo "snapshot of $SERVICES services built on first read in $(echo "$end - $start" | bc) s"
service=$(curl -sf "$B/api/v1/services?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["code"])')
life_event=$(curl -sf "$B/api/v1/life-events?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["code"])')
round=$(curl -sf "$B/api/v1/rounds" | python3 -c 'import json,sys; print(max(json.load(sys.stdin)["data"], key=lambda r: (r["period_end"], r["code"]))["code"])')
word=${WORD:-arayis}
curl -sf -o /dev/null "$B/api/v1/services/$service"   # the gap analysis behind "blocked_by" is built on first use
printf '%-44s %12s %10s %10s %10s\n' route "req/s" "p50 ms" "p99 ms" "of ceiling"
run() {
  local name=$1 url=$2 script=${3:-} out rps p50 p99
  out=$(wrk -t2 -c32 -d"$DURATION" --latency ${script:+-s "$script"} "$url")
  rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else {sub(/s$/,"",v); print v*1000} }'; }
  if [ -z "${CEILING:-}" ]; then CEILING=$rps; fi
  printf '%-44s %12s %10.2f %10.2f %9.0f%%\n' "$name" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$(echo "100 * $rps / $CEILING" | bc -l)"
}
run "bare axum handler (ceiling)" "http://127.0.0.1:$BARE/"
run "GET /api/v1/services/$service" "$B/api/v1/services/$service"
run "GET /api/v1/services?life_event=…&limit=50" "$B/api/v1/services?life_event=$life_event&limit=50"
run "GET /api/v1/search?q=$word" "$B/api/v1/search?q=$word"
run "GET /api/v1/rounds/$round/life-events" "$B/api/v1/rounds/$round/life-events"
run "GET /en/ (home page HTML)" "$B/en/"
# wrk repeats one address, which after the first request is answered from the snapshot's
# response cache. Every service in turn, at random, shows the cost of computing the answer.
python3 - "$WORK/synth-$SERVICES.db" >"$WORK/codes.txt" <<'PY'
import sqlite3, sys
for (c,) in sqlite3.connect(sys.argv[1]).execute("SELECT code FROM services"): print(c)
PY
cat >"$WORK/random-service.lua" <<LUA
local codes = {}
for line in io.lines("$WORK/codes.txt") do codes[#codes + 1] = line end
math.randomseed(42)
request = function() return wrk.format("GET", "/api/v1/services/" .. codes[math.random(#codes)]) end
LUA
run "GET /api/v1/services/{random of $SERVICES}" "$B/" "$WORK/random-service.lua"
echo "($SERVICES services, wrk -t2 -c32 -d$DURATION, server and wrk on the same $(nproc) cores)"
