"""Start `kbbot serve` (real gunicorn) on a free loopback port, with its log in a file."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

KBBOT = str(Path(sys.executable).parent / "kbbot")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(env_extra: dict, log_path: Path, workers: int = 1):
    """Yields (base_url, process) once /readyz answers 200; stops the server after."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KBBOT_")}
    env.update(env_extra)
    with open(log_path, "w") as log:
        process = subprocess.Popen([KBBOT, "serve", "--port", str(port), "--workers", str(workers)],
                                   env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 240
    try:
        while True:
            try:
                urllib.request.urlopen(f"{base}/readyz", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"server did not start: {log_path.read_text()[-3000:]}") from None
                time.sleep(0.3)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
