"""Experiments from Python: a level, a design, outcomes -> a table (pandas DataFrame).

    from racegame.analysis.experiments import run_experiment

    table = run_experiment("baseline", {"governments.us.export_tier": [0, 3],
                                        "labs.keel.cash_usd": (1e9, 5e9)},
                           design="lhs", samples=8, runs=200, seed=1,
                           outcomes=["catastrophe", "us_compute_share",
                                     {"us_best": lambda model: model.state.capability.max(axis=1)}])

A parameter given a list is a lever (its values crossed with the rest); a (LO, HI) tuple is
a range sampled by the design (``grid``, ``lhs``, ``sobol``, ``morris``: see
``racegame.analysis.designs``). Every cell plays the same replicas of the same seed (common random
numbers), so replica k of two cells met the same luck. One row per game: the cell's
parameters, ``replica``, ``seed``, then the outcomes: names of batch columns
(``racegame batch``), or callables on the finished model, ``f(model) -> array over
replicas`` (``model.state`` holds every game's final state, ``model.rules`` the level's
rules, ``model.replica_ids`` the replica numbers). With ``per="cell"`` the table has one
row per cell: the mean of each outcome over its games.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import RaceError


def _axes(level, parameters: dict):
    from .designs import parse_set

    axes = []
    for path, spec in (parameters or {}).items():
        if isinstance(spec, tuple):
            if len(spec) != 2:
                raise RaceError(f"{path}: a range is a (LO, HI) pair, got {spec!r}")
            axes.append(parse_set(f"{path}={float(spec[0])!r}:{float(spec[1])!r}", level))
        else:
            values = list(spec) if isinstance(spec, (list, np.ndarray)) else [spec]
            if not values:
                raise RaceError(f"{path}: no values")
            text = ",".join("true" if v is True else "false" if v is False else repr(v) if isinstance(v, float) else str(v)
                            for v in values)
            axes.append(parse_set(f"{path}={text}", level))
    return axes


def _outcome_specs(outcomes) -> list[tuple[str, object]]:
    """(name, column name or callable) for each requested outcome; None means every column."""
    if outcomes is None:
        return []
    if isinstance(outcomes, (str, dict)) or callable(outcomes):
        outcomes = [outcomes]
    specs = []
    for item in outcomes:
        if isinstance(item, str):
            specs.append((item, item))
        elif isinstance(item, dict):
            for name, f in item.items():
                if not (isinstance(f, str) or callable(f)):
                    raise RaceError(f"outcome '{name}': expected a column name or a callable f(model) -> array")
                specs.append((str(name), f))
        elif callable(item):
            specs.append((getattr(item, "__name__", "outcome"), item))
        else:
            raise RaceError(f"outcome {item!r}: expected a column name, a callable or a dict of them")
    return specs


def play_cell(level, seed: int, runs: int, turns=None, specs=(), first: int = 0) -> dict:
    """Play ``runs`` games of a level to the end in one vectorised pass; the batch columns
    and the requested outcomes, per replica."""
    from .batch import columns_to_end, summary_columns
    from ..model import RaceModel

    model = RaceModel(level=level, rng=seed, replicas=runs, first_replica=first, turns=turns)
    model.datacollector.collect = lambda _model: None  # the table is the record
    if all(isinstance(spec, str) for _, spec in specs):  # batch columns only: finished games may leave
        columns = columns_to_end(model)
    else:  # a user's function reads the model at the end: every game stays, frozen once it ends
        while model.running:
            model.step()
        columns = summary_columns(model)
    if not specs:
        return columns
    out = {"replica": columns["replica"], "seed": columns["seed"]}
    for name, spec in specs:
        if isinstance(spec, str):
            if spec not in columns:
                from ..level.fields import did_you_mean

                raise RaceError(f"outcome '{spec}': no such column{did_you_mean(spec, columns)}; columns: {', '.join(columns)}")
            out[name] = columns[spec]
            continue
        try:
            value = np.asarray(spec(model))
        except RaceError:
            raise
        except Exception as exc:  # a user's function: say which one failed and how
            raise RaceError(f"outcome '{name}': the function raised {exc.__class__.__name__}: {exc}") from exc
        if value.shape != (runs,):
            raise RaceError(f"outcome '{name}': expected one value per game, an array of shape ({runs},), got {value.shape}")
        out[name] = value
    return out


def run_experiment(level="baseline", parameters: dict | None = None, *, design: str = "grid",
                   samples: int | None = None, runs: int = 100, seed: int = 0, turns: int | None = None,
                   outcomes=None, per: str = "game"):
    """Play every cell of a design and return a pandas DataFrame (see the module's docstring).

    ``level``: a level id, a .toml path or a ``Level``. ``parameters``: ``{path: [values]}``
    (levers) and ``{path: (lo, hi)}`` (ranges). ``outcomes``: None (every batch column), or a
    list of column names, callables ``f(model)`` and ``{name: column or callable}``. Raises
    RaceError, with one line that says what is wrong, for bad paths, ranges, designs or outcomes.
    """
    import pandas as pd

    from .designs import make_design
    from ..level.loader import Level, load_level
    from ..level.overrides import with_overrides

    if per not in ("game", "cell"):
        raise RaceError(f"per={per!r}: expected 'game' or 'cell'")
    if not isinstance(runs, int) or runs < 1:
        raise RaceError(f"runs={runs!r}: expected a whole number of games, at least 1")
    level = level if isinstance(level, Level) else load_level(level)
    specs = _outcome_specs(outcomes)
    axes = _axes(level, parameters or {})
    cells = make_design(level, axes, design, samples, seed).cells if axes else [({}, {})]
    frames = []
    for overrides, extra in cells:
        columns = play_cell(with_overrides(level, overrides), seed, runs, turns, specs)
        frame = pd.DataFrame({**{k: [v] * runs for k, v in extra.items()}, **columns})
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    if per == "cell":
        keys = list(cells[0][1]) or None
        numeric = [c for c in table.columns if c not in (keys or []) and c not in ("replica", "seed")
                   and table[c].dtype.kind in "biuf"]
        table = table.groupby(keys, sort=False)[numeric].mean().reset_index() if keys else table[numeric].mean().to_frame().T
    return table


Outcome = Callable  # f(model) -> array over replicas
