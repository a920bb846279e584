"""The one dependency rule: `ui` → `app` → `db`, and no Qt below `ui`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT_FREE_PACKAGES = ("app", "db")


def _source_files() -> list[Path]:
    files = [
        path
        for package in QT_FREE_PACKAGES
        for path in sorted((ROOT / package).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]
    assert files, "no sources found under app/ and db/"
    return files


def _imported_modules(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", _source_files(), ids=_relative)
def test_app_and_db_never_mention_pyside6(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert "pyside6" not in text.lower(), f"{_relative(path)} mentions PySide6"


@pytest.mark.parametrize(
    "path", [p for p in _source_files() if p.suffix == ".py"], ids=_relative
)
def test_app_and_db_never_import_ui(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    upward = [
        name for name in _imported_modules(tree) if name == "ui" or name.startswith("ui.")
    ]
    assert not upward, f"{_relative(path)} imports {upward}"


def test_layer_scan_detects_a_qt_import() -> None:
    tree = ast.parse("from ui.main import main\nimport ui\nfrom PySide6 import QtCore\n")
    assert _imported_modules(tree) == ["ui.main", "ui", "PySide6"]
