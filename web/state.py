"""Holds the one Bot of a process, loaded on first use (after a build when needed)."""
from __future__ import annotations

import threading

from .settings import Settings


class BotHolder:
    def __init__(self, settings: Settings, bot=None):
        self.settings = settings
        self._bot = bot
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._bot is not None

    def get(self):
        if self._bot is None:
            with self._lock:
                if self._bot is None:
                    from .loading import load_bot

                    self._bot = load_bot(self.settings)
        return self._bot
