"""Loading a level: TOML text -> shape check (schema) -> meaning check -> ``Level``.

Nothing in a level is executed: it is parsed by ``tomllib`` and read as data only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import LevelError, RaceError
from .fields import did_you_mean
from .meaning import check_meaning
from .schema import LEVEL

MAX_LEVEL_BYTES = 2_000_000


@dataclass(frozen=True)
class Level:
    """A validated level: ``data`` is the full document with every default filled in."""

    id: str
    path: str
    data: dict

    @property
    def title(self) -> str:
        return self.data["title"] or self.id

    def lab_ids(self) -> list[str]:
        return [lab["id"] for lab in self.data["labs"]]


def level_dirs() -> list[Path]:
    """Where shipped levels live: the repository's ``levels/`` or the installed copy."""
    dirs = []
    try:
        from .. import levels_data

        dirs += [Path(p) for p in levels_data.__path__]
    except ImportError:  # pragma: no cover - only when the package data is missing
        pass
    repo = Path(__file__).resolve().parents[3] / "levels"
    if repo.is_dir() and repo not in dirs:
        dirs.append(repo)
    return dirs


def shipped_level_paths() -> list[Path]:
    found = {}
    for folder in level_dirs():
        for path in sorted(folder.glob("*.toml")):
            found.setdefault(path.stem, path)
    return [found[k] for k in sorted(found)]


def resolve_level(name_or_path) -> Path:
    """A level id (``baseline``) or a path to a ``.toml`` file -> an existing path."""
    text = str(name_or_path)
    candidate = Path(text)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        if not candidate.is_file():
            raise RaceError(f"{text}: no such level file")
        return candidate
    shipped = {p.stem: p for p in shipped_level_paths()}
    if text in shipped:
        return shipped[text]
    raise RaceError(
        f"no level called '{text}'{did_you_mean(text, shipped)}; "
        f"shipped levels: {', '.join(sorted(shipped)) or 'none'} (or give a path to a .toml file)"
    )


def parse_level_text(text: str, path: str = "<level>") -> Level:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LevelError(path, [f"not valid TOML: {exc}"]) from None
    return validate_level(raw, path)


def validate_level(raw: dict, path: str = "<level>") -> Level:
    problems: list[str] = []
    data = LEVEL.check(raw, "", problems)
    if not problems:
        check_meaning(data, problems)
    if problems:
        raise LevelError(path, problems)
    return Level(id=data["id"], path=str(path), data=data)


def load_level(name_or_path) -> Level:
    path = resolve_level(name_or_path)
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise RaceError(f"{path}: cannot read the level file ({exc.strerror})") from None
    if len(blob) > MAX_LEVEL_BYTES:
        raise LevelError(path, [f"file is {len(blob)} bytes; a level may be at most {MAX_LEVEL_BYTES}"])
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LevelError(path, [f"not UTF-8 text (byte {exc.start})"]) from None
    return parse_level_text(text, str(path))
