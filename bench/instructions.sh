#!/usr/bin/env bash
# Instructions per answer of one route, counted by callgrind: repeatable on a shared machine
# where req/s is not (the same binary, data and requests give the same count whatever else the
# machine is doing). `serve` runs under valgrind on a synthetic registry of SERVICES services
# (default 5,000; two rounds); after 200 warm-up requests the counters are zeroed, N random
# services' JSON answers are asked for over one keep-alive connection (default 2,000), and the
# counters are dumped. Prints instructions per answer and the functions that cost most, then
# the same for the bare handler (`crates/web/examples/bare.rs`, the ceiling of bench/peers.sh)
# asked the same addresses: what any answer costs on this HTTP stack.
#
#   bench/instructions.sh [SERVICES]        N=5000 TOP=30 bench/instructions.sh 5000
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-5000}; N=${N:-2000}; TOP=${TOP:-25}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
WORK=${WORK:-$(mktemp -d)}; mkdir -p "$WORK"
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/egovwatch
cargo build --release -q -p egovwatch
cargo build --release -q -p egovwatch-web --example bare
DB="$WORK/synth-$SERVICES.db"
[ -f "$DB" ] || "$BIN" synth --countries 1 --services "$SERVICES" --rounds 2 --db "$DB" >/dev/null
rm -f "$WORK"/callgrind.out.*
PORT=$((20000 + RANDOM % 20000))
EGOVWATCH_LOG=error valgrind --tool=callgrind --compress-strings=no --compress-pos=no \
  --callgrind-out-file="$WORK/callgrind.out.%p" "$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT \
  >"$WORK/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null' EXIT
for _ in $(seq 1 6000); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200 ] && break
  sleep 0.05
done
ask() {  # $1: requests, $2: seed
  python3 - "$PORT" "$1" "$2" "$DB" <<'PY'
import http.client, random, sqlite3, sys
port, n, seed, db = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
codes = [c for (c,) in sqlite3.connect(db).execute("SELECT code FROM services")]
random.seed(seed)
c = http.client.HTTPConnection("127.0.0.1", port)
for _ in range(n):
    c.request("GET", "/api/v1/services/" + random.choice(codes))
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
PY
}
ask 200 1
callgrind_control -z $SERVE >/dev/null 2>&1
ask "$N" 2
callgrind_control -d $SERVE >/dev/null 2>&1
python3 - "$(ls "$WORK"/callgrind.out.*.1)" "$N" "$TOP" <<'PY'
import collections, sys
path, n, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
own = collections.Counter(); fn = None; after_call = False
for line in open(path, errors="replace"):
    if line.startswith("fn="):
        fn = line[3:].strip(); continue
    if line.startswith("calls="):
        after_call = True; continue
    if line[:1].isdigit() or line[:1] in "+-*":
        if after_call:  # the inclusive cost of a call, counted in the callee
            after_call = False; continue
        parts = line.split()
        if fn and len(parts) >= 2 and parts[1].isdigit():
            own[fn] += int(parts[1])
total = sum(own.values())
print(f"{total // n} instructions per answer ({n} random services)")
for f, c in own.most_common(top):
    print(f"{100 * c / total:5.1f}% {c // n:>8} {f[:110]}")
PY

kill $SERVE 2>/dev/null; wait $SERVE 2>/dev/null || true
rm -f "$WORK"/callgrind.out.*
valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out.%p" \
  "$TARGET/release/examples/bare" 127.0.0.1:$PORT >"$WORK/bare.log" 2>&1 &
SERVE=$!
for _ in $(seq 1 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" = 200 ] && break
  sleep 0.05
done
ask 200 1
callgrind_control -z $SERVE >/dev/null 2>&1
ask "$N" 2
callgrind_control -d $SERVE >/dev/null 2>&1
python3 - "$(ls "$WORK"/callgrind.out.*.1)" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
total, after_call = 0, False
for line in open(path, errors="replace"):
    if line.startswith("calls="):
        after_call = True; continue
    if line[:1].isdigit() or line[:1] in "+-*":
        if after_call:
            after_call = False; continue
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            total += int(parts[1])
print(f"bare handler: {total // n} instructions per answer (the same {n} addresses)")
PY
