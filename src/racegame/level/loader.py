"""Loading a level: TOML text -> shape check (schema) -> meaning check -> ``Level``.

Nothing in a level is executed: it is parsed by ``tomllib`` and read as data only.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import LevelError, RaceError
from .fields import MAX_DEPTH, did_you_mean, nesting_depth, plain_data_problems, show_value
from .meaning import check_meaning
from .schema import ID, LEVEL

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
    # Nesting is measured before parsing: tomllib recurses once per bracket.
    depth = nesting_depth(text, "toml")
    if depth > MAX_DEPTH:
        raise LevelError(path, [f"brackets nested {depth} deep; a level needs a few, at most {MAX_DEPTH}"])
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LevelError(path, [f"not valid TOML: {exc}"]) from None
    except (ValueError, RecursionError) as exc:  # an integer of thousands of digits
        raise LevelError(path, [f"not valid TOML: {str(exc).split(';')[0]}"]) from None
    problems = plain_data_problems(raw)  # dotted keys nest without brackets; huge integers
    if problems:
        raise LevelError(path, problems)
    return raw


def parent_path(parent, path: str) -> Path:
    """What ``extends`` may name: a shipped level's id, or ``NAME.toml``, a level file in the
    same folder as the extending one. Nothing else: no paths, no links out of the folder, so
    that a level file cannot make racegame read /etc/passwd or /proc and echo it in errors."""
    if not isinstance(parent, str):
        raise LevelError(path, [f"extends: expected a level id or NAME.toml, got {show_value(parent)}"])
    if re.fullmatch(ID, parent):
        shipped = {p.stem: p for p in shipped_level_paths()}
        if parent not in shipped:
            raise LevelError(path, [f"extends: no shipped level called '{parent}'{did_you_mean(parent, shipped)}; shipped: "
                                    f"{', '.join(sorted(shipped))} (or NAME.toml for a level file beside this one)"])
        return shipped[parent]
    here = Path(path)
    if not re.fullmatch(ID + r"\.toml", parent):
        raise LevelError(path, [f"extends: expected a shipped level id (like 'baseline') or NAME.toml, a level file "
                                f"in the same folder, got {show_value(parent)}"])
    if not here.is_file():
        raise LevelError(path, [f"extends: '{parent}' names a file beside this level, but the level is not read from a file"])
    candidate = here.parent / parent
    if not candidate.is_file():
        raise LevelError(path, [f"extends: no level file '{parent}' in {here.parent}"])
    if candidate.resolve().parent != here.resolve().parent:
        raise LevelError(path, [f"extends: '{parent}' is a link to a file in another folder; extend only files beside the level"])
    return candidate


def _raw_with_parents(text: str, path: str, chain) -> dict:
    """The level's TOML as data, with any level it extends merged underneath it."""
    raw = _raw(text, path)
    parent_name = raw.get("extends", "")
    if not parent_name:
        return raw
    parent = parent_path(parent_name, path)
    key = str(parent.resolve())
    if key in chain or len(chain) >= MAX_EXTENDS:
        names = [Path(p).stem for p in chain + (key,)]
        raise LevelError(path, [f"extends: '{parent_name}' leads round in a circle or too deep ({' -> '.join(names)})"])
    removals = raw.get("remove", [])
    if not isinstance(removals, list) or not all(isinstance(item, str) for item in removals):
        raise LevelError(path, [f"remove: expected a list of texts like 'labs.keel', got {show_value(removals)}"])
    try:
        base = _raw_with_parents(read_level_text(parent), str(parent), chain + (key,))
    except LevelError as exc:  # named as this level's problem, pointing at the file it extends
        raise LevelError(path, [f"in '{parent_name}', which it extends ({exc.path}): {p}" for p in exc.problems]) from None
    merged = merge_levels(base, {k: v for k, v in raw.items() if k not in ("extends", "remove")})
    problems = []
    for item in removals:
        section, _, ident = item.partition(".")
        rows = merged.get(section)
        key = LIST_KEYS.get(section)
        if key is None or not isinstance(rows, list):
            problems.append(f"remove: '{item}': expected SECTION.ID with SECTION one of {', '.join(LIST_KEYS)}")
            continue
        kept = [row for row in rows if not (isinstance(row, dict) and row.get(key) == ident)]
        if len(kept) == len(rows):
            ids = [r.get(key) for r in rows if isinstance(r, dict) and isinstance(r.get(key), str)]
            problems.append(f"remove: '{item}': no {section} entry '{ident}' in '{parent_name}'{did_you_mean(ident, ids)}")
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
    # Only text ids match: a list or table where an id belongs is left for the schema to name.
    index = {r[key]: i for i, r in enumerate(rows) if isinstance(r, dict) and isinstance(r.get(key), str)}
    for row in over_rows:
        if isinstance(row, dict) and isinstance(row.get(key), str) and row[key] in index:
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


def read_limited(path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a regular file: more means "too large" to the caller.
    Reading stops there whatever the file claims (``/proc`` files say they hold 0 bytes), and
    a FIFO or device is refused before it is opened (opening a FIFO waits for a writer)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    with open(path, "rb") as f:
        return f.read(limit + 1)


def read_level_text(path) -> str:
    try:
        blob = read_limited(path, MAX_LEVEL_BYTES)
    except OSError as exc:
        raise RaceError(f"{path}: cannot read the level file ({exc.strerror})") from None
    if len(blob) > MAX_LEVEL_BYTES:
        raise LevelError(path, [f"file is larger than {MAX_LEVEL_BYTES} bytes, the most a level may be"])
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LevelError(path, [f"not UTF-8 text (byte {exc.start})"]) from None


def load_level(name_or_path) -> Level:
    path = resolve_level(name_or_path)
    return parse_level_text(read_level_text(path), str(path))
