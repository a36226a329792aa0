"""Saves: a loaded game continues exactly as the unbroken one; bad saves get clear errors."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fuzzing import hostile_values, perturbed, value_at
from racegame.errors import SaveError
from racegame.model import RaceModel
from racegame.saves import game_from_json, game_to_json, load_game, save_game
from test_determinism import assert_same, play


@pytest.mark.parametrize("stop_at", [0, 3, 9])
def test_loaded_game_continues_exactly(baseline, tmp_path, stop_at):
    unbroken = play(RaceModel(baseline, rng=11, first_replica=2))
    model = RaceModel(baseline, rng=11, first_replica=2)
    play(model, stop_at)
    path = tmp_path / "game.json"
    save_game(model, path)
    loaded = load_game(path)
    assert loaded.turn == stop_at
    assert_same(play(loaded), unbroken)
    assert [n.text for n in loaded.news][: len(model.news)] == [n.text for n in model.news]


def test_save_keeps_player_and_difficulty(baseline, tmp_path):
    model = RaceModel(baseline, rng=1, player="abyss", difficulty="hard")
    path = tmp_path / "p.json"
    save_game(model, path)
    loaded = load_game(path)
    assert loaded.player == model.player and loaded.difficulty == "hard"


def test_save_is_atomic_and_leaves_no_temporary_files(baseline, tmp_path):
    model = RaceModel(baseline, rng=1)
    save_game(model, tmp_path / "a.json")
    save_game(model, tmp_path / "a.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


@pytest.fixture(scope="module")
def blob():
    from racegame.level.loader import load_level

    model = RaceModel(load_level("baseline"), rng=3)
    play(model, 2)
    return json.loads(json.dumps(game_to_json(model)))


def test_truncated_save_is_reported(tmp_path, blob):
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(blob)[:5000])
    with pytest.raises(SaveError, match="damaged save: not valid JSON"):
        load_game(path)


def test_foreign_json_is_reported(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(SaveError, match="not a racegame save"):
        load_game(path)


def test_binary_file_is_reported(tmp_path):
    path = tmp_path / "bin.json"
    path.write_bytes(bytes(range(256)))
    with pytest.raises(SaveError):
        load_game(path)


def test_newer_version_is_reported(blob):
    bad = dict(blob, version=99)
    with pytest.raises(SaveError, match="newer racegame"):
        game_from_json(bad, "x.json")


def test_wrong_shape_is_reported(blob):
    bad = json.loads(json.dumps(blob))
    spec = bad["state"]["arrays"]["cash"]
    spec["shape"] = [1, 3]
    spec["data"] = spec["data"][:3]
    with pytest.raises(SaveError, match="state.cash"):
        game_from_json(bad, "x.json")


def test_out_of_range_index_is_reported(blob):
    bad = json.loads(json.dumps(blob))
    bad["state"]["arrays"]["country"]["data"][0] = 7
    with pytest.raises(SaveError, match="state.country"):
        game_from_json(bad, "x.json")


def test_broken_embedded_level_is_reported(blob):
    bad = json.loads(json.dumps(blob))
    bad["level"]["labs"][0]["cash_usd"] = "many"
    with pytest.raises(SaveError, match="level inside the save is invalid"):
        game_from_json(bad, "x.json")


def _mutate(node, path, value):
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _paths(node, prefix=(), depth=0):
    if depth > 6:
        return
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,), depth + 1)
    elif isinstance(node, list):
        for i, v in list(enumerate(node))[:3]:
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,), depth + 1)


@pytest.fixture(scope="module")
def team_blob():
    """A classroom-style game three turns in: a lab team with a plan, a government team, a
    player's plan; news, chronicle and orders log all hold entries."""
    from racegame.level.loader import load_level
    from racegame.player import GovPlanController, PlanController, PlayerPlan

    model = RaceModel(load_level("baseline"), rng=3, player="keel",
                      controller=PlanController(PlayerPlan(chip_budget_usd=1e9, chip_mix={"h100": 1.0})))
    model.assign("us", GovPlanController(), "Blue")
    model.assign("tempo", PlanController(), "Red")
    play(model, 3)
    blob = json.loads(json.dumps(game_to_json(model)))
    assert blob["news"] and blob["chronicle"] and blob["orders_log"] and blob["teams"] and blob["player_plan"]
    return blob


def _every_record(blob):
    """Paths into what the save records besides the state (whose arrays are long lists)."""
    return [p for p in _paths(blob) if p[0] != "state" or len(p) <= 4]


def _play_on(model, tmp_path):
    """What a loaded game is used for: play on, summarise, report, write its history."""
    from racegame.headless import play as play_to_end
    from racegame.headless import summary_text
    from racegame.analysis.report import render

    model.turn_limit = min(model.rules.horizon, model.state.turn + 3)
    model.running = model.state.turn < model.turn_limit and not model.state.ended.all()
    play_to_end(model, tmp_path / "history.csv")
    for name, arr in model.state.arrays():
        assert arr.dtype.kind == "b" or np.isfinite(arr).all(), name
    assert "nan" not in summary_text(model).replace("financ", "").lower()
    assert "<img src=x>" not in render(model, runs=0)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_saves_load_or_fail_cleanly(team_blob, tmp_path, monkeypatch, data):
    """Wrong types, huge numbers, NaN, deep nesting and markup anywhere in a save's records
    (news, chronicle, orders log, teams and their plans, the player's plan, seed and replica)
    and its state's specs: the load fails in words, or the game plays on with finite numbers."""
    bad = json.loads(json.dumps(team_blob))
    paths = _every_record(bad)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        try:
            _mutate(bad, path, data.draw(hostile_values | perturbed(value_at(bad, path))))
        except (KeyError, IndexError, TypeError):
            pass
    try:
        model = game_from_json(bad, "fuzz.json")
    except SaveError as exc:
        assert str(exc).startswith("fuzz.json") and len(str(exc)) < 3000
        event("refused")
        return
    event("played")
    monkeypatch.setattr("racegame.analysis.report.charts", lambda model: [])  # matplotlib's time; tested with names elsewhere
    _play_on(model, tmp_path)


@pytest.mark.parametrize("where, value, message", [
    (("news", 0, "weight"), "x", "news[0].weight: expected an integer"),
    (("news", 0, "text"), "a\x00b", "news[0].text: control character"),
    (("news", 0, "lab"), 99, "not in this game"),
    (("chronicle", 0, "cash_usd", 0), "x", "chronicle[0].cash_usd[0]: expected a number"),
    (("chronicle", 0, "lab", 0), "nosuch", "'nosuch' is not in this game"),
    (("chronicle", 0, "turn"), [0], "columns have different lengths"),
    (("orders_log", 0, "orders", "build_grid"), 99, "build_grid: expected a grid number"),
    (("orders_log", 0, "orders", "chip_usd"), 5, "chip_usd: expected"),
    (("orders_log", 0, "seat"), "nosuch", "not a seat of this game"),
    (("teams", 0, "plan", "enforcement"), "x", "teams[0].plan: enforcement: expected a number"),
    (("teams", 1, "plan", "chip_mix"), {"h100": "x"}, "teams[1].plan: chip_mix.h100: expected a number"),
    (("teams", 0, "name"), "<b>\x00", "teams[0].name: control character"),
    (("player_plan", "chip_mix"), [1], "player_plan' is damaged"),
    (("replica",), 10**30, "ordinary size"),
    (("seed",), -1, "non-negative"),
    (("player",), ["keel"], "expected a lab id or null"),
    (("difficulty",), "impossible", "expected one of easy, normal, hard"),
])
def test_damaged_records_are_named(team_blob, where, value, message):
    bad = json.loads(json.dumps(team_blob))
    _mutate(bad, where, value)
    with pytest.raises(SaveError) as info:
        game_from_json(bad, "x.json") if where != ("replica",) else load_game(_write(bad))
    assert message in str(info.value)


def _write(blob):
    import tempfile

    path = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    path.write(json.dumps(blob))
    path.close()
    return path.name


@pytest.mark.parametrize("content, message", [
    ("[" * 100_000 + "]" * 100_000, "nested 100000 deep"),
    ('{"format": "racegame-save", "x": ' + "9" * 5000 + "}", "damaged save: Exceeds the limit"),
    ('{"format": "racegame-save", "x": NaN}', "NaN is not a number JSON allows"),
    ('{"format": "racegame-save", "x": [' + "1e999, " * 3 + "1]}", "NaN and infinities are not allowed"),
])
def test_hostile_save_files_are_refused_unparsed(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SaveError, match=message):
        load_game(path)


def test_a_loaded_game_plays_on_reports_and_writes_its_history(tmp_path):
    """What the fuzz test does with each save that loads, on an undamaged one."""
    model = RaceModel("baseline", rng=2)
    play(model, 4)
    save_game(model, tmp_path / "g.json")
    _play_on(load_game(tmp_path / "g.json"), tmp_path)


def test_a_save_carries_the_players_plan(baseline, tmp_path):
    from racegame.player import PlanController, PlayerPlan

    # Purchases are for one turn; standing levers, and which levers the player set, carry over.
    plan = PlayerPlan(chip_budget_usd=2.5e9, build_mw=300.0, retention_usd=2e8, lobby_goal="permitting")
    plan.set("focus_safety", 0.6)
    controller = PlanController(plan)
    model = RaceModel(baseline, rng=2, player="keel", controller=controller)
    model.step()
    save_game(model, tmp_path / "p.json")
    again = PlanController()
    loaded = load_game(tmp_path / "p.json", controller=again)
    assert again.plan.retention_usd == 2e8 and again.plan.lobby_goal == "permitting"
    assert again.plan.chip_budget_usd == 0 and again.plan.build_mw == 0
    assert again.plan.focus_safety == 0.6 and "focus_safety" in again.plan.mine
    assert loaded.labs_by_slot[loaded.player].controller is again


@pytest.mark.parametrize("name, value", [("chip_price", 0.0), ("talent", -1.0), ("capacity", 0.0), ("share", 7.0)])
def test_impossible_numbers_in_a_save_are_reported(blob, name, value):
    bad = json.loads(json.dumps(blob))
    bad["state"]["arrays"][name]["data"][0] = value
    with pytest.raises(SaveError, match=f"state.{name}"):
        game_from_json(bad, "x.json")


def test_a_version_1_save_keeps_the_load_its_pending_ppas_back(blob):
    """Version 1 kept PPA-backed load out of the queue; loading such a save puts it back in,
    so the PPA still connects it when its generation comes online. A version-2 save is
    taken as it is."""
    import numpy as np

    arrays = blob["state"]["arrays"]

    def get(name, dtype):
        a = arrays[name]
        return np.array(a["data"], dtype=dtype).reshape(a["shape"])

    ring, grids = get("ppa_ring_mw", float), get("ppa_ring_grid", np.int64)
    ring[0, 1, 2], grids[0, 1, 2] = 250.0, 1
    arrays["ppa_ring_mw"]["data"], arrays["ppa_ring_grid"]["data"] = ring.ravel().tolist(), grids.ravel().tolist()
    queued = get("queued", float)
    old = game_from_json(json.loads(json.dumps(dict(blob, version=1))), "old.json")
    new = game_from_json(json.loads(json.dumps(dict(blob, version=2))), "new.json")
    expected = queued.copy()
    for slot in range(ring.shape[2]):
        for lab in range(ring.shape[1]):
            expected[0, lab, grids[0, lab, slot]] += ring[0, lab, slot]
    np.testing.assert_allclose(old.state.queued, expected)
    np.testing.assert_allclose(new.state.queued, queued)
    assert old.state.queued[0, 1, 1] >= queued[0, 1, 1] + 250.0
