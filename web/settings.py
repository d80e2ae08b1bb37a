"""Every setting in one table; the only place the environment is read."""
from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path

from index.ann import KINDS
from index.embedder import ENCODERS

ROOT = Path(__file__).resolve().parent.parent

# name, environment variable, default, description (the README's settings table mirrors this)
SETTINGS = (
    ("kb_dir", "KBBOT_KB_DIR", str(ROOT / "kb"), "Folder of Markdown articles the index is built from."),
    ("index_dir", "KBBOT_INDEX_DIR", str(ROOT / "build" / "index"), "Index directory (a link to the current version)."),
    ("model", "KBBOT_MODEL", "", "sentence-transformers model directory; empty = the packaged all-MiniLM-L6-v2."),
    ("encoder", "KBBOT_ENCODER", "onnx", "Question and passage encoder: `onnx` (ONNX Runtime, exported once and checked against PyTorch; falls back to PyTorch when it cannot be used) or `torch`."),
    ("faiss_index", "KBBOT_FAISS_INDEX", "flat", "FAISS index kind: `flat` (exact; right for this corpus), or `hnsw` / `ivf` (approximate, for corpora of 100,000+ chunks). A change rebuilds the index."),
    ("auto_build", "KBBOT_AUTO_BUILD", "1", "1: `serve` rebuilds a missing or stale index first; 0: it refuses to start."),
    ("max_question_chars", "KBBOT_MAX_QUESTION_CHARS", "1000", "Longest question accepted, in characters."),
    ("max_body_bytes", "KBBOT_MAX_BODY_BYTES", "16384", "Largest request body accepted, in bytes."),
    ("top_k", "KBBOT_TOP_K", "5", "Citations returned when a request does not say."),
    ("host", "KBBOT_HOST", "127.0.0.1", "Address `serve` listens on."),
    ("port", "KBBOT_PORT", "8000", "Port `serve` listens on."),
    ("workers", "KBBOT_WORKERS", "2", "gunicorn worker processes for `serve`."),
    ("cors_origins", "KBBOT_CORS_ORIGINS", "", "Other origins allowed to call /api/ (the widget), comma-separated; empty = same origin only."),
    ("ncci_db", "KBBOT_NCCI_DB", "", "SQLite file of the imported CMS NCCI tables; empty = ncci.sqlite beside the index directory."),
    ("timeout", "KBBOT_TIMEOUT", "30", "Seconds gunicorn waits for a silent worker before restarting it; also the graceful-shutdown wait."),
    ("rate_limit", "KBBOT_RATE_LIMIT", "120", "Requests per minute per client address to /api/ and /admin/; 0 = no limit."),
    ("trusted_proxies", "KBBOT_TRUSTED_PROXIES", "", "Proxy addresses or networks (comma-separated) whose X-Forwarded-For is believed; empty = none."),
    ("admin_token", "KBBOT_ADMIN_TOKEN", "", "Bearer token for /admin/ endpoints; empty = admin endpoints refuse every request."),
    ("frame_ancestors", "KBBOT_FRAME_ANCESTORS", "", "Origins allowed to show the pages in a frame, comma-separated ('self' for this one); empty = none."),
    ("log_questions", "KBBOT_LOG_QUESTIONS", "0", "1: the request log carries the question, with names, dates, phone and record numbers masked."),
    ("feedback_db", "KBBOT_FEEDBACK_DB", "", "SQLite file of votes and declined or low-confidence questions; empty = feedback.sqlite beside the index directory."),
    ("feedback_retention_days", "KBBOT_FEEDBACK_RETENTION_DAYS", "365", "Days feedback rows are kept (older ones are deleted at the next write); 0 = forever."),
)

CHOICES = {"encoder": ENCODERS, "faiss_index": KINDS}


class SettingError(ValueError):
    pass


def parse_origins(value) -> tuple[str, ...]:
    """'http://a:1, https://b' → ('http://a:1', 'https://b'); each a scheme://host[:port]."""
    if isinstance(value, (tuple, list)):
        items = value
    else:
        items = [v.strip() for v in str(value).split(",") if v.strip()]
    for origin in items:
        if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", origin):
            raise ValueError("a comma-separated list of origins such as https://billing.example.org")
    return tuple(o.rstrip("/") for o in items)


def _items(value) -> list[str]:
    if isinstance(value, (tuple, list)):
        return list(value)
    return [v.strip() for v in str(value).split(",") if v.strip()]


def parse_frame_ancestors(value) -> tuple[str, ...]:
    """'self, https://intranet.example.org' → ("'self'", 'https://intranet.example.org')."""
    items = _items(value)
    own = [i for i in items if i.strip("'") == "self"]
    return (("'self'",) if own else ()) + parse_origins([i for i in items if i not in own])


def parse_networks(value) -> tuple:
    """'10.0.0.1, 192.168.0.0/24' → ip_network objects (a bare address is a /32 or /128)."""
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in _items(value))
    except ValueError:
        raise ValueError("a comma-separated list of IP addresses or networks such as 10.0.0.5, 10.1.0.0/16") from None


TUPLE_PARSERS = {"cors_origins": parse_origins, "frame_ancestors": parse_frame_ancestors,
                 "trusted_proxies": parse_networks}


@dataclass(frozen=True)
class Settings:
    kb_dir: Path
    index_dir: Path
    model: str
    encoder: str
    faiss_index: str
    auto_build: bool
    max_question_chars: int
    max_body_bytes: int
    top_k: int
    host: str
    port: int
    workers: int
    cors_origins: tuple
    timeout: int
    rate_limit: int
    trusted_proxies: tuple
    admin_token: str
    frame_ancestors: tuple
    log_questions: bool
    ncci_db: str
    feedback_db: str
    feedback_retention_days: int

    @property
    def ncci_path(self) -> Path:
        """Where `kbbot ncci import` writes and the pair checker reads."""
        return Path(self.ncci_db).expanduser() if self.ncci_db else self.index_dir.parent / "ncci.sqlite"

    @property
    def feedback_path(self) -> Path:
        """Where /api/feedback and /api/chat record, and `kbbot report` reads."""
        return Path(self.feedback_db).expanduser() if self.feedback_db else self.index_dir.parent / "feedback.sqlite"

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "Settings":
        environ = os.environ if environ is None else environ
        raw = {name: environ.get(var, default) for name, var, default, _ in SETTINGS}
        raw.update({k: v for k, v in overrides.items() if v is not None})
        values = {}
        for f in fields(cls):
            value = raw[f.name]
            try:
                if f.type in ("int", int):
                    value = int(value)
                    if value < 0:
                        raise ValueError
                elif f.type in ("bool", bool):
                    value = str(value).strip().lower() in ("1", "true", "yes", "on")
                elif f.type in ("Path", Path):
                    value = Path(value).expanduser()
                elif f.type in ("tuple", tuple):
                    value = TUPLE_PARSERS[f.name](value)
                elif f.name in CHOICES and value not in CHOICES[f.name]:
                    raise ValueError(" or ".join(CHOICES[f.name]))
            except ValueError as exc:
                var = next(v for n, v, _, _ in SETTINGS if n == f.name)
                detail = str(exc) or "a whole number of 0 or more"
                raise SettingError(f"{var} must be {detail}, got {raw[f.name]!r}") from None
            values[f.name] = value
        return cls(**values)
