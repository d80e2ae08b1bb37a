"""Typed records passed between the index stages. No I/O here."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

ARTICLE_TYPES = ("code", "modifier", "error", "rule", "concept")
FORMAT_VERSION = 2


@dataclass(frozen=True)
class Section:
    heading: str
    anchor: str
    body: str


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    type: str
    path: str
    codes: tuple[str, ...] = ()
    modifiers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    summary: str = ""
    sources: tuple[str, ...] = ()
    reviewed: str = ""
    sections: tuple[Section, ...] = ()
    body: str = ""

    def metadata(self) -> dict:
        """What the bot and web need about an article, without its sections."""
        data = asdict(self)
        data.pop("sections")
        return data


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    article_id: str
    title: str
    section: str
    anchor: str
    text: str          # the section body (or one paragraph window of it)
    embed_text: str    # title and heading in front of the body: what is embedded
    codes: tuple[str, ...]
    modifiers: tuple[str, ...]
    sentences: tuple[str, ...]
    content_hash: str

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Chunk":
        for key in ("codes", "modifiers", "sentences"):
            data[key] = tuple(data[key])
        return cls(**data)


@dataclass
class Manifest:
    format_version: int
    model_name: str
    model_sha256: str
    dimension: int
    kb_hash: str
    pipeline_hash: str
    chunk_count: int
    sentence_count: int
    article_count: int
    built_at: str
    index_version: str
    faiss_kind: str = "flat"
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Manifest":
        return cls(**data)
