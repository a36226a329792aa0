"""Efficiency research is lumpy: part of it comes in breakthroughs of drawn size. The draws
keep each lab's expected pace, come from the run's seeded generator, and the level keys
that shape them are checked like every other key."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzzing import assert_refused_in_words, hostile_values, parsed_or_refused
from racegame.engine import step
from racegame.engine.orders import hold_orders
from racegame.engine.params import build_rules
from racegame.engine.research import breakthroughs
from racegame.engine.rng import RaceRandom
from racegame.engine.setup import initial_state
from racegame.level.loader import load_level
from racegame.level.overrides import with_overrides
from racegame.reference import reference_step

KEYS = ("breakthrough_share", "breakthrough_chance_per_year", "breakthrough_max_years")


class _Report:
    pass


def _multipliers(overrides: dict, replicas: int = 20000, turn: int = 3):
    level = with_overrides(load_level("baseline"), overrides)
    rules = build_rules(level)
    state = initial_state(level, rules, replicas)
    state.turn = turn
    rep = _Report()
    lumps = breakthroughs(state, rules.at(turn), RaceRandom(7, np.arange(replicas)), rep)
    return lumps[state.alive], rep.breakthrough[state.alive], rules.at(turn)


def test_breakthroughs_keep_the_expected_pace_and_make_some_leaps():
    lumps, hit, c = _multipliers({})
    # 20,000 replicas x the living labs: the mean multiplier is 1 within sampling error.
    assert lumps.mean() == pytest.approx(1.0, abs=0.03)
    assert hit.mean() == pytest.approx(c["breakthrough_chance"], abs=0.01)
    steady = 1.0 - c["breakthrough_share"]
    assert np.all(lumps[~hit] == pytest.approx(steady))
    assert lumps[hit].min() >= steady and lumps[hit].max() > 5.0  # some leaps are years of work
    # No breakthrough brings more than its cap (in turns of the lab's usual output).
    assert lumps.max() <= steady + c["breakthrough_share"] * c["breakthrough_cap_turns"] / -np.expm1(
        -c["breakthrough_chance"] * c["breakthrough_cap_turns"]) + 1e-9


def test_no_breakthrough_share_means_steady_research():
    lumps, _, _ = _multipliers({"rules.research.breakthrough_share": 0.0})
    assert np.all(lumps == 1.0)


def test_breakthroughs_never_happen_at_zero_chance_and_keep_only_the_steady_part():
    lumps, hit, c = _multipliers({"rules.research.breakthrough_chance_per_year": 0.0}, replicas=200)
    assert not hit.any() and np.all(lumps == pytest.approx(1.0 - c["breakthrough_share"])) and lumps.max() < 1.0


def test_a_seed_replays_its_breakthroughs_and_another_seed_differs():
    level = load_level("baseline")
    rules = build_rules(level)

    def efficiency_after(seed):
        state = initial_state(level, rules, 200)
        orders = hold_orders(state, rules)
        after, rep = step(state, orders, rules, RaceRandom(seed, np.arange(200)))
        return after.efficiency, rep.breakthrough

    a, hits_a = efficiency_after(5)
    b, hits_b = efficiency_after(5)
    c, hits_c = efficiency_after(6)
    assert np.array_equal(a, b) and np.array_equal(hits_a, hits_b)
    assert hits_a.any() and not np.array_equal(hits_a, hits_c)


def test_the_reference_engine_draws_the_same_breakthroughs():
    level = load_level("baseline")
    rules = build_rules(level)
    for seed in range(1, 40):
        state = initial_state(level, rules, 1)
        orders = hold_orders(state, rules)
        fast, fast_rep = step(state, orders, rules, RaceRandom(seed, [0]))
        plain, plain_rep = reference_step(state, orders, rules, RaceRandom(seed, [0]))
        assert list(fast_rep.breakthrough[0]) == list(plain_rep.breakthrough[0])
        assert fast.efficiency[0] == pytest.approx(plain.efficiency[0], rel=1e-12, abs=1e-12)


def _level_text(key, value) -> str:
    return f'format = 1\nid = "x"\ntitle = "x"\nextends = "baseline"\n[rules.research]\n{key} = {value}\n'


@pytest.mark.parametrize("key, value", [(k, v) for k in KEYS for v in ("-1", "11", '"often"', "nan", "inf", "true", "1e400")])
def test_a_breakthrough_key_outside_its_range_is_refused_in_words(key, value):
    assert_refused_in_words(_level_text(key, value), "lumpy.toml", key)


@pytest.mark.parametrize("value", ["0.5", "31", '"high"', "nan", "inf", "true", "1e400"])
def test_an_efficiency_ceiling_outside_its_range_is_refused_in_words(value):
    assert_refused_in_words(_level_text("efficiency_ceiling_oom", value), "lumpy.toml", "efficiency_ceiling_oom")


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(KEYS + ("efficiency_ceiling_oom",)), st.floats(0.0, 10.0) | hostile_values)
def test_fuzzed_breakthrough_keys_load_and_play_or_are_refused(key, value):
    """Any value in the file: refused in words naming the file (and the key, for a number out
    of range or a value of the wrong kind), or loaded and played four turns with finite
    efficiency."""
    doc = {"format": 1, "id": "x", "title": "x", "extends": "baseline", "rules": {"research": {key: value}}}
    level = parsed_or_refused(doc, "lumpy.toml", key, value)
    if level is None:
        return
    rules = build_rules(level)
    state = initial_state(level, rules, 3)
    random = RaceRandom(1, [1, 2, 3])
    for _ in range(4):
        state, _ = step(state, hold_orders(state, rules), rules, random)
    assert np.isfinite(state.efficiency).all() and np.isfinite(state.capability).all()


def test_no_lab_passes_the_efficiency_ceiling_and_gains_shrink_near_it():
    """An automated research team held below AGI for years compounds its own algorithms; each
    OOM gets harder near the level's ceiling, which nobody passes (state and outcome stay in
    range), and the reference engine agrees."""
    level = with_overrides(load_level("baseline"), {"rules.research.efficiency_per_year": 5.0,
                                                    "rules.research.efficiency_ceiling_oom": 6.0,
                                                    "rules.research.breakthrough_share": 0.0})  # steady: every lab nears it
    rules = build_rules(level)
    random = RaceRandom(3, np.arange(50))
    state = initial_state(level, rules, 50, draws=random)
    for _ in range(12):
        before = state.efficiency.copy()
        state, rep = step(state, hold_orders(state, rules), rules, random)
        assert (rep.efficiency_gain <= np.maximum(6.0 - before, 0.0) + 1e-12).all()
    assert (state.efficiency <= 6.0 + 1e-9).all() and (state.efficiency[state.alive] > 5.0).mean() > 0.5


def test_the_reference_engine_keeps_the_ceiling_alike():
    level = with_overrides(load_level("baseline"), {"rules.research.efficiency_per_year": 5.0,
                                                    "rules.research.efficiency_ceiling_oom": 3.0})
    rules = build_rules(level)
    for seed in range(1, 4):
        random = RaceRandom(seed, [0])
        state = initial_state(level, rules, 1, draws=random)
        for _ in range(4):
            orders = hold_orders(state, rules)
            fast, _ = step(state, orders, rules, random)
            plain, _ = reference_step(state, orders, rules, random)
            assert fast.efficiency[0] == pytest.approx(plain.efficiency[0], rel=1e-12, abs=1e-12)
            state = fast
        assert state.efficiency.max() <= 3.0 + 1e-12
