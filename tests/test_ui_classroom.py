"""Classroom games through the real UI: setup, hot-seat hand-over, countdown, fog of war,
the facilitator's controls, the debrief report, and every shipped level to its end."""

import json

import pygame
import pygame_gui
import pytest

from racegame.level.loader import load_level
from racegame.ui import driver, reporting
from racegame.ui.app import App
from racegame.ui.autopilot import Autopilot
from racegame.ui.screens.class_summary import ClassroomSummaryScreen
from racegame.ui.screens.classroom_setup import ClassroomBriefingScreen, ClassroomSetupScreen
from racegame.ui.screens.dialogs import ConfirmScreen, MessageScreen
from racegame.ui.screens.end import EndScreen
from racegame.ui.screens.facilitator import FacilitatorPanel, PausedScreen
from racegame.ui.screens.government import GovernmentScreen
from racegame.ui.screens.hotseat import HandOverScreen
from racegame.ui.screens.ledger import LedgerScreen
from racegame.ui.screens.projector import ProjectorScreen
from racegame.ui.screens.team_lab import TeamLabScreen
from racegame.ui.screens.title import TitleScreen
from test_classroom import PACK
from test_determinism import assert_same

LEVELS = PACK


@pytest.fixture(autouse=True)
def home(home, monkeypatch):
    monkeypatch.setattr(reporting, "RUNS", 4)  # the what-if batches: a few games are enough to test
    return home


def texts(screen) -> list[str]:
    """Every text a screen's widgets show (labels, buttons, text boxes, entries)."""
    out = []
    for element in screen.manager.get_sprite_group().sprites():
        if not element.alive() or not element.visible:
            continue
        for attr in ("text", "html_text"):
            value = getattr(element, attr, None)
            if isinstance(value, str) and value:
                out.append(value)
        if isinstance(element, pygame_gui.elements.UITextEntryLine):
            out.append(element.get_text())
    return out


def shown(app) -> list[str]:
    return [t for screen in app.stack for t in texts(screen)]


def test_setup_by_clicks_and_keys(app):
    driver.press(app, pygame.K_k)  # the title's key for Classroom
    setup = app.top
    assert isinstance(setup, ClassroomSetupScreen)
    path = next(p for _, p in setup.level_menu.options_list if p.endswith("export_escalation.toml"))
    driver.choose(app, setup.level_menu, path)
    assert setup.level.id == "export_escalation"
    assert "Tightening the Screws" in setup.level_text.html_text
    # Two teams: a lab and a government, named by typing.
    for i, (name, seat) in enumerate((("Red Team", "tempo"), ("Blue Team", "us"))):
        driver.retype(app, setup.name_entries[i], name)
        driver.choose(app, setup.seat_menus[i], seat)
    assert setup.teams == [["Red Team", "tempo"], ["Blue Team", "us"]]
    # A third team can be added and removed again.
    driver.click(app, setup.add_button)
    assert len(setup.teams) == 3 and len(setup.name_entries) == 3
    driver.click(app, setup.remove_buttons[2])
    assert len(setup.teams) == 2 and setup.teams[0][0] == "Red Team"
    # Two teams on one seat are refused, with a reason.
    driver.choose(app, setup.seat_menus[1], "tempo")
    driver.click(app, setup.start_button)
    assert app.top is setup and "same seat" in setup.problem_label.text
    driver.choose(app, setup.seat_menus[1], "us")
    driver.retype(app, setup.seed_entry, "4242")
    driver.click(app, setup.countdown_buttons[120])
    driver.click(app, setup.fog_box)
    assert setup.fog and setup.countdown == 120
    driver.click(app, setup.start_button)
    briefing = app.top
    assert isinstance(briefing, ClassroomBriefingScreen)
    assert briefing.seed_text == "4242"
    classroom = app.session
    assert [(t.name, t.seat, t.kind) for t in classroom.teams] == [("Red Team", "tempo", "lab"), ("Blue Team", "us", "government")]
    assert classroom.countdown == 120 and classroom.fog and classroom.model.seed == 4242
    assert classroom.model.level.id == "export_escalation"
    assert any(e["id"].startswith("cat_") for e in classroom.model.level.data["events"])  # the catalogue is there
    driver.press(app, pygame.K_RETURN)
    handover = app.top
    assert isinstance(handover, HandOverScreen) and handover.team.name == "Red Team"
    assert handover.lines["title"].startswith("Tempo")


def test_hot_seat_hides_the_previous_team_and_the_timer_moves_on(app):
    driver.new_classroom(app, countdown=60, fog=True)
    classroom = app.session
    assert isinstance(app.top, HandOverScreen)
    driver.click(app, app.top.start_button)
    lab = app.top
    assert isinstance(lab, TeamLabScreen) and classroom.active.name == "Team A"
    # A distinctive plan: the chip budget at the top of its range.
    budget = lab.panel.levers["chip_budget"]
    driver.click(app, (budget.control.rect.right - 4, budget.control.rect.centery))
    chosen = classroom.teams[0].plan.chip_budget_usd
    secret = budget.value.text
    assert chosen > 0 and secret in shown(app)
    # Fog of war: rivals are estimates, and the Politics tab has the intelligence lever.
    driver.click(app, lab.panel.tab_buttons["politics"])
    assert "intel" in lab.panel.levers
    driver.press(app, pygame.K_l)
    ledger = app.top
    assert isinstance(ledger, LedgerScreen)
    rivals = [r for r in ledger.table.rows if not r["you"] and "(gone)" not in r["name"]]
    assert rivals and all(r["name"].endswith("≈") and r["revenue"] is None for r in rivals)
    mine = next(r for r in ledger.table.rows if r["you"])
    assert mine["capability"] == pytest.approx(float(classroom.model.state.capability[0, classroom.slot]))
    driver.press(app, pygame.K_ESCAPE)
    # The clock runs out: the plan stands and the next team's hand-over says so.
    driver.run(app, 8, dt=10.0)
    handover = app.top
    assert isinstance(handover, HandOverScreen) and handover.team.name == "Team B"
    assert handover.lines["timed_out"] == "Team A"
    assert app.stack == [handover]  # the lab team's desk is closed, not covered
    assert secret not in shown(app) and "Chip budget" not in shown(app)
    assert classroom.teams[0].plan.chip_budget_usd == chosen
    # The government team's desk shows its own levers, and none of the lab's.
    driver.press(app, pygame.K_RETURN)
    gov = app.top
    assert isinstance(gov, GovernmentScreen)
    everything = shown(app)
    assert secret not in everything and "Chip budget" not in everything and "Intelligence on rivals" not in everything
    tier = gov.panel.levers["export_tier"].control.selected_option
    assert tier[1] == str(int(classroom.model.state.export_tier[0, 0]))
    assert "Enforcement" in everything and "Affects: labs in China (which chips they may buy)." in everything
    driver.choose(app, gov.panel.levers["export_tier"].control, "3")
    assert classroom.teams[1].plan.export_tier == 3
    driver.click(app, gov.panel.tab_buttons["industry"])
    regulation = gov.panel.levers["regulation"].control
    before = classroom.teams[1].plan.regulation
    driver.click(app, (regulation.rect.right - 4, regulation.rect.centery))
    assert classroom.teams[1].plan.regulation > before
    driver.click(app, gov.end_button)
    summary = app.top
    assert isinstance(summary, ClassroomSummaryScreen)
    model = classroom.model
    assert model.state.turn == 1
    tempo = next(e for e in model.orders_log if e["seat"] == "tempo")
    assert sum(tempo["orders"]["chip_usd"]) == pytest.approx(chosen)  # the timed-out plan was played
    us = next(e for e in model.orders_log if e["seat"] == "us")
    assert us["orders"]["regulation"] == pytest.approx(1.0) and us["orders"]["export_tier"] == 3
    assert any("FOG OF WAR" in t for t in texts(summary)) and "Capability" not in summary.teams_box.html_text
    # The level's discussion prompt for the turn, shown prominently after it is played.
    driver.press(app, pygame.K_RETURN)  # the summary: on to the next turn
    for _ in range(2):
        driver.press(app, pygame.K_RETURN)  # hand-over: Start
        driver.press(app, pygame.K_RETURN)  # desk: Done
    summary = app.top
    assert isinstance(summary, ClassroomSummaryScreen)
    prompt = next(p["text"] for p in load_level("export_escalation").data["prompts"] if p["turn"] == 1)
    assert summary.prompt == prompt and summary.prompt_rect is not None


def test_facilitator_pause_inject_extend_projector_and_step_back(app):
    driver.new_classroom(app, level="export_escalation", seed=8, countdown=60)
    classroom = app.session
    model = classroom.model
    start = model.state.copy()
    driver.click(app, app.top.start_button)
    desk = app.top
    left = classroom.remaining
    driver.run(app, 3, dt=5.0)
    assert classroom.remaining == pytest.approx(left - 15.0)
    # The panel holds the clock; +1 minute adds to it.
    driver.press(app, pygame.K_F9)
    panel = app.top
    assert isinstance(panel, FacilitatorPanel)
    left = classroom.remaining
    driver.run(app, 3, dt=5.0)
    assert classroom.remaining == left
    driver.click(app, panel.buttons["extend"])
    assert classroom.remaining == pytest.approx(left + 60.0)
    left = classroom.remaining
    # Inject a catalogue event: it is queued for this turn.
    item = next(i for i in panel.list.item_list if i["object_id"] == "cat_chip_shortage")
    driver.click(app, item["button_element"])
    assert panel.selected == "cat_chip_shortage"
    driver.click(app, panel.inject_button)
    assert classroom.queued == ["cat_chip_shortage"]
    # Pause: the screen is covered and the clock frozen until Resume.
    driver.click(app, panel.buttons["pause"])
    cover = app.top
    assert isinstance(cover, PausedScreen) and classroom.paused
    driver.run(app, 3, dt=10.0)
    assert classroom.remaining == left
    driver.click(app, cover.resume_button)
    assert app.top is desk and not classroom.paused
    # The projector view, and back.
    driver.press(app, pygame.K_F10)
    projector = app.top
    assert isinstance(projector, ProjectorScreen)
    assert projector.charts[0].scale > 1.5 and projector.charts[0].data.steps == 1
    assert len(projector.rows) >= 5
    driver.press(app, pygame.K_F10)
    assert app.top is desk
    # Both teams decide; the event happens and its news says so.
    driver.click(app, desk.end_button)
    driver.press(app, pygame.K_RETURN)
    driver.click(app, app.top.end_button)
    summary = app.top
    assert isinstance(summary, ClassroomSummaryScreen)
    news = next(e["news"] for e in model.level.data["events"] if e["id"] == "cat_chip_shortage")
    assert any(n.text == news for n in model.news if n.turn == 0)
    assert "INJECTED BY THE FACILITATOR" in summary.news_box.html_text and news in summary.news_box.html_text
    assert classroom.injected == {0: ["cat_chip_shortage"]}
    assert model.state.turn == 1
    # Step back one turn: the world is as it was, and the first team decides again.
    driver.click(app, driver.find_button(summary, "Facilitator"))
    assert app.top is summary  # clicks just after the summary appears are a double-clicked Done: ignored
    driver.run(app, 40)
    driver.click(app, driver.find_button(summary, "Facilitator"))
    panel = app.top
    # A class that ends before the game does: the debrief report of the game so far.
    driver.press(app, pygame.K_r)
    classroom.report_job.wait(60)
    driver.run(app, 3)
    assert isinstance(app.top, MessageScreen) and classroom.report_job.error is None
    assert "stopped after turn 1" in classroom.report_job.html_path.read_text()
    driver.press(app, pygame.K_RETURN)
    assert app.top is panel
    driver.click(app, panel.buttons["step_back"])
    assert isinstance(app.top, ConfirmScreen)
    driver.press(app, pygame.K_RETURN)
    assert isinstance(app.top, HandOverScreen) and app.top.team.name == "Team A"
    assert model.state.turn == 0
    assert_same(model.state, start)
    assert not [n for n in model.news if n.turn == 0]
    assert classroom.queued == ["cat_chip_shortage"]  # queued again; the panel can cancel it
    assert model.seat("tempo").controller is classroom.teams[0].controller
    driver.press(app, pygame.K_F9)
    driver.click(app, app.top.cancel_button)
    assert classroom.queued == []


def test_a_classroom_game_continues_from_its_autosave(app, home):
    driver.new_classroom(app, seed=5, countdown=0)
    driver.play_classroom_turn(app)
    driver.click(app, app.top.start_button)
    desk = app.top
    driver.click(app, desk.panel.tab_buttons["market"])
    driver.click(app, desk.panel.levers["open_weights"].control)
    assert app.session.teams[0].plan.open_weights
    driver.click(app, desk.end_button)  # Team B's hand-over: autosaved with Team A's plan
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, driver.find_button(app.top, "Quit to title"))
    assert isinstance(app.top, TitleScreen) and "classroom" in app.top.menu["Continue"].tool_tip_text
    driver.click(app, app.top.menu["Continue"])
    handover = app.top
    assert isinstance(handover, HandOverScreen) and handover.team.name == "Team B"
    classroom = app.session
    assert classroom.model.state.turn == 1 and classroom.teams[0].plan.open_weights
    assert classroom.countdown == 0 and [t.seat for t in classroom.teams] == ["tempo", "us"]
    sidecar = json.loads((home / "autosave.ui.json").read_text())
    assert sidecar["classroom"]["current"] == 1


def test_every_level_plays_to_its_end_in_a_classroom_game(home):
    for level in LEVELS:
        app = App(size=(1024, 600))
        try:
            app.autopilot = Autopilot(app, level=level, seed=3, turns=999, classroom=True, pace=0)
            app.autopilot.start()
            frames = 0
            while app.running and frames < 3000:
                app.frame(1 / 60)
                frames += 1
            model = app.session.model
            assert isinstance(app.top, EndScreen), (level, type(app.top).__name__)
            assert not model.running and model.state.turn > 0 and len(model.chronicle) == model.state.turn, level
            assert {e["seat"] for e in model.orders_log} == {t.seat for t in app.session.teams}, level
        finally:
            pygame.quit()


def test_the_debrief_report_is_written_from_the_end_screen(app, home):
    driver.new_classroom(app, level="tutorial", seed=2, countdown=0,
                         teams=(("Owls", "meridian"), ("Foxes", "cn")))
    while not isinstance(app.top, EndScreen):  # Start, Done, Start, Done, Next... by keyboard
        driver.press(app, pygame.K_RETURN)
    end = app.top
    assert end.classroom and "Owls" in end.explanation
    driver.click(app, end.report_button)
    job = app.session.report_job
    assert job is not None and (job.done or not end.report_button.is_enabled)
    job.wait(60)
    driver.run(app, 3)
    assert job.error is None, job.error
    assert isinstance(app.top, MessageScreen) and "report" in app.top.title.lower()
    files = sorted(p.name for p in (home / "reports").iterdir())
    assert any(f.endswith(".html") for f in files) and any(f.endswith("_history.csv") for f in files)
    text = job.html_path.read_text()
    assert "Owls" in text and "Foxes" in text and "What if?" in text


def test_the_desktop_end_screen_writes_a_report_too(app, home):
    driver.new_game(app, lab="keel", seed=4)
    driver.click(app, app.top.end_button)
    driver.click(app, app.top.continue_button)
    app.push(EndScreen(app))
    driver.run(app, 2)
    driver.press(app, pygame.K_r)
    job = app.session.report_job
    job.wait(60)
    driver.run(app, 3)
    assert job.error is None and job.html_path.parent == home / "reports"
    assert "You (keel)" in job.html_path.read_text()
    assert isinstance(app.top, MessageScreen)


def test_the_facilitator_injects_in_their_own_words_and_sees_each_teams_decisions(app):
    driver.new_classroom(app, level="export_escalation", seed=8, countdown=60)
    classroom = app.session
    driver.click(app, app.top.start_button)  # Team A: Tempo
    desk = app.top
    driver.click(app, desk.panel.tab_buttons["compute"])
    safety = desk.panel.levers["focus_safety"].control
    driver.click(app, (safety.rect.right - 6, safety.rect.centery))
    driver.click(app, desk.end_button)  # Team B's hand-over
    driver.press(app, pygame.K_F9)
    panel = app.top
    item = next(i for i in panel.list.item_list if i["object_id"] == "cat_texas_outage")
    driver.click(app, item["button_element"])
    driver.retype(app, panel.headline, "A storm hits Texas")
    driver.click(app, panel.inject_button)
    assert classroom.queued == ["cat_texas_outage"] and classroom.headlines == {"cat_texas_outage": "A storm hits Texas"}
    # What the teams decided, for the facilitator: Team A has, Team B has not yet.
    driver.press(app, pygame.K_d)
    view = app.top
    assert view.name == "team_decisions"
    text = view.body.html_text
    assert "Team A" in text and "has decided" in text and "still to decide" in text
    assert "research on safety" in text  # Team A's plan as it stands
    driver.press(app, pygame.K_ESCAPE)
    assert app.top is panel
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, app.top.start_button)
    driver.click(app, app.top.end_button)
    summary = app.top
    assert summary.name == "class_summary"
    storm = [n for n in classroom.model.news if n.turn == 0 and n.text.startswith("A storm hits Texas")]
    assert storm and storm[0].tone == "injected"
    assert "INJECTED BY THE FACILITATOR" in summary.news_box.html_text and "A storm hits Texas" in summary.news_box.html_text
