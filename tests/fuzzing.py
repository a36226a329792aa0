"""What the fuzz tests share: hostile values, a TOML writer for generated levels, and the
numbers of the level format (every one the schema has, so that keys added later are fuzzed
too)."""

import json
import math

from hypothesis import strategies as st

from racegame.level.fields import Num, walk
from racegame.level.schema import LEVEL


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value).replace("\x7f", "\\u007f")  # JSON's escapes are TOML's
    if isinstance(value, list):  # TOML has no null: a None is left out
        return "[" + ", ".join(toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items() if v is not None) + "}"
    raise TypeError(type(value))


def toml_text(doc: dict) -> str:
    """``doc`` as TOML: one line per top-level key, inline tables and arrays below it."""
    return "".join(f"{json.dumps(str(k))} = {toml_value(v)}\n" for k, v in doc.items() if v is not None)


def deep(depth: int):
    value = 1
    for _ in range(depth):
        value = [value]
    return value


# Values no level should hold, and some it may: huge finite numbers, integers beyond 64 bits,
# NaN and infinities, the wrong type, deep nesting, markup and control characters.
MARKUP = ["<img src=x>", "AT&T <Research>", "a\x00b", "=cmd|' /C calc'!A0", "$x$", "\u202e", "</font><b>", ""]
HUGE = st.sampled_from([1e308, -1e308, 1.7976931348623157e308, 1e16, -1e16, 10**19, 10**30, -(10**30), 10**400, 5e-324])
hostile_values = st.one_of(
    HUGE,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.none(),
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from(MARKUP),
    st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.sampled_from(["id", "x", "us"]), st.integers(), max_size=2),
    st.integers(30, 60).map(deep),
)


def perturbed(value):
    """Values of the same kind as ``value``, somewhere odd: what a careless edit or a bug
    writes. Most of these load, so what follows loading gets fuzzed too."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.sampled_from([0, -1, value + 1, value * 1000, 2**62])
    if isinstance(value, float):
        return st.sampled_from([0.0, -value, value * 1e6, value * 1e-6, 1e300, -1e300])
    if isinstance(value, str):
        return st.sampled_from(MARKUP + [value + "x"])
    if isinstance(value, list):
        return st.sampled_from([value[:1], value[::-1], []])
    if isinstance(value, dict):
        return st.sampled_from([{}, {k: value[k] for k in list(value)[:1]}])
    return hostile_values


def value_at(doc, path):
    for key in path:
        doc = doc[key]
    return doc


def number_groups(data: dict) -> dict:
    """The level's numbers grouped by schema field (every lab's cash together): {first path:
    (field, [paths])}, for every Num in ``data`` (a validated level's data)."""
    groups = {}
    for path, spec, _, _ in walk(LEVEL, data):
        if isinstance(spec, Num):
            groups.setdefault(id(spec), (path, spec, []))[2].append(path)
    return {label: (spec, paths) for label, spec, paths in groups.values()}


def set_paths(data: dict, paths, value) -> None:
    wanted = set(paths)
    for path, _, container, key in walk(LEVEL, data):
        if path in wanted:
            container[key] = value


def value_in_range(spec: Num, where: float):
    """A number in ``spec``'s range: its ends (where 0 or 1), or between on a log scale, which
    reaches every order of magnitude the range allows."""
    lo, hi = spec.lo, spec.hi
    if where in (0.0, 1.0):
        value = lo if where == 0.0 else hi
    elif lo > 0:
        value = lo * (hi / lo) ** where
    elif hi <= 0:
        value = lo + (hi - lo) * where
    else:  # a range across zero: the magnitude on a log scale, the sign from where
        value = (hi if where > 0.5 else lo) * 1e-6 ** (1 - abs(2 * where - 1))
    value = min(max(value, lo), hi)
    return int(round(value)) if spec.integer else float(value)


def assert_refused_in_words(level_text: str, filename: str, key: str) -> None:
    """Loading ``level_text`` as ``filename`` fails with an error naming the file and ``key``."""
    import pytest

    from racegame.errors import LevelError
    from racegame.level.loader import parse_level_text

    with pytest.raises(LevelError) as caught:
        parse_level_text(level_text, filename)
    text = str(caught.value)
    assert filename in text and key in text


def parsed_or_refused(doc: dict, filename: str, key: str, value):
    """The level ``doc`` parsed as the file ``filename``, or None when it is refused; a refusal
    must name the file in words (and ``key``, when ``value`` is a number of the wrong range)."""
    from racegame.errors import LevelError
    from racegame.level.loader import parse_level_text

    try:
        return parse_level_text(toml_text(doc), filename)
    except LevelError as exc:
        text = str(exc)
        assert filename in text and exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            assert key in text
        return None
