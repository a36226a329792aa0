"""Changing a level by dotted path: ``governments.us.export_tier = 0``.

Paths name table keys; in a list of tables, a row is named by its id
(``labs.abyss.cash_usd``) or by position (``governments.us.reactions[0].chance``).
Used by sweeps, calibration experiments and ``racegame params``.
"""

from __future__ import annotations

import copy
import re

from ..errors import RaceError
from .fields import did_you_mean
from .loader import Level, validate_level

_PART = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$")


def _split(path: str):
    parts = []
    for raw in path.split("."):
        match = _PART.match(raw)
        if not match:
            raise RaceError(f"'{path}': '{raw}' is not a valid path part (expected a name, optionally with [index])")
        parts.append(match.group(1))
        parts.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return parts


def _child(node, part, path, walked):
    where = ".".join(str(p) for p in walked) or "the level"
    if isinstance(node, dict):
        if part not in node:
            raise RaceError(f"'{path}': no key '{part}' in {where}{did_you_mean(str(part), node)}")
        return node[part]
    if isinstance(node, list):
        if isinstance(part, int):
            if not 0 <= part < len(node):
                raise RaceError(f"'{path}': {where} has {len(node)} entries; index {part} is out of range")
            return node[part]
        ids = [row.get("id") for row in node if isinstance(row, dict)]
        if part in ids:
            return node[ids.index(part)]
        raise RaceError(f"'{path}': no entry '{part}' in {where}{did_you_mean(str(part), [i for i in ids if i])}; "
                        f"known: {', '.join(i for i in ids if i) or 'none (use [index])'}")
    raise RaceError(f"'{path}': {where} is a value, not a table")


def get_value(data: dict, path: str):
    node, walked = data, []
    for part in _split(path):
        node = _child(node, part, path, walked)
        walked.append(part)
    return node


def set_value(data: dict, path: str, value) -> None:
    parts = _split(path)
    node, walked = data, []
    for part in parts[:-1]:
        node = _child(node, part, path, walked)
        walked.append(part)
    last = parts[-1]
    _child(node, last, path, walked)  # the key must already exist: no typos become new keys
    node[last] = value


def with_overrides(level: Level, overrides: dict) -> Level:
    """A new level with ``{path: value}`` applied and validated again."""
    if not overrides:
        return level
    data = copy.deepcopy(level.data)
    for path, value in overrides.items():
        old = get_value(data, path)
        if isinstance(old, (dict, list)):
            raise RaceError(f"'{path}' is a table or list; set one of its values instead (see 'racegame params')")
        set_value(data, path, value)
    label = f"{level.path} with " + ", ".join(f"{k}={v!r}" for k, v in overrides.items())
    return validate_level(data, label)


def parse_value(text: str):
    """A command-line value: true/false, an integer, a number, or text."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def leaf_params(data, prefix=""):
    """Every settable (path, value) in a level: numbers, true/false and choice strings."""
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            out += leaf_params(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(data, list):
        for i, row in enumerate(data):
            if isinstance(row, dict):
                name = row.get("id")
                out += leaf_params(row, f"{prefix}.{name}" if isinstance(name, str) else f"{prefix}[{i}]")
    elif isinstance(data, (int, float, bool)):
        out.append((prefix, data))
    return out
