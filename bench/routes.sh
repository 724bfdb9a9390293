#!/usr/bin/env bash
# Every route of the site and the API on a large synthetic country (default 50,000 services, two
# rounds), release build: every path of the OpenAPI document (records by code filled in with real
# codes), every page kind in the three languages, search, browse with facets, the gap analysis and
# a what-if, the round reports. Fails when any answer is a 5xx; prints the slowest answers.
#
#   bench/routes.sh [SERVICES]          DB=un.db bench/routes.sh   (an existing database instead,
#                                      e.g. the UN survey's scale from `egovwatch synth`)
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-50000}
WORK=$(mktemp -d)
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/egovwatch
cargo build --release -q -p egovwatch
if [ -z "${DB:-}" ]; then
  DB="$WORK/big.db"
  "$BIN" synth --countries 1 --services "$SERVICES" --rounds 2 --db "$DB" >/dev/null
fi
PORT=$((20000 + RANDOM % 20000))
# Output to a file: a background job holding the $(...) pipe would never let go.
"$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null || true; rm -rf "$WORK"' EXIT
# Ready: the snapshot is held (the list of services answers from the store before it is).
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz"; do sleep 0.1; done
python3 - "http://127.0.0.1:$PORT" <<'PY'
import json, sys, time, urllib.request, urllib.error
base = sys.argv[1]

def get(path):
    t = time.time()
    try:
        with urllib.request.urlopen(base + path, timeout=120) as r:
            body = r.read()
            return r.status, body, time.time() - t
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.time() - t

def first(path, key="code"):
    status, body, _ = get(path)
    items = json.loads(body).get("data", []) if status == 200 else []
    return items[0][key] if items else None

spec = json.loads(get("/api/openapi.json")[1])
codes = {
    "services": first("/api/v1/services?limit=1"),
    "life-events": first("/api/v1/life-events?limit=1"),
    "organisations": first("/api/v1/organisations?limit=1"),
    "information-systems": first("/api/v1/information-systems?limit=1"),
    "datasets": first("/api/v1/datasets?limit=1"),
    "evidence-types": first("/api/v1/evidence-types?limit=1"),
    "outputs": first("/api/v1/outputs?limit=1"),
    "exchange-links": first("/api/v1/exchange-links?limit=1"),
    "rounds": first("/api/v1/rounds?limit=1"),
}
paths = []
for p in spec["paths"]:
    if "get" not in spec["paths"][p]:
        continue
    full = p if p.startswith("/api") else "/api/v1" + p
    if "{code}" in full:
        kind = full.split("/")[3]
        if not codes.get(kind):
            continue
        full = full.replace("{code}", codes[kind])
    paths.append(full)
rnd = codes["rounds"]
for lang in ("az", "en", "ru"):
    paths += [f"/{lang}/", f"/{lang}/services/{codes['services']}",
              f"/{lang}/life-events/{codes['life-events']}",
              f"/{lang}/organisations/{codes['organisations']}",
              f"/{lang}/systems/{codes['information-systems']}",
              f"/{lang}/datasets/{codes['datasets']}",
              f"/{lang}/rounds", f"/{lang}/rounds/{rnd}",
              f"/{lang}/search?q=arayis", f"/{lang}/gaps", f"/{lang}/gaps?page=3"]
    paths += [f"/{lang}/{k}" for k in ("services", "organisations", "systems", "datasets", "life-events")]
paths += ["/en/services?stage=1&page=7", "/en/services?sort=-name",
          f"/en/services?organisation={codes['organisations']}",
          f"/en/rounds/{rnd}/report.html", f"/en/rounds/{rnd}/report.md",
          "/api/v1/services?limit=500&offset=40000", "/api/v1/services?format=csv&limit=1000",
          "/api/v1/search?q=seher+ehali", "/api/v1/gaps/services?limit=100&offset=1000",
          "/api/v1/gaps/investments?limit=100"]
bad, times = [], []
for p in paths:
    status, _, took = get(p)
    times.append((took, p, status))
    if status >= 500:
        bad.append(f"{p} {status}")
times.sort(reverse=True)
print(f"{len(paths)} addresses asked")
for took, p, status in times[:8]:
    print(f"  {took:6.2f} s  {status}  {p}")
if bad:
    print("5xx: " + ", ".join(bad))
    sys.exit(1)
print(f"no 5xx on {len(paths)} addresses")
PY
echo "serve holds $(( $(ps -o rss= -p $SPID) / 1024 )) MB"
# The allocator hands freed pages back within about a second (.cargo/config.toml).
sleep 5
echo "and $(( $(ps -o rss= -p $SPID) / 1024 )) MB five seconds later"
