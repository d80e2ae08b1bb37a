"""NCCI import and check benchmark on a generated SYNTHETIC PTP file in the official layout
(preamble, header, tab-delimited rows sorted by column 1 then column 2, as CMS ships them).
The file is written to a temporary folder and removed afterwards.

    .venv/bin/python scripts/ncci_benchmark.py [--rows 2000000] [--rounds 200]

Prints the import rate (rows/s, by wall clock and by CPU time) and peak memory of
`kbbot ncci import` (a child process, so its peak resident size is its own), the database
size, and the median latency of a pair check and of a ten-code claim (45 pairs).
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ncci.check import PairChecker  # noqa: E402
from tests.ncci_synthetic import PREAMBLE, PTP_HEADER  # noqa: E402

EDITS_PER_CODE = 200
RATIONALES = ["Standards of medical/surgical services", "Mutually exclusive procedures",
              "CPT Manual or CMS manual coding instructions", "Misuse of column two code with column one code",
              "More extensive procedure", "HCPCS/CPT procedure code definition"]


def column1_code(i: int) -> str:
    return f"{10000 + i // EDITS_PER_CODE:05d}"


def column2_code(i: int) -> str:
    return f"{10000 + (i % EDITS_PER_CODE) * 37:05d}"


def write_ptp(path: Path, rows: int) -> None:
    rng = random.Random(8)
    with open(path, "w", encoding="utf-8", newline="") as out:
        for line in PREAMBLE:
            out.write(line + "\r\n")
        out.write("\t".join(PTP_HEADER) + "\r\n")
        for i in range(rows):
            effective = f"{rng.randint(1996, 2026)}{rng.choice(('01', '04', '07', '10'))}01"
            deleted = rng.random() < 0.15
            deletion = f"{int(effective[:4]) + 1}{effective[4:]}" if deleted else "*"
            modifier = "9" if deleted and rng.random() < 0.3 else rng.choice("011")
            out.write(f"{column1_code(i)}\t{column2_code(i)}\t{'*' if effective < '1997' else ''}\t{effective}\t"
                      f"{deletion}\t{modifier}\t{rng.choice(RATIONALES)}\r\n")


def median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ncci-bench-") as folder:
        folder = Path(folder)
        source = folder / "ccipra-v321r0-f1.txt"
        started = time.perf_counter()
        write_ptp(source, args.rows)
        print(f"generated {args.rows:,} synthetic PTP rows ({source.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - started:.1f} s")
        db = folder / "ncci.sqlite"
        kbbot = Path(sys.executable).parent / "kbbot"
        started = time.perf_counter()
        subprocess.run([str(kbbot), "ncci", "import", str(source), "--quarter", "2026Q2", "--ncci-db", str(db)],
                       check=True, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = child.ru_utime + child.ru_stime
        print(f"import: {seconds:.1f} s wall, {args.rows / seconds:,.0f} rows/s; {cpu:.1f} s CPU, "
              f"{args.rows / cpu:,.0f} rows per CPU-second (the machine is shared: wall time includes waiting)")
        print(f"import peak memory: {child.ru_maxrss / 1024:.0f} MB resident (kbbot ncci import process); "
              f"database {db.stat().st_size / 1e6:.0f} MB")

        checker = PairChecker(db)
        on = date(2026, 5, 1)
        rng = random.Random(9)
        pairs = [[column1_code(i), column2_code(i)] for i in rng.sample(range(args.rows), 50)]
        claim = [column1_code(0)] + [column2_code(i) for i in range(9)]
        assert sum(p.edits != () for p in checker.check(claim, on).pairs) >= 9
        pair_ms = median_ms(lambda: checker.check(rng.choice(pairs), on), args.rounds)
        claim_ms = median_ms(lambda: checker.check(claim, on), args.rounds)
        print(f"check, one pair: median {pair_ms:.2f} ms over {args.rounds} rounds")
        print(f"check, ten-code claim ({len(list(combinations(claim, 2)))} pairs): median {claim_ms:.2f} ms "
              f"over {args.rounds} rounds")


if __name__ == "__main__":
    main()
