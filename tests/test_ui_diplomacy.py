"""A government team's Diplomacy tab: agreements, cheating, verification and intelligence
reach the government's orders through its GovPlan, and the engine acts on them."""

import pygame
import pytest

from racegame.engine.diplomacy import IN_FORCE, PAUSE, PROPOSED
from racegame.player import GovPlan, GovPlanController, gov_plan_from_state
from racegame.ui import driver

pytestmark = pytest.mark.usefixtures("home")


def _gov_desk(app):
    driver.new_classroom(app, teams=(("Blue", "us"), ("Red", "cn")))
    driver.click(app, app.top.start_button)
    desk = app.top
    assert desk.name == "government"
    driver.press(app, pygame.K_3)
    assert desk.panel.current == "diplomacy"
    return desk


def test_the_diplomacy_tab_reaches_the_orders(app):
    desk = _gov_desk(app)
    panel, classroom = desk.panel, app.session
    model = classroom.model
    g = model.rules.country_ids.index("us")
    for key in ("pause_move", "safety_move", "cheat", "tracking", "inspections", "intel_usd"):
        assert panel.levers[key].effect.text, key
    assert not panel.levers["cheat"].control.is_enabled  # no pause in force to cheat on
    driver.choose(app, panel.levers["pause_move"].control, "propose")
    assert classroom.plan.pause_move == "propose"
    assert "You propose it" in panel.levers["pause_move"]._effect_state[0]
    driver.click(app, panel.levers["tracking"].control)
    assert classroom.plan.tracking is True
    intel = panel.levers["intel_usd"].control
    driver.click(app, (intel.rect.right - 3, intel.rect.centery))
    assert classroom.plan.intel_usd == pytest.approx(panel.levers["intel_usd"].hi * 1e9)
    driver.run(app, 2)
    assert "propose" in panel.change_text.html_text
    _, orders = model.decide()
    o = orders.govs
    assert o.propose[0, g] == PAUSE + 1 and bool(o.tracking[0, g])
    assert o.intel_usd[0, g] == pytest.approx(classroom.plan.intel_usd)


def test_a_pause_proposed_signed_and_cheated_on_through_plans():
    from racegame.model import RaceModel

    model = RaceModel(level="baseline", rng=3)
    us, cn = model.rules.country_ids.index("us"), model.rules.country_ids.index("cn")
    teams = {g: GovPlanController(gov_plan_from_state(model, g)) for g in (us, cn)}
    for g, controller in teams.items():
        model.assign(model.rules.country_ids[g], controller, f"team {g}")
    teams[us].plan.pause_move = "propose"
    teams[us].plan.inspections = 1.0
    model.step()
    s = model.state
    assert s.treaty[0, PAUSE] == PROPOSED and s.treaty_members[0, PAUSE, us]
    assert teams[us].plan.pause_move == "keep"  # a move is for one turn
    assert teams[us].plan.inspections == pytest.approx(1.0)  # what is in force carries over
    teams[cn].plan.pause_move = "sign"
    teams[cn].plan.cheat = True
    model.step()
    s = model.state
    assert s.treaty[0, PAUSE] == IN_FORCE and s.treaty_members[0, PAUSE].all()
    teams[us].plan.pause_move = "leave"
    model.step()
    assert model.state.treaty[0, PAUSE] == 0


def test_an_old_plan_without_the_new_levers_keeps_what_is_in_force():
    plan = GovPlan.from_json({"export_tier": 2, "subsidy_usd": 1e9})
    assert plan.intel_usd < 0 and plan.inspections < 0 and plan.pause_move == "keep"


def test_a_government_pauses_its_own_labs_alone_and_resumes():
    """A pause alone binds the proposer's labs at once and nobody else's; it cannot be cheated
    on (the government leaves it instead); leaving ends it; the news and the desk say so."""
    from racegame.model import RaceModel
    from racegame.ui.diplomacy_facts import diplomacy_effects, move_options, status_line

    model = RaceModel(level="baseline", rng=3)
    us, cn = model.rules.country_ids.index("us"), model.rules.country_ids.index("cn")
    assert "alone" in [move for _, move in move_options(model, us, PAUSE)]
    teams = {g: GovPlanController(gov_plan_from_state(model, g)) for g in (us, cn)}
    for g, controller in teams.items():
        model.assign(model.rules.country_ids[g], controller, f"team {g}")
    teams[us].plan.pause_move = "alone"
    teams[us].plan.cheat = True  # nothing to cheat on: ignored
    teams[cn].plan.pause_move = "sign"  # nothing to sign: a pause alone is not a proposal
    model.step()
    s = model.state
    assert s.treaty[0, PAUSE] == IN_FORCE and s.treaty_members[0, PAUSE].tolist() == [g == us for g in range(2)]
    assert not s.cheating.any()
    assert "alone" in status_line(model, PAUSE)
    assert "leave it" in diplomacy_effects(model, teams[us].plan, us)["cheat"][0]
    assert any("pauses its own labs alone" in n.text for n in model.news)
    cap = float(s.treaty_cap[0])
    for _ in range(3):
        model.step()
    s = model.state
    assert (s.capability[0][s.country[0] == us] <= model.state.treaty_cap[0] + 1e-9).all()
    assert s.treaty_cap[0] > cap  # the allowance still raises it
    teams[us].plan.pause_move = "leave"
    model.step()
    assert model.state.treaty[0, PAUSE] == 0


def test_the_ai_pauses_alone_only_with_a_lead_to_spend_and_resumes_before_it_is_gone():
    """With restraint set, a US AI government that leads by more than it and whose labs are
    not ready pauses them alone; it leaves once the lead shrinks below 40% of it."""
    from racegame.level.loader import load_level
    from racegame.level.overrides import with_overrides
    from racegame.model import RaceModel

    level = with_overrides(load_level("baseline"), {"governments.us.restraint_lead_oom": 0.3,
                                                     "governments.us.cooperation": 1.0})
    model = RaceModel(level=level, rng=5, replicas=200)
    model.datacollector.collect = lambda _m: None
    us = model.rules.country_ids.index("us")
    started = resumed = 0
    while model.running and model.state.turn < 24:
        before = model.state
        alone_before = (before.treaty[:, PAUSE] == IN_FORCE) & (before.treaty_members[:, PAUSE].sum(axis=1) == 1)
        model.step()
        s = model.state
        alone = (s.treaty[:, PAUSE] == IN_FORCE) & (s.treaty_members[:, PAUSE].sum(axis=1) == 1)
        new = alone & ~alone_before & (s.outcome == 0)
        assert s.treaty_members[new, PAUSE, us].all()  # only the US is set to pause alone
        started += int(new.sum())
        resumed += int((alone_before & ~alone).sum())
    assert started > 0 and resumed > 0
    plain = RaceModel(level="baseline", rng=5, replicas=200)
    plain.datacollector.collect = lambda _m: None
    while plain.running and plain.state.turn < 24:
        plain.step()
        s = plain.state
        assert not ((s.treaty[:, PAUSE] == IN_FORCE) & (s.treaty_members[:, PAUSE].sum(axis=1) == 1)).any()


def test_ai_governments_propose_no_pause_over_a_milestone_years_away():
    """In 2025 the first milestone is years off and nobody has failed one: no AI government
    proposes a pause. As labs near the automated coder, some do."""
    from racegame.model import RaceModel

    model = RaceModel(level="baseline", rng=3, replicas=200)
    model.datacollector.collect = lambda _m: None
    per_turn = []
    while model.running and model.state.turn < 16:
        orders = model.decide()[1]
        per_turn.append(int((orders.govs.propose == PAUSE + 1).any(axis=1).sum()))
        model.resolve(orders)
    assert sum(per_turn[:4]) == 0, per_turn  # the four quarters of 2025
    assert sum(per_turn[4:]) > 0, per_turn  # the mechanism is alive once milestones near


def test_the_china_desk_pools_compute_through_its_plan(app):
    """China's Industry tab has the compute pool (the US desk has none in the baseline): the
    slider sets the plan, the plan becomes the order, and the turn moves the compute."""
    driver.new_classroom(app, teams=(("Red", "cn"), ("Blue", "us")))
    driver.click(app, app.top.start_button)
    desk, classroom = app.top, app.session
    model = classroom.model
    cn = model.rules.country_ids.index("cn")
    driver.press(app, pygame.K_2)
    lever = desk.panel.levers["pool"]
    assert "It would go to Tianhe Intelligence" in lever._effect_state[0]
    control = lever.control
    driver.click(app, (control.rect.right - 3, control.rect.centery))
    assert classroom.plan.pool == pytest.approx(0.4)
    driver.run(app, 2)
    assert lever._effect_state[0].startswith("Tianhe Intelligence gets ~")
    assert "compute pool 0% → <b>40%</b>" in desk.panel.change_text.html_text
    _, orders = model.decide()
    assert orders.govs.pool[0, cn] == pytest.approx(0.4)
    model.resolve(orders)
    assert model.state.pool[0, cn] == pytest.approx(0.4)
    assert model.report.pooled_h100e[0, model.rules.lab_ids.index("tianhe")] > 0
    assert any("pools 40% of its other labs' compute behind Tianhe" in n.text for n in model.news)


def test_subsidies_are_a_rate_a_quarter_paid_in_proportion_to_the_turn(app):
    """Subsidies are set as a rate a quarter (the level's first turn length), and the desk says
    so: from 2030 a turn is half a year and pays two quarters' worth."""
    driver.new_classroom(app, teams=(("Blue", "us"), ("Red", "cn")))
    driver.click(app, app.top.start_button)
    desk = app.top
    driver.press(app, pygame.K_2)
    lever = desk.panel.levers["subsidy"]
    assert lever.text == "AI subsidies a quarter" and "two quarters' worth" in lever.name.tool_tip_text
    assert desk.panel.levers["subsidy"]._effect_state[0].split(",")[0].endswith("a quarter")
    rules = app.session.model.rules
    quarter, half = (rules.at(t)["subsidy_scale"] for t in (0, 20))
    assert rules.turn_length(0) == 3 and rules.turn_length(20) == 6 and (quarter, half) == (1.0, 2.0)
