"""Every number has a range that keeps the game finite: the level format's ranges (tested at
their ends), the state's ranges (checked after every turn), and the writers, which refuse a
non-finite number rather than write it as a blank."""

import copy
import json
import math
import os
import re
from dataclasses import fields

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import number_groups, set_paths, value_in_range
from racegame.cli import main
from racegame.engine import limits
from racegame.engine.state import State
from racegame.errors import LevelError, RangeError
from racegame.history import csv_cells
from racegame.level.fields import NUM_LIMIT, ListOf, MapOf, Num, Table, TableList
from racegame.level.loader import Level, load_level, validate_level
from racegame.level.schema import LEVEL
from racegame.model import RaceModel
from racegame.saves import game_from_json, game_to_json

BASE = load_level("baseline").data
GROUPS = number_groups(BASE)


def test_every_state_array_has_a_range():
    model = RaceModel("baseline", rng=1)
    missing = [f.name for f in fields(State) if f.name != "turn" and getattr(model.state, f.name).dtype.kind != "b"
               and limits.bounds(f.name, model.state) is None]
    assert not missing, f"add these to engine/limits.py: {missing}"


def _numbers(spec, path=""):
    if isinstance(spec, Num):
        yield path, spec
    elif isinstance(spec, Table):
        for key, sub in spec.fields.items():
            yield from _numbers(sub, f"{path}.{key}")
    elif isinstance(spec, TableList):
        yield from _numbers(spec.row, f"{path}[]")
    elif isinstance(spec, (ListOf, MapOf)):
        yield from _numbers(spec.item if isinstance(spec, ListOf) else spec.value, f"{path}.*")


def test_every_number_of_the_level_format_has_a_finite_range():
    numbers = list(_numbers(LEVEL))
    assert len(numbers) > 150
    for path, spec in numbers:
        assert math.isfinite(spec.lo) and math.isfinite(spec.hi) and spec.lo <= spec.hi, path
    assert Num().hi == NUM_LIMIT and Num().lo == -NUM_LIMIT  # what a key added without a range gets


def play_through(data):
    """Validate, play to the end, save and load: None if the level is invalid."""
    try:
        level = validate_level(data, "edge.toml")
    except LevelError:
        return None  # the meaning layer refuses this combination (e.g. demand above capacity)
    model = RaceModel(level, rng=3)
    while model.running:
        model.step()
        for name, arr in model.state.arrays():
            assert arr.dtype.kind == "b" or np.isfinite(arr).all(), name
    blob = json.loads(json.dumps(game_to_json(model), allow_nan=False))
    game_from_json(blob, "edge.json")  # every game that plays can be saved and loaded
    return model


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(sorted(GROUPS)), st.sampled_from([0.0, 1.0, 0.5]) | st.floats(0, 1)),
                min_size=1, max_size=4))
def test_numbers_at_the_ends_of_their_ranges_play_finite(edges):
    data = copy.deepcopy(BASE)
    for label, where in edges:
        spec, paths = GROUPS[label]
        set_paths(data, paths, value_in_range(spec, where))
    play_through(data)


@pytest.mark.parametrize("label, where, first_only", [
    ("governments[0].spy_usd_per_turn", 1.0, False),  # the top of its range fits the state's range
    ("markets[0].usd_per_year", 0.0, True),  # a market with no spending stays empty (was NaN cash)
    ("rules.chips.smuggle_premium", 0.0, False),  # a zero floor for the premium (was NaN chips)
    ("rules.safety.incident_reputation", 1.0, False),  # a withdrawn model costs all reputation, not below 0
    ("rules.research.efficiency_elasticity", 1.0, False),  # the top of its range stays within 40 OOM
])
def test_numbers_that_once_left_the_range_play_to_the_end(label, where, first_only):
    """Edges the exhaustive run below found: each plays to the end with every number finite."""
    spec, paths = GROUPS[label]
    data = copy.deepcopy(BASE)
    set_paths(data, paths[:1] if first_only else paths, value_in_range(spec, where))
    assert play_through(data) is not None


@pytest.mark.skipif(not os.environ.get("RACEGAME_EXHAUSTIVE"), reason="about eight minutes: RACEGAME_EXHAUSTIVE=1 runs it")
def test_every_number_at_each_end_of_its_range_plays_finite():
    """Each field (in every lab, grid, ...) at each end of its range, the others as shipped;
    if the meaning layer refuses that, the field of the first lab (grid, ...) only. Run it after
    adding keys to the level format."""
    failed, played = [], 0
    for label, (spec, paths) in sorted(GROUPS.items()):
        for where in (0.0, 1.0):
            for subset in (paths, paths[:1]):
                data = copy.deepcopy(BASE)
                set_paths(data, subset, value_in_range(spec, where))
                try:
                    if play_through(data) is None:
                        continue
                except Exception as exc:  # noqa: BLE001 - every field that fails is named below
                    failed.append(f"{label} = {value_in_range(spec, where)}: {type(exc).__name__}: {exc}")
                played += 1
                break
    assert played > 400 and not failed, "\n".join(failed)


def test_the_old_nan_level_is_refused_at_load():
    data = copy.deepcopy(BASE)
    data["markets"][0]["usd_per_year"] = 1e308
    with pytest.raises(LevelError, match=r"markets\[0\] \('west'\).usd_per_year: expected a number from 0 to 1e\+15"):
        validate_level(data, "nan.toml")


def test_a_game_leaving_the_range_is_refused_in_words():
    data = copy.deepcopy(BASE)
    data["markets"][0]["usd_per_year"] = 1e308  # past the level format's range, as an older version allowed
    model = RaceModel(Level(id="big", path="big.toml", data=data), rng=1)
    with pytest.raises(RangeError) as info:
        while model.running:
            model.step()
    text = str(info.value)
    # Saturating AI spending holds the market back for a while; the message still says when.
    assert "big.toml" in text and "seed 1" in text and re.search(r"after \d+ turns?,", text) and "replica 0" in text
    assert "state.cash of lab '" in text and "make them smaller" in text


@pytest.fixture
def narrow_cash(monkeypatch):
    """A cash range the baseline leaves within a few turns: what a broken level does."""
    monkeypatch.setitem(limits.VALUE_RANGES, "cash", (-1e9, 1e11))


def test_run_refuses_and_writes_no_history(narrow_cash, tmp_path, capsys):
    history = tmp_path / "h.csv"
    assert main(["run", "--seed", "1", "--history", str(history)]) == 2
    err = capsys.readouterr().err
    assert "state.cash" in err and "Traceback" not in err and "nan" not in err
    assert list(tmp_path.iterdir()) == []  # no history, and no temporary file left behind


def test_batch_refuses_and_writes_no_blank_cells(narrow_cash, tmp_path, capsys):
    out = tmp_path / "b.csv"
    assert main(["batch", "--runs", "4", "--seed", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "state.cash" in err and "replica" in err and "Traceback" not in err
    assert not out.exists()


def test_csv_cells_refuse_non_finite_numbers():
    assert csv_cells(np.array([1.5, -2.0]), "x") == ["1.5", "-2.0"]
    for bad in (np.nan, np.inf, -np.inf):
        with pytest.raises(RangeError, match="column 'cash_usd', row 2"):
            csv_cells(np.array([1.0, bad]), "cash_usd")
    assert csv_cells(np.array([np.nan, 27.0]), "us_best_capability", blank_nan=True) == ["", "27.0"]
    with pytest.raises(RangeError):
        csv_cells(np.array([np.inf]), "us_best_capability", blank_nan=True)  # a blank means none, never overflow


def test_csv_cells_neutralise_formulas_but_not_numbers():
    text = csv_cells(np.array(["=cmd|' /C calc'!A0", "+1", "-x", "@SUM(A1)", "plain", "AT&T"]), "lab_name")
    assert text == ["'=cmd|' /C calc'!A0", "'+1", "'-x", "'@SUM(A1)", "plain", "AT&T"]
    assert csv_cells(np.array([-1, 2]), "turns_played") == ["-1", "2"]
    assert csv_cells(np.array([-0.5]), "x") == ["-0.5"]


def test_summarize_refuses_a_file_with_blank_figures(tmp_path, capsys):
    path = tmp_path / "old.csv"
    path.write_text("replica,seed,outcome,winner,winner_country,agi_lab,agi_turn,catastrophe,turns_played,"
                    "us_best_capability,us_cash_usd\n0,1,safe_agi,x,us,x,3,0,4,,\n1,1,horizon,,,,-1,0,32,,5.0\n")
    assert main(["summarize", str(path)]) == 2
    err = capsys.readouterr().err
    assert "us_cash_usd" in err and "row 2" in err and "us_best_capability" not in err  # a blank there means no lab


def test_a_forecast_whose_futures_leave_the_range_is_refused_in_words(monkeypatch):
    """Futures are checked as they end, not every turn (the game itself is): a future that
    leaves the range still never reaches the futures screen's charts."""
    from racegame import forecast

    model = RaceModel("baseline", rng=1)
    monkeypatch.setitem(limits.VALUE_RANGES, "cash", (-1e9, 1e11))
    with pytest.raises(RangeError, match=r"state\.cash of lab '.*make them smaller"):
        forecast(model, runs=50, turns=8)
    assert model.state.turn == 0 and model.running  # the game itself is untouched
