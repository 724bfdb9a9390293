#!/usr/bin/env bash
# Mixed load on both backends (SQLite, then PostgreSQL at EGOVWATCH_TEST_POSTGRES): for DURATION
# seconds (default 60) a synthetic country of SERVICES services (default 2,000) is read over many
# routes by WORKERS keep-alive clients (default 32) walking 10,000 distinct search query strings
# and others (made-up parameters, over-long addresses, what-ifs), while STALLED connections
# (default 1,000) each send part of a request head and hold the socket, and registry and
# assessment imports run in a loop. Reports errors (answers other than 2xx/3xx that are not an
# expected refusal, or no answer), refusals, p50/p99 latency and the server's peak RSS.
# Driver: bench/load.py. Figures in bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-2000}; DURATION=${DURATION:-60}; WORKERS=${WORKERS:-32}; STALLED=${STALLED:-1000}
PG=${EGOVWATCH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
BACKENDS=${BACKENDS:-sqlite postgres}
WORK=${WORK:-$(mktemp -d)}; mkdir -p "$WORK"
[ "$(ulimit -n)" -ge $((STALLED + 512)) ] || ulimit -n $((STALLED + 1024))
cargo build --release -q -p egovwatch
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/egovwatch
SERVE=; IMPORTS=
cleanup() { kill $IMPORTS $SERVE 2>/dev/null || true; }
trap cleanup EXIT

for backend in $BACKENDS; do
  case $backend in
    sqlite) DB=$WORK/load.db; rm -f "$DB" "$DB"-wal "$DB"-shm ;;
    postgres)
      NAME=egw_load_$$
      psql "$PG" -qc "DROP DATABASE IF EXISTS $NAME" -c "CREATE DATABASE $NAME" >/dev/null
      DB=${PG%/*}/$NAME ;;
  esac
  $BIN synth --countries 1 --services "$SERVICES" --rounds 2 --db "$DB" >/dev/null
  # What the imports write: the registry as exported and with one service renamed (so each
  # import changes a record and the site rebuilds its snapshot), and answers to an open round.
  $BIN export registry --format json --db "$DB" --out "$WORK/a.json" >/dev/null
  python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
d = json.load(open(f"{w}/a.json"))
s = next(x for x in d["services"] if x.get("channels"))
s["name"]["en"] = s["name"].get("en", "x") + " (renamed under load)"
json.dump(d, open(f"{w}/b.json", "w"), ensure_ascii=False)
rows = ["service,channel,question,answer,evidence_url,evidence_note,evidence_hash,assessor,assessed_at,source"]
for x in [x for x in d["services"] if x.get("channels")][:200]:
    ch = x["channels"][0]["code"] if isinstance(x["channels"][0], dict) else x["channels"][0]
    rows.append(f"{x['code']},{ch},stage,2,https://example.org/e,load,,load,2030-02-01,manual")
open(f"{w}/answers.csv", "w").write("\n".join(rows) + "\n")
codes = {"services": [x["code"] for x in d["services"]],
         "life_events": [x["code"] for x in d["life_events"]],
         "organisations": [x["code"] for x in d["organisations"]]}
json.dump(codes, open(f"{w}/codes.json", "w"))
PY
  $BIN round create LOAD-1 --from 2030-01-01 --to 2030-06-30 --framework stages --db "$DB" >/dev/null
  PORT=$((20000 + RANDOM % 20000))
  EGOVWATCH_LOG=error $BIN serve --db "$DB" --listen 127.0.0.1:$PORT >"$WORK/serve-$backend.log" 2>&1 &
  SERVE=$!
  for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/rounds" && break; sleep 0.2; done
  # Imports while serving, until the load ends.
  (
    ok=0; failed=0; end=$((SECONDS + DURATION))
    while [ $SECONDS -lt $end ]; do
      for f in b a; do
        if $BIN import registry "$WORK/$f.json" --db "$DB" --reason load >/dev/null 2>&1; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
      done
      if $BIN import assessments --round LOAD-1 "$WORK/answers.csv" --db "$DB" >/dev/null 2>&1; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
    done
    echo "{\"imports_ok\": $ok, \"imports_failed\": $failed}" >"$WORK/imports-$backend.json"
  ) &
  IMPORTS=$!
  python3 bench/load.py "$PORT" "$SERVE" "$DURATION" "$WORKERS" "$STALLED" "$WORK/codes.json" >"$WORK/load-$backend.json"
  wait $IMPORTS || true
  IMPORTS=
  kill $SERVE; wait $SERVE 2>/dev/null || true
  SERVE=
  echo "$backend: $(cat "$WORK/load-$backend.json") $(cat "$WORK/imports-$backend.json")"
  [ "$backend" = postgres ] && psql "$PG" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null
done
echo "($SERVICES services, ${DURATION}s, $WORKERS readers, $STALLED stalled connections, imports in a loop; server, clients and imports on the same $(nproc) cores)"
