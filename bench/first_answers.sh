#!/usr/bin/env bash
# How long after `serve` starts each kind of route first answers, on a large SQLite database
# (at the UN survey's scale: `egovwatch synth --countries 193 --services 2000 --rounds 2`).
# Each route is asked of a process of its own, started for it, so that nothing it answered
# before helps: a route about one country is answered from that country's part of the registry
# while the whole snapshot is read beside it; the home page waits for the whole snapshot.
#
#   bench/first_answers.sh DB [BIN...]   (BIN defaults to target/release/egovwatch; several
#                                         builds alternate, route by route, REPEAT times)
set -euo pipefail
DB=${1:?usage: bench/first_answers.sh DB [BIN...]}
shift
BINS=("$@")
[ ${#BINS[@]} -gt 0 ] || BINS=(target/release/egovwatch)
REPEAT=${REPEAT:-2}
WORK=$(mktemp -d)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Codes of one country in the middle of the registry, and the site's current round.
read -r SERVICE ORGANISATION SYSTEM ROUND < <(python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("SELECT count(*) FROM services").fetchone()[0]
service = c.execute("SELECT code FROM services ORDER BY code LIMIT 1 OFFSET ?", (n // 2,)).fetchone()[0]
country = service.split("-")[0]
org = c.execute("SELECT code FROM organisations WHERE code LIKE ? ORDER BY code LIMIT 1", (country + "-%",)).fetchone()[0]
system = c.execute("SELECT code FROM information_systems WHERE code LIKE ? ORDER BY code LIMIT 1", (country + "-%",)).fetchone()[0]
rnd = c.execute("SELECT code FROM rounds WHERE code LIKE ? AND state = 'published' ORDER BY code LIMIT 1", (country + "-%",)).fetchone()[0]
print(service, org, system, rnd)
PY
)
ROUTES=(
  "/api/v1/services/$SERVICE"
  "/en/organisations/$ORGANISATION"
  "/api/v1/information-systems/$SYSTEM"
  "/en/rounds/$ROUND"
  "/az/rounds/$ROUND/report.md"
  "/en/gaps"
  "/api/v1/gaps"
  "/en/"
  "/readyz"
)

# Starts BIN on DB and prints the seconds until PATH answers 200, and the resident memory then.
first() {
  local bin=$1 path=$2 port=$((20000 + RANDOM % 20000))
  "$bin" serve --db "$DB" --listen "127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
  local pid=$! start; start=$(date +%s.%N)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "failed: $(tail -1 "$WORK/serve.log")"; return; }
    sleep 0.02
  done
  local took; took=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
  echo "$took s, $(($(ps -o rss= -p "$pid") / 1024)) MB"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

echo "$DB: service $SERVICE, organisation $ORGANISATION, system $SYSTEM, round $ROUND"
for path in "${ROUTES[@]}"; do
  for _ in $(seq 1 "$REPEAT"); do
    for bin in "${BINS[@]}"; do
      echo "$path  $bin: $(first "$bin" "$path")"
    done
  done
done
