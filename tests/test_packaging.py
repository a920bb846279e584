"""The installer spec, the set-up scripts and CI agree with where the code looks for things.

The real PyInstaller build runs in CI (.ci/run); here the spec is executed with stand-ins for
PyInstaller's classes, so these checks need neither PyInstaller nor a minute of build time.
"""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from app.paths import resources_dir
from db.migrate import MIGRATIONS_DIR

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_installer.spec"
SCRIPTS = ("scripts/run", "scripts/test", "scripts/setup", "scripts/system-packages", ".ci/run")

# Entries PyInstaller's Qt hooks would add, as (name in bundle, source, kind).
QT_ENTRIES = [
    ("PySide6/Qt/translations/qtbase_de.qm", "/site/qtbase_de.qm", "DATA"),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "/site/k.so", "BINARY"),
    ("PySide6/Qt/lib/libQt6Quick.so.6", "/site/q.so", "BINARY"),
    ("PySide6/Qt/lib/libQt6Pdf.so.6", "/site/pdf.so", "BINARY"),
    ("PySide6/QtPdfWidgets.abi3.so", "/site/pdfw.so", "EXTENSION"),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/site/off.so", "BINARY"),
]


class SpecRun:
    """What the spec asked PyInstaller for."""

    def __init__(self) -> None:
        self.analysis: dict[str, Any] = {}
        self.executables: list[dict[str, Any]] = []
        self.collect: dict[str, Any] = {}
        self.bundle: Any = None


def _fake_hooks() -> types.ModuleType:
    hooks = types.ModuleType("PyInstaller.utils.hooks")

    def collect_data_files(package: str, includes: list[str] | None = None) -> list[tuple[str, str]]:
        return [(f"/site/{package}/{pattern}", package) for pattern in includes or ["data/divisions.json"]]

    def collect_submodules(package: str, filter: Any = None) -> list[str]:  # noqa: A002
        if package == "alembic":
            names = [f"{package}.op", f"{package}.runtime.migration", f"{package}.testing.fixtures"]
        else:  # the package's real modules, as PyInstaller would list them
            found = pkgutil.iter_modules(importlib.import_module(package).__path__)
            names = [f"{package}.{module.name}" for module in found]
        return [name for name in names if filter is None or filter(name)]

    def copy_metadata(distribution: str) -> list[tuple[str, str]]:
        return [(f"/site/{distribution}.dist-info", f"{distribution}.dist-info")]

    hooks.collect_data_files = collect_data_files  # type: ignore[attr-defined]
    hooks.collect_submodules = collect_submodules  # type: ignore[attr-defined]
    hooks.copy_metadata = copy_metadata  # type: ignore[attr-defined]
    return hooks


def _run_spec(monkeypatch: pytest.MonkeyPatch) -> SpecRun:
    run = SpecRun()

    class Analysis:
        def __init__(self, scripts: list[str], **options: Any) -> None:
            run.analysis = {"scripts": scripts, **options}
            run.bundle = self
            self.scripts: list[Any] = []
            self.pure: list[Any] = []
            self.datas = [
                (f"{target}/{Path(source).name}", source, "DATA")
                for source, target in options["datas"]
            ] + [entry for entry in QT_ENTRIES if entry[2] == "DATA"]
            self.binaries = [entry for entry in QT_ENTRIES if entry[2] != "DATA"]

    def exe(*_parts: Any, **options: Any) -> dict[str, Any]:
        run.executables.append(options)
        return options

    def collect(*parts: Any, **options: Any) -> None:
        run.collect = {"parts": parts, **options}

    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", _fake_hooks())
    namespace = {
        "SPECPATH": str(ROOT),
        "Analysis": Analysis,
        "PYZ": lambda *parts, **options: ("PYZ", parts),
        "EXE": exe,
        "COLLECT": collect,
        "__name__": "__main__",
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)  # noqa: S102
    return run


def _bundled_targets(run: SpecRun) -> set[Path]:
    return {Path(target) / Path(source).name for source, target in run.analysis["datas"]}


def _tree(folder: Path) -> list[Path]:
    return [
        path.relative_to(ROOT)
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]


def test_spec_ships_migrations_where_db_migrate_looks_in_a_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    # Frozen, db/migrate.py sits at _MEIPASS/db/, so its MIGRATIONS_DIR is _MEIPASS/db/migrations.
    assert MIGRATIONS_DIR == ROOT / "db" / "migrations"
    targets = _bundled_targets(_run_spec(monkeypatch))
    expected = _tree(MIGRATIONS_DIR)
    assert Path("db/migrations/env.py") in expected
    assert any(path.parts[:3] == ("db", "migrations", "versions") for path in expected)
    assert set(expected) <= targets


def test_spec_ships_resources_where_app_paths_looks_in_a_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resources_dir() == ROOT / "resources"
    targets = _bundled_targets(_run_spec(monkeypatch))
    assert set(_tree(resources_dir())) <= targets
    assert not any("__pycache__" in target.parts for target in targets)


def test_spec_hidden_imports_cover_every_module_the_migrations_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hidden = _run_spec(monkeypatch).analysis["hiddenimports"]
    imported: set[str] = set()
    for path in MIGRATIONS_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    assert {"alembic", "sqlalchemy"} <= imported
    assert imported <= set(hidden)
    assert "sqlalchemy.dialects.sqlite" in hidden
    assert not any(name.startswith("alembic.testing") for name in hidden)
    for name in hidden:
        importlib.import_module(name)


def test_spec_builds_console_and_windowed_programs_in_one_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run_spec(monkeypatch)
    programs = {options["name"]: options["console"] for options in run.executables}
    assert programs == {"tdkt": True, "TDKT-Xa": False}
    assert all(options["exclude_binaries"] for options in run.executables)
    assert not any(options["upx"] for options in run.executables)
    assert run.collect["name"] == "tdkt-xa"
    assert [Path(script) for script in run.analysis["scripts"]] == [ROOT / "scripts" / "launcher.py"]
    assert str(ROOT) in run.analysis["pathex"]


def test_spec_ships_the_fallback_print_font_and_word_template(monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run_spec(monkeypatch)
    targets = {target for _source, target in run.analysis["datas"]}
    assert {"fontpkg_noto_serif", "docx", "fontpkg-noto-serif.dist-info"} <= targets
    assert "fontTools.ttLib.tables._c_m_a_p" in run.analysis["hiddenimports"]
    assert "pdfplumber" in run.analysis["excludes"]
    # python-docx reaches its templates through docx/parts/..: that folder must exist on disk.
    assert run.analysis["module_collection_mode"]["docx"] == "pyz+py"


def test_spec_keeps_qt_pdf_and_drops_unused_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run_spec(monkeypatch)
    excluded = set(run.analysis["excludes"])
    used = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtPdf", "PySide6.QtPdfWidgets"}
    assert not excluded & used
    assert {"PySide6.QtWebEngineCore", "PySide6.QtQuick", "PySide6.QtMultimedia"} <= excluded
    kept = {entry[0] for entry in run.bundle.binaries + run.bundle.datas}
    assert "PySide6/Qt/lib/libQt6Pdf.so.6" in kept
    assert "PySide6/QtPdfWidgets.abi3.so" in kept
    assert "PySide6/Qt/plugins/platforms/libqoffscreen.so" in kept
    dropped = ("translations", "Quick", "virtualkeyboard")
    assert not any(part in name for part in dropped for name in kept)
    assert "./LICENSE" in kept


def test_build_outputs_are_git_ignored() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert {"build/", "dist/", ".venv/"} <= set(ignored)


def test_readme_starts_with_the_two_commands_that_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["bash scripts/run", "bash scripts/test"]
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_are_valid_bash(script: str) -> None:
    subprocess.run(["bash", "-n", str(ROOT / script)], check=True)


def test_system_packages_rejects_an_unknown_group() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "system-packages"), "everything"],
        capture_output=True,
        text=True,
        env={**os.environ, "TDKT_SKIP_SYSTEM_PACKAGES": "0"},
    )
    assert result.returncode == 2
    assert "usage" in result.stderr


def test_system_packages_can_be_skipped_for_other_distributions() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "system-packages"), "qt", "gui", "build"],
        capture_output=True,
        env={**os.environ, "TDKT_SKIP_SYSTEM_PACKAGES": "1"},
    )
    assert result.returncode == 0
