"""Holds the one Bot of a process and swaps in a new index version while serving.

The index link (`settings.index_dir`) is the single source of truth: `kbbot build` moves it
to a new version in one rename. Every request takes one bot at its start (`current_bot()`),
and before handing it out the holder compares the link's target with the version it holds
(one `realpath`, a few system calls). When the link has moved, the new version is loaded
fully beside the old one and the reference is swapped under the lock; requests already
running keep the bot they started with. So in every worker of every process, a request
that starts after the link moved is answered from the new index, a request that started
before from the old one, and none from a mix. A version that fails to load is logged and
skipped (the old one keeps answering) until the link moves again or a reload is asked for.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from flask import current_app, g

from index.errors import KBError

from .settings import Settings

log = logging.getLogger("kbbot.state")


class BotHolder:
    def __init__(self, settings: Settings, bot=None):
        self.settings = settings
        self._bot = bot
        self._lock = threading.Lock()
        self._refused_target: Path | None = None
        self.load_error: KBError | None = None

    @property
    def loaded(self) -> bool:
        return self._bot is not None

    @property
    def version(self) -> str | None:
        bot = self._bot
        return bot.index_version if bot is not None else None

    def _link_target(self) -> Path:
        return Path(os.path.realpath(self.settings.index_dir))

    def get(self):
        """The bot to answer one request from: loaded on first use, reloaded when the
        index link has moved since it was loaded."""
        bot = self._bot
        if bot is None:
            return self._first_load()
        target = self._link_target()
        if target == bot.data.path or target == self._refused_target:
            return bot
        with self._lock:
            target = self._link_target()  # again: another request may have swapped meanwhile
            if target not in (self._bot.data.path, self._refused_target):
                try:
                    self._swap_in(target)
                except KBError as exc:
                    self._refused_target = target
                    log.error("kept index %s: the new index cannot be loaded: %s", self._bot.index_version, exc)
            return self._bot

    def _first_load(self, retry: bool = False):
        with self._lock:
            if self._bot is None:
                from .loading import load_bot

                if self.load_error and not retry and self._refused_target == self._link_target():
                    raise self.load_error  # the same index failed already; not again per request
                try:
                    self._bot = load_bot(self.settings)
                except KBError as exc:
                    self.load_error, self._refused_target = exc, self._link_target()
                    raise
                self.load_error = self._refused_target = None
            return self._bot

    def _swap_in(self, target: Path) -> None:
        from bot.engine import Bot

        # the model and the NCCI tables are shared, not reloaded
        fresh = Bot.from_index(target, self._bot.embedder, self._bot.pair_checker)
        self._bot = fresh  # the swap: one assignment; running requests keep their reference
        self._refused_target = None
        log.info("now answering from index %s", fresh.index_version)

    def reload(self) -> tuple[str | None, str]:
        """Load whatever the index link points at now, even the same version; raises the
        load's KBError and keeps the old bot when it fails. Returns (old, new) versions."""
        if self._bot is None:
            return None, self._first_load(retry=True).index_version
        with self._lock:
            previous = self._bot.index_version
            self._swap_in(self._link_target())
            return previous, self._bot.index_version


def holder() -> BotHolder:
    return current_app.extensions["kbbot.bot"]


def current_bot():
    """The bot this request answers from, taken once at its first use."""
    if "bot" not in g:
        g.bot = holder().get()
    return g.bot


def answered_version() -> str | None:
    """The index version this request was (or would have been) answered from."""
    if "bot" in g:
        return g.bot.index_version
    return holder().version
