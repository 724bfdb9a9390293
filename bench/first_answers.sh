#!/usr/bin/env bash
# How long after `serve` starts each kind of route first answers, on a large database: a SQLite
# file or a PostgreSQL URL (at the UN survey's scale: `egovwatch synth --countries 193
# --services 2000 --rounds 2`). Each route is asked of a process of its own, started for it,
# so that nothing it answered before helps: a route about one country is answered from that
# country's part of the registry while the whole snapshot is read beside it, and the home page
# from the current round's part with the services its journey lists first, a life event's page
# from the current round's part with the services the page lists, a page of a list of records
# with no filter from its records alone, a search from the records holding its words, the list
# of rounds from the rounds and their stored results.
#
#   bench/first_answers.sh DB [BIN...]
#
# BIN defaults to target/release/egovwatch; several builds alternate, route by route, REPEAT
# times (default 2).
set -euo pipefail
# shellcheck source=bench/db_builds.sh
source "$(dirname "$0")/db_builds.sh"

# Codes of one country in the middle of the registry: a service, an organisation, a system and
# a published round; and the first life event.
# The position of the country's dash: instr in SQLite, strpos in PostgreSQL.
case "$DB" in postgres://*) POS=strpos ;; *) POS=instr ;; esac
CODES_SQL="
WITH s AS (SELECT code FROM services ORDER BY code
           LIMIT 1 OFFSET (SELECT count(*) / 2 FROM services)),
     c AS (SELECT substr(code, 1, $POS(code, '-')) AS country, code FROM s)
SELECT c.code,
  (SELECT min(code) FROM organisations WHERE substr(code, 1, length(c.country)) = c.country),
  (SELECT min(code) FROM information_systems WHERE substr(code, 1, length(c.country)) = c.country),
  (SELECT min(code) FROM rounds WHERE state = 'published'
     AND substr(code, 1, length(c.country)) = c.country),
  (SELECT min(code) FROM life_events)
FROM c"
case "$DB" in
  postgres://*) CODES=$(psql -At -F ' ' "$DB" -c "$CODES_SQL") ;;
  *) CODES=$(python3 -c 'import sqlite3, sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())' "$DB" "$CODES_SQL") ;;
esac
read -r SERVICE ORGANISATION SYSTEM ROUND LIFE_EVENT <<<"$CODES"
ROUTES=(
  "/api/v1/services/$SERVICE"
  "/en/organisations/$ORGANISATION"
  "/api/v1/information-systems/$SYSTEM"
  "/api/v1/datasets?system=$SYSTEM"
  "/en/rounds/$ROUND"
  "/az/rounds/$ROUND/report.md"
  "/en/gaps"
  "/api/v1/gaps"
  "/en/"
  "/en/life-events/$LIFE_EVENT?page=2"
  "/api/v1/life-events/$LIFE_EVENT"
  "/en/life-events"
  "/api/v1/organisations?limit=100"
  "/api/v1/exchange-links?limit=1000&format=csv"
  "/api/v1/search?q=certificate+population"
  "/api/v1/search?q=qeydiyyat+sur&kind=service"
  "/az/search?q=arayis"
  "/api/v1/rounds?limit=100"
  "/readyz"
)

# Starts BIN on DB and prints the seconds until PATH answers 200, and the resident memory then.
first() {
  local bin=$1 path=$2 port
  # A port free now (the kernel's choice), not a random one that may be taken.
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
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

echo "$DB: service $SERVICE, organisation $ORGANISATION, system $SYSTEM, round $ROUND," \
  "life event $LIFE_EVENT"
for path in "${ROUTES[@]}"; do
  for _ in $(seq 1 "$REPEAT"); do
    for bin in "${BINS[@]}"; do
      echo "$path  $bin: $(first "$bin" "$path")"
    done
  done
done
