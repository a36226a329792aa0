"""What the screens say after a turn is right: runs that did not beat the model (and train on), failed
financing with its odds, power delivered against capacity, the safety requirement to two
places, queue waits in words, and the odds of the roll that decided the game."""

import numpy as np
import pytest

from racegame.ui import fmt
from racegame.ui.explain import safety_tip
from racegame.ui.facts import turn_summary
from racegame.ui.session import Session

pytestmark = pytest.mark.usefixtures("home")  # the session autosaves into a fresh RACEGAME_HOME


def _play_until(session, wanted, turns=12):
    for _ in range(turns):
        session.plan.set("raise_round", True)
        session.end_turn()
        if wanted(session.model.report, session.slot):
            return turn_summary(session)["html"]
    raise AssertionError("the situation never came up")


def test_a_run_that_did_not_beat_the_model_is_reported_and_trains_on_with_its_compute():
    session = Session.new(level="baseline", lab="keel", seed=1)
    html = _play_until(session, lambda rep, k: bool(rep.run_kept[0, k]))
    assert "would not beat the one you have" in html and "keeps training" in html
    assert "continues (0 turn" not in html
    s, k = session.model.state, session.slot
    assert s.run_age[0, k] >= 1 and s.run_flop[0, k] > 0  # nothing thrown away
    flop = float(s.run_flop[0, k])
    session.end_turn()
    rep = session.model.report
    # Next turn the same run is looked at again, with this turn's compute added.
    assert rep.released[0, k] or rep.run_kept[0, k]
    assert float(rep.run_flop_done[0, k] if rep.released[0, k] else session.model.state.run_flop[0, k]) > flop


def test_a_failed_funding_round_is_reported_with_its_odds():
    session = Session.new(level="baseline", lab="keel", seed=1)
    html = _play_until(session, lambda rep, k: rep.raised[0, k] == -1)
    assert "investors say no" in html and "the chance was" in html
    news = [n for n in session.model.news if "investors say no" in n.text]
    assert news and 0.05 <= news[-1].chance <= 0.95 and news[-1].tone == "bad"


def test_the_top_bar_shows_power_delivered_out_of_capacity(app):
    from racegame.ui import driver

    main = driver.new_game(app, lab="meridian", seed=2)
    driver.click(app, main.end_button)
    driver.click(app, app.top.continue_button)
    session = app.session
    delivered = float(session.model.report.power_mw[0, session.slot])
    site = float(session.view.site_mw[0, session.slot])
    tip = next(text for rect, text in app.top.top_bar.spots if rect == app.top.top_bar.items["power"])
    assert f"{fmt.mw(delivered)} delivered last turn" in tip and f"of {fmt.mw(site)} usable" in tip


def test_safety_tip_gives_the_need_and_odds_of_the_next_passage():
    session = Session.new(level="baseline", lab="meridian", seed=3)
    view, slot = session.view, session.slot
    tip = safety_tip(session.model, slot, view)
    assert f"needs {float(view.next_need[0, slot]):.2f}" in tip
    assert f"your odds of a safe passage now: {float(view.next_odds[0, slot]):.0%}" in tip
    assert session.model.rules.milestone_names[0] in tip


def test_queue_waits_read_as_words():
    assert fmt.wait(12) == "about 12 turns" and fmt.wait(1) == "about 1 turn"
    assert "about" not in fmt.wait(200) and "approves no new connections" in fmt.wait(200)
    assert fmt.queue(200) == "no approvals now" and fmt.queue(3) == "queue 3 turns"


def test_the_roll_that_ended_the_game_is_told_with_its_odds():
    from racegame import RaceModel
    from racegame.narrate import odds_text, rolls

    # AGI comes within the tutorial's 16 turns in one game in fifty or so: find the first
    # replica whose game ends with a passage, then watch it alone.
    batch = RaceModel(level="tutorial", rng=1, replicas=400)
    while batch.running:
        batch.step()
    first = next(r for r in range(400) if batch.outcome(r) in ("safe_agi", "catastrophe"))
    model = RaceModel(level="tutorial", rng=1, first_replica=first)
    while model.running:
        model.step()
    assert model.outcome() == batch.outcome(first)
    ending = rolls(model.news)[0]
    assert ending.kind == "ending" and 0.0 <= ending.chance <= 1.0
    assert np.isclose(ending.chance, model.report.safe_chance[0])
    assert "safety stock was" in odds_text(ending) and "needed" in ending.why


def test_a_run_still_training_says_what_it_would_give_if_it_ended_next_turn():
    from racegame.engine.research import run_reach

    session = Session.new(level="baseline", lab="colossus", seed=2)
    session.plan.set("run_turns", 4)

    def continuing(rep, k):
        return not (rep.released[0, k] or rep.run_kept[0, k] or rep.lifted[0, k]) and np.isnan(rep.run_outcome[0, k])

    html = _play_until(session, continuing)
    s, k = session.model.state, session.slot
    reach = float(run_reach(s)[0, k])
    assert "training run continues" in html
    if reach > 0:
        assert f"it would give about {float(s.capability[0, k]) + reach:.2f} if it ended next turn" in html
    else:
        assert "not yet past your model" in html


def test_a_percentage_takes_the_article_it_is_said_with():
    assert [fmt.a_pct(x) for x in (0.5, 0.8, 0.08, 0.11, 0.18, 0.83, 0.01, 1.0)] == [
        "a 50%", "an 80%", "an 8%", "an 11%", "an 18%", "an 83%", "a 1%", "a 100%"]


def test_lobbying_for_permitting_shows_its_fast_track_in_the_previews():
    from types import SimpleNamespace

    from racegame.engine.power import queue_priority
    from racegame.player import order_values
    from racegame.ui.facts import lever_effects

    session = Session.new(level="baseline", lab="colossus", seed=1)
    model = session.model
    c = model.rules.at(model.state.turn)
    session.plan.set("build_mw", 500.0)
    session.plan.set("lobby_goal", "deregulate")
    session.plan.set("lobby_usd", c["lobby_usd"])
    plain = lever_effects(session, session.preview())
    assert "fast-tracked" not in plain["build_mw"][0] and "queue" not in plain["lobby_goal"][0]
    session.plan.set("lobby_goal", "permitting")
    tracked = lever_effects(session, session.preview())
    # At the spend that gives even odds of a policy move: half the most extra weight.
    weight = 1.0 + c["fast_track"] / 2
    assert f"your MW ×{weight:.2f} in the queue" in tracked["lobby_goal"][0]
    assert "fast-tracked" in tracked["build_mw"][0]
    # The preview's weight is the engine's, for the orders the plan becomes.
    values = order_values(session.plan, session.view, model.state, model.rules, session.slot)
    L = model.state.alive.shape[1]
    lab = SimpleNamespace(lobby_goal=np.zeros((1, L), dtype=np.int64), lobby_usd=np.zeros((1, L)))
    lab.lobby_goal[0, session.slot] = values["lobby_goal"]
    lab.lobby_usd[0, session.slot] = values["lobby_usd"]
    assert queue_priority(model.state, lab, model.rules)[0, session.slot] == pytest.approx(weight)


def test_under_a_pause_the_run_length_says_when_the_model_ships_once_it_lifts():
    from racegame.engine.diplomacy import IN_FORCE, PAUSE
    from racegame.ui.facts import lever_effects

    session = Session.new(level="baseline", lab="meridian", seed=1)
    s = session.model.state
    us = int(s.country[0, session.slot])
    session.plan.set("run_turns", 3)
    text, warn = lever_effects(session, session.preview())["run_turns"]
    assert "pause" not in text and not warn  # no pause: nothing to say
    s.treaty[0, PAUSE] = IN_FORCE
    s.treaty_members[0, PAUSE, :] = True
    s.treaty_cap[0] = 27.5
    text, warn = lever_effects(session, session.preview())["run_turns"]
    assert text.startswith("Pause cap 27.50: yours may ship 2 turns after it lifts; held AI rivals' 1-turn runs ship at once.") and warn
    session.plan.set("run_turns", 1)
    text, warn = lever_effects(session, session.preview())["run_turns"]
    assert text.startswith("Pause cap 27.50: your 1-turn run ships the turn it lifts.") and not warn
    s.cheating[0, us] = True  # a cheating government's labs are not held
    text, warn = lever_effects(session, session.preview())["run_turns"]
    assert "pause" not in text and not warn


def test_a_chance_in_words_never_rounds_to_a_certainty_or_to_nothing():
    """A passage that failed at 99.7% odds must not read "odds were 100%"."""
    from racegame.narrate import News, odds_text, odds_words

    assert [odds_words(p) for p in (0.997, 0.995, 0.994, 0.5, 0.006, 0.004, 0.0, 1.0)] == [
        "over 99%", "over 99%", "99%", "50%", "1%", "under 1%", "under 1%", "over 99%"]
    failed = News(3, "2025-10", "money", "x", 0, 1, 0.998, "investors weigh momentum")
    assert odds_text(failed) == "The chance was over 99%: investors weigh momentum."


def test_the_end_screen_says_the_deciding_chance_in_the_same_words_as_the_news():
    """A catastrophe at 99.7% odds must not read "It had a 100% chance of being safe"."""
    from dataclasses import replace

    from racegame.ui.screens.end import outcome_text

    for seed in range(20):  # the first seed whose game ends with an AGI passage (most baseline games do)
        session = Session.new(level="baseline", seed=seed)
        while session.model.running:
            session.model.step()
        if session.model.outcome() in ("safe_agi", "catastrophe"):
            break
    news = session.model.news
    i = next(i for i, n in enumerate(news) if n.kind == "ending" and n.chance >= 0)
    news[i] = replace(news[i], chance=0.997)
    _, why, _ = outcome_text(session)
    assert "Its chance of being safe was over 99%." in why and "100%" not in why


def test_a_rare_chance_is_never_shown_as_nothing():
    """The futures screen's odds: 0.3% reads '<1%', not '0%' beside a rival who does win."""
    from racegame.ui import fmt

    assert [fmt.share(x) for x in (0.0, 0.003, 0.005, 0.42, 0.996, 1.0)] == ["0%", "<1%", "<1%", "42%", ">99%", "100%"]
    assert fmt.share(float("nan")) == "–" and fmt.share(None) == "–"


def test_revenue_is_charted_as_a_rate_a_quarter():
    """From 2030 a turn is half a year: the cash chart's revenue bars are a rate a quarter, so
    they do not double overnight when turns grow longer."""
    from racegame import RaceModel
    from racegame.ui.chart_data import revenue_rate

    rules = RaceModel(level="baseline", rng=1).rules
    assert revenue_rate(rules, {"turn": [3]}, 10e9) == 10e9  # a quarter's turn
    assert revenue_rate(rules, {"turn": [21]}, 10e9) == 5e9  # a half-year's turn
    assert fmt.rate_unit(rules) == "a quarter" and fmt.rate_unit(6, short=True) == "/half-year"
