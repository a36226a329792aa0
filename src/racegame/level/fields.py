"""A small declarative schema for TOML data: the first validation layer (shape and types).

Each field knows its type, range, default and a one-line doc. ``Table.check`` walks a parsed
document, fills defaults, and collects every problem with its key path, the value found, what
was expected and, for misspelt keys, a "did you mean". The same field objects also drive the
level-format reference (``docs/LEVELS.md``) and the list of sweepable parameters.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from dataclasses import dataclass, field

REQUIRED = object()


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def join_path(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class Field:
    doc: str = ""
    default: object = REQUIRED

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def check(self, value, path, problems):  # pragma: no cover - overridden
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


@dataclass
class Num(Field):
    lo: float | None = None
    hi: float | None = None
    integer: bool = False
    unit: str = ""

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a number"
        if self.lo is not None and self.hi is not None:
            return f"{kind} from {self.lo:g} to {self.hi:g}"
        if self.lo is not None:
            return f"{kind} >= {self.lo:g}"
        if self.hi is not None:
            return f"{kind} <= {self.hi:g}"
        return kind

    def check(self, value, path, problems):
        ok_type = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type:
            problems.append(f"{path}: expected {self.describe()}, got {_show(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{path}: expected {self.describe()}, got {value!r} (NaN and infinities are not allowed)")
            return None
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            problems.append(f"{path}: expected {self.describe()}, got {_show(value)}")
            return None
        return value if self.integer else float(value)


@dataclass
class Bool(Field):
    def describe(self) -> str:
        return "true or false"

    def check(self, value, path, problems):
        if not isinstance(value, bool):
            problems.append(f"{path}: expected true or false, got {_show(value)}")
            return None
        return value


@dataclass
class Str(Field):
    choices: tuple = ()
    pattern: str = ""
    max_len: int = 4000

    def describe(self) -> str:
        if self.choices:
            return "one of " + ", ".join(f"'{c}'" for c in self.choices)
        if self.pattern:
            return f"text matching {self.pattern}"
        return "text"

    def check(self, value, path, problems):
        if not isinstance(value, str):
            problems.append(f"{path}: expected {self.describe()}, got {_show(value)}")
            return None
        if self.choices and value not in self.choices:
            problems.append(f"{path}: expected {self.describe()}, got {_show(value)}{did_you_mean(value, self.choices)}")
            return None
        if self.pattern and not re.fullmatch(self.pattern, value):
            problems.append(f"{path}: expected {self.describe()}, got {_show(value)}")
            return None
        if len(value) > self.max_len:
            problems.append(f"{path}: text longer than {self.max_len} characters")
            return None
        return value


@dataclass
class ListOf(Field):
    item: Field = None
    min_len: int = 0
    max_len: int = 1000

    def describe(self) -> str:
        return f"a list of {self.item.describe()}"

    def check(self, value, path, problems):
        if not isinstance(value, list):
            problems.append(f"{path}: expected {self.describe()}, got {_show(value)}")
            return None
        if not self.min_len <= len(value) <= self.max_len:
            problems.append(f"{path}: expected between {self.min_len} and {self.max_len} items, got {len(value)}")
            return None
        out = [self.item.check(v, join_path(path, i), problems) for i, v in enumerate(value)]
        return None if any(v is None for v in out) else out


@dataclass
class MapOf(Field):
    """A table whose keys are names chosen by the author (checked later, against other ids)."""

    value: Field = None

    def describe(self) -> str:
        return f"a table of name = {self.value.describe()}"

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append(f"{path}: expected {self.describe()}, got {_show(value)}")
            return None
        out = {k: self.value.check(v, join_path(path, k), problems) for k, v in value.items()}
        return None if any(v is None for v in out.values()) else out


@dataclass
class Table(Field):
    fields: dict = field(default_factory=dict)

    @property
    def required(self) -> bool:
        """A table may be left out when every key in it has a default."""
        return any(spec.required for spec in self.fields.values())

    def describe(self) -> str:
        return "a table"

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append(f"{path or 'the file'}: expected a table, got {_show(value)}")
            return None
        out = {}
        for key in value:
            if key not in self.fields:
                where = path or "the top level"
                problems.append(f"{join_path(path, key)}: unknown key in {where}{did_you_mean(key, self.fields)}")
        for key, spec in self.fields.items():
            sub = join_path(path, key)
            if key in value:
                checked = spec.check(value[key], sub, problems)
                if checked is not None:
                    out[key] = checked
            elif spec.required:
                problems.append(f"{sub}: missing; expected {spec.describe()}" + (f" ({spec.doc})" if spec.doc else ""))
            else:
                out[key] = _fresh_default(spec)
        return out

    def defaults(self) -> dict:
        return {k: _fresh_default(s) for k, s in self.fields.items() if not s.required}


@dataclass
class TableList(Field):
    """An array of tables (``[[labs]]``); ``key`` names the field that identifies each row."""

    row: Table = None
    key: str = "id"
    min_len: int = 0
    max_len: int = 64

    def describe(self) -> str:
        return "a list of tables"

    def check(self, value, path, problems):
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(f"{path}: expected a list of tables ([[{path}]]), got {_show(value)}")
            return None
        if not self.min_len <= len(value) <= self.max_len:
            problems.append(f"{path}: expected between {self.min_len} and {self.max_len} entries, got {len(value)}")
            return None
        rows, seen = [], set()
        for i, row in enumerate(value):
            ident = row.get(self.key)
            label = join_path(path, i) + (f" ('{ident}')" if isinstance(ident, str) else "")
            checked = self.row.check(row, label, problems)
            if isinstance(ident, str):
                if ident in seen:
                    problems.append(f"{label}.{self.key}: '{ident}' is used twice in {path}")
                seen.add(ident)
            rows.append(checked)
        return rows


def _fresh_default(spec: Field):
    if isinstance(spec, Table):
        return spec.defaults()
    return copy.deepcopy(spec.default)  # a default list of tables must not be shared
