"""National compute pools: a government directs a share of its other labs' powered compute
to one lab (its state-backed champion, else its most capable), up to the level's pool_max."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzzing import assert_refused_in_words, hostile_values, parsed_or_refused
from racegame import RaceModel
from racegame.agents.gov_ai import POOL_TRAIL
from racegame.engine import step
from racegame.engine.orders import hold_orders
from racegame.engine.params import build_rules
from racegame.engine.rng import RaceRandom
from racegame.engine.setup import initial_state
from racegame.errors import SaveError
from racegame.level.loader import load_level
from racegame.level.overrides import with_overrides
from racegame.saves import game_from_json, game_to_json


def _turn_with_pool(level="baseline", pools=None, seed=1):
    """One AI turn of ``level`` with the governments' pool orders set to ``pools`` (id -> share)."""
    model = RaceModel(level=level, rng=seed)
    _, orders = model.decide()
    for cid, share in (pools or {}).items():
        orders.govs.pool[:, model.rules.country_ids.index(cid)] = share
    before = model.state
    model.resolve(orders)
    return model, before, model.report


def test_the_champion_gets_what_the_other_labs_give():
    model, before, rep = _turn_with_pool(pools={"cn": 0.3})
    rules = model.rules  # the baseline lets China pool up to 40%
    cn = rules.country_ids.index("cn")
    pooled = rep.pooled_h100e[0]
    champion = rules.lab_ids.index("tianhe")
    mine = np.flatnonzero((before.country[0] == cn) & before.alive[0])
    givers = [k for k in mine if k != champion]
    # What each lab powered before the pool: what it worked with, less what it got, less rented.
    powered = rep.h100e_live[0] - pooled - rep.rented_h100e[0]
    np.testing.assert_allclose(pooled[givers], -0.3 * powered[givers])
    assert pooled[champion] == pytest.approx(-pooled[givers].sum())
    assert pooled.sum() == pytest.approx(0.0, abs=1e-6 * np.abs(pooled).max())
    assert (pooled[before.country[0] != cn] == 0).all()  # nobody else's compute moves
    assert model.state.pool[0, cn] == 0.3


def test_a_pool_is_held_to_what_the_level_allows():
    model, _, rep = _turn_with_pool(pools={"cn": 1.0, "us": 0.5})
    rules = model.rules
    assert model.state.pool[0, rules.country_ids.index("cn")] == pytest.approx(0.4)
    assert model.state.pool[0, rules.country_ids.index("us")] == 0.0  # not in the US government's power
    us = model.state.country[0] == rules.country_ids.index("us")
    assert (rep.pooled_h100e[0, us] == 0).all()


def test_without_a_champion_the_most_capable_lab_gets_the_pool():
    level = with_overrides(load_level("baseline"), {"labs.tianhe.state_backed": False})
    model, before, rep = _turn_with_pool(level, {"cn": 0.3})
    cn = model.rules.country_ids.index("cn")
    mine = (before.country[0] == cn) & before.alive[0]
    best = int(np.argmax(np.where(mine, before.capability[0], -np.inf)))
    assert rep.pooled_h100e[0, best] > 0
    assert (rep.pooled_h100e[0, mine & (np.arange(mine.size) != best)] < 0).all()


def test_no_pool_moves_nothing():
    _, _, rep = _turn_with_pool(pools={"cn": 0.0})
    assert (rep.pooled_h100e == 0).all()


def test_the_pool_lifts_the_champions_training_and_costs_the_others_theirs():
    plain = _turn_with_pool(pools={"cn": 0.0})[2]
    pooled = _turn_with_pool(pools={"cn": 0.3})[2]
    model = RaceModel(level="baseline", rng=1)
    tianhe, tempo = model.rules.lab_ids.index("tianhe"), model.rules.lab_ids.index("tempo")
    assert pooled.training_flop[0, tianhe] > 1.5 * plain.training_flop[0, tianhe]
    assert pooled.training_flop[0, tempo] < 0.8 * plain.training_flop[0, tempo]


def test_the_ai_pools_while_its_labs_trail_and_not_otherwise():
    model = RaceModel(level="baseline", rng=3, replicas=300)
    cn = model.rules.country_ids.index("cn")
    seen = set()
    for _ in range(14):
        view, orders = model.decide()
        gap = np.max(np.delete(view.best_by_country, cn, axis=1), axis=1) - view.best_by_country[:, cn]
        labs = (model.state.alive & (model.state.country == cn)).sum(axis=1)
        trailing = (gap >= POOL_TRAIL) & (labs >= 2)
        np.testing.assert_array_equal(orders.govs.pool[:, cn], np.where(trailing, model.rules.gov_pool_max[cn], 0.0))
        assert (orders.govs.pool[:, model.rules.country_ids.index("us")] == 0).all()
        seen |= set(trailing.tolist())
        model.resolve(orders)
    assert seen == {True, False}  # both cases came up


def test_a_save_from_before_pools_loads_with_none():
    model = RaceModel(level="baseline", rng=4)
    model.step()
    blob = json.loads(json.dumps(game_to_json(model)))
    blob["version"] = 3
    del blob["state"]["arrays"]["pool"]
    loaded = game_from_json(blob, "old.json")
    assert (loaded.state.pool == 0).all()
    loaded.step()


@pytest.mark.parametrize("value", [-0.5, 1.5, float("nan")])
def test_a_damaged_pool_in_a_save_is_refused_in_words(value):
    model = RaceModel(level="baseline", rng=4)
    blob = json.loads(json.dumps(game_to_json(model)))
    blob["state"]["arrays"]["pool"]["data"][1] = value
    with pytest.raises(SaveError, match="pool"):
        game_from_json(blob, "bad.json")


def _level_text(value) -> str:
    return f'format = 1\nid = "x"\ntitle = "x"\nextends = "baseline"\n[[governments]]\nid = "cn"\npool_max = {value}\n'


@pytest.mark.parametrize("value", ["-0.1", "1.5", '"half"', "nan", "inf", "true", "1e400"])
def test_a_pool_max_outside_its_range_is_refused_in_words(value):
    assert_refused_in_words(_level_text(value), "state.toml", "pool_max")


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 1.0) | hostile_values)
def test_fuzzed_pool_max_loads_and_plays_or_is_refused(value):
    """Any pool_max: refused in words naming the file (and the key), or loaded and played with
    pools the state allows, whatever the orders ask."""
    doc = {"format": 1, "id": "x", "title": "x", "extends": "baseline", "governments": [{"id": "cn", "pool_max": value}]}
    level = parsed_or_refused(doc, "state.toml", "pool_max", value)
    if level is None:
        return
    rules = build_rules(level)
    random = RaceRandom(1, [1, 2, 3])
    state = initial_state(level, rules, 3, draws=random)
    for ask in (1.0, np.nan, -1.0):
        orders = hold_orders(state, rules)
        orders.govs.pool[:] = ask
        state, rep = step(state, orders, rules, random)
        assert ((state.pool >= 0) & (state.pool <= rules.gov_pool_max[None, :])).all()
        assert np.isfinite(rep.pooled_h100e).all() and np.isfinite(state.run_flop).all()


def test_the_desk_tells_a_lab_what_the_pool_gave_or_took():
    from racegame.ui.facts import lever_effects, turn_summary
    from racegame.ui.session import Session

    words, report = {}, {}
    for lab in ("tianhe", "tempo", "meridian"):
        session = Session.new(level="baseline", lab=lab, seed=1)
        for _ in range(5):
            session.end_turn()
        assert session.model.state.pool[0, session.model.rules.country_ids.index("cn")] > 0  # China pools in this game
        words[lab] = lever_effects(session, session.preview())["train"][0]
        report[lab] = turn_summary(session)["html"]
    assert "H100e your government pools in you)" in words["tianhe"] and "your government pools in you" in report["tianhe"]
    assert "H100e of yours pooled in Tianhe Intelligence)" in words["tempo"] and "pooled in Tianhe" in report["tempo"]
    assert "pool" not in words["meridian"] and "pools in you" not in report["meridian"]


def test_two_pools_at_once_each_feed_their_own_countrys_lab():
    from racegame.narrate import pooled_to

    level = with_overrides(load_level("baseline"), {"governments.us.pool_max": 0.4})
    model, before, rep = _turn_with_pool(level, {"cn": 0.4, "us": 0.4})
    rules = model.rules
    for cid in ("us", "cn"):
        c = rules.country_ids.index(cid)
        to = pooled_to(rep, model.state, 0, c)
        assert to >= 0 and before.country[0, to] == c
        mine = (before.country[0] == c) & before.alive[0]
        assert rep.pooled_h100e[0, mine].sum() == pytest.approx(0.0, abs=1e-6 * np.abs(rep.pooled_h100e[0]).max())
    assert rules.lab_ids[pooled_to(rep, model.state, 0, rules.country_ids.index("cn"))] == "tianhe"
