#!/usr/bin/env bash
# egovwatch and Datasette side by side, in one run, on the same synthetic registry of N services
# (default 50,000; two rounds): how long each takes to give its first answer after starting,
# how much memory it holds while serving, and req/s with tail latency per route (wrk: 2 threads,
# 32 connections, DURATION per route, default 10s), against a bare axum handler returning a fixed
# JSON body (the ceiling on this machine).
#
# Datasette 0.65.5 (from PyPI, in a venv under bench/) serves the registry's services.csv (as
# `egovwatch synth --export-csv` writes it) loaded into SQLite with sqlite-utils, primary key
# `code`, full-text search on the three names, in immutable mode.
#
#   bench/peers.sh [SERVICES]          UN=1 bench/peers.sh   (adds the UN survey's scale:
#                                      193 countries x 2,000 services, egovwatch alone)
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-50000}; DURATION=${DURATION:-10s}
WORK=${WORK:-$(mktemp -d)}; mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/egovwatch
cargo build --release -q -p egovwatch
cargo build --release -q -p egovwatch-web --example bare
VENV=bench/.venv
if [ ! -x "$VENV/bin/datasette" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "datasette==0.65.5" "sqlite-utils==3.38"
fi
echo "datasette $("$VENV/bin/datasette" --version | awk '{print $NF}'), $(wrk --version 2>&1 | head -1 | awk '{print $1, $2}'), $(nproc) cores"

DB="$WORK/synth-$SERVICES.db"
if [ ! -f "$DB" ]; then
  /usr/bin/time -f "%e s %M KB" -o "$WORK/synth.time" \
    "$BIN" synth --countries 1 --services "$SERVICES" --rounds 2 --db "$DB" --export-csv "$WORK/csv" >/dev/null
  echo "synth of $SERVICES services: $(cat "$WORK/synth.time")"
fi
PEER="$WORK/peer.db"
if [ ! -f "$PEER" ]; then
  "$VENV/bin/sqlite-utils" insert "$PEER" services "$WORK/csv/registry-csv/services.csv" --csv --pk code >/dev/null
  "$VENV/bin/sqlite-utils" enable-fts "$PEER" services name_az name_en name_ru --create-triggers >/dev/null
fi

# Starts a server and prints the seconds until its first 200 on URL.
first_answer() {
  local url=$1; shift
  local start; start=$(date +%s.%N)
  echo "$start" >"$WORK/started"
  # Its output goes to a file: a background job holding the $(...) pipe would never let go.
  "$@" >>"$WORK/servers.log" 2>&1 &
  echo $! >"$WORK/pid"
  for _ in $(seq 1 60000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] && break
    # A server that could not start (its address still held, say) is not waited for.
    kill -0 "$(cat "$WORK/pid")" 2>/dev/null || { echo "failed (see $WORK/servers.log)"; return; }
    sleep 0.01
  done
  python3 -c "import time; print(f'{time.time() - $start:.2f}')"
}
# The seconds from the last server's start until URL answers 200 (a route that needs the
# whole snapshot: the list of services is answered from the store before it is read).
answers_after_start() {
  for _ in $(seq 1 60000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && break
    sleep 0.01
  done
  python3 -c "import time; print(f'{time.time() - $(cat "$WORK/started"):.2f}')"
}
rss_mb() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }

PORT=$((20000 + RANDOM % 20000)); BARE=$((PORT + 1)); DS=$((PORT + 2))
B="http://127.0.0.1:$PORT"; D="http://127.0.0.1:$DS"
first_e=$(first_answer "$B/api/v1/services?limit=1" \
  env EGOVWATCH_LOG=error "$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT)
SERVE=$(cat "$WORK/pid")
service_e=$(answers_after_start "$B/api/v1/services/C001-S00001")
whole_e=$(answers_after_start "$B/readyz")
first_d=$(first_answer "$D/peer/services.json?_size=1" \
  "$VENV/bin/datasette" serve -i "$PEER" --port $DS --setting default_page_size 50 --setting sql_time_limit_ms 10000)
DSPID=$(cat "$WORK/pid")
"$TARGET/release/examples/bare" 127.0.0.1:$BARE >/dev/null 2>&1 &
BAREPID=$!
trap 'kill $SERVE $DSPID $BAREPID 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$BARE/" && break; sleep 0.1; done
echo "first answer after start: egovwatch ${first_e} s (the list of services, from the store; a service's answer after ${service_e} s; the whole snapshot held, /readyz, after ${whole_e} s), Datasette ${first_d} s"

python3 - "$DB" >"$WORK/codes.txt" <<'PY'
import sqlite3, sys
for (c,) in sqlite3.connect(sys.argv[1]).execute("SELECT code FROM services"): print(c)
PY
service=$(head -1 "$WORK/codes.txt")
life_event=$(curl -sf "$B/api/v1/life-events?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["code"])')
word=${WORD:-$(curl -sf "$B/api/v1/services/$service" | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"]["en"].split()[0].lower())')}
random_script() {   # $1: path prefix, $2: suffix
  cat >"$WORK/random-$3.lua" <<LUA
local codes = {}
for line in io.lines("$WORK/codes.txt") do codes[#codes + 1] = line end
math.randomseed(42)
request = function() return wrk.format("GET", "$1" .. codes[math.random(#codes)] .. "$2") end
LUA
  echo "$WORK/random-$3.lua"
}
ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else {sub(/s$/,"",v); print v*1000} }'; }
# Datasette at its leanest for an API client: no facets, no facet suggestions (it still counts
# the rows, as egovwatch's meta.total does).
LEAN="_nofacet=1&_nosuggest=1"
printf '%-12s %-46s %10s %9s %9s %10s\n' server route "req/s" "p50 ms" "p99 ms" "of ceiling"
run() {
  local who=$1 name=$2 url=$3 script=${4:-} out rps p50 p99 errors
  out=$(wrk -t2 -c32 -d"$DURATION" --timeout 10s --latency ${script:+-s "$script"} "$url")
  rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  if [ -z "${CEILING:-}" ]; then CEILING=$rps; fi
  printf '%-12s %-46s %10s %9.2f %9.2f %9.0f%%%s\n' "$who" "$name" "$rps" "$(ms "$p50")" "$(ms "$p99")" \
    "$(echo "100 * $rps / $CEILING" | bc -l)" "${errors:+  ($errors non-2xx)}"
}
run bare "fixed JSON (ceiling)" "http://127.0.0.1:$BARE/"
FIXED=$CEILING
# A random address per request costs wrk's Lua too, on the same two cores: the random routes
# are set against the bare handler asked the same way (the fixed JSON at random addresses).
CEILING=
run bare "fixed JSON, random addresses (ceiling)" "http://127.0.0.1:$BARE/" "$(random_script /api/v1/services/ "" b)"
run egovwatch "one service, random of $SERVICES" "$B/" "$(random_script /api/v1/services/ "" e)"
run datasette "one service, random of $SERVICES" "$D/" "$(random_script /peer/services/ .json d)"
RANDOM_CEILING=$CEILING; CEILING=$FIXED
run egovwatch "one service, same address" "$B/api/v1/services/$service"
run datasette "one service, same address" "$D/peer/services/$service.json"
run egovwatch "services, first page of 50" "$B/api/v1/services?limit=50"
run datasette "services, first page of 50" "$D/peer/services.json?_size=50&$LEAN"
run egovwatch "a life event's services (50)" "$B/api/v1/services?life_event=$life_event&limit=50"
run datasette "a life event's services (50)" "$D/peer/services.json?life_events__contains=$life_event&_size=50&$LEAN"
run egovwatch "search \"$word\"" "$B/api/v1/search?q=$word"
run datasette "search \"$word\"" "$D/peer/services.json?_search=$word&$LEAN"
echo "resident memory after the runs: egovwatch $(rss_mb "$SERVE") MB, Datasette $(rss_mb "$DSPID") MB"
echo "($SERVICES services, wrk -t2 -c32 -d$DURATION, servers and wrk on the same $(nproc) cores)"

if [ "${UN:-}" = 1 ]; then
  kill $SERVE $DSPID 2>/dev/null || true
  # Their address is free once they are gone.
  while kill -0 $SERVE 2>/dev/null || kill -0 $DSPID 2>/dev/null; do sleep 0.1; done
  UNDB="$WORK/un.db"
  [ -f "$UNDB" ] || /usr/bin/time -f "%e s %M KB" -o "$WORK/un-synth.time" \
    "$BIN" synth --countries 193 --services 2000 --rounds 2 --db "$UNDB" >/dev/null
  echo "UN scale synth (193 x 2,000 services): $(cat "$WORK/un-synth.time" 2>/dev/null || echo 'reused')"
  first_u=$(first_answer "$B/api/v1/services?limit=1" \
    env EGOVWATCH_LOG=error "$BIN" serve --db "$UNDB" --listen 127.0.0.1:$PORT)
  SERVE=$(cat "$WORK/pid")
  service_u=$(answers_after_start "$B/api/v1/services/C100-S01000")
  page_u=$(answers_after_start "$B/en/services/C101-S00001")
  whole_u=$(answers_after_start "$B/readyz")
  echo "UN scale: first answer after start ${first_u} s (the list of services, from the store); a service's answer (from its country's part) after ${service_u} s, another country's service page after ${page_u} s; the whole snapshot held (/readyz) after ${whole_u} s; resident memory $(rss_mb "$SERVE") MB"
  python3 - "$UNDB" >"$WORK/codes.txt" <<'PY'
import sqlite3, sys
for (c,) in sqlite3.connect(sys.argv[1]).execute("SELECT code FROM services"): print(c)
PY
  CEILING=$RANDOM_CEILING
  run egovwatch "UN scale: one service, random of 386,000" "$B/" "$(random_script /api/v1/services/ "" u)"
  echo "UN scale: resident memory after the run $(rss_mb "$SERVE") MB"
fi
