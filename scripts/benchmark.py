"""Side by side in one run, on the same questions: this project in-process (ONNX Runtime
encoder) and over HTTP (gunicorn, 2 workers), and the tutorial pipeline (fixed
1000-character chunks with 200 overlap, the same model through PyTorch, FAISS top-k).
Prints build times, encoding throughput of both encoders, latency p50/p95, throughput,
start-up time and resident memory.

    .venv/bin/python scripts/benchmark.py [--rounds 10]

The 100,000-chunk corpus is scripts/benchmark_scale.py.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
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
HTTP_CLIENTS = 4


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    return f"p50 {statistics.median(values):7.2f} ms   p95 {percentile(values, 95):7.2f} ms   (n={len(values)})"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def timed(call, *args) -> float:
    started = time.perf_counter()
    call(*args)
    return (time.perf_counter() - started) * 1000


def ask_http(base: str, question: str) -> None:
    body = json.dumps({"question": question}).encode()
    request = urllib.request.Request(f"{base}/api/chat", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def wait_ready(base: str, process: subprocess.Popen, timeout: float = 300) -> None:
    """Until /readyz (or, on servers without it, /healthz) answers 200."""
    deadline = time.time() + timeout
    path = "/readyz"
    while True:
        try:
            urllib.request.urlopen(f"{base}{path}", timeout=2)
            return
        except urllib.error.HTTPError as error:
            if error.code == 404:
                path = "/healthz"
        except OSError:
            pass
        if time.time() > deadline or process.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.05)


def serve_figures(kb_dir: Path, index_dir: Path, rounds: int) -> dict:
    """Start-up to ready, RSS per worker, sequential latency and concurrent throughput."""
    port = free_port()
    env = {**os.environ, "KBBOT_KB_DIR": str(kb_dir), "KBBOT_INDEX_DIR": str(index_dir),
           "KBBOT_AUTO_BUILD": "0", "KBBOT_RATE_LIMIT": "0"}  # one client address sends every request
    started = time.perf_counter()
    server = subprocess.Popen([str(Path(sys.executable).parent / "kbbot"), "serve", "--port", str(port),
                               "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, server)
        ready = time.perf_counter() - started
        for question in QUESTIONS:
            ask_http(base, question)
        latencies = [timed(ask_http, base, q) for _ in range(rounds) for q in QUESTIONS]
        load = QUESTIONS * rounds * 2
        begun = time.perf_counter()
        with ThreadPoolExecutor(HTTP_CLIENTS) as pool:
            list(pool.map(lambda q: ask_http(base, q), load))
        throughput = len(load) / (time.perf_counter() - begun)
        workers = children(server.pid)
        return {"ready_s": ready, "latencies": latencies, "throughput": throughput,
                "worker_rss": [rss_mb(pid) for pid in workers], "master_rss": rss_mb(server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=30)


# Each pipeline runs in its own interpreter, so that start-up, memory and thread pools are
# its own: PyTorch's and ONNX Runtime's threads in one process slow each other down.
PROJECT = """
import json, sys, time; started = time.perf_counter(); sys.path.insert(0, {root!r})
from bot.engine import Bot; from index.embedder import Embedder
bot = Bot.from_index({index!r}, Embedder(cache_dir={cache!r})); bot.ask("what is modifier 59")
print(json.dumps({{"startup": time.perf_counter() - started, "torch": "torch" in sys.modules}}))
"""
# The tutorial answers one question per line on stdin with its own timing of the search, so
# its latencies interleave with this project's, question by question, in the same minutes.
TUTORIAL = """
import json, sys, time; started = time.perf_counter(); sys.path.insert(0, {root!r})
from bot.baseline import NaiveRAG; from index.embedder import Embedder
job = json.load(open({job!r}))
rag = NaiveRAG(job["articles"], Embedder(encoder="torch")); rag.search("what is modifier 59")
for question in job["questions"]:
    rag.search(question)
print(json.dumps({{"startup": time.perf_counter() - started}}), flush=True)
for line in sys.stdin:
    begun = time.perf_counter(); rag.search(line.strip())
    print((time.perf_counter() - begun) * 1000, flush=True)
rag.embedder.encode(job["chunks"][:64]); begun = time.perf_counter(); rag.embedder.encode(job["chunks"])
rate = len(job["chunks"]) / (time.perf_counter() - begun)
peak = next(int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({{"chunks_per_s": rate, "peak_mb": peak}}), flush=True)
"""


class Tutorial:
    """The tutorial pipeline in its own interpreter (PyTorch's threads and memory are its
    own), asked one question at a time."""

    def __init__(self, job: Path):
        self.process = subprocess.Popen([sys.executable, "-c", TUTORIAL.format(root=str(ROOT), job=str(job))],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.startup = json.loads(self._line())["startup"]

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("the tutorial subprocess failed")
        return line

    def search_ms(self, question: str) -> float:
        self.process.stdin.write(question + "\n")
        self.process.stdin.flush()
        return float(self._line())

    def finish(self) -> tuple[float, float]:
        """Its batch encoding rate (chunks/s), then its peak RSS in MB."""
        self.process.stdin.close()
        last = json.loads(self._line())
        self.process.wait(timeout=120)
        return last["chunks_per_s"], last["peak_mb"]


def run_measured(script: str, **paths) -> tuple[dict, float]:
    """A script's JSON output, and the peak RSS of its interpreter in MB."""
    process = subprocess.Popen([sys.executable, "-c", script.format(root=str(ROOT), **paths)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0.0
    while process.poll() is None:
        try:
            peak = max(peak, rss_mb(process.pid, "VmHWM"))
        except OSError:
            pass
        time.sleep(0.05)
    out = process.stdout.read()
    if process.returncode != 0 or not out.strip():
        raise SystemExit("a measurement subprocess failed")
    return json.loads(out.splitlines()[-1]), peak


def encoder_throughput(embedder: Embedder, texts: list[str]) -> float:
    embedder.encode(texts[:64])
    started = time.perf_counter()
    embedder.encode(texts)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kbbot-bench-"))
    try:
        kb, index_dir, cache = work / "kb", work / "index", work / "encoders"
        shutil.copytree(ROOT / "kb", kb)
        started = time.perf_counter()
        # exported in a child process: this one then never imports torch
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                        f"from index.embedder import Embedder; Embedder(cache_dir={str(cache)!r}).prepare()"],
                       check=True, stderr=subprocess.DEVNULL)
        embedder = Embedder(cache_dir=cache)
        embedder.encode(["warm up"])
        export = time.perf_counter() - started
        cold = build_index(kb, index_dir, embedder)
        article = kb / "codes" / "cpt-97116.md"
        article.write_text(article.read_text(encoding="utf-8") + "\n## Benchmark note\nA touched section.\n",
                           encoding="utf-8")
        warm = build_index(kb, index_dir, embedder)

        bot = Bot.from_index(index_dir, embedder)
        chunk_texts = [c.embed_text for c in bot.data.chunks][:320]
        onnx_rate = encoder_throughput(embedder, chunk_texts)
        job = work / "tutorial.json"
        job.write_text(json.dumps({"articles": bot.data.articles, "questions": QUESTIONS, "chunks": chunk_texts}))
        tutorial = Tutorial(job)
        for question in QUESTIONS:  # warm caches
            bot.ask(question)
        ours, floor, theirs = [], [], []
        for round_number in range(args.rounds):
            # rounds interleave the pipelines, so host noise hits all three alike; within a
            # round each runs its questions back to back (a search leaves PyTorch's OpenMP
            # threads spinning for a while, which would tax whatever ran next). The answer
            # and the encode alone take turns going first, so that tax and any other
            # left by the one before fall on both alike.
            for position, question in enumerate(QUESTIONS):
                pair = [(ours, bot.ask), (floor, embedder.encode_query)]
                for samples, call in pair if (round_number + position) % 2 == 0 else pair[::-1]:
                    samples.append(timed(call, question))
            theirs.extend(tutorial.search_ms(question) for question in QUESTIONS)
        tutorial_rate, tutorial_peak = tutorial.finish()
        project, project_peak = run_measured(PROJECT, index=str(index_dir), cache=str(cache))
        served = serve_figures(kb, index_dir, args.rounds)

        p50 = statistics.median
        print(f"corpus: {cold.manifest.article_count} articles, {cold.chunks} chunks, "
              f"{cold.manifest.sentence_count} sentences; {os.cpu_count()} cores")
        print(f"ONNX export + check (first run):  {export:6.1f} s")
        print(f"cold build (ONNX):                {cold.seconds:6.1f} s  ({cold.encoded_texts} texts encoded)")
        print(f"rebuild, one article edited:      {warm.seconds:6.1f} s  ({warm.encoded_texts} texts encoded, "
              f"{warm.reused_chunks}/{warm.chunks} chunks reused)")
        print(f"batch encoding, chunks/s:         ONNX {onnx_rate:6.1f}   PyTorch {tutorial_rate:6.1f}")
        print()
        print(f"answer in-process (ONNX):         {summary(ours)}")
        print(f"encode question alone (ONNX):     {summary(floor)}")
        print(f"tutorial in-process (PyTorch):    {summary(theirs)}")
        print(f"answer over HTTP (2 workers):     {summary(served['latencies'])}")
        print(f"in-process / ONNX encode (p50):   {p50(ours) / p50(floor):.2f}x   (target <= 1.3x)")
        print(f"tutorial / in-process (p50):      {p50(theirs) / p50(ours):.2f}x   (target >= 2x)")
        print()
        print(f"throughput in-process, 1 thread:  {1000 / statistics.mean(ours):6.1f} answers/s   "
              f"tutorial {1000 / statistics.mean(theirs):6.1f} searches/s")
        print(f"throughput over HTTP, {HTTP_CLIENTS} clients: {served['throughput']:6.1f} answers/s")
        print(f"start-up to first answer:         project {project['startup']:5.2f} s (torch imported: "
              f"{project['torch']})   tutorial {tutorial.startup:5.2f} s (embeds its chunks at start)")
        print(f"server start to ready (2 workers):{served['ready_s']:6.2f} s   (target <= 5 s)")
        print(f"peak RSS, one process:            project {project_peak:6.0f} MB   tutorial {tutorial_peak:6.0f} MB")
        print(f"RSS per server worker:            {', '.join(f'{r:.0f} MB' for r in served['worker_rss'])}   "
              f"(master {served['master_rss']:.0f} MB; target <= 600 MB per worker)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
