"""`kbbot serve`: gunicorn with N workers, each loading the index and model once."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from .settings import Settings


class KBBotServer(BaseApplication):
    def __init__(self, settings: Settings, host: str, port: int, workers: int):
        self.settings = settings
        self.options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": 4,
            "timeout": 60,
            "graceful_timeout": 10,
            "accesslog": None,
        }
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        app = create_app(self.settings)
        app.extensions["kbbot.bot"].get()  # ready before the first request, not during it
        return app


def run(settings: Settings, host: str, port: int, workers: int) -> None:
    KBBotServer(settings, host, port, workers).run()
