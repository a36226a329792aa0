"""Saves: a loaded game continues exactly as the unbroken one; bad saves get clear errors."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    if depth > 4:
        return
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,), depth + 1)
    elif isinstance(node, list):
        for i, v in list(enumerate(node))[:3]:
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,), depth + 1)


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_fuzzed_saves_load_or_fail_cleanly(blob, data):
    bad = json.loads(json.dumps(blob))
    paths = list(_paths(bad))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        value = data.draw(st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                                    st.text(max_size=5), st.lists(st.integers(0, 3), max_size=3)))
        try:
            _mutate(bad, path, value)
        except (KeyError, IndexError, TypeError):
            pass
    try:
        model = game_from_json(bad, "fuzz.json")
    except SaveError as exc:
        assert str(exc).startswith("fuzz.json")
        return
    model.step()  # a save that loads must also play on
    assert np.isfinite(model.state.cash).all()


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
