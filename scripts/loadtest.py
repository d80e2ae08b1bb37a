#!/usr/bin/env python3
"""Bounded load test of a running kbbot server on loopback.

    .venv/bin/python scripts/loadtest.py [--url http://127.0.0.1:8000] [--clients 8]
        [--seconds 60] [--requests 5000] [--server-pid PID] [--json]

Each client keeps one HTTP connection and posts questions to /api/chat back to back until
the time or the request budget runs out, whichever comes first. Prints throughput,
latency p50/p95/p99, errors (anything but a 200 with an answer) and the index versions
seen; with --server-pid (the gunicorn master), the resident memory of each worker.
Exit status 1 when any request failed. Turn the server's rate limit off for a load test
(KBBOT_RATE_LIMIT=0): from one address, this is exactly the traffic it refuses.
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

QUESTIONS = (
    "does 97535 need modifier 59 with gait training?",
    "what's the difference between modifier 91 and 76?",
    "how many units for 38 minutes of therapeutic exercise?",
    "what is modifier 59",
    "is 97150 timed",
    "what does modifier XU mean?",
    "can I bill 97110 and 97140 on the same day?",
    "when is the KX modifier needed for therapy?",
    "what is unbundling",
    "what will the weather be in Paris tomorrow?",
)


class Budget:
    """Hands out request slots until the count or the deadline is reached."""

    def __init__(self, requests: int, seconds: float):
        self.left, self.deadline = requests, time.monotonic() + seconds
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True


def client(url, budget: Budget, offset: int, latencies: list, errors: Counter, versions: Counter, lock):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
    n = offset
    while budget.take():
        body = json.dumps({"question": QUESTIONS[n % len(QUESTIONS)]})
        n += 1
        started = time.perf_counter()
        try:
            connection.request("POST", "/api/chat", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            data = json.loads(response.read())
            ok = response.status == 200 and "answer" in data
            outcome = "ok" if ok else f"HTTP {response.status} {data.get('error', {}).get('code', '')}"
            version = response.getheader("X-Index-Version")
        except (OSError, http.client.HTTPException, ValueError) as exc:
            outcome, version = f"{type(exc).__name__}", None
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            if outcome != "ok":
                errors[outcome] += 1
            if version:
                versions[version] += 1
    connection.close()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def worker_memory(master_pid: int) -> dict[int, float]:
    """Resident MB of each child of the gunicorn master, from /proc."""
    found = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            found[int(status.parent.name)] = round(int(fields["VmRSS"].split()[0]) / 1024, 1)
    return found


def run(url: str, clients: int, seconds: float, requests: int) -> dict:
    budget = Budget(requests, seconds)
    latencies, errors, versions, lock = [], Counter(), Counter(), threading.Lock()
    threads = [threading.Thread(target=client, args=(url, budget, i, latencies, errors, versions, lock))
               for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"url": url, "clients": clients, "requests": len(latencies), "seconds": round(wall, 2),
            "throughput_rps": round(len(latencies) / wall, 1) if wall else 0.0,
            "latency_ms": {"p50": round(percentile(ordered, 50), 1), "p95": round(percentile(ordered, 95), 1),
                           "p99": round(percentile(ordered, 99), 1),
                           "mean": round(statistics.fmean(ordered), 1) if ordered else 0.0,
                           "max": round(ordered[-1], 1) if ordered else 0.0},
            "errors": sum(errors.values()), "error_kinds": dict(errors), "index_versions": dict(versions)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--seconds", type=float, default=60, help="time bound (default 60)")
    parser.add_argument("--requests", type=int, default=5000, help="request bound (default 5000)")
    parser.add_argument("--server-pid", type=int, help="gunicorn master pid: report each worker's memory")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests < 1 or args.seconds <= 0:
        parser.error("--clients, --requests and --seconds must be positive")
    report = run(args.url, args.clients, args.seconds, args.requests)
    if args.server_pid:
        report["worker_rss_mb"] = worker_memory(args.server_pid)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        lat = report["latency_ms"]
        print(f"{report['requests']} requests from {report['clients']} clients in {report['seconds']} s "
              f"→ {report['throughput_rps']} req/s")
        print(f"latency ms: p50 {lat['p50']}  p95 {lat['p95']}  p99 {lat['p99']}  max {lat['max']}")
        print(f"errors: {report['errors']} {report['error_kinds'] or ''}".rstrip())
        print(f"index versions: {report['index_versions']}")
        for pid, mb in sorted(report.get("worker_rss_mb", {}).items()):
            print(f"worker {pid}: {mb} MB resident")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
