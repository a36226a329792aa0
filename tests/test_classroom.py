"""Classroom support: the scenario pack, teams on seats, the facilitator's step back,
same world for every group, fog of war, and the debrief report for every level."""

import json

import numpy as np
import pytest

from racegame.cli import main
from racegame.fog import fogged, noise_level
from racegame.level.loader import load_level, shipped_level_paths
from racegame.model import RaceModel
from racegame.advisor import advisor_plan
from racegame.player import GovPlan, PlayerPlan, controller_for, gov_plan_from_state
from racegame.analysis.report import write_report
from racegame.saves import load_game, save_game
from test_determinism import assert_same

PACK = ["tutorial", "baseline", "efficiency_shock", "export_escalation", "power_crunch", "open_surge", "mega_project",
        "pause_negotiation", "stolen_model"]


def test_the_scenario_pack_is_complete():
    shipped = {p.stem for p in shipped_level_paths()}
    assert set(PACK) <= shipped
    for level_id in PACK:
        d = load_level(level_id).data
        assert d["briefing"] and d["objectives"] and d["debrief"] and d["roles"] and d["prompts"], level_id
    for level_id in PACK[2:]:  # each scenario has scripted injects with news
        injects = [e for e in load_level(level_id).data["events"] if e["turn"] >= 0]
        assert injects and all(e["news"] for e in injects), level_id


def test_levels_json_lists_each_level_for_teachers(capsys):
    assert main(["levels", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    for level_id in PACK:
        row = rows[level_id]
        assert row["title"] and row["briefing"] and isinstance(row["objectives"], list)
        assert isinstance(row["injects"], list) and row["roles"]


def classroom_game(level="export_escalation", seed=4):
    model = RaceModel(level=level, rng=seed)
    model.assign("us", controller_for("government"), "Team A")
    model.seat("us").controller.plan = gov_plan_from_state(model, 0)
    model.assign("tempo", controller_for("lab"), "Team B")
    model.seat("tempo").controller.plan = advisor_plan(model, model.seat("tempo").slot)
    return model


def test_teams_and_their_plans_survive_save_and_load(tmp_path):
    model = classroom_game()
    model.seat("tempo").controller.plan.retention_usd = 1.5e9  # a standing lever (purchases are for one turn)
    for _ in range(3):
        model.step()
    save_game(model, tmp_path / "class.json")
    loaded = load_game(tmp_path / "class.json")
    assert loaded.teams == {"us": "Team A", "tempo": "Team B"}
    assert loaded.seat("tempo").controller.plan.retention_usd == 1.5e9
    assert isinstance(loaded.seat("us").controller.plan, GovPlan)
    assert {e["seat"] for e in loaded.orders_log} == {"us", "tempo"}


def test_step_back_restores_the_previous_turn_exactly():
    model = classroom_game()
    for _ in range(2):
        model.step()
    before = model.state.copy()
    news = len(model.news)
    model.step()
    assert model.step_back()
    assert_same(model.state, before)
    assert len(model.news) == news
    model.step()  # and the game goes on from there
    assert model.turn == 3


def test_a_scripted_inject_overrides_a_government_team_and_the_team_sees_it():
    model = classroom_game()
    model.step()  # turn 0: the team keeps tier 2
    model.step()  # turn 1: the inject raises the tier to 3
    assert model.state.export_tier[0, 0] == 3
    assert model.seat("us").controller.plan.export_tier == 3


def test_every_group_gets_the_same_world_and_the_same_events():
    def events(choice):
        model = RaceModel(level="baseline", rng=12)
        controller = controller_for("lab")
        controller.plan = PlayerPlan(chip_budget_usd=choice)
        model.assign("keel", controller, "group")
        fired = []
        for _ in range(8):
            model.step()
            fired.append(model.report.events[0].copy())
        return model, np.array(fired)

    a, fired_a = events(0.0)
    b, fired_b = events(3e9)
    assert np.array_equal(fired_a, fired_b)
    assert not np.array_equal(a.state.chips, b.state.chips)


def test_fog_hides_rivals_and_intelligence_sharpens_the_view():
    model = RaceModel(level="baseline", rng=3)
    model.step()
    seen = fogged(model, 0)
    assert seen["capability"][0] == model.state.capability[0, 0]  # a lab knows itself
    assert not np.allclose(seen["capability"][1:9], model.state.capability[0, 1:9])
    assert fogged(model, 0)["capability"].tolist() == seen["capability"].tolist()  # same fog for every group
    blind = noise_level(model, 0)
    model.state.intel[0, 0] = 2.0
    assert noise_level(model, 0) == pytest.approx(blind / 3)


def test_intelligence_costs_money():
    spender = controller_for("lab")
    spender.plan = PlayerPlan(intel_usd=1e9)
    a = RaceModel(level="baseline", rng=5)
    a.assign("keel", spender)
    b = RaceModel(level="baseline", rng=5)
    b.assign("keel", controller_for("lab"))
    a.step()
    b.step()
    slot = a.seat("keel").slot
    assert a.state.cash[0, slot] == pytest.approx(b.state.cash[0, slot] - 1e9)
    assert a.state.intel[0, slot] > 0 == b.state.intel[0, slot]


@pytest.mark.parametrize("level_id", PACK)
def test_the_report_renders_for_every_level(tmp_path, level_id):
    model = RaceModel(level=level_id, rng=2)
    seat = load_level(level_id).data["roles"][0]["seat"]
    kind = "government" if seat in model.rules.country_ids else "lab"
    model.assign(seat, controller_for(kind), "The <b>Team</b>")
    if kind == "lab":
        model.seat(seat).controller.plan = advisor_plan(model, model.seat(seat).slot)
    else:
        model.seat(seat).controller.plan = gov_plan_from_state(model, model.seat(seat).index)
    while model.running:
        model.step()
    html_path, csv_path = write_report(model, tmp_path / "report.html", runs=10)
    text = html_path.read_text()
    assert text.startswith("<!DOCTYPE html>") and "data:image/png;base64," in text
    assert "The &lt;b&gt;Team&lt;/b&gt;" in text and "<b>Team</b>" not in text  # escaped, never rendered
    for question in model.level.data["debrief"]:
        assert question.replace("'", "&#x27;").replace('"', "&quot;") in text
    assert "What if?" in text
    assert csv_path.read_text().startswith("replica,turn,date,lab")


def test_report_command_from_a_save(tmp_path, capsys):
    save = tmp_path / "g.json"
    assert main(["run", "--level", "tutorial", "--seed", "1", "--save", str(save)]) == 0
    capsys.readouterr()
    assert main(["report", str(save), "--out", str(tmp_path / "r.html"), "--runs", "5"]) == 0
    assert (tmp_path / "r.html").exists() and (tmp_path / "r_history.csv").exists()


def test_a_facilitator_can_inject_any_catalogue_event():
    from racegame.level.loader import with_catalogue

    model = RaceModel(level=with_catalogue(load_level("baseline")), rng=3)
    model.step()
    assert not model.state.retaliation[0, 1]
    model.inject("cat_mineral_ban")
    model.step()
    assert model.state.retaliation[0, 1]
    assert any("minerals" in n.text for n in model.news if n.turn == 1)
    with pytest.raises(ValueError, match="did you mean"):
        model.inject("cat_mineral_bann")


def test_the_catalogue_fits_every_level_it_can():
    from racegame.level.loader import catalogue_events, with_catalogue

    full = with_catalogue(load_level("baseline"))
    assert {e["id"] for e in catalogue_events()} <= {e["id"] for e in full.data["events"]}
    small = with_catalogue(load_level("tutorial"))
    assert any(e["on_demand"] for e in small.data["events"])


def test_a_team_whose_lab_went_bankrupt_is_still_saved(tmp_path):
    model = classroom_game()
    slot = model.seat("tempo").slot
    model.state.cash[0, slot] = -1e13  # the next turn's books close deep in the red
    model.step()
    assert not model.state.alive[0, slot]
    save_game(model, tmp_path / "gone.json")
    loaded = load_game(tmp_path / "gone.json")
    assert loaded.teams["tempo"] == "Team B"
    assert loaded.team_controllers["tempo"].plan.chip_budget_usd == model.team_controllers["tempo"].plan.chip_budget_usd


def test_forecasts_in_a_classroom_game_leave_every_team_plan_alone():
    from racegame import forecast

    model = classroom_game()
    model.seat("us").controller.plan.export_tier = 0
    model.seat("tempo").controller.plan.raise_round = True
    forecast(model, runs=30, turns=3, lab="tempo")
    assert model.seat("us").controller.plan.export_tier == 0
    assert model.seat("tempo").controller.plan.raise_round


def test_levels_json_carries_prompts_debrief_and_role_briefs(capsys):
    assert main(["levels", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    escalation = rows["export_escalation"]
    assert [r["id"] for r in escalation["roles"]] == ["us", "cn", "tempo", "agora"]
    assert escalation["roles"][0]["kind"] == "government" and escalation["roles"][0]["brief"]
    assert escalation["debrief"] and escalation["prompts"][0]["text"]
