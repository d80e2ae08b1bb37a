"""`kbbot serve`: gunicorn with N workers, each loading the index and model once.

A worker answers /healthz at once and loads the bot in a background thread; /readyz says
503 until that is done, and requests that arrive meanwhile wait for it. When the bot is
loaded the worker logs its resident memory. SIGHUP to the master restarts the workers
gracefully (gunicorn's own reload); a new index needs no restart (web/state.py).
"""
from __future__ import annotations

import json
import logging
import os
import sys
import threading

from gunicorn.app.base import BaseApplication

from index.errors import KBError

from .settings import Settings

log = logging.getLogger("kbbot.serve")
THREADS_PER_WORKER = 4


class JsonLines(logging.Formatter):
    """Request lines are JSON already; other kbbot messages are wrapped into JSON too."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == "kbbot.requests":
            return record.getMessage()
        return json.dumps({"level": record.levelname.lower(), "logger": record.name, "pid": os.getpid(),
                           "message": record.getMessage()})


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("kbbot")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


def resident_mb(pid: int | str = "self") -> float:
    """Resident memory (VmRSS) of a process, in MB; Linux only."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    raise OSError(f"no VmRSS for process {pid}")


def _load_and_report(holder) -> None:
    try:
        bot = holder.get()
    except KBError as exc:
        log.error("index unavailable: %s", exc)
        return
    log.info("worker ready: index %s, %d chunks, resident memory %.1f MB",
             bot.index_version, bot.data.manifest.chunk_count, resident_mb())


def start_loading(app) -> None:
    """Load the bot in a background thread, so the process answers /healthz meanwhile."""
    threading.Thread(target=_load_and_report, args=(app.extensions["kbbot.bot"],),
                     name="kbbot-load", daemon=True).start()


class KBBotServer(BaseApplication):
    def __init__(self, settings: Settings, host: str, port: int, workers: int):
        self.settings = settings
        self.options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": THREADS_PER_WORKER,
            # gthread workers heartbeat from their main thread, so this restarts a hung
            # worker; it does not cut a slow request (see the README on timeouts).
            "timeout": settings.timeout,
            "graceful_timeout": settings.timeout,
            "accesslog": None,
            "control_socket_disable": True,  # one fixed path in $HOME: a second server would take it over
        }
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        app = create_app(self.settings)
        start_loading(app)
        return app


def run(settings: Settings, host: str, port: int, workers: int) -> None:
    KBBotServer(settings, host, port, workers).run()
