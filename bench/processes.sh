#!/usr/bin/env bash
# Three `serve` processes on one PostgreSQL database (docs/deploy.md): a synthetic country of
# N services (default 50,000; two rounds) written into a new database, three servers started on
# it (the third through a read-only connection, as from a streaming replica), then one service
# renamed by `egovwatch import registry` (a one-row services.csv), then a round published: how
# long each server takes to give its first answer, how long until all three show the new name
# and the new round, and their memory.
#
#   bench/processes.sh [SERVICES]      PG=postgres://postgres@127.0.0.1:5432 (the server)
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-50000}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
NAME=egovwatch_bench_processes
WORK=$(mktemp -d)
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/egovwatch
cargo build --release -q -p egovwatch
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $NAME" -c "CREATE DATABASE $NAME" >/dev/null
DB="$PG/$NAME"
/usr/bin/time -f "%e s %M KB" -o "$WORK/synth.time" \
  "$BIN" synth --countries 1 --services "$SERVICES" --rounds 2 --db "$DB" --export-csv "$WORK/csv" >/dev/null
echo "synth of $SERVICES services into PostgreSQL: $(cat "$WORK/synth.time")"

PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$((20000 + RANDOM % 20000))
URLS=("$DB" "$DB" "$DB?options=-c%20default_transaction_read_only%3Don")
SERVICE=C001-S00001
for k in 0 1 2; do
  start=$(date +%s.%N)
  # Output to a file: a background job holding the $(...) pipe would never let go.
  "$BIN" serve --db "${URLS[$k]}" --listen 127.0.0.1:$((PORT + k)) >>"$WORK/serve.log" 2>&1 &
  PIDS+=($!)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((PORT + k))/api/v1/services/$SERVICE")" = 200 ]; do
    sleep 0.01
  done
  echo "server $k: first answer after $(python3 -c "import time; print(f'{time.time() - $start:.2f}')") s"
done

# The service renamed, as an editor's import would.
mkdir -p "$WORK/change"
RENAMED="Renamed at $(date +%s)"
python3 bench/rename_service.py "$WORK/csv/registry-csv/services.csv" "$WORK/change/services.csv" "$RENAMED"
start=$(date +%s.%N)
"$BIN" import registry "$WORK/change" --db "$DB" --reason "bench/processes.sh" >/dev/null
stored=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
python3 - "$PORT" "$SERVICE" "$RENAMED" "$stored" <<'PY'
import sys, time, urllib.request
port, service, renamed, stored = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
start, seen = time.time(), {}
while len(seen) < 3 and time.time() - start < 120:
    for k in range(3):
        if k in seen: continue
        url = f"http://127.0.0.1:{port + k}/api/v1/services/{service}"
        try:
            if renamed in urllib.request.urlopen(url, timeout=30).read().decode():
                seen[k] = time.time() - start
        except Exception:
            pass
    time.sleep(0.01)
print(f"import stored in {stored} s; then visible on " + ", ".join(
    f"server {k} after {seen[k]:.2f} s" if k in seen else f"server {k}: not within 120 s" for k in range(3)))
PY

# A round published: the country's second EU benchmark round (left open by synth, every answer
# in), closed and published; then until all three answer for it (`/api/v1/rounds/{code}`
# answers 404 for a round not published).
ROUND=C001-R02
"$BIN" round close "$ROUND" --db "$DB" >/dev/null
start=$(date +%s.%N)
"$BIN" round publish "$ROUND" --db "$DB" >/dev/null
stored=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
python3 - "$PORT" "$ROUND" "$stored" <<'PY'
import sys, time, urllib.error, urllib.request
port, round_code, stored = int(sys.argv[1]), sys.argv[2], sys.argv[3]
start, seen = time.time(), {}
while len(seen) < 3 and time.time() - start < 120:
    for k in range(3):
        if k in seen: continue
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port + k}/api/v1/rounds/{round_code}", timeout=30)
            seen[k] = time.time() - start
        except (urllib.error.HTTPError, urllib.error.URLError):
            pass
    time.sleep(0.01)
print(f"round {round_code} published in {stored} s; then visible on " + ", ".join(
    f"server {k} after {seen[k]:.2f} s" if k in seen else f"server {k}: not within 120 s" for k in range(3)))
PY
for k in 0 1 2; do
  echo "server $k: $(( $(ps -o rss= -p "${PIDS[$k]}") / 1024 )) MB resident"
done
# What each server logged reading the data: the whole snapshot at start, then the update.
sed 's/\x1b\[[0-9;]*m//g' "$WORK/serve.log" | grep -o "data version .*" || true
kill "${PIDS[@]}" 2>/dev/null || true
wait "${PIDS[@]}" 2>/dev/null || true
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $NAME" >/dev/null 2>&1 || true
