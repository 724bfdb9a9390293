#!/usr/bin/env python3
"""Mixed load on a running egovwatch server (the driver of bench/load.sh).

For DURATION seconds: WORKERS keep-alive HTTP/1.1 clients read over many routes, among them
10,000 distinct search query strings and made-up parameters; STALLED connections each send part
of a request head and keep the socket open (reopened when the server closes them). The server's
RSS is sampled every 0.2 s. Prints one JSON object: requests, errors (an answer other than
2xx/3xx that is not an expected refusal, or no answer), refusals by status, p50/p99 latency,
peak RSS, stalled connections the server closed.

Expected refusals: 414 for an over-long address, 400 for a wrong API parameter, 503 for a
what-if beyond the limit, 422 for an answer over the buffer bound.
"""
import asyncio
import json
import random
import sys
import time

HOST = "127.0.0.1"


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def targets(codes, n_distinct):
    """(path, expected refusal statuses) in a fixed random order."""
    rnd = random.Random(7)
    services, events, orgs = codes["services"], codes["life_events"], codes["organisations"]
    words = ["ehali", "seher", "qeydiyyat", "arayis", "pension", "birth", "tax", "kod", "a", "xid"]
    out = []
    for i in range(n_distinct):
        out.append((f"/en/search?q={rnd.choice(words)}{i}", ()))
    for i in range(n_distinct // 10):
        out.append((f"/api/v1/search?q={rnd.choice(words)}&limit={1 + i % 200}", ()))
        out.append((f"/az/services/{rnd.choice(services)}?utm_source=x{i}", ()))
        out.append((f"/api/v1/services?limit={1 + i % 1000}", ()))
        out.append((f"/api/v1/services?colour=red{i}", (400,)))
        out.append((f"/en/search?q={'a' * 9000}{i}", (414,)))
    for _ in range(n_distinct // 5):
        out.append((f"/en/services/{rnd.choice(services)}", ()))
        out.append((f"/api/v1/services/{rnd.choice(services)}", ()))
        out.append((f"/ru/life-events/{rnd.choice(events)}", ()))
        out.append((f"/en/organisations/{rnd.choice(orgs)}", ()))
        out.append(("/en/", ()))
        out.append(("/api/v1/rounds", ()))
        out.append(("/en/rounds", ()))
    for i in range(n_distinct // 50):
        out.append(("/en/gaps", (422,)))
        out.append((f"/api/v1/gaps?assume=service:{rnd.choice(services)}=3", (503, 422)))
        out.append((f"/en/gaps?assume=service:{rnd.choice(services)}=4&page={1 + i % 3}", (503, 422)))
    rnd.shuffle(out)
    return out


async def read_answer(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif "chunked" in headers.get("transfer-encoding", ""):
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    close = headers.get("connection", "").lower() == "close"
    return status, close


async def worker(queue, stats, port, deadline):
    reader = writer = None
    while time.monotonic() < deadline:
        path, expected = queue[stats["next"] % len(queue)]
        stats["next"] += 1
        t = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            status, close = await asyncio.wait_for(read_answer(reader), 30)
            if close:
                writer.close()
                reader = writer = None
        except Exception as e:  # no answer: an error
            stats["errors"] += 1
            stats["error_samples"].append(f"{path[:80]}: {type(e).__name__} {e}"[:200])
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        stats["lat"].append(time.monotonic() - t)
        stats["requests"] += 1
        if status >= 400:
            if status in expected:
                stats["refused"][str(status)] = stats["refused"].get(str(status), 0) + 1
            else:
                stats["errors"] += 1
                stats["error_samples"].append(f"{path[:80]}: {status}")
    if writer is not None:
        writer.close()


async def stalled(port, stats, deadline, i):
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(f"GET /en/?stall={i} HTTP/1.1\r\nHost: {HOST}\r\nX-Stall: ".encode())
            await writer.drain()
            stats["stalled_open"] += 1
            # Held until the server closes it (or the run ends).
            left = deadline - time.monotonic()
            try:
                data = await asyncio.wait_for(reader.read(1024), max(left, 0.01))
                if not data or data:
                    stats["stalled_closed_by_server"] += 1
            except asyncio.TimeoutError:
                pass
            writer.close()
        except OSError:
            await asyncio.sleep(0.5)


async def sample_rss(pid, stats, deadline):
    while time.monotonic() < deadline:
        stats["peak_rss_mb"] = max(stats["peak_rss_mb"], rss_mb(pid))
        await asyncio.sleep(0.2)


async def main():
    port, pid, seconds, workers, n_stalled, codes_file = sys.argv[1:7]
    port, pid, seconds, workers, n_stalled = int(port), int(pid), float(seconds), int(workers), int(n_stalled)
    codes = json.load(open(codes_file))
    stats = {"requests": 0, "errors": 0, "error_samples": [], "refused": {}, "lat": [], "next": 0,
             "peak_rss_mb": rss_mb(pid), "stalled_open": 0, "stalled_closed_by_server": 0}
    queue = targets(codes, 10_000)
    deadline = time.monotonic() + seconds
    tasks = [asyncio.create_task(sample_rss(pid, stats, deadline + 1))]
    for i in range(n_stalled):
        tasks.append(asyncio.create_task(stalled(port, stats, deadline, i)))
        if i % 100 == 99:
            await asyncio.sleep(0.05)
    tasks += [asyncio.create_task(worker(queue, stats, port, deadline)) for _ in range(workers)]
    await asyncio.gather(*tasks)
    lat = sorted(stats.pop("lat"))
    pct = lambda p: round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else None
    stats.pop("next")
    stats["distinct_targets"] = len({p for p, _ in queue})
    stats["p50_ms"], stats["p99_ms"] = pct(0.50), pct(0.99)
    stats["rss_after_mb"] = round(rss_mb(pid), 1)
    stats["peak_rss_mb"] = round(stats["peak_rss_mb"], 1)
    stats["error_samples"] = stats["error_samples"][:10]
    print(json.dumps(stats))


asyncio.run(main())
