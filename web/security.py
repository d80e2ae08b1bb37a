"""Security headers: a strict Content-Security-Policy and frame policy on HTML pages, and
no-sniffing, referrer and caching rules on everything.

The pages load their scripts and styles from /static only (no inline code), so the policy
needs no 'unsafe-inline'. Framing is refused unless KBBOT_FRAME_ANCESTORS names who may
frame the pages; the widget is a script, not a frame, and needs no such permission.
"""
from __future__ import annotations

from flask import Flask, request

from .settings import Settings


def content_security_policy(settings: Settings) -> str:
    ancestors = " ".join(settings.frame_ancestors) or "'none'"
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ])


def frame_options(settings: Settings) -> str | None:
    """The legacy X-Frame-Options header, for browsers without frame-ancestors; it cannot
    name other origins, so it is left out when some are allowed."""
    if not settings.frame_ancestors:
        return "DENY"
    if settings.frame_ancestors == ("'self'",):
        return "SAMEORIGIN"
    return None


def register(app: Flask) -> None:
    settings = app.extensions["kbbot.settings"]
    policy, frames = content_security_policy(settings), frame_options(settings)

    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            headers["Content-Security-Policy"] = policy
            headers["Cross-Origin-Opener-Policy"] = "same-origin"
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
            if frames:
                headers["X-Frame-Options"] = frames
        if request.path.startswith(("/api/", "/admin/")):
            headers["Cache-Control"] = "no-store"  # answers echo questions that may name a patient
        return response
