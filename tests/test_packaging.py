"""Packaging: every package in src/ is listed, and levels ship with the package."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_in_src_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src").rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"


def test_levels_are_found_through_the_package():
    from racegame.level.loader import shipped_level_paths

    names = {p.stem for p in shipped_level_paths()}
    assert {"baseline", "tutorial"} <= names
