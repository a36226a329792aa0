"""The compiled engine: each numba kernel has its numpy phase's effects on the inputs real
games give that phase, and whole games end as the vectorised engine's do."""

from __future__ import annotations

import numpy as np
import pytest

from compiled_harness import captured_calls, check_function, check_kernel, differences
from racegame.engine import compiled
from racegame.engine.params import build_rules
from racegame.engine.rng import RaceRandom
from racegame.engine.setup import initial_state
from racegame.engine.step import step
from racegame.level.loader import load_level
from racegame.analysis.batch import play_chunk
from test_parity import random_orders

needs_numba = pytest.mark.skipif(not compiled.available(), reason="numba is not installed (the fast extra)")


@needs_numba
@pytest.mark.parametrize("name", sorted(compiled.KERNELS))
def test_each_kernel_has_its_numpy_phase_effects(name):
    assert check_kernel(name, getattr(compiled.phases(), name)) >= 30


@needs_numba
@pytest.mark.parametrize("level", ["baseline", "export_escalation", "power_crunch", "pause_negotiation"])
def test_compiled_games_end_as_vectorised_games(level):
    """200 AI-only games a level: every summary column the same (floats to 1e-9)."""
    lvl = load_level(level)
    want = play_chunk(lvl, 7, 0, 200)
    got = play_chunk(lvl, 7, 0, 200, engine="compiled")
    assert not [d for k in want for d in differences(want[k], got[k], k, 1e-9)]


@needs_numba
@pytest.mark.parametrize("seed", range(3))
def test_random_orders_resolve_alike(seed):
    """Hostile orders (NaN, huge, negative, out of range) through both engines, turn by turn
    from the same state."""
    level = load_level("baseline")
    rules = build_rules(level)
    state = initial_state(level, rules, 1)
    draws = RaceRandom(seed, [seed])
    rng = np.random.default_rng(seed)
    kernels = compiled.phases()
    with np.errstate(all="ignore"):
        for _ in range(12):
            orders = random_orders(state, rules, rng)
            fast, fast_rep = step(state, orders, rules, draws, phases=kernels)
            state, rep = step(state, orders, rules, draws)
            assert not differences((state, rep), (fast, fast_rep), f"seed {seed} turn {state.turn - 1}", 1e-9)


def test_without_numba_the_compiled_engine_is_refused_in_words(monkeypatch, capsys):
    from racegame.cli import main
    from racegame.model import RaceModel

    monkeypatch.setattr(compiled, "available", lambda: False)
    with pytest.raises(ImportError, match="racegame\\[fast\\]"):
        RaceModel(engine="compiled")
    with pytest.raises(SystemExit):
        main(["run", "--engine", "compiled"])
    assert "needs numba" in capsys.readouterr().err


def test_an_unknown_engine_is_refused_in_words(capsys):
    from racegame.cli import main

    with pytest.raises(SystemExit):
        main(["batch", "--engine", "jit", "--runs", "2", "--out", "x.csv"])
    assert "expected one of vectorised, compiled, reference, got 'jit'" in capsys.readouterr().err


@needs_numba
def test_the_compiled_view_is_the_numpy_view():
    from racegame.engine.compiled.observe import observe as compiled_observe
    from racegame.engine.observe import observe

    assert check_function(observe, compiled_observe, captured_calls("observe"), "observe") >= 30


@needs_numba
def test_the_compiled_ai_plans_are_the_numpy_plans():
    from racegame.agents.lab_ai import plan_labs
    from racegame.agents.lab_ai_compiled import plan_labs as compiled_plan_labs

    cases = captured_calls("plan_labs")
    assert check_function(plan_labs, compiled_plan_labs, cases, "plan_labs") >= 30
    # The handicaps of easy and hard change what the AI can spend.
    for capex in (0.8, 1.25):
        changed = [(lvl, turn, args[:4] + (capex,)) for lvl, turn, args in cases[::5]]
        check_function(plan_labs, compiled_plan_labs, changed, f"plan_labs, capex {capex}")


@needs_numba
def test_the_compiled_random_source_draws_the_same_numbers():
    from racegame.engine.compiled.rng import CompiledRandom

    numpy_draws, compiled_draws = RaceRandom(2**40 + 3, np.arange(7, 300)), CompiledRandom(2**40 + 3, np.arange(7, 300))
    for turn, stream, shape in [(0, "events", ()), (31, "espionage", (3, 12, 3)), (2**20, "agi_tie", (12,))]:
        assert np.array_equal(numpy_draws.uniform(turn, stream, shape), compiled_draws.uniform(turn, stream, shape))
    kept = compiled_draws.subset(np.arange(293) % 3 == 0)
    assert isinstance(kept, CompiledRandom)
    assert np.array_equal(kept.uniform(4, "ai", (5,)), numpy_draws.subset(np.arange(293) % 3 == 0).uniform(4, "ai", (5,)))


@needs_numba
def test_the_compiled_range_check_finds_the_same_problem():
    from racegame.engine.compiled.limits import first_problem
    from racegame.engine.limits import first_problem as numpy_first_problem

    level = load_level("baseline")
    state = initial_state(level, build_rules(level), 5)
    assert first_problem(state) is None is numpy_first_problem(state)
    for name, value in (("cash", np.nan), ("talent", -1.0), ("run_age", 10**6), ("capability", np.inf)):
        broken = state.copy()
        getattr(broken, name)[3, 2] = value
        assert repr(first_problem(broken)) == repr(numpy_first_problem(broken)) and first_problem(broken)[0] == name


def test_every_phase_has_a_compiled_twin():
    """A phase added to the turn without a kernel would quietly run numpy in the compiled engine."""
    from dataclasses import fields

    from racegame.engine.step import Phases

    assert {f.name for f in fields(Phases)} == set(compiled.KERNELS)


@needs_numba
@pytest.mark.parametrize("name", ["plan_government", "plan_grid"])
def test_the_compiled_governments_and_grids_give_the_numpy_orders(name):
    from racegame.agents import gov_ai_compiled, gov_ai, grid_ai

    numpy_fn = getattr(gov_ai if name == "plan_government" else grid_ai, name)
    assert check_function(numpy_fn, getattr(gov_ai_compiled, name), captured_calls(name), name) >= 30


@needs_numba
def test_the_window_plays_on_the_engine_it_was_given(monkeypatch, home):
    """``racegame play --engine compiled``: the game the window starts plays on the compiled
    engine (its forecasts too, as futures follow their game's engine)."""
    from racegame.cli import main
    from racegame.ui.session import Session

    engines = []
    start = Session.new.__func__

    def recording(cls, *args, **kwargs):
        session = start(cls, *args, **kwargs)
        engines.append(session.model.engine)
        return session

    monkeypatch.setattr(Session, "new", classmethod(recording))
    assert main(["play", "--autoplay", "2", "--seed", "5", "--engine", "compiled"]) == 0
    assert engines == ["compiled"]


@needs_numba
def test_a_save_plays_on_alike_on_either_engine(tmp_path):
    """A save does not depend on the engine that made it: a desk game saved on the compiled
    engine and loaded on each engine (window and ``run --load``) plays on to the same turns."""
    from racegame.cli import main
    from racegame.saves import load_game
    from racegame.ui.session import Session

    session = Session.new(level="baseline", lab="keel", seed=11, engine="compiled")
    for _ in range(3):
        session.end_turn()
    path = tmp_path / "desk.json"
    session.save(path)
    games = {engine: Session.load(path, engine=engine) for engine in ("vectorised", "compiled")}
    assert {engine: game.model.engine for engine, game in games.items()} == {"vectorised": "vectorised", "compiled": "compiled"}
    for game in games.values():
        for _ in range(4):
            game.end_turn()
    assert not differences(games["vectorised"].model.state, games["compiled"].model.state, "after the load", 1e-9)
    assert main(["run", "--load", str(path), "--turns", "1", "--engine", "compiled", "--save", str(tmp_path / "on.json")]) == 0
    assert load_game(tmp_path / "on.json").state.turn == 4
