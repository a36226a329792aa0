"""The game as an EMA Workbench model: uncertainties, levers, outcomes.

    from ema_workbench import perform_experiments
    from ema_workbench.analysis import prim
    from racegame.analysis.ema import ema_model

    model = ema_model("baseline",
                      uncertainties={"labs.keel.cash_usd": (1e9, 5e9), "grids.texas.approvals_mw_per_turn": (100, 800)},
                      levers={"governments.us.export_tier": [0, 1, 2, 3]},
                      outcomes=("catastrophe", "win_us", "win_cn"), runs=200, seed=1)
    experiments, outcomes = perform_experiments(model, scenarios=50, policies=4)
    box = prim.Prim(experiments[list(model.uncertainties.keys())], outcomes["win_cn"] > 0.2, threshold=0.6).find_box()

Each EMA experiment (a scenario of the uncertainties under a policy of the levers) is one
sweep cell: ``runs`` games of the level with those values, all with the same seed (common
random numbers across experiments), and each outcome is the mean over those games:
``catastrophe``, ``agi`` (share of games reaching AGI), ``win_<country>``, or the mean of any
batch column (``us_compute_share``, ``turns_played``...). A range ``(lo, hi)`` becomes a
``RealParameter`` (an ``IntegerParameter`` where the level's key is a whole number), a list of
values a ``CategoricalParameter``, ``(False, True)`` a ``BooleanParameter``. EMA's parameter
names are the level paths with ``.`` written as ``__`` (``labs__keel__cash_usd``, ``governments__us__reactions_0__chance``), since EMA
passes them as keyword arguments; ``model.racegame_paths`` maps them back.

Optional: ``pip install 'racegame[ema]'``.
"""

from __future__ import annotations

import numpy as np

from ..errors import RaceError


def _ema():
    try:
        import ema_workbench
    except ImportError:
        raise RaceError("racegame.analysis.ema needs EMA Workbench: pip install 'racegame[ema]'") from None
    return ema_workbench


def ema_name(path: str) -> str:
    """An EMA parameter name for a level path (a Python identifier)."""
    import re

    return re.sub(r"\[(\d+)\]", r"_\1", path).replace(".", "__")


def _parameter(ema, level, path: str, spec):
    from .designs import parse_set, schema_field

    name = ema_name(path)
    if isinstance(spec, tuple) and len(spec) == 2 and not all(isinstance(v, bool) for v in spec):
        axis = parse_set(f"{path}={float(spec[0])!r}:{float(spec[1])!r}", level)  # schema range, clear errors
        if axis.integer:
            import math

            return ema.IntegerParameter(name, math.ceil(axis.lo), math.floor(axis.hi))
        return ema.RealParameter(name, axis.lo, axis.hi)
    values = list(spec) if isinstance(spec, (list, tuple)) else [spec]
    if sorted(values, key=str) == [False, True]:
        parse_set(f"{path}=true,false", level)
        return ema.BooleanParameter(name)
    text = ",".join("true" if v is True else "false" if v is False else str(v) for v in values)
    parse_set(f"{path}={text}", level)
    schema_field(level.data, path)
    return ema.CategoricalParameter(name, values)


def cell_outcomes(columns: dict, names) -> dict:
    """Means over a cell's games of each named outcome (see the module's docstring)."""
    from ..tables import NO_TURN

    out = {}
    for name in names:
        if name == "agi":
            values = np.asarray(columns["agi_turn"]) != NO_TURN
        elif name.startswith("win_") and name not in columns:
            values = np.asarray(columns["winner_country"]) == name[4:]
        elif name in columns and np.asarray(columns[name]).dtype.kind in "biuf":
            values = np.asarray(columns[name], dtype=float)
        else:
            numeric = [k for k, v in columns.items() if np.asarray(v).dtype.kind in "biuf"]
            raise RaceError(f"outcome '{name}': expected catastrophe, agi, win_<country> or a numeric batch column "
                            f"({', '.join(numeric)})")
        out[name] = float(np.nanmean(values.astype(float))) if len(values) else float("nan")
    return out


def ema_model(level="baseline", uncertainties: dict | None = None, levers: dict | None = None,
              outcomes=("catastrophe", "agi", "win_us", "win_cn"), runs: int = 100, seed: int = 0,
              turns: int | None = None, name: str = "racegame"):
    """An ``ema_workbench.Model`` playing ``runs`` games of ``level`` per experiment."""
    ema = _ema()
    from .experiments import play_cell
    from ..level.loader import Level, load_level
    from ..level.overrides import with_overrides

    level = level if isinstance(level, Level) else load_level(level)
    if not uncertainties and not levers:
        raise RaceError("ema_model: give at least one uncertainty or lever ({path: (lo, hi)} or {path: [values]})")
    paths = {}
    for group in (uncertainties or {}), (levers or {}):
        for path in group:
            if ema_name(path) in paths:
                raise RaceError(f"ema_model: {path} is given twice")
            paths[ema_name(path)] = path
    outcomes = list(outcomes)
    cell_outcomes(play_cell(level, seed, 1, 1), [o for o in outcomes if not o.startswith("win_")])  # names checked now

    def play(**values):
        overrides = {}
        for key, value in values.items():
            if isinstance(value, np.generic):
                value = value.item()
            overrides[paths[key]] = value
        columns = play_cell(with_overrides(level, overrides), seed, runs, turns)
        return cell_outcomes(columns, outcomes)

    model = ema.Model(name, function=play)
    model.uncertainties = [_parameter(ema, level, p, spec) for p, spec in (uncertainties or {}).items()]
    model.levers = [_parameter(ema, level, p, spec) for p, spec in (levers or {}).items()]
    model.outcomes = [ema.ScalarOutcome(o) for o in outcomes]
    model.racegame_paths = dict(paths)
    return model
