"""Prints, in one run: cold build time, rebuild time after touching one article, query
latency p50/p95 in-process and over HTTP (gunicorn), and the floor (encoding alone).

    .venv/bin/python scripts/benchmark.py [--rounds 5]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Bot  # noqa: E402
from index.build import build_index  # noqa: E402
from index.embedder import Embedder  # noqa: E402

QUESTIONS = [
    "does 97535 need modifier 59 with gait training?",
    "what's the difference between modifier 91 and 76?",
    "how many units for 38 minutes of therapeutic exercise?",
    "can I bill 97530 and 97140 same day",
    "what is mod XU",
    "is 97150 timed",
    "what is upcoding",
    "KX threshold 2025",
    "what are category III codes",
    "PTA modifier payment reduction",
    "what will the weather be in Paris tomorrow?",
    "ther ex vs ther act",
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    return f"p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 95):7.1f} ms   (n={len(values)})"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_latencies(kb_dir: Path, index_dir: Path, rounds: int) -> list[float]:
    port = free_port()
    env = {**os.environ, "KBBOT_KB_DIR": str(kb_dir), "KBBOT_INDEX_DIR": str(index_dir), "KBBOT_AUTO_BUILD": "0"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "kbbot"), "serve", "--port", str(port),
                               "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
        times = []
        for _ in range(rounds):
            for question in QUESTIONS:
                body = json.dumps({"question": question}).encode()
                request = urllib.request.Request(f"{base}/api/chat", body, {"Content-Type": "application/json"})
                started = time.perf_counter()
                urllib.request.urlopen(request, timeout=30).read()
                times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kbbot-bench-"))
    try:
        kb = work / "kb"
        shutil.copytree(ROOT / "kb", kb)
        started = time.perf_counter()
        embedder = Embedder()
        embedder.encode(["warm up"])
        model_load = time.perf_counter() - started
        cold = build_index(kb, work / "index", embedder)
        article = kb / "codes" / "cpt-97116.md"
        article.write_text(article.read_text(encoding="utf-8") + "\n## Benchmark note\nA touched section.\n",
                           encoding="utf-8")
        warm = build_index(kb, work / "index", embedder)

        bot = Bot.from_index(work / "index", embedder)
        for question in QUESTIONS:  # warm caches
            bot.ask(question)
        in_process, floor = [], []
        for _ in range(args.rounds):
            for question in QUESTIONS:
                started = time.perf_counter()
                bot.ask(question)
                in_process.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                embedder.encode_query(question)
                floor.append((time.perf_counter() - started) * 1000)
        over_http = http_latencies(kb, work / "index", args.rounds)

        print(f"corpus: {cold.manifest.article_count} articles, {cold.chunks} chunks, "
              f"{cold.manifest.sentence_count} sentences; {os.cpu_count()} cores")
        print(f"model load:                 {model_load:7.1f} s")
        print(f"cold build:                 {cold.seconds:7.1f} s  ({cold.encoded_texts} texts encoded)")
        print(f"rebuild, one article edited:{warm.seconds:7.1f} s  ({warm.encoded_texts} texts encoded, "
              f"{warm.reused_chunks}/{warm.chunks} chunks reused)")
        print(f"query in-process:           {summary(in_process)}")
        print(f"query over HTTP (gunicorn): {summary(over_http)}")
        print(f"floor, encode question:     {summary(floor)}")
        print(f"in-process / floor (p50):   {statistics.median(in_process) / statistics.median(floor):.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
