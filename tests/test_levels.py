"""Levels: every shipped level validates and plays; bad files get clear errors."""

import copy
import math
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from racegame.errors import LevelError, RaceError
from racegame.level.loader import load_level, parse_level_text, shipped_level_paths, validate_level
from racegame.model import RaceModel

SHIPPED = shipped_level_paths()


def test_there_are_shipped_levels():
    assert "baseline" in [p.stem for p in SHIPPED]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_level_validates_and_plays_to_its_end(path):
    level = load_level(path)
    assert level.id == path.stem, "a level's id must match its file name"
    model = RaceModel(level=level, rng=5)
    while model.running:
        model.step()
    assert model.state.ended.all() or model.state.turn == level.data["time"]["horizon_turns"]
    assert model.state.outcome[0] != 0, "the game must end with an outcome"


def raw_baseline():
    path = [p for p in SHIPPED if p.stem == "baseline"][0]
    return tomllib.loads(path.read_text())


def problems_of(raw):
    with pytest.raises(LevelError) as info:
        validate_level(raw, "test.toml")
    return "\n".join(info.value.problems)


def test_unknown_key_is_an_error_with_a_suggestion():
    raw = raw_baseline()
    raw["labs"][0]["cahs_usd"] = 5
    text = problems_of(raw)
    assert "labs[0] ('meridian').cahs_usd: unknown key" in text
    assert "did you mean 'cash_usd'" in text


def test_error_names_the_file_and_the_key_path(tmp_path):
    raw_text = [p for p in SHIPPED if p.stem == "baseline"][0].read_text()
    broken = raw_text.replace("horizon_turns = 32", 'horizon_turns = "long"')
    path = tmp_path / "broken.toml"
    path.write_text(broken)
    with pytest.raises(LevelError) as info:
        load_level(path)
    message = str(info.value)
    assert str(path) in message
    assert "time.horizon_turns: expected an integer from 1 to 400, got 'long'" in message


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinities_are_errors(bad):
    raw = raw_baseline()
    raw["labs"][1]["cash_usd"] = bad
    assert "NaN and infinities are not allowed" in problems_of(raw)


def test_references_must_resolve_with_a_suggestion():
    raw = raw_baseline()
    raw["labs"][0]["data_centres"][0]["grid"] = "virgina"
    text = problems_of(raw)
    assert "'virgina' is not a known grid" in text and "did you mean 'virginia'" in text


def test_missing_required_key_is_named():
    raw = raw_baseline()
    del raw["labs"][2]["capability"]
    assert "labs[2] ('agora').capability: missing" in problems_of(raw)


def test_duplicate_ids_are_errors():
    raw = raw_baseline()
    raw["labs"][1]["id"] = raw["labs"][0]["id"]
    assert "is used twice in labs" in problems_of(raw)


def test_a_lab_cannot_build_abroad():
    raw = raw_baseline()
    raw["labs"][0]["data_centres"][0]["grid"] = "cn_west"
    assert "a lab builds only in its own country" in problems_of(raw)


def test_every_problem_is_reported_not_just_the_first():
    raw = raw_baseline()
    raw["labs"][0]["cash_usd"] = -1
    raw["grids"][0]["capacity_mw"] = "lots"
    raw["timeline"]["milestones"][0]["gap_oom"] = 99
    assert len(problems_of(raw).splitlines()) == 3


def test_invalid_toml_is_a_level_error():
    with pytest.raises(LevelError, match="not valid TOML"):
        parse_level_text("id = \n[[[", "x.toml")


def test_unknown_level_id_suggests_the_nearest():
    with pytest.raises(RaceError, match="did you mean 'baseline'"):
        load_level("basline")


def test_defaults_are_filled(baseline):
    assert baseline.data["rules"]["compute"]["pue"] == pytest.approx(1.3)
    assert baseline.data["archetypes"]["rapid_builder"]["onsite_share"] > 0


# --- fuzzing: whatever a level file holds, loading either works or raises LevelError ---

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


BASE = raw_baseline()
ALL_PATHS = list(_paths(BASE))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), scalars, st.booleans()), min_size=1, max_size=4))
def test_fuzzed_levels_load_or_fail_cleanly(mutations):
    raw = copy.deepcopy(BASE)
    for path, value, delete in mutations:
        node = raw
        try:
            for key in path[:-1]:
                node = node[key]
            if delete and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        level = validate_level(raw, "fuzz.toml")
    except LevelError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    # A level that validates must also set up and step.
    model = RaceModel(level=level, rng=1)
    model.step()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_fuzzed_text_is_a_level_error(text):
    try:
        parse_level_text(text, "fuzz.toml")
    except LevelError:
        pass
