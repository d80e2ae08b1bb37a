"""The pipeline's one-way imports and the documented settings."""
import ast
from pathlib import Path

import pytest

from web.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package, forbidden", [
    ("index", {"ncci", "bot", "web", "flask"}),
    ("ncci", {"bot", "web", "flask"}),
    ("bot", {"web", "flask"}),
    ("feedback", {"index", "ncci", "bot", "web", "flask"}),
])
def test_imports_go_one_way(package, forbidden):
    assert imported_packages(package) & forbidden == set()


def test_only_the_torch_encoder_imports_sentence_transformers():
    users = [p.relative_to(ROOT).as_posix() for pkg in ("index", "bot", "web") for p in (ROOT / pkg).rglob("*.py")
             if "sentence_transformers" in p.read_text(encoding="utf-8")]
    assert users == ["index/torch_encoder.py"]


def test_environment_is_read_only_in_settings():
    readers = [p.relative_to(ROOT).as_posix() for pkg in ("index", "ncci", "bot", "feedback", "web")
               for p in (ROOT / pkg).rglob("*.py")
               if "os.environ" in p.read_text(encoding="utf-8") or "getenv" in p.read_text(encoding="utf-8")]
    assert readers == ["web/settings.py"]


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for _, variable, _, _ in SETTINGS:
        assert f"`{variable}`" in readme, variable
