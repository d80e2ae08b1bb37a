"""The YAML files beside the articles (kb/paths.yaml, kb/scope.yaml): each optional, each
holding one non-empty list under a top-level key."""
from __future__ import annotations

from pathlib import Path

import yaml


def read_list(file: Path, key: str, what: str) -> tuple[list, list[tuple[str, str, str]]]:
    """The entries under `key` (none when the file is absent), or the problem with the
    file as (where, field, message); `what` names the entries in that message."""
    if not file.exists():
        return [], []
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return [], [("", "file", f"is not valid YAML: {exc}".replace("\n", " "))]
    if not isinstance(data, dict) or not isinstance(data.get(key), list) or not data[key]:
        return [], [("", key, f"the file must hold '{key}:', a non-empty list of {what}")]
    return data[key], []
