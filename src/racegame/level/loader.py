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


def parse_level_text(text: str, path: str = "<level>", _chain=()) -> Level:
    return validate_level(_raw_with_parents(text, path, _chain), path)


# Lists of tables in a level are keyed by these fields when a level extends another.
LIST_KEYS = {"labs": "id", "chips": "id", "grids": "id", "governments": "id", "markets": "id",
             "events": "id", "milestones": "id", "supply": "id"}  # roles, prompts and debrief belong to a scenario: given, they replace
MAX_EXTENDS = 4


def _raw(text: str, path: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LevelError(path, [f"not valid TOML: {exc}"]) from None


def _raw_with_parents(text: str, path: str, chain) -> dict:
    """The level's TOML as data, with any level it extends merged underneath it."""
    raw = _raw(text, path)
    parent_id = raw.get("extends", "")
    if not parent_id:
        return raw
    if not isinstance(parent_id, str):
        raise LevelError(path, [f"extends: expected a level id, got {parent_id!r}"])
    if parent_id in chain or len(chain) >= MAX_EXTENDS:
        raise LevelError(path, [f"extends: '{parent_id}' leads round in a circle or too deep ({' -> '.join(chain + (parent_id,))})"])
    try:
        parent_path = resolve_level(parent_id)
    except RaceError as exc:
        raise LevelError(path, [f"extends: {exc}"]) from None
    parent = _raw_with_parents(parent_path.read_text(encoding="utf-8"), str(parent_path), chain + (parent_id,))
    merged = merge_levels(parent, {k: v for k, v in raw.items() if k not in ("extends", "remove")})
    problems = []
    for item in raw.get("remove", []) or []:
        section, _, ident = str(item).partition(".")
        rows = merged.get(section)
        key = LIST_KEYS.get(section)
        if key is None or not isinstance(rows, list):
            problems.append(f"remove: '{item}': expected SECTION.ID with SECTION one of {', '.join(LIST_KEYS)}")
            continue
        kept = [row for row in rows if not (isinstance(row, dict) and row.get(key) == ident)]
        if len(kept) == len(rows):
            problems.append(f"remove: '{item}': no {section} entry '{ident}' in '{parent_id}'{did_you_mean(ident, [r.get(key) for r in rows if isinstance(r, dict)])}")
        merged[section] = kept
    if problems:
        raise LevelError(path, problems)
    merged.pop("extends", None)
    merged.pop("remove", None)
    return merged


def merge_levels(base, over):
    """``over`` laid on ``base``: tables merge key by key, keyed lists merge entry by entry
    (new entries are added at the end), anything else in ``over`` replaces ``base``."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            if key in LIST_KEYS and isinstance(value, list) and isinstance(base.get(key), list):
                out[key] = _merge_rows(base[key], value, LIST_KEYS[key])
            elif key in out:
                out[key] = merge_levels(out[key], value)
            else:
                out[key] = value
        return out
    return over


def _merge_rows(base_rows, over_rows, key):
    rows = [dict(r) if isinstance(r, dict) else r for r in base_rows]
    index = {r.get(key): i for i, r in enumerate(rows) if isinstance(r, dict)}
    for row in over_rows:
        if isinstance(row, dict) and row.get(key) in index:
            i = index[row.get(key)]
            rows[i] = merge_levels(rows[i], row)
        else:
            rows.append(row)
    return rows


def validate_level(raw: dict, path: str = "<level>") -> Level:
    problems: list[str] = []
    data = LEVEL.check(raw, "", problems)
    if not problems:
        check_meaning(data, problems)
    if problems:
        raise LevelError(path, problems)
    return Level(id=data["id"], path=str(path), data=data)


def catalogue_events() -> list[dict]:
    """The shipped facilitator injects (``levels/catalogue/injects.toml``), as raw tables."""
    for folder in level_dirs():
        path = folder / "catalogue" / "injects.toml"
        if path.is_file():
            return _raw(path.read_text(encoding="utf-8"), str(path)).get("events", [])
    return []


def with_catalogue(level: Level) -> Level:
    """The level with every catalogue inject that fits it (its targets exist there) added,
    so a facilitator can make any of them happen. Entries that do not fit are left out."""
    import copy

    data = copy.deepcopy(level.data)
    known = {e["id"] for e in data["events"]}
    for event in catalogue_events():
        if event.get("id") in known:
            continue
        trial = copy.deepcopy(data)
        trial["events"].append(event)
        try:
            data = validate_level(trial, level.path).data
        except LevelError:
            continue  # a target this level does not have
    return Level(id=level.id, path=level.path, data=data)


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
