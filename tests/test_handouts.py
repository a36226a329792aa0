"""Classroom materials: handouts to print, one turn numbering, games compared side by side,
and a debrief report that tells changes and says what it knows mid-game."""

import json

import pytest

from racegame import RaceModel
from racegame.advisor import AdvisedController, advisor_plan
from racegame.cli import main
from racegame.level.loader import load_level
from racegame.player import controller_for, gov_plan_from_state
from racegame.saves import save_game


def test_handouts_are_role_cards_a_timed_script_and_a_worksheet(tmp_path, capsys, monkeypatch):
    import racegame.printing

    monkeypatch.setattr(racegame.printing.shutil, "which", lambda name: None)  # no browser on this machine
    assert main(["handouts", "--level", "export_escalation", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "PDF: skipped, no Chromium" in out
    folder = tmp_path / "out"
    cards = (folder / "role_cards.html").read_text()
    level = load_level("export_escalation").data
    for role in level["roles"]:
        assert f"<h1>{role['title']}</h1>" in cards
    from racegame.lessons import seat_choices

    assert cards.count("class='card") == len(seat_choices(level)) and "Your levers" in cards and "How you win" in cards
    assert cards.index(f"<h1>{level['roles'][-1]['title']}</h1>") < cards.index("<h1>Meridian AI</h1>")  # roles first
    script = (folder / "facilitator.html").read_text()
    for minutes in (45, 60, 90):
        assert f"{minutes}-minute lesson" in script
    # The game's turn numbers: the licence inject is at turn 1 in the level file, turn 2 in the game.
    assert "Turn 2</td><td><b>Licences required for downgraded chips" in script
    sheet = (folder / "worksheet.html").read_text()
    assert "Turn 2: Licences required" in sheet and "Predict" in sheet and "Observe" in sheet
    assert not (folder / "role_cards.pdf").exists()


def test_handouts_print_to_pdf_where_a_browser_is(tmp_path):
    from racegame.printing import find_browser, print_pdf

    if find_browser() is None:
        pytest.skip("no Chromium here")
    page = tmp_path / "p.html"
    page.write_text("<!DOCTYPE html><html><body><h1>Turn 1</h1></body></html>")
    assert print_pdf(page, tmp_path / "p.pdf") and (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")


def test_levels_json_counts_turns_as_the_game_does(capsys):
    assert main(["levels", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    escalation = rows["export_escalation"]
    assert escalation["turn_numbers"].startswith("the game's, from 1")
    assert {"turn": 2, "title": "Licences required for downgraded chips"}.items() <= escalation["injects"][1].items()
    assert [p["turn"] for p in escalation["prompts"]] == [2, 6]  # after turns 2 and 6, as the guide says


def _group(path, tier: int, turns: int = 6):
    model = RaceModel(level="export_escalation", rng=4821)
    model.assign("us", controller_for("government"), "US team")
    model.seat("us").controller.plan = gov_plan_from_state(model, 0)
    model.assign("tempo", AdvisedController(advisor_plan(model, model.seat("tempo").slot), advisor=True), "Tempo team")
    for n in range(turns):
        if n == 2:
            model.seat("us").controller.plan.export_tier = tier
        model.step()
    save_game(model, path)
    return model


def test_compare_sets_several_groups_games_side_by_side(tmp_path, capsys):
    saves = [tmp_path / "room1.json", tmp_path / "room2.json"]
    _group(saves[0], 3)
    _group(saves[1], 1)
    assert main(["compare", *map(str, saves), "--out", str(tmp_path / "compare.html")]) == 0
    text = (tmp_path / "compare.html").read_text()
    assert "2 games side by side" in text and "room1" in text and "room2" in text
    # Scripted news raised the tier to 3 at turn 2: room 2's team lowered it, room 1's kept it.
    assert "export tier 1 (was 3)" in text and "export tier 3 (was" not in text
    assert text.count("data:image/png;base64,") == 2 and "not all of one level and seed" not in text


def test_the_report_tells_changes_and_a_stopped_game_as_stopped(tmp_path):
    from racegame.analysis.report import render

    model = _group(tmp_path / "g.json", 3, turns=5)
    text = render(model, runs=20)
    assert "stopped after turn 5" in text and "How it might go on" in text and "match" not in text
    # The government team kept the policy in force (scripted news moved the tier and the
    # enforcement, not the team): nothing to tell. The lab team's standing plan is told once;
    # after that only its purchases and what it changed.
    assert text.count("<b>US team</b>") == 0
    assert text.count("<b>Tempo team</b>") == 5 and text.count("research on safety") == 1
    assert "Each team&#x27;s reasoning" in text or "Each team's reasoning" in text


@pytest.mark.parametrize("level_id", ["tutorial", "baseline", "efficiency_shock", "power_crunch", "open_surge",
                                      "mega_project", "pause_negotiation", "stolen_model"])
def test_every_shipped_level_has_handouts(tmp_path, level_id):
    from racegame.handouts import write_handouts

    written, note = write_handouts(load_level(level_id), tmp_path, pdf=False)
    assert [p.name for p in written] == ["role_cards.html", "facilitator.html", "worksheet.html"] and "not asked" in note
    assert all(p.read_text().startswith("<!DOCTYPE html>") for p in written)
