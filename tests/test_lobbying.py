"""Lobbying for permitting fast-tracks the lobbying lab's own projects in the grid queue:
a private return on lobbying, beside the policy move every lab of the country shares."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzzing import assert_refused_in_words, hostile_values, parsed_or_refused
from racegame.engine import step
from racegame.engine.orders import hold_orders
from racegame.engine.params import build_rules
from racegame.engine.rng import RaceRandom
from racegame.engine.setup import initial_state
from racegame.level.loader import load_level
from racegame.level.overrides import with_overrides
from racegame.level.schema import LOBBY_GOALS
from racegame.reference import reference_step

MERIDIAN, AGORA, TEXAS = 0, 2, 0
QUEUED = 3000.0  # MW each of the two labs waits for, on the same grid


def _one_turn(fast_track: float, goal: str = "permitting", engine=step):
    """One turn in which Meridian and Agora wait for the same MW on the same grid and only
    Meridian lobbies (at the spend that gives even odds of a policy move). Returns the MW
    each got approved and what the other large loads got."""
    level = with_overrides(load_level("baseline"), {"rules.finance.lobby_fast_track": fast_track})
    rules = build_rules(level)
    state = initial_state(level, rules, 1)
    state.queued[0, :, TEXAS] = 0.0  # only these two labs wait on this grid
    state.queued[0, MERIDIAN, TEXAS] = QUEUED
    state.queued[0, AGORA, TEXAS] = QUEUED
    state.cash[0, MERIDIAN] = 1e12  # the lobbying is paid in full
    other_before = state.queue_other[0, TEXAS] + rules.at(0)["other_requests"][TEXAS]
    orders = hold_orders(state, rules)
    orders.labs.lobby_goal[0, MERIDIAN] = LOBBY_GOALS.index(goal)
    orders.labs.lobby_usd[0, MERIDIAN] = rules.at(0)["lobby_usd"]
    after, _ = engine(state, orders, rules, RaceRandom(1, [1]))
    got = {lab: after.approved[0, lab, TEXAS] - state.approved[0, lab, TEXAS] for lab in (MERIDIAN, AGORA)}
    return got[MERIDIAN], got[AGORA], other_before - after.queue_other[0, TEXAS]


def test_a_lab_lobbying_for_permitting_is_approved_faster_at_the_other_loads_expense():
    plain = _one_turn(0.0)
    tracked = _one_turn(8.0)
    # Without the fast track the two labs wait alike; approvals are scarce (a queue).
    assert plain[0] == pytest.approx(plain[1]) and 0 < plain[0] < QUEUED
    # Half of the most extra weight at the even-odds spend: Meridian's MW weigh 1 + 8/2 = 5.
    assert tracked[0] == pytest.approx(5.0 * tracked[1])
    assert tracked[1] < plain[1] and tracked[2] < plain[2]
    # The grid approves as much in all as it would have: the queue is reordered, not shortened.
    assert sum(tracked) == pytest.approx(sum(plain))


def test_lobbying_for_another_goal_buys_no_place_in_the_queue():
    meridian, agora, _ = _one_turn(8.0, goal="deregulate")
    assert meridian == pytest.approx(agora)


def test_the_reference_engine_fast_tracks_alike():
    assert _one_turn(8.0, engine=reference_step) == pytest.approx(_one_turn(8.0))


def _level_text(value) -> str:
    return f'format = 1\nid = "x"\ntitle = "x"\nextends = "baseline"\n[rules.finance]\nlobby_fast_track = {value}\n'


@pytest.mark.parametrize("value", ["-1", "101", '"fast"', "nan", "inf", "true", "1e400"])
def test_a_fast_track_outside_its_range_is_refused_in_words(value):
    assert_refused_in_words(_level_text(value), "fast.toml", "lobby_fast_track")


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 100.0) | hostile_values)
def test_fuzzed_fast_tracks_load_and_play_or_are_refused(value):
    """Any value in the file: refused in words naming the file (and the key, for a value of
    the wrong kind or range), or loaded and played without a non-finite or negative queue."""
    doc = {"format": 1, "id": "x", "title": "x", "extends": "baseline", "rules": {"finance": {"lobby_fast_track": value}}}
    level = parsed_or_refused(doc, "fast.toml", "lobby_fast_track", value)
    if level is None:
        return
    rules = build_rules(level)
    state = initial_state(level, rules, 2)
    state.queued[:, MERIDIAN, TEXAS] = QUEUED
    orders = hold_orders(state, rules)
    orders.labs.lobby_goal[:, MERIDIAN] = LOBBY_GOALS.index("permitting")
    orders.labs.lobby_usd[:, MERIDIAN] = [0.0, 1e30]
    after, _ = step(state, orders, rules, RaceRandom(1, [1, 2]))
    assert np.isfinite(after.approved).all() and np.isfinite(after.queued).all() and (after.queued >= -1e-6).all()


def test_each_government_decides_on_draws_of_its_own():
    """Lobbying and diplomacy draws are each government's own: with one shared number the US
    and China would propose, sign, cheat and pause together far more often than two separate
    choices. Each reaction of the level keeps its own column, as before."""
    from racegame.agents.gov_ai import government_draws

    rules = build_rules(load_level("baseline"))
    draws = RaceRandom(5, np.arange(20_000))
    Q = len(rules.reaction_gov)
    (us_policy, us_diplomacy), (cn_policy, cn_diplomacy) = (government_draws(draws, 4, g, rules) for g in (0, 1))
    assert us_policy.shape == cn_policy.shape == (20_000, Q + len(LOBBY_GOALS))
    assert us_diplomacy.shape == cn_diplomacy.shape == (20_000, 5)
    assert np.array_equal(us_policy[:, :Q], cn_policy[:, :Q])  # reactions: one column each, whoever reacts
    for mine, theirs in ((us_policy[:, Q:], cn_policy[:, Q:]), (us_diplomacy, cn_diplomacy)):
        for k in range(mine.shape[1]):
            assert abs(np.corrcoef(mine[:, k], theirs[:, k])[0, 1]) < 0.03
    again = government_draws(RaceRandom(5, np.arange(20_000)), 4, 1, rules)
    assert np.array_equal(again[0], cn_policy) and np.array_equal(again[1], cn_diplomacy)
