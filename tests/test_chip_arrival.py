"""Chip classes whose date is uncertain: each game draws when they go on sale (China's own
EUV-made generations in the baseline), one draw per producing country."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzzing import assert_refused_in_words, hostile_values, parsed_or_refused
from racegame import RaceModel, forecast
from racegame.engine import step
from racegame.engine.chips import arrival_turns, redraw_arrivals
from racegame.engine.orders import hold_orders
from racegame.engine.params import build_rules
from racegame.engine.rng import RaceRandom
from racegame.engine.setup import initial_state
from racegame.level.loader import load_level
from racegame.level.overrides import with_overrides
from racegame.reference import reference_step
from racegame.saves import game_from_json, game_to_json

EUV = ("ascend_euv", "ascend_euv2")


def _arrivals(level, replicas=20000, seed=7):
    rules = build_rules(level)
    return rules, initial_state(level, rules, replicas, draws=RaceRandom(seed, np.arange(replicas))).chip_arrival


def test_the_median_draw_is_the_level_date_and_known_dates_never_move():
    rules = build_rules(load_level("baseline"))
    C = len(rules.country_ids)
    assert list(arrival_turns(np.full((1, C), 0.5), rules)[0]) == list(rules.chip_available)
    known = rules.chip_arrival_shape == 0
    for u in (1e-9, 0.2, 0.9, 1.0 - 1e-9):
        got = arrival_turns(np.full((1, C), u), rules)[0]
        assert list(got[known]) == list(rules.chip_available[known])


def test_chinas_euv_date_spreads_as_the_level_says_and_both_generations_move_together():
    rules, arrival = _arrivals(load_level("baseline"))
    first, second = (arrival[:, rules.chip_ids.index(k)] for k in EUV)
    years = 2025 + rules.years_at(np.minimum(first, rules.horizon))
    never = first > rules.horizon
    # The level: median mid-2030, about 10% by 2028 and 10% after 2035 (beyond the horizon).
    assert 2030.0 <= np.median(years) <= 2031.0
    assert 0.07 <= (years <= 2028.0).mean() <= 0.13
    assert 0.05 <= never.mean() <= 0.15
    # One draw for China's industry: the second generation never comes before the first.
    assert (second >= first).all() and (second > first).mean() > 0.9
    # The United States' classes have known dates: the same in every game.
    us = rules.chip_producer == rules.country_ids.index("us")
    assert (arrival[:, us] == rules.chip_available[us]).all()


def test_a_seed_replays_its_dates_and_another_seed_differs():
    level = load_level("baseline")
    _, a = _arrivals(level, 500, seed=3)
    _, b = _arrivals(level, 500, seed=3)
    _, c = _arrivals(level, 500, seed=4)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_a_fixed_world_takes_every_date_at_its_median():
    level = with_overrides(load_level("baseline"), {"timeline.quantile": 0.3})
    rules, arrival = _arrivals(level, 200)
    assert (arrival == rules.chip_available[None, :]).all()


def test_nobody_buys_a_class_before_it_comes_and_the_ai_buys_it_after():
    model = RaceModel(level="baseline", rng=11, replicas=300)
    k = model.rules.chip_ids.index("ascend_euv")
    arrival = model.state.chip_arrival[:, k].copy()
    bought_early = bought_late = False
    while model.running:
        model.step()
        held = model.state.chips[:, :, k].sum(axis=1) > 0
        bought_early |= (held & (model.state.turn <= arrival)).any()
        bought_late |= (held & (model.state.turn > arrival)).any()
    assert not bought_early and bought_late


def test_the_news_says_when_an_uncertain_class_came():
    model = RaceModel(level="baseline", rng=5)
    k = model.rules.chip_ids.index("ascend_euv")
    arrival = int(model.state.chip_arrival[0, k])
    while model.running:
        model.step()
    news = [n for n in model.news if n.kind == "chips" and model.rules.chip_names[k] + "," in n.text]
    if arrival < model.state.turn:
        assert len(news) == 1 and news[0].turn == arrival and "each game draws the date" in news[0].why
    else:
        assert not news


def test_futures_do_not_know_the_games_own_date():
    model = RaceModel(level="baseline", rng=2)
    for _ in range(3):
        model.step()
    k = model.rules.chip_ids.index("ascend_euv")
    rules = model.rules
    state = model.state.subset(np.zeros(2000, dtype=np.int64))
    own = int(state.chip_arrival[0, k])
    redraw_arrivals(state, rules, RaceRandom(9, np.arange(2000)).uniform(state.turn, "chip_arrival", (len(rules.country_ids),)))
    drawn = state.chip_arrival[:, k]
    assert (drawn > state.turn).all()  # not yet come, so not before next turn
    assert len(np.unique(drawn)) > 5 and (drawn != own).any()
    known = rules.chip_arrival_shape == 0
    assert (state.chip_arrival[:, known] == model.state.chip_arrival[0, known]).all()
    forecast(model, runs=50, turns=2)  # and the forecast runs with them
    assert int(model.state.chip_arrival[0, k]) == own  # the live game keeps its draw


def test_lifting_tools_controls_brings_the_euv_chips_within_the_years_the_level_gives():
    level = load_level("baseline")
    rules = build_rules(level)
    state = initial_state(level, rules, 2000, draws=RaceRandom(5, np.arange(2000)))
    k = rules.chip_ids.index("ascend_euv")
    drawn = state.chip_arrival[:, k].copy()
    random = RaceRandom(5, np.arange(2000))
    state.export_tier[:] = 0  # every rival lifts its controls, tools too
    state, _ = step(state, hold_orders(state, rules), rules, random)
    if (state.export_tier > 0).any():  # a government's own reaction may raise them again; none has yet
        pytest.skip("a scripted reaction raised the tier in the first turn")
    soon = int(np.searchsorted(rules.turn_years, rules.years_at(0) + 2.0))
    assert (state.chip_arrival[:, k] == np.minimum(drawn, soon)).all()
    assert (drawn > soon).mean() > 0.8  # most games would have waited longer


def test_tools_controls_in_force_keep_the_drawn_date():
    level = load_level("baseline")
    rules = build_rules(level)
    random = RaceRandom(6, np.arange(500))
    state = initial_state(level, rules, 500, draws=random)
    drawn = state.chip_arrival.copy()
    for _ in range(6):
        state, _ = step(state, hold_orders(state, rules), rules, random)
    assert (state.export_tier[:, rules.country_ids.index("us")] >= 1).all()
    assert np.array_equal(state.chip_arrival, drawn)


@pytest.mark.parametrize("tier", [0, 2])
def test_the_reference_engine_brings_the_tools_forward_alike(tier):
    level = load_level("baseline")
    rules = build_rules(level)
    for seed in range(1, 6):
        random = RaceRandom(seed, [0])
        state = initial_state(level, rules, 1, draws=random)
        state.export_tier[:] = tier
        orders = hold_orders(state, rules)
        fast, _ = step(state, orders, rules, random)
        plain, _ = reference_step(state, orders, rules, random)
        assert list(fast.chip_arrival[0]) == list(plain.chip_arrival[0])


def test_the_reference_engine_sells_the_same_chips_on_the_drawn_dates():
    level = with_overrides(load_level("baseline"), {"chips.ascend_euv.available_turn": 2, "chips.ascend_euv2.available_turn": 3})
    rules = build_rules(level)
    checked = 0
    for seed in range(1, 30):
        random = RaceRandom(seed, [0])
        state = initial_state(level, rules, 1, draws=random)
        for _ in range(6):
            orders = hold_orders(state, rules)
            orders.labs.chip_usd[:] = 1e8  # every lab offers money for every class, every turn
            fast, _ = step(state, orders, rules, random)
            plain, _ = reference_step(state, orders, rules, random)
            assert fast.chips[0] == pytest.approx(plain.chips[0], rel=1e-9, abs=1e-6)
            assert fast.chip_price[0] == pytest.approx(plain.chip_price[0], rel=1e-9)
            assert list(fast.chip_arrival[0]) == list(plain.chip_arrival[0])
            state = fast
        checked += int(state.chip_arrival[0, rules.chip_ids.index("ascend_euv")] <= state.turn)
    assert checked > 0  # some games drew a date inside the six turns played


def test_a_save_from_before_the_draw_keeps_the_level_dates():
    model = RaceModel(level="baseline", rng=4)
    model.step()
    blob = json.loads(json.dumps(game_to_json(model)))
    blob["version"] = 2
    del blob["state"]["arrays"]["chip_arrival"]
    loaded = game_from_json(blob, "old.json")
    assert list(loaded.state.chip_arrival[0]) == list(model.rules.chip_available)
    loaded.step()


def test_a_save_with_damaged_dates_is_refused_in_words():
    from racegame.errors import SaveError

    model = RaceModel(level="baseline", rng=4)
    blob = json.loads(json.dumps(game_to_json(model)))
    blob["state"]["arrays"]["chip_arrival"]["data"][0] = -5
    with pytest.raises(SaveError, match="chip_arrival"):
        game_from_json(blob, "bad.json")


def _level_text(key, value) -> str:
    return f'format = 1\nid = "x"\ntitle = "x"\nextends = "baseline"\n[[chips]]\nid = "ascend_euv"\n{key} = {value}\n'


BAD = ["-0.1", "25", '"soon"', "nan", "inf", "true", "1e400"]


@pytest.mark.parametrize("key, value", [(k, v) for k in ("arrival_shape", "tool_tier", "tools_bought_years") for v in BAD])
def test_a_chip_date_key_outside_its_range_is_refused_in_words(key, value):
    assert_refused_in_words(_level_text(key, value), "fabs.toml", key)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["arrival_shape", "available_turn", "tool_tier", "tools_bought_years"]),
       st.floats(0.0, 1.0) | st.integers(0, 40) | hostile_values)
def test_fuzzed_arrival_keys_load_and_play_or_are_refused(key, value):
    """Any shape or date: refused in words naming the file (and the key), or loaded and
    played with every date a turn number the state allows."""
    chip = {"id": "ascend_euv", key: value}
    doc = {"format": 1, "id": "x", "title": "x", "extends": "baseline", "chips": [chip]}
    level = parsed_or_refused(doc, "fabs.toml", key, value)
    if level is None:
        return
    rules = build_rules(level)
    random = RaceRandom(1, [1, 2, 3])
    state = initial_state(level, rules, 3, draws=random)
    assert ((state.chip_arrival >= 0) & (state.chip_arrival <= rules.horizon + 1)).all()
    for _ in range(3):
        state, _ = step(state, hold_orders(state, rules), rules, random)
    assert np.isfinite(state.chips).all() and np.isfinite(state.chip_price).all()


@pytest.mark.parametrize("shape", [0.001, 0.28, 1.0])
def test_futures_redraw_any_shape_without_overflow_after_or_before_the_median(shape):
    level = with_overrides(load_level("baseline"), {"chips.ascend_euv.arrival_shape": shape})
    rules = build_rules(level)
    k = rules.chip_ids.index("ascend_euv")
    for turn in (0, 5, 26):  # before the median, and after it with the class still waiting
        state = initial_state(level, rules, 500, draws=RaceRandom(2, np.arange(500)))
        state.turn = turn
        state.chip_arrival[:, k] = rules.horizon + 1
        with np.errstate(all="raise"):
            redraw_arrivals(state, rules, RaceRandom(8, np.arange(500)).uniform(turn, "chip_arrival", (len(rules.country_ids),)))
        assert ((state.chip_arrival[:, k] > turn) & (state.chip_arrival[:, k] <= rules.horizon + 1)).all()
