"""Notice to leave a pause: a member leaving a pause shared with others gives the level's
notice (``rules.diplomacy.pause_notice_months``); the pause binds everyone until it runs out,
and everyone knows when it ends. AI labs a pause holds are ready to ship the turn it lifts,
notice or not."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzzing import assert_refused_in_words, hostile_values, parsed_or_refused
from racegame import RaceModel
from racegame.agents.lab_ai import plan_labs
from racegame.engine import step
from racegame.engine.diplomacy import IN_FORCE, NONE, PAUSE, lift_turn, pause_binds
from racegame.engine.orders import hold_orders
from racegame.engine.params import build_rules
from racegame.engine.rng import RaceRandom
from racegame.engine.setup import initial_state
from racegame.errors import SaveError
from racegame.level.loader import load_level
from racegame.level.overrides import with_overrides
from racegame.saves import game_from_json, game_to_json

US, CN = 0, 1


def _paused(months: float, members=(True, True), seed=1) -> RaceModel:
    """A baseline game (with ``months`` of notice) in which a pause is in force from the start."""
    level = with_overrides(load_level("baseline"), {"rules.diplomacy.pause_notice_months": months})
    model = RaceModel(level=level, rng=seed, replicas=4)
    s = model.state
    s.treaty[:, PAUSE] = IN_FORCE
    s.treaty_members[:, PAUSE, :] = np.array(members)[None, :]
    s.treaty_cap[:] = 27.5
    return model


def _turn(model, leave=()) -> None:
    """One AI turn in which only the governments in ``leave`` ask to leave the pause."""
    _, orders = model.decide()
    orders.govs.leave[:, :, PAUSE] = False
    orders.govs.cheat[:] = False
    for g in leave:
        orders.govs.leave[:, g, PAUSE] = True
    model.resolve(orders)


def test_leaving_a_shared_pause_gives_notice_and_it_ends_when_that_runs_out():
    model = _paused(6)  # two quarters of notice
    assert model.rules.at(0)["pause_notice"] == 2
    _turn(model, leave=[US])
    s, rep = model.state, model.report
    assert (s.treaty[:, PAUSE] == IN_FORCE).all() and not rep.treaty_ended[:, PAUSE].any()
    assert (rep.notice_given == US).all() and (s.pause_notice == 2).all() and (s.pause_notice_by == US).all()
    assert (lift_turn(s) == s.turn + 1).all()  # it binds one more turn, then lifts
    assert pause_binds(s).all()
    _turn(model, leave=[CN])  # nobody else's leaving counts while the notice runs
    s, rep = model.state, model.report
    assert (s.treaty[:, PAUSE] == IN_FORCE).all() and (rep.notice_given == -1).all() and (s.pause_notice == 1).all()
    assert (lift_turn(s) == s.turn).all()
    _turn(model)
    s, rep = model.state, model.report
    assert (s.treaty[:, PAUSE] == NONE).all() and rep.treaty_ended[:, PAUSE].all()
    assert rep.treaty_left[:, PAUSE, US].all() and not rep.treaty_left[:, PAUSE, CN].any()  # ended by the US's leaving
    assert (s.pause_notice == 0).all() and (s.pause_notice_by == -1).all() and (s.treaty_cap == 0).all()


def test_without_a_notice_period_or_alone_leaving_ends_the_pause_at_once():
    for months, members in ((0, (True, True)), (6, (True, False))):
        model = _paused(months, members)
        _turn(model, leave=[US])
        assert (model.state.treaty[:, PAUSE] == NONE).all() and model.report.treaty_ended[:, PAUSE].all()
        assert (model.report.notice_given == -1).all() and (model.state.pause_notice == 0).all()


def test_a_caught_cheater_ends_the_pause_and_its_notice():
    model = _paused(6)
    _turn(model, leave=[US])
    s = model.state
    s.cheating[:, CN] = True
    s.capability[:, s.country[0] == CN] = 40.0  # far over the cap: caught for sure
    _, orders = model.decide()
    orders.govs.leave[:] = False
    orders.govs.cheat[:, CN] = True
    orders.govs.inspections[:] = 1.0
    orders.govs.tracking[:] = True
    model.resolve(orders)
    caught = model.report.caught == CN
    assert caught.any()
    assert (model.state.pause_notice[caught] == 0).all() and (model.state.pause_notice_by[caught] == -1).all()


@pytest.mark.parametrize("months", [0, 6])
def test_ai_labs_a_pause_holds_train_one_turn_at_a_time_whether_or_not_its_end_is_announced(months):
    """A run that can only end at the cap gains nothing by lasting longer, and a one-turn run
    ships the turn the cap lifts: a held lab keeps to them, with notice given or not."""
    model = _paused(months, members=(True, False))
    for _ in range(6):  # let the labs grow into long runs
        _turn(model)
    view, _ = model.decide()
    bound = pause_binds(model.state)[np.arange(4)[:, None], model.state.country]
    assert bound.any() and not bound.all()
    held = plan_labs(view, model.state, model.rules)["run_turns"]
    if months:
        model.state.pause_notice[:] = 1
        model.state.pause_notice_by[:] = US
        assert (plan_labs(view, model.state, model.rules)["run_turns"] == held).all()
    model.state.treaty[:, PAUSE] = NONE
    free = plan_labs(view, model.state, model.rules)["run_turns"]
    assert (held[bound] == 1).all() and (free[bound] > 1).any()  # the same labs, free, train longer
    assert (held[~bound] == free[~bound]).all()  # labs the pause does not hold keep their runs


def test_a_save_from_before_notices_loads_with_none():
    model = RaceModel(level="baseline", rng=4)
    model.step()
    blob = json.loads(json.dumps(game_to_json(model)))
    blob["version"] = 4
    del blob["state"]["arrays"]["pause_notice"], blob["state"]["arrays"]["pause_notice_by"]
    loaded = game_from_json(blob, "old.json")
    assert loaded.state.pause_notice[0] == 0 and loaded.state.pause_notice_by[0] == -1
    loaded.step()


@pytest.mark.parametrize("field,value", [("pause_notice", -1), ("pause_notice", 99), ("pause_notice", 1.5),
                                         ("pause_notice_by", 2), ("pause_notice_by", -2)])
def test_a_damaged_notice_in_a_save_is_refused_in_words(field, value):
    model = RaceModel(level="baseline", rng=4)
    blob = json.loads(json.dumps(game_to_json(model)))
    blob["state"]["arrays"][field]["data"][0] = value
    with pytest.raises(SaveError, match=field):
        game_from_json(blob, "bad.json")


def _level_text(value) -> str:
    return (f'format = 1\nid = "x"\ntitle = "x"\nextends = "baseline"\n[rules.diplomacy]\n'
            f'pause_notice_months = {value}\n')


@pytest.mark.parametrize("value", ["-1", "25", '"a quarter"', "nan", "inf", "true", "1e400"])
def test_a_notice_period_outside_its_range_is_refused_in_words(value):
    assert_refused_in_words(_level_text(value), "notice.toml", "pause_notice_months")


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 24.0) | hostile_values)
def test_fuzzed_notice_periods_load_and_play_or_are_refused(value):
    """Any notice period: refused in words naming the file and key, or loaded and played with
    every member leaving every turn, the notice in the state's range."""
    doc = {"format": 1, "id": "x", "title": "x", "extends": "baseline", "rules": {"diplomacy": {"pause_notice_months": value}}}
    level = parsed_or_refused(doc, "notice.toml", "pause_notice_months", value)
    if level is None:
        return
    rules = build_rules(level)
    random = RaceRandom(1, [1, 2, 3])
    state = initial_state(level, rules, 3, draws=random)
    state.treaty[:, PAUSE] = IN_FORCE
    state.treaty_members[:, PAUSE, :] = True
    state.treaty_cap[:] = 27.5
    for _ in range(4):
        orders = hold_orders(state, rules)
        orders.govs.leave[:, :, PAUSE] = True
        state, rep = step(state, orders, rules, random)
        assert ((state.pause_notice >= 0) & (state.pause_notice <= 24)).all()
        assert ((state.pause_notice > 0) <= (state.treaty[:, PAUSE] == IN_FORCE)).all()


def test_the_desks_and_the_news_say_when_a_noticed_pause_ends():
    from racegame.narrate import diplomacy_news
    from racegame.ui.diplomacy_facts import diplomacy_effects, gives_notice, move_options, status_line
    from racegame.ui.facts import _pause_timing

    model = _paused(3)
    before = model.state.copy()
    _turn(model, leave=[US])
    s = model.state
    assert _pause_timing(s.subset([0]), CN, 1) == "Pause lifts this turn (notice): your 1-turn run ships then. "
    assert _pause_timing(s.subset([0]), CN, 3) == "Pause lifts this turn (notice): yours ships 2 turns after it. "
    assert "United States gave notice: it ends" in status_line(model, PAUSE)
    news = " ".join(n.text for n in diplomacy_news(model, before, model.report, s, 0))
    assert "gives notice that it leaves the pause, which ends next turn" in news

    class Plan:  # the government desk's plan, leaving both agreements
        pause_move = safety_move = "leave"
        cheat = tracking = False
        inspections = intel_usd = -1.0

    fresh = _paused(3)
    assert diplomacy_effects(fresh, Plan(), US)["pause_move"][0].startswith("You give notice: it binds everyone until")
    assert diplomacy_effects(model, Plan(), US)["pause_move"][0].startswith("Notice is already given: it ends")
    assert [move for _, move in move_options(fresh, US, PAUSE)] == ["keep", "leave"]
    assert gives_notice(fresh, PAUSE) and not gives_notice(model, PAUSE)  # given already
    assert not gives_notice(_paused(0), PAUSE) and not gives_notice(_paused(3, (True, False)), PAUSE)
    assert move_options(model, CN, PAUSE) == [(f"Ending {status_line(model, PAUSE).rsplit('it ends ', 1)[1]} (notice given)", "keep")]
