"""After the game the milestones' secret draw is revealed (end screen, debrief report); while
it runs, it is not. Diplomacy and espionage make readable news."""

import pytest

from racegame.model import RaceModel
from racegame.player import GovPlanController, gov_plan_from_state
from racegame.analysis.report import _milestones
from racegame.headless import ending
from racegame.reveal import chip_dates, milestone_reveal
from racegame.ui import driver
from racegame.ui.screens.end import milestone_lines
from racegame.ui.theme import palette


def _played(seed=2):
    model = RaceModel(level="baseline", rng=seed)
    while model.running:
        model.step()
    return model


def test_the_reveal_names_each_requirement_and_who_passed_or_failed():
    model = _played()
    records = milestone_reveal(model)
    s = model.state
    assert [r["requirement"] for r in records] == pytest.approx(list(s.milestone_req[0]))
    for r in records:
        for p in r["passed"]:
            assert s.milestone_turn[0, p["slot"], r["index"]] == p["turn"]
        assert r["short"] >= 0
    html = _milestones(model, ending(model))
    assert f"{s.milestone_req[0, 0]:.2f}" in html and "revealed" in html


def test_the_reveal_says_when_the_drawn_chips_came_or_would_have():
    model = _played(seed=3)
    records = chip_dates(model)
    rules, s = model.rules, model.state
    assert [r["name"] for r in records] == [rules.chip_names[k] for k in (rules.chip_arrival_shape > 0).nonzero()[0]]
    for r, k in zip(records, (rules.chip_arrival_shape > 0).nonzero()[0]):
        arrival = int(s.chip_arrival[0, k])
        assert r["came"] == (arrival <= s.turn)
        assert r["date"] == ("" if arrival > rules.horizon else rules.turn_date(arrival))
    html = _milestones(model, ending(model))
    assert "When some chips would come was drawn too" in html and records[0]["name"] in html
    lines = " ".join(milestone_lines(model, None, palette()))
    assert "Chips drawn: " + records[0]["name"] in lines


def test_the_end_screen_reveals_but_a_running_game_keeps_the_secret(app):
    driver.new_game(app, seed=4)
    model = app.session.model
    assert milestone_lines(model, app.session.slot, palette()) == []  # still running
    while model.running:
        model.step()
    lines = " ".join(milestone_lines(model, app.session.slot, palette()))
    assert f"{model.state.milestone_req[0, 0]:.2f}" in lines and "you:" in lines
    app.push("end")
    driver.run(app, 3)
    assert app.top.name == "end"


def test_diplomacy_makes_news():
    model = RaceModel(level="baseline", rng=3)
    teams = {g: GovPlanController(gov_plan_from_state(model, g)) for g in (0, 1)}
    for g, controller in teams.items():
        model.assign(model.rules.country_ids[g], controller, f"team {g}")
    teams[0].plan.pause_move = "propose"
    model.step()
    teams[1].plan.pause_move = "sign"
    model.step()
    teams[1].plan.pause_move = "leave"
    model.step()
    texts = [n.text for n in model.news if n.kind == "policy"]
    assert any("proposes a pause" in t for t in texts)
    assert any("comes into force" in t and "capped at capability" in t for t in texts)
    assert any("leaves a pause" in t and "ends" in t for t in texts)


@pytest.mark.parametrize("fielded, held_back, says", [
    (True, False, "now runs a copy"),
    (False, True, "keeps the weights but holds them back: a pause, or its own wait below a milestone, caps its model"),
    (False, False, "already has as good a model of its own"),
])
def test_a_discovered_theft_says_what_the_thief_does_with_the_model(fielded, held_back, says):
    """A stolen model is news when found out, and the news says whether the thief fields it
    (a lab held by a cap keeps the weights back)."""
    from racegame.narrate import turn_news

    model = RaceModel(level="baseline", rng=3)
    _, orders = model.decide()
    model.resolve(orders)
    before, after, report = model.snapshots[-1][0], model.state, model.report
    cn = model.rules.country_ids.index("cn")
    victim, thief = model.rules.lab_ids.index("meridian"), model.rules.lab_ids.index("tianhe")
    report.discovered[:] = False
    report.discovered[0, cn, victim] = True
    report.stolen[0, cn], report.thief[0, cn] = victim, thief
    report.fielded[0, cn], report.held_back[0, cn] = fielded, held_back
    texts = [n.text for n in turn_news(model, before, orders, report, after) if n.kind == "security"]
    assert len(texts) == 1, texts
    assert f"the weights of {model.lab_name(victim)}'s best model. {model.lab_name(thief)} {says}." in texts[0]
