"""Levels: every shipped level validates and plays; bad files get clear errors."""

import copy
import math
import os
import tomllib

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fuzzing import hostile_values, perturbed, toml_text, value_at
from racegame.errors import LevelError, RaceError, RangeError
from racegame.headless import summary_text
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


# --- hostile files: each is refused with the project's own error, in words ---

PASSWD = "/etc/passwd" if os.path.exists("/etc/passwd") else __file__

HOSTILE_FILES = {
    "deep brackets": ('id = "x"\nx = ' + "[" * 5000 + "]" * 5000, "nested 5000 deep"),
    "deep dotted keys": ('id = "x"\n' + ".".join(["a"] * 5000) + " = 1", "nested more than 32 deep"),
    "deep tables": ('id = "x"\n[' + ".".join(["a"] * 500) + "]", "nested more than 32 deep"),
    "5000-digit integer": ('extends = "baseline"\nid = "x"\n[victory]\nscore_cash = ' + "9" * 5000, "not valid TOML"),
    "400-digit integer": ('extends = "baseline"\nid = "x"\n[victory]\nscore_cash = ' + "9" * 400, "ordinary size"),
    "1e308 market": ('extends = "baseline"\nid = "x"\n[[markets]]\nid = "west"\nusd_per_year = 1e308',
                     "usd_per_year: expected a number from 0 to 1e+15"),
    "extends a system file": (f'extends = "{PASSWD}"\nid = "x"', "expected a shipped level id"),
    "extends /proc": ('extends = "/proc/self/status"\nid = "x"', "expected a shipped level id"),
    "extends a binary": ('extends = "/bin/ls"\nid = "x"', "expected a shipped level id"),
    "extends up a folder": ('extends = "../x.toml"\nid = "x"', "expected a shipped level id"),
    "extends a list": ('extends = ["baseline"]\nid = "x"', "expected a level id or NAME.toml"),
    "extends itself": ('extends = "level.toml"\nid = "x"', "leads round in a circle"),
    "extends a missing file": ('extends = "nowhere.toml"\nid = "x"', "no level file 'nowhere.toml'"),
    "extends an unknown id": ('extends = "basline"\nid = "x"', "did you mean 'baseline'"),
    "remove = 5": ('extends = "baseline"\nid = "x"\nremove = 5', "remove: expected a list of texts"),
    "remove a number": ('extends = "baseline"\nid = "x"\nremove = [5]', "remove: expected a list of texts"),
    "a list as a lab id": ('extends = "baseline"\nid = "x"\n[[labs]]\nid = ["meridian"]', "labs[9].id: expected text"),
    "a table as a lab id": ('extends = "baseline"\nid = "x"\n[[labs]]\nid = {a = 1}', "labs[9].id: expected text"),
    "a NUL in a name": ('extends = "baseline"\nid = "x"\n[[labs]]\nid = "meridian"\nname = "a\\u0000b"',
                        "name: control character U+0000"),
    "an escape in a blurb": ('extends = "baseline"\nid = "x"\n[[labs]]\nid = "meridian"\nblurb = "\\u001b[2J"',
                             "control character U+001B"),
    "NaN cash": ('extends = "baseline"\nid = "x"\n[[labs]]\nid = "meridian"\ncash_usd = nan', "NaN and infinities"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_level_files_are_refused_in_words(tmp_path, name):
    text, message = HOSTILE_FILES[name]
    path = tmp_path / "level.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RaceError) as info:
        load_level(path)
    assert message in str(info.value)
    assert str(path) in str(info.value) and "root:" not in str(info.value)  # never another file's contents


def test_a_level_file_that_is_too_large_is_refused_unread(tmp_path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * 10_000_000)
    with pytest.raises(LevelError, match="larger than 2000000 bytes"):
        load_level(path)
    child = tmp_path / "child.toml"
    child.write_text('extends = "big.toml"\nid = "child"\n')
    with pytest.raises(LevelError, match="in 'big.toml', which it extends .*larger than 2000000 bytes"):
        load_level(child)


def test_extends_takes_a_level_file_beside_it(tmp_path):
    base = [p for p in SHIPPED if p.stem == "tutorial"][0]
    (tmp_path / "my_base.toml").write_text(base.read_text(encoding="utf-8").replace('id = "tutorial"', 'id = "my_base"'))
    child = tmp_path / "child.toml"
    child.write_text('extends = "my_base.toml"\nid = "child"\ntitle = "Mine"\n')
    level = load_level(child)
    assert level.id == "child" and level.title == "Mine" and level.lab_ids() == load_level("tutorial").lab_ids()


def test_extends_refuses_a_link_out_of_the_folder(tmp_path):
    (tmp_path / "passwd.toml").symlink_to(PASSWD)
    child = tmp_path / "child.toml"
    child.write_text('extends = "passwd.toml"\nid = "child"\n')
    with pytest.raises(LevelError, match="a link to a file in another folder") as info:
        load_level(child)
    assert "root:" not in str(info.value)


def test_check_exits_2_for_a_bad_level_and_never_shows_a_traceback(tmp_path, capsys):
    from racegame.cli import main

    for name, (text, message) in HOSTILE_FILES.items():
        path = tmp_path / "level.toml"
        path.write_text(text, encoding="utf-8")
        assert main(["check", str(path)]) == 2, name
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, name


# --- fuzzing: whatever a level file holds, loading either works or raises the project's error ---

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
REMOVABLE = [f"{section}.{row['id']}" for section in ("labs", "events", "chips") for row in BASE[section]]


def _mutate(raw, mutations):
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


def _load_or_refuse(text):
    """Load, then play a few turns: anything but the project's own errors fails the test."""
    try:
        level = parse_level_text(text, "fuzz.toml")
    except LevelError as exc:
        assert exc.problems and all(isinstance(p, str) and p and len(p) < 2000 for p in exc.problems)
        return "refused"
    model = RaceModel(level=level, rng=1)
    try:
        for _ in range(4):
            model.step()  # the model checks every number of the state after each turn
    except RangeError:
        return "out of range"
    assert "nan" not in summary_text(model).lower().replace("financ", "")
    return "played"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), extends=st.booleans(),
       remove=st.none() | hostile_values | st.lists(st.sampled_from(REMOVABLE + ["labs.nosuch", "nothing", "x.y.z"]), max_size=2))
def test_fuzzed_levels_load_or_fail_cleanly(data, extends, remove):
    """Huge finite numbers, integers beyond 64 bits, NaN, wrong types at any depth, deep
    nesting, markup and control characters anywhere in the baseline, or values of the right
    kind in odd places; laid over the baseline with ``extends`` (and ``remove``) or as a whole
    level; written out as TOML text."""
    raw = copy.deepcopy(BASE)
    mutations = []
    for path in data.draw(st.lists(st.sampled_from(ALL_PATHS), min_size=1, max_size=4)):
        value = data.draw(hostile_values | perturbed(value_at(BASE, path)))
        mutations.append((path, value, data.draw(st.booleans())))
    _mutate(raw, mutations)
    if extends:
        raw = {"extends": "baseline", **raw, "remove": remove}
    event(_load_or_refuse(toml_text(raw)))  # --hypothesis-show-statistics: how many played


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_fuzzed_text_is_a_level_error(text):
    try:
        parse_level_text(text, "fuzz.toml")
    except LevelError:
        pass


# --- the steal_model effect: a scripted theft of a frontier model ---

def _with_event(**event):
    return {"extends": "baseline", "id": "x", "events": [{"id": "heist", "title": "Heist", "effect": "steal_model", **event}]}


def _heist(**event):
    return parse_level_text(toml_text(_with_event(**event)), "heist.toml")


def test_a_scripted_theft_gives_the_thief_the_leaders_model_and_angers_the_victim():
    level = _heist(target="cn", turn=0, amount=1.0)
    model = RaceModel(level=level, rng=3)
    s, rules = model.state, model.rules
    us, cn = rules.country_ids.index("us"), rules.country_ids.index("cn")
    us_best = s.capability[0][s.country[0] == us].max()
    cn_best = s.capability[0][s.country[0] == cn].max()
    assert us_best - rules.at(0)["adaptation_oom"] > cn_best  # the theft is worth it
    tension = s.tension[0, us]
    model.step()
    e = rules.event_ids.index("heist")
    victim = model.report.event_lab[0, e]
    assert victim >= 0 and s.country[0, victim] == us
    after = model.state
    assert after.capability[0][after.country[0] == cn].max() >= us_best - rules.at(0)["adaptation_oom"] - 1e-9
    assert after.tension[0, us] > tension  # discovered (amount 1): the US grows hostile
    assert any("Heist" in n.text or n.lab == victim for n in model.news)


def test_a_theft_with_no_rival_ahead_changes_nothing():
    level = _heist(target="us", turn=0, amount=1.0)  # the US leads: nobody to rob
    model = RaceModel(level=level, rng=3)
    model.step()
    assert model.report.event_lab[0, model.rules.event_ids.index("heist")] == -1


@pytest.mark.parametrize("amount", [-0.1, 1.5])
def test_a_theft_discovery_chance_outside_0_1_is_refused(amount):
    with pytest.raises(LevelError, match=r"events\[\d+\] \('heist'\).amount: the chance a theft is discovered is 0..1"):
        _heist(target="cn", turn=0, amount=amount)


def test_a_theft_must_target_a_government():
    with pytest.raises(LevelError, match="not a known government"):
        _heist(target="tempo", turn=0, amount=0.5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(["us", "cn", "tempo", "", "nosuch"]) | hostile_values,
       amount=st.floats(-0.5, 1.5) | hostile_values,
       turn=st.integers(-1, 40) | hostile_values,
       probability=st.floats(0, 1) | hostile_values,
       once=st.booleans() | hostile_values)
def test_fuzzed_thefts_load_or_fail_cleanly(target, amount, turn, probability, once):
    """A steal_model event with any target, discovery chance, turn or chance either plays
    or is refused in words."""
    raw = _with_event(target=target, amount=amount, turn=turn, probability=probability, once=once)
    event(_load_or_refuse(toml_text(raw)))


# --- sites under construction: approved by the grid, or waiting in its queue ---

def _construction_level(share) -> str:
    value = "" if share is None else f", approved_share = {share}"
    return ('format = 1\nid = "x"\ntitle = "x"\nextends = "baseline"\n[[labs]]\nid = "keel"\n'
            f'construction = [ {{ grid = "virginia", mw = 700, turns = 3{value} }} ]\n')


def test_a_site_not_yet_approved_waits_in_the_grid_queue():
    from racegame.engine.params import build_rules
    from racegame.engine.setup import initial_state

    states = {}
    for share in (None, 1, 0.25, 0):
        level = parse_level_text(_construction_level(share), "x.toml")
        rules = build_rules(level)
        states[share] = initial_state(level, rules, 1)
    keel, virginia = rules.lab_ids.index("keel"), rules.grid_ids.index("virginia")
    at = (0, keel, virginia)
    assert states[None].approved[at] == states[1].approved[at]  # approved unless it says not
    for share in (0.25, 0):
        assert states[1].approved[at] - states[share].approved[at] == pytest.approx(700.0 * (1 - share))
        assert states[share].queued[at] - states[1].queued[at] == pytest.approx(700.0 * (1 - share))
    # The grid's queue says so from the first turn: the site adds to everyone's wait.
    grid = level.data["grids"][virginia]
    extra = 700.0 / grid["approvals_mw_per_turn"]
    assert states[0].queue_wait[0, virginia] == pytest.approx(states[1].queue_wait[0, virginia] + extra)


def test_a_site_waiting_for_the_grid_is_connected_by_approvals_not_at_once():
    model = RaceModel(level=parse_level_text(_construction_level(0), "x.toml"), rng=1)
    keel, virginia = model.rules.lab_ids.index("keel"), model.rules.grid_ids.index("virginia")
    model.step()
    s = model.state
    assert 0.0 < s.approved[0, keel, virginia] < 700.0  # a share of this turn's approvals
    assert s.queued[0, keel, virginia] > 0.0


@pytest.mark.parametrize("bad", ['"half"', "-0.1", "1.5", "nan", "inf", "[]", "{}", "true"])
def test_an_approved_share_outside_0_1_is_refused_in_words(bad):
    with pytest.raises(LevelError) as caught:
        parse_level_text(_construction_level(bad), "site.toml")
    text = str(caught.value)
    assert "site.toml" in text and "approved" in text
