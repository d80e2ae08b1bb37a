"""Per-client rate limit for /api/ and /admin/: a token bucket per client address.

A client may burst up to the whole minute's allowance, then gets one request back every
60/limit seconds. The buckets live in each worker's memory: with N gunicorn workers a
client's requests are spread over N buckets, so it is refused somewhere between `limit`
and N × `limit` requests a minute. That is enough to stop a runaway script; a strict shared
limit belongs in the reverse proxy in front.
"""
from __future__ import annotations

import ipaddress
import math
import threading
import time

from flask import Flask, current_app, request

from .errors import ApiError

LIMITED_PREFIXES = ("/api/", "/admin/")
FORGET_AFTER_SECONDS = 120  # a bucket untouched this long is full again: drop it


class TokenBuckets:
    def __init__(self, per_minute: int, clock=time.monotonic):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def take(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            self._sweep(now)
            tokens, then = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < FORGET_AFTER_SECONDS:
            return
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < FORGET_AFTER_SECONDS}
        self._last_sweep = now


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted: tuple) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy; then the nearest
    address in X-Forwarded-For that is not itself a trusted proxy."""
    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in trusted)

    client = remote_addr or "unknown"
    if not trusted or not is_trusted(client) or not forwarded_for:
        return client
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        client = hop
        if not is_trusted(hop):
            break
    return client


def register(app: Flask) -> None:
    settings = app.extensions["kbbot.settings"]
    if settings.rate_limit == 0:
        return
    buckets = TokenBuckets(settings.rate_limit)

    @app.before_request
    def limit_rate():
        if not request.path.startswith(LIMITED_PREFIXES) or request.method == "OPTIONS":
            return None
        key = client_address(request.remote_addr, request.headers.get("X-Forwarded-For"),
                             current_app.extensions["kbbot.settings"].trusted_proxies)
        wait = buckets.take(key)
        if wait:
            raise ApiError(429, "rate_limited",
                           f"too many requests from this address; try again in {math.ceil(wait)} s",
                           headers={"Retry-After": str(math.ceil(wait))})
        return None
