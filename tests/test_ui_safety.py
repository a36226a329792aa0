"""The Safety tab: weights security, a capability cap, published safety research and a pause
commitment reach the turn's orders through the plan; the milestone box keeps the game's
secret draw secret."""

import numpy as np
import pygame
import pytest

from racegame.ui import driver
from racegame.ui.milestones import outlook
from racegame.ui.theme import palette

pytestmark = pytest.mark.usefixtures("home")


def _safety_tab(app):
    main = driver.new_game(app, seed=4)
    driver.press(app, pygame.K_7)  # the tab's key
    assert main.panel.current == "safety"
    return main, main.panel


def test_the_safety_levers_reach_the_orders(app):
    main, panel = _safety_tab(app)
    session = app.session
    slot = session.slot
    for key in ("security", "cap_capability", "publish_safety", "commit_pause"):
        lever = panel.levers[key]
        assert lever.control.visible and lever.effect.text, key
        assert lever.name.tool_tip_text if hasattr(lever, "name") else lever.control.tool_tip_text
    security = panel.levers["security"].control
    driver.click(app, (security.rect.right - 4, security.rect.centery))  # the track's right end: level 5
    assert session.plan.security == 5 and "security" in session.plan.mine
    publish = panel.levers["publish_safety"].control
    driver.click(app, (publish.rect.x + publish.rect.w // 2, publish.rect.centery))
    assert 0.3 < session.plan.publish_safety < 0.7
    cap = panel.levers["cap_capability"]
    assert session.plan.cap_capability == 0 or cap.value.text != "no cap"
    driver.click(app, (cap.control.rect.x + 30, cap.control.rect.centery))  # near the left end: a cap
    assert session.plan.cap_capability > 0 and cap.value.text != "no cap"
    assert "Runs stop at" in cap._effect_state[0] or "Paused" in cap._effect_state[0]
    driver.click(app, panel.levers["commit_pause"].control)
    assert session.plan.commit_pause is True
    _, orders = session.model.decide()  # the one path from a plan to orders
    labs = orders.labs
    assert labs.security[0, slot] == 5
    assert labs.publish_safety[0, slot] == pytest.approx(session.plan.publish_safety)
    assert labs.cap_capability[0, slot] == pytest.approx(session.plan.cap_capability)
    assert bool(labs.commit_pause[0, slot])
    before = int(session.model.state.security[0, slot])
    driver.click(app, main.end_button)
    state = session.model.state
    assert int(state.security[0, slot]) == before + 1  # one level a turn
    assert bool(state.committed[0, slot])
    # The cap slider's right end hands back "no cap".
    driver.click(app, app.top.continue_button)
    driver.press(app, pygame.K_7)
    cap = app.top.panel.levers["cap_capability"]
    driver.click(app, (cap.control.rect.right - 2, cap.control.rect.centery))
    assert session.plan.cap_capability == 0 and cap.value.text == "no cap"


def test_the_milestone_box_shows_a_belief_not_the_secret_draw(app):
    main, panel = _safety_tab(app)
    session = app.session
    state = session.model.state
    text = panel.milestone_text.html_text
    o = outlook(session)
    assert o.index == 0 and not o.known and "Automated coder" in text
    assert f"{o.req[1]:.1f}" in text and f"{o.safety:.2f}" in text
    # Change the secret draw: nothing the desk says may move with it.
    truth = state.milestone_req.copy()
    state.milestone_req[:] = truth + np.array([1.234, 2.345, 3.456, 4.567])
    panel.refresh(force=True)
    assert panel.milestone_text.html_text == text
    assert outlook(session).req == o.req
    tips = " ".join(str(lever._effect_state) for lever in panel.levers.values())
    for secret in (truth[0], state.milestone_req[0]):
        assert f"{secret[0]:.2f}" not in text + tips
    state.milestone_req[:] = truth


def test_the_milestone_box_shows_where_the_run_in_training_would_land(app):
    """A long run can land several OOM past the released model: the desk says where, in red
    when that may reach the next milestone with poor odds."""
    main, panel = _safety_tab(app)
    session = app.session
    s, slot = session.model.state, session.slot
    s.run_age[0, slot] = 0
    panel.refresh(force=True)
    assert "Run in training" not in panel.milestone_text.html_text, "a run not yet a turn old gives no estimate"
    o = outlook(session)
    for above, red in ((0.3, False), (o.req[0] - o.capability + 0.5, o.odds < 0.5)):
        s.run_age[0, slot] = 2
        s.run_flop[0, slot] = 10.0 ** (o.capability + above - s.efficiency[0, slot] - s.reasoning[0, slot]) * 2 / 3
        panel.refresh(force=True)
        landing = outlook(session).landing
        assert landing == pytest.approx(o.capability + above)
        text = panel.milestone_text.html_text
        assert f"~{landing:.2f}" in text and "if it ended next turn" in text
        assert (f"color='{palette().hex('bad')}'><b>~{landing:.2f}" in text) == red


def test_a_milestone_becomes_known_once_passed_or_failed(app):
    main, panel = _safety_tab(app)
    session = app.session
    s = session.model.state
    slot = session.slot
    s.failed_milestone[0, slot] = 0  # the lab's own model reached it and failed: now it knows
    o = outlook(session)
    assert o.known and o.req == (float(s.milestone_req[0, 0]),) * 3
    s.failed_milestone[0, slot] = -1
    rival = next(k for k in range(s.alive.shape[1]) if k != slot and s.alive[0, k])
    s.milestone[0, rival] = 1
    s.milestone_turn[0, rival, 0] = 0  # a rival passed it: public knowledge
    session._view = None
    o = outlook(session)
    assert o.known == "another lab passed it" and o.req[1] == pytest.approx(float(s.milestone_req[0, 0]))


def test_under_fog_the_belief_sits_on_the_frontier_the_team_sees(app):
    from racegame.ui.milestones import seen_frontier

    driver.new_classroom(app, teams=(("A", "tempo"), ("B", "us")), fog=True)
    driver.click(app, app.top.start_button)
    driver.press(app, pygame.K_7)
    session = app.session
    seen = seen_frontier(session)
    assert seen == pytest.approx(float(np.nanmax(np.where(session.model.state.alive[0], session.seen()["capability"], np.nan))))
    assert outlook(session).req[1] == pytest.approx(seen + float(session.view.next_left[0, 1]))
