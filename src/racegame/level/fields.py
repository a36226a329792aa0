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

import numpy as np

REQUIRED = object()

# Every number has a range, even one whose field names none: the simulation multiplies and
# compounds them, and a level's 1e308 must be an error at load, not NaN three turns in.
# A key added later inherits this; tests play levels with every number at its range's ends.
NUM_LIMIT = 1e15
# Plain data (parsed TOML or JSON) is checked for these before any schema walks it.
MAX_DEPTH = 32  # tables and lists inside each other: a level needs 4, a save 7
MAX_INT = 2**63 - 1  # what numpy and the random source can hold
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # all but tab and line breaks


def show_value(value) -> str:
    if isinstance(value, int) and not -MAX_INT - 1 <= value <= MAX_INT:
        return f"an integer of {value.bit_length()} bits"  # repr of a huge int is slow or refused
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

    def __post_init__(self):
        self.lo = -NUM_LIMIT if self.lo is None else self.lo
        self.hi = NUM_LIMIT if self.hi is None else self.hi

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a number"
        if math.isinf(self.lo) and math.isinf(self.hi):
            return kind  # any finite one
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
            problems.append(f"{path}: expected {self.describe()}, got {show_value(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{path}: expected {self.describe()}, got {value!r} (NaN and infinities are not allowed)")
            return None
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            problems.append(f"{path}: expected {self.describe()}, got {show_value(value)}")
            return None
        return value if self.integer else float(value)


@dataclass
class Bool(Field):
    def describe(self) -> str:
        return "true or false"

    def check(self, value, path, problems):
        if not isinstance(value, bool):
            problems.append(f"{path}: expected true or false, got {show_value(value)}")
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
            problems.append(f"{path}: expected {self.describe()}, got {show_value(value)}")
            return None
        if self.choices and value not in self.choices:
            problems.append(f"{path}: expected {self.describe()}, got {show_value(value)}{did_you_mean(value, self.choices)}")
            return None
        if self.pattern and not re.fullmatch(self.pattern, value):
            problems.append(f"{path}: expected {self.describe()}, got {show_value(value)}")
            return None
        if len(value) > self.max_len:
            problems.append(f"{path}: text longer than {self.max_len} characters")
            return None
        bad = _CONTROL.search(value)
        if bad:
            # NUL and other control characters crash text rendering and mean nothing in a level.
            problems.append(f"{path}: control character U+{ord(bad.group()):04X} at position {bad.start()}; expected plain text")
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
            problems.append(f"{path}: expected {self.describe()}, got {show_value(value)}")
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
            problems.append(f"{path}: expected {self.describe()}, got {show_value(value)}")
            return None
        out = {k: self.value.check(v, join_path(path, k), problems) for k, v in value.items()}
        return None if any(v is None for v in out.values()) else out


@dataclass
class OneOf(Field):
    """The first of ``options`` that fits (a saved order is a number, true/false or a list)."""

    options: tuple = ()

    def describe(self) -> str:
        return " or ".join(option.describe() for option in self.options)

    def check(self, value, path, problems):
        for option in self.options:
            trial: list[str] = []
            checked = option.check(value, path, trial)
            if not trial:
                return checked
        problems.append(f"{path}: expected {self.describe()}, got {show_value(value)}")
        return None


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
            problems.append(f"{path or 'the file'}: expected a table, got {show_value(value)}")
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
            problems.append(f"{path}: expected a list of tables ([[{path}]]), got {show_value(value)}")
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


# -- limits on plain data, before any schema sees it ---------------------------------

_STRINGS = {
    # Strings and comments are blanked before brackets are counted: a news text may hold "[".
    "toml": re.compile("|".join((r'"""[\s\S]*?"""', r"'''[\s\S]*?'''", r'"(?:[^"\\\n]|\\.)*"', r"'[^'\n]*'", r"#[^\n]*"))),
    "json": re.compile(r'"(?:[^"\\]|\\.)*"'),
}


def nesting_depth(text: str, syntax: str) -> int:
    """How deeply ``[`` and ``{`` nest in TOML or JSON text, counted before parsing: the
    parsers recurse once per level, so a file of 100,000 brackets must be refused unread."""
    bare = _STRINGS[syntax].sub("", text).encode("utf-8", "replace")
    codes = np.frombuffer(bare, dtype=np.uint8)
    steps = np.zeros(codes.shape, dtype=np.int8)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    steps = steps[steps != 0].astype(np.int64)
    return int(np.cumsum(steps).max()) if steps.size else 0


def plain_data_problems(doc, max_depth: int = MAX_DEPTH) -> list[str]:
    """What no schema should have to meet in parsed data: nesting deeper than ``max_depth``,
    integers beyond 64 bits, NaN or infinities (JSON's 1e999 reads as one). Walked with a
    stack, not recursion, so depth cannot hurt it."""
    problems, stack = [], [(doc, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, bool):
            continue
        if isinstance(node, int) and not -MAX_INT - 1 <= node <= MAX_INT:
            problems.append(f"{path or 'the file'}: expected a number of ordinary size, got {show_value(node)}")
            continue
        if isinstance(node, float) and not math.isfinite(node):
            problems.append(f"{path or 'the file'}: expected a number, got {node!r} (NaN and infinities are not allowed)")
            continue
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        if items and depth >= max_depth:
            return problems + [f"{path}: tables and lists nested more than {max_depth} deep"]
        stack.extend((value, join_path(path, key), depth + 1) for key, value in items)
    return problems


def walk(spec: Field, value, path: str = ""):
    """Every (path, field, container, key) of a document checked against ``spec`` (the
    document as ``Table.check`` returned it): tests use it to reach every number."""
    if isinstance(spec, Table):
        for key, sub in spec.fields.items():
            if key in value:
                yield from _walk_child(sub, value, key, join_path(path, key))
    elif isinstance(spec, TableList):
        for i, row in enumerate(value):
            yield from walk(spec.row, row, join_path(path, i))
    elif isinstance(spec, (ListOf, MapOf)):
        item = spec.item if isinstance(spec, ListOf) else spec.value
        for key in (range(len(value)) if isinstance(value, list) else list(value)):
            yield from _walk_child(item, value, key, join_path(path, key))


def _walk_child(spec, container, key, path):
    if isinstance(spec, (Table, TableList, ListOf, MapOf)):
        yield from walk(spec, container[key], path)
    else:
        yield path, spec, container, key
