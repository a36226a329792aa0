"""Experimental designs for sweeps: which cells (sets of level parameters) to play.

A ``--set`` names one level parameter by dotted path and either values to try
(``PATH=V1,V2``: a *lever*, crossed with everything else) or a range (``PATH=LO:HI``: an
*uncertainty*, sampled by the design). Designs:

- ``grid``: the Cartesian product; a range becomes ``--samples`` evenly spaced points.
- ``lhs``: a Latin hypercube of ``--samples`` points over the ranges.
- ``sobol``: Saltelli's extension of the Sobol' sequence, ``N (D + 2)`` points for D ranges
  and ``--samples N`` (a power of 2), for first and total Sobol indices.
- ``morris``: ``--samples N`` Morris trajectories of ``D + 1`` points each (4 levels), for
  elementary effects.

Samples come from SALib (``pip install 'racegame[analysis]'``), seeded with the run's seed,
so the same command gives the same cells; ``summarize --sensitivity`` draws the same sample
again from the design recorded in the result's provenance. Levers are crossed with the sample:
every lever combination gets the whole sample, and sensitivity is computed for each.
Every cell is checked against the level's schema and meaning before any game is played.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import RaceError
from ..level.fields import Bool, ListOf, MapOf, Num, OneOf, Table, TableList, did_you_mean
from ..level.overrides import _split, get_value, parse_value, with_overrides

DESIGNS = ("grid", "lhs", "sobol", "morris")
MORRIS_LEVELS = 4
MAX_CELLS = 100_000


@dataclass
class Axis:
    """One ``--set``: a path and either values (a lever) or a range (an uncertainty)."""

    path: str
    values: list | None = None
    lo: float | None = None
    hi: float | None = None
    integer: bool = False

    @property
    def is_range(self) -> bool:
        return self.values is None


@dataclass
class Design:
    """The cells of a sweep, in order, and how they were made (for provenance and analysis)."""

    kind: str
    cells: list  # [(overrides, extra columns)]
    info: dict = field(default_factory=dict)


def schema_field(level_data: dict, path: str):
    """The schema field a dotted path ends at (``Num``, ``Bool``, ``Str``...), walking the
    level format beside the level's data (rows of lists by id or by position)."""
    from ..level.schema import LEVEL

    spec = LEVEL
    for part in _split(path):
        while isinstance(spec, OneOf):
            spec = next((o for o in spec.options if isinstance(o, (Table, TableList, ListOf, MapOf))), spec.options[0])
        if isinstance(spec, Table):
            if part not in spec.fields:
                raise RaceError(f"'{path}': no key '{part}'{did_you_mean(str(part), spec.fields)}")
            spec = spec.fields[part]
        elif isinstance(spec, TableList):
            spec = spec.row
        elif isinstance(spec, ListOf):
            spec = spec.item
        elif isinstance(spec, MapOf):
            spec = spec.value
        else:
            raise RaceError(f"'{path}': '{part}' goes inside a value")
    while isinstance(spec, OneOf):
        spec = next((o for o in spec.options if isinstance(o, Num)), spec.options[0])
    return spec


def _number(text: str, what: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RaceError(f"--set {where}: {what} '{text.strip()[:40]}' is not a number") from None
    if not math.isfinite(value):
        raise RaceError(f"--set {where}: {what} '{text.strip()[:40]}' is not a finite number")
    return value


def parse_set(text: str, level) -> Axis:
    """``PATH=V1,V2,...`` or ``PATH=LO:HI``, checked against the level and its schema."""
    if "=" not in text:
        raise RaceError(f"--set {text!r}: expected PATH=V1,V2,... or PATH=LO:HI "
                        "(for example governments.us.export_tier=0,3 or labs.keel.cash_usd=1e9:5e9)")
    path, spec = (part.strip() for part in text.split("=", 1))
    get_value(level.data, path)  # names the path's problem ("did you mean") before anything else
    current = get_value(level.data, path)
    if isinstance(current, (dict, list)):
        raise RaceError(f"'{path}' is a table or list; set one of its values instead (see 'racegame params')")
    if ":" in spec:
        lo_text, _, hi_text = spec.partition(":")
        if ":" in hi_text or "," in spec:
            raise RaceError(f"--set {text!r}: a range is LO:HI (two numbers); values are V1,V2,...")
        field_ = schema_field(level.data, path)
        if not isinstance(field_, Num) or isinstance(current, bool):
            kind = "true/false" if isinstance(field_, Bool) or isinstance(current, bool) else "not a number"
            raise RaceError(f"--set {path}: a range needs a number, but this parameter is {kind}; give values: {path}=V1,V2")
        lo, hi = _number(lo_text, "LO", text), _number(hi_text, "HI", text)
        if lo > hi:
            raise RaceError(f"--set {text!r}: LO ({lo:g}) is above HI ({hi:g})")
        if lo < field_.lo or hi > field_.hi:
            raise RaceError(f"--set {text!r}: outside what {path} may be ({field_.describe()})")
        if field_.integer and math.ceil(lo) > math.floor(hi):
            raise RaceError(f"--set {text!r}: {path} is a whole number and no whole number lies in [{lo:g}, {hi:g}]")
        return Axis(path, lo=lo, hi=hi, integer=bool(field_.integer))
    values = [parse_value(v) for v in spec.split(",") if v.strip() != ""]
    if not values:
        raise RaceError(f"--set {text!r}: no values given after '='")
    if any(isinstance(v, float) for v in values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        values = [float(v) for v in values]  # one type per column: 0,0.5 is two numbers, not an int and a float
    for value in values:  # each value must make a valid level
        with_overrides(level, {path: value})
    return Axis(path, values=values)


def _problem(ranges: list[Axis]) -> dict:
    return {"num_vars": len(ranges), "names": [a.path for a in ranges], "bounds": [[a.lo, a.hi] for a in ranges]}


def _salib():
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise RaceError("designs lhs, sobol and morris (and --sensitivity) need SALib: pip install 'racegame[analysis]'") from None


def check_samples(kind: str, samples: int | None, n_ranges: int) -> None:
    """Refuse, in one line, a sample size the design cannot use."""
    if kind not in DESIGNS:
        raise RaceError(f"--design {kind!r}: expected one of {', '.join(DESIGNS)}{did_you_mean(kind, DESIGNS)}")
    if kind == "grid":
        if n_ranges and samples is None:
            raise RaceError("--design grid with a range (PATH=LO:HI) needs --samples N: the points per range")
        if samples is not None and not n_ranges:
            raise RaceError("--samples is the points per range in a grid, and no --set is a range (PATH=LO:HI)")
        if samples is not None and samples < 2:
            raise RaceError(f"--samples {samples}: a grid over a range needs at least 2 points")
        return
    if not n_ranges:
        raise RaceError(f"--design {kind} samples ranges: give at least one --set PATH=LO:HI")
    if samples is None:
        raise RaceError(f"--design {kind} needs --samples N")
    if kind == "lhs" and samples < 2:
        raise RaceError(f"--samples {samples}: a Latin hypercube needs at least 2 points")
    if kind == "sobol" and (samples < 2 or samples & (samples - 1)):
        raise RaceError(f"--samples {samples}: a Sobol design needs a power of 2 (2, 4, 8, ..., 1024), "
                        f"and plays N x (ranges + 2) cells")
    if kind == "morris" and samples < 2:
        raise RaceError(f"--samples {samples}: a Morris design needs at least 2 trajectories")


def sample_matrix(kind: str, problem: dict, samples: int, seed: int) -> np.ndarray:
    """The SALib sample (rows = points, columns = ranges), the same for the same arguments."""
    _salib()
    seed = int(seed) % (2**32)  # SALib and scipy take 32-bit seeds
    if kind == "lhs":
        from SALib.sample import latin

        return latin.sample(problem, samples, seed=seed)
    if kind == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, samples, calc_second_order=False, seed=seed)
    if kind == "morris":
        from SALib.sample import morris

        return morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)
    raise RaceError(f"--design {kind!r}: expected one of {', '.join(DESIGNS)}")


def design_rows(kind: str, samples: int, n_ranges: int) -> int:
    """How many points a design makes over ``n_ranges`` ranges."""
    return {"lhs": samples, "sobol": samples * (n_ranges + 2), "morris": samples * (n_ranges + 1)}.get(kind, samples**n_ranges)


def _value(axis: Axis, x: float):
    if axis.integer:
        return int(min(max(round(x), math.ceil(axis.lo)), math.floor(axis.hi)))
    return float(x)


def make_design(level, axes: list[Axis], kind: str = "grid", samples: int | None = None, seed: int = 0,
                max_cells: int = MAX_CELLS) -> Design:
    """The cells for ``axes`` under a design, each checked to make a valid level."""
    ranges = [a for a in axes if a.is_range]
    levers = [a for a in axes if not a.is_range]
    check_samples(kind, samples, len(ranges))
    paths = [a.path for a in axes]
    twice = sorted({p for p in paths if paths.count(p) > 1})
    if twice:
        raise RaceError(f"--set {twice[0]} is given twice; give each parameter once")
    lever_combos = list(itertools.product(*(a.values for a in levers))) if levers else [()]
    n_points = design_rows(kind, samples or 0, len(ranges)) if ranges else 1
    total = len(lever_combos) * n_points
    if total > max_cells:
        raise RaceError(f"the design makes {total:,} cells, more than {max_cells:,}; use fewer samples or values")
    info = {"kind": kind, "samples": samples, "seed": int(seed),
            "levers": {a.path: a.values for a in levers},
            "uncertainties": {a.path: [a.lo, a.hi] for a in ranges},
            "integer": [a.path for a in ranges if a.integer]}
    if kind == "grid":
        points = [list(dict.fromkeys(_value(a, x) for x in np.linspace(a.lo, a.hi, samples))) for a in ranges]
        grid_axes = [a.values if not a.is_range else points[ranges.index(a)] for a in axes]
        cells = []
        for combo in itertools.product(*grid_axes):
            overrides = dict(zip(paths, combo))
            cells.append((overrides, dict(overrides)))
        design = Design(kind, cells, info)
    else:
        problem = _problem(ranges)
        matrix = sample_matrix(kind, problem, samples, seed)
        info.update(problem=problem, rows=int(matrix.shape[0]),
                    num_levels=MORRIS_LEVELS if kind == "morris" else None,
                    calc_second_order=False if kind == "sobol" else None)
        cells = []
        for combo in lever_combos:
            for row in matrix:
                overrides = dict(zip([a.path for a in levers], combo))
                overrides.update({a.path: _value(a, x) for a, x in zip(ranges, row)})
                extra = {"cell": len(cells), "design_row": len(cells) % len(matrix)}
                extra.update(overrides)
                cells.append((overrides, extra))
        design = Design(kind, cells, info)
    _check_cells(level, design.cells)
    return design


def _check_cells(level, cells) -> None:
    """Every cell must make a valid level (the meaning layer may refuse a combination)."""
    seen = set()
    for i, (overrides, _) in enumerate(cells):
        key = tuple(sorted((k, repr(v)) for k, v in overrides.items()))
        if key in seen:
            continue
        seen.add(key)
        try:
            with_overrides(level, overrides)
        except RaceError as exc:
            raise RaceError(f"sweep cell {i} ({', '.join(f'{k}={v!r}' for k, v in overrides.items())}) makes an "
                            f"invalid level: {str(exc).splitlines()[0]}") from None
