"""Checks a compiled kernel against the numpy phase it replaces, on the very inputs the
vectorised engine passes that phase in real games (every shipped level, and the parity
tests' reckless and stress levels, where rare rules fire often: many replicas, turns from
the start to the end)."""

from __future__ import annotations

import copy
from dataclasses import replace
from functools import lru_cache

import numpy as np

from racegame.engine.params import Rules
from racegame.engine.rng import RaceRandom
from racegame.engine.state import State
from racegame.engine.step import VECTORISED, TurnReport
from racegame.level.loader import shipped_level_paths
from racegame.model import RaceModel

REPLICAS = 24
EVERY = 3  # keep every third turn's inputs


def _copy(value):
    """A copy the phase may change freely; the rules and the random source are shared
    (read-only, and keyed draws do not change when drawn)."""
    if isinstance(value, (Rules, RaceRandom)):
        return value
    if isinstance(value, State):
        return value.copy()
    return copy.deepcopy(value)


def levels() -> list:
    from test_parity import reckless_level, stress_level

    return [str(path) for path in shipped_level_paths()] + [reckless_level(), stress_level()]


@lru_cache(maxsize=None)
def captured(name: str) -> tuple:
    """((level id, turn, args), ...): what the vectorised engine passed phase ``name``."""
    cases = []
    numpy_phase = getattr(VECTORISED, name)
    for level in levels():
        model = RaceModel(level=level, rng=11, replicas=REPLICAS)

        def record(*args, _model=model):
            turn = next(a.turn for a in args if isinstance(a, (State, TurnReport)))
            if turn % EVERY == 0:
                cases.append((_model.level.id, turn, tuple(_copy(a) for a in args)))
            return numpy_phase(*args)

        model.kit = replace(model.kit, phases=replace(VECTORISED, **{name: record}))
        for _ in model.play_out():
            pass
    return tuple(cases)


@lru_cache(maxsize=None)
def captured_calls(attr: str) -> tuple:
    """((level id, turn, args), ...): what ``RaceModel.decide`` passed its ``observe`` or
    ``plan_labs`` in real games on every shipped level."""
    cases = []
    for level in levels():
        model = RaceModel(level=level, rng=11, replicas=REPLICAS)
        numpy_fn = getattr(model.kit, attr)

        def record(*args, _model=model, _fn=numpy_fn):
            if _model.state.turn % EVERY == 0:
                cases.append((_model.level.id, _model.state.turn, tuple(_copy(a) for a in args)))
            return _fn(*args)

        model.kit = replace(model.kit, **{attr: record})
        for _ in model.play_out():
            pass
    return tuple(cases)


def check_function(numpy_fn, compiled_fn, cases, name: str, rtol: float = 1e-12) -> int:
    """Like ``check_kernel`` for a function whose result is what matters (a View, a plan)."""
    assert cases, f"no inputs captured for {name}"
    for level_id, turn, args in cases:
        mine, theirs = tuple(_copy(a) for a in args), tuple(_copy(a) for a in args)
        want, got = numpy_fn(*mine), compiled_fn(*theirs)
        if isinstance(want, dict):
            want, got = dict(sorted(want.items())), dict(sorted(got.items()))
            assert list(want) == list(got), f"{name}: keys differ"
            want, got = tuple(want.values()), tuple(got.values())
        problems = differences((want, mine), (got, theirs), name, rtol)
        assert not problems, f"{name}, level {level_id}, turn {turn}:\n  " + "\n  ".join(problems[:12])
    return len(cases)


def _fields(value) -> dict:
    if isinstance(value, State):
        return dict(value.arrays()) | {"turn": value.turn}
    if isinstance(value, TurnReport) or hasattr(value, "__dict__"):
        return dict(vars(value))
    return {"value": value}


def differences(a, b, path: str, rtol: float) -> list[str]:
    """Where two results of a phase differ beyond ``rtol`` of each array's scale."""
    if isinstance(a, tuple):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]", rtol)]
    if isinstance(a, (Rules, RaceRandom)):
        return []
    if not isinstance(a, np.ndarray) and not np.isscalar(a) and a is not None:
        fa, fb = _fields(a), _fields(b)
        missing = sorted(set(fa) ^ set(fb))
        out = [f"{path}.{k}: set by one only" for k in missing]
        return out + [d for k in sorted(set(fa) & set(fb)) for d in differences(fa[k], fb[k], f"{path}.{k}", rtol)]
    x, y = np.asarray(a), np.asarray(b)
    if x.shape != y.shape or x.dtype.kind != y.dtype.kind:
        return [f"{path}: shape/kind {x.shape} {x.dtype} against {y.shape} {y.dtype}"]
    if x.dtype.kind != "f":
        return [] if np.array_equal(x, y) else [f"{path}: {int((x != y).sum())} values differ"]
    same_special = np.array_equal(np.isnan(x), np.isnan(y)) and np.array_equal(np.where(np.isinf(x), np.sign(x), 0.0),
                                                                                 np.where(np.isinf(y), np.sign(y), 0.0))
    finite = np.isfinite(x) & np.isfinite(y)
    scale = max(float(np.abs(x[finite]).max(initial=0.0)), 1e-300)
    gap = np.abs(x[finite] - y[finite])
    if not same_special or (gap > rtol * (np.abs(x[finite]) + 1e-6 * scale)).any():
        worst = float((gap / (np.abs(x[finite]) + 1e-6 * scale)).max(initial=0.0))
        return [f"{path}: relative gap up to {worst:.3g} (NaN/inf alike: {same_special})"]
    return []


def check_kernel(name: str, kernel, rtol: float = 1e-12) -> int:
    """Run the numpy phase and ``kernel`` on copies of every captured input; raise with the
    fields that differ. Returns how many cases were compared."""
    numpy_phase = getattr(VECTORISED, name)
    cases = captured(name)
    assert cases, f"no inputs captured for {name}"
    for level_id, turn, args in cases:
        mine, theirs = tuple(_copy(a) for a in args), tuple(_copy(a) for a in args)
        want = numpy_phase(*mine)
        got = kernel(*theirs)
        problems = differences((want, mine), (got, theirs), name, rtol)
        assert not problems, f"{name}, level {level_id}, turn {turn}:\n  " + "\n  ".join(problems[:12])
    return len(cases)
