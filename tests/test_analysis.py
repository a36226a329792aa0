"""The analysts' tools: the reference engine from the command line, one turn numbering,
Parquet with nulls and provenance, designs (grid, lhs, sobol, morris), sensitivity indices,
paired differences, the Python experiment API and the EMA Workbench adapter."""

import csv
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from racegame.cli import main
from racegame.errors import RaceError
from racegame.level.loader import load_level


def run_cli(*argv):
    try:
        return main([str(a) for a in argv])
    except SystemExit as exit_:
        return exit_.code


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def baseline():
    return load_level("baseline")


# -- fixes -------------------------------------------------------------------------

def test_reference_engine_plays_a_batch_like_the_vectorised_one(tmp_path):
    ref, vec = tmp_path / "r.csv", tmp_path / "v.csv"
    assert run_cli("batch", "--runs", 2, "--seed", 3, "--turns", 3, "--out", ref, "--engine", "reference") == 0
    assert run_cli("batch", "--runs", 2, "--seed", 3, "--turns", 3, "--out", vec) == 0
    a, b = rows(ref), rows(vec)
    assert not (tmp_path / "r.csv.parts").exists()
    for x, y in zip(a, b):
        for key, value in x.items():
            try:
                assert float(value) == pytest.approx(float(y[key]), rel=1e-9, abs=1e-9), key
            except ValueError:
                assert value == y[key], key


def test_reference_engine_from_run_and_the_model(capsys):
    from racegame import RaceModel

    assert run_cli("run", "--seed", 2, "--turns", 2, "--engine", "reference", "--json") == 0
    assert json.loads(capsys.readouterr().out)["turns_played"] == 2
    model = RaceModel(level="baseline", rng=2, replicas=2, turns=2, engine="reference")
    while model.running:
        model.step()
    assert model.state.turn == 2


def test_a_batch_that_fails_leaves_no_parts_folder(tmp_path, monkeypatch, capsys):
    import racegame.analysis.batch as batch

    def broken(*args, **kwargs):
        raise RaceError("broken on purpose")

    monkeypatch.setattr(batch, "play_chunk", broken)
    out = tmp_path / "o.csv"
    assert run_cli("batch", "--runs", 2, "--seed", 1, "--out", out) == 2
    assert not (tmp_path / "o.csv.parts").exists()
    monkeypatch.undo()
    assert run_cli("batch", "--runs", 2, "--seed", 1, "--turns", 1, "--out", out) == 0  # no --resume needed


def test_turns_count_from_one_in_batch_history_and_run(tmp_path, capsys):
    out, hist = tmp_path / "o.csv", tmp_path / "h.csv"
    assert run_cli("batch", "--runs", 12, "--seed", 1, "--out", out, "--history", hist) == 0
    table = rows(out)
    ended = [r for r in table if r["agi_turn"]]
    assert ended, "some game should reach AGI"
    rules_date = {int(r["turn"]): r["date"] for r in rows(hist) if r["replica"] == ended[0]["replica"]}
    assert min(rules_date) == 1
    for r in ended:
        assert int(r["agi_turn"]) == int(r["turns_played"])  # the game ends in the turn AGI comes
    assert ended[0]["agi_date"] == rules_date[int(ended[0]["agi_turn"])]  # the AGI turn's start month
    for r in table:
        if not r["agi_turn"]:
            assert r["agi_date"] == "" and r["outcome"] in ("horizon", "running")
    capsys.readouterr()
    assert run_cli("run", "--seed", 1, "--replica", ended[0]["replica"], "--json") == 0
    ending = json.loads(capsys.readouterr().out)["ending"]
    assert ending["agi_turn"] == int(ended[0]["agi_turn"]) and ending["agi_date"] == ended[0]["agi_date"]


def test_parquet_has_nulls_a_level_column_and_provenance(tmp_path):
    pytest.importorskip("pyarrow")
    import pandas as pd
    import pyarrow.parquet as pq

    out, hist, hist_csv = tmp_path / "o.parquet", tmp_path / "h.parquet", tmp_path / "h.csv"
    assert run_cli("batch", "--runs", 6, "--seed", 4, "--turns", 3, "--out", out, "--history", hist, "--chunk", 4) == 0
    assert run_cli("batch", "--runs", 6, "--seed", 4, "--turns", 3, "--out", tmp_path / "o.csv", "--history", hist_csv,
                   "--chunk", 4) == 0
    frame = pd.read_parquet(out)
    assert frame["winner"].isna().all() and frame["agi_turn"].isna().all()  # 3 turns: nobody wins
    assert set(frame["level"]) == {"baseline"}
    schema = pq.read_schema(out)
    assert str(schema.field("winner").type) == "string" and str(schema.field("agi_turn").type) == "int64"
    meta = json.loads(schema.metadata[b"racegame"])
    for key in ("level", "level_file_sha256", "level_sha256", "seed", "racegame_version", "parameters", "command"):
        assert key in meta, key
    assert meta["seed"] == 4 and meta["level"] == "baseline" and "batch" in meta["command"]
    sidecar = json.loads((tmp_path / "o.parquet.json").read_text())
    assert sidecar["level_sha256"] == meta["level_sha256"] and not (tmp_path / "o.parquet.parts").exists()
    history, from_csv = pd.read_parquet(hist), pd.read_csv(hist_csv)
    assert list(history.columns) == list(from_csv.columns) and len(history) == len(from_csv)
    assert history["turn"].min() == 1
    assert np.array_equal(history["capability"].to_numpy(), from_csv["capability"].to_numpy())
    assert run_cli("summarize", out) == 0


# -- designs -----------------------------------------------------------------------

from racegame.analysis.designs import make_design, parse_set  # noqa: E402


@pytest.mark.parametrize("kind, samples, cells", [("grid", 3, 2 * 3), ("lhs", 5, 2 * 5),
                                                  ("sobol", 4, 2 * 4 * (2 + 2)), ("morris", 3, 2 * 3 * (2 + 1))])
def test_designs_give_the_right_number_of_cells(baseline, kind, samples, cells):
    axes = [parse_set("governments.us.export_tier=0,3", baseline), parse_set("labs.keel.cash_usd=1e9:5e9", baseline)]
    if kind != "grid":
        axes.append(parse_set("grids.texas.approvals_mw_per_turn=100:800", baseline))
    design = make_design(baseline, axes, kind, samples, seed=7)
    assert len(design.cells) == (cells if kind != "grid" else 2 * 3)
    again = make_design(baseline, axes, kind, samples, seed=7)
    assert again.cells == design.cells  # seeded: the same command gives the same cells
    if kind != "grid":
        other = make_design(baseline, axes, kind, samples, seed=8)
        assert other.cells != design.cells
        values = [o["labs.keel.cash_usd"] for o, _ in design.cells]
        assert min(values) >= 1e9 and max(values) <= 5e9


def test_integer_ranges_give_whole_numbers(baseline):
    design = make_design(baseline, [parse_set("governments.us.export_tier=0:3", baseline)], "lhs", 8, seed=1)
    assert {type(o["governments.us.export_tier"]) for o, _ in design.cells} == {int}


@pytest.mark.parametrize("sets, design, samples, words", [
    (["labs.keel.cash_usd=5e9:1e9"], "lhs", 4, "above HI"),
    (["labs.keel.cash_usd=-1:1e9"], "lhs", 4, "outside what"),
    (["labs.keel.cahs_usd=1:2"], "lhs", 4, "did you mean"),
    (["labs.keel.cash_usd=1:2"], "sobol", 3, "power of 2"),
    (["labs.keel.cash_usd=1:2"], "sobol", None, "needs --samples"),
    (["labs.keel.cash_usd=1:2"], "grid", None, "points per range"),
    (["labs.keel.cash_usd=1:2"], "latin", 4, "expected one of"),
    (["governments.us.export_tier=0,3"], "lhs", 4, "at least one --set PATH=LO:HI"),
    (["governments.us.hold_export_tier=0:1"], "lhs", 4, "true/false"),
    (["labs.keel.cash_usd=1:2", "labs.keel.cash_usd=3:4"], "lhs", 4, "twice"),
    (["labs.keel.cash_usd=1:x"], "lhs", 4, "not a number"),
])
def test_bad_designs_and_ranges_are_one_line_errors(tmp_path, capsys, sets, design, samples, words):
    argv = ["sweep", "--runs", 1, "--seed", 1, "--out", tmp_path / "s.csv", "--design", design]
    for s in sets:
        argv += ["--set", s]
    if samples is not None:
        argv += ["--samples", samples]
    assert run_cli(*argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "s.csv.parts").exists()


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789.-+:eE,naifINF x", max_size=14))
def test_range_strings_never_crash(baseline, text):
    try:
        axis = parse_set("labs.keel.cash_usd=" + text, baseline)
    except RaceError:
        return
    if axis.is_range:
        assert 0 <= axis.lo <= axis.hi


# -- sensitivity, paired differences, plots -------------------------------------------

@pytest.mark.parametrize("kind", ["sobol", "morris"])
def test_sensitivity_indices_on_a_tiny_sweep(tmp_path, capsys, kind):
    pytest.importorskip("SALib")
    out = tmp_path / "s.csv"
    assert run_cli("sweep", "--runs", 2, "--seed", 5, "--turns", 2, "--design", kind, "--samples", 2,
                   "--set", "labs.keel.cash_usd=1e9:5e9", "--set", "grids.texas.approvals_mw_per_turn=100:800",
                   "--out", out) == 0
    table = rows(out)
    assert len(table) == 2 * 2 * (2 + (2 if kind == "sobol" else 1))
    assert json.loads((tmp_path / "s.csv.json").read_text())["design"]["kind"] == kind
    capsys.readouterr()
    assert run_cli("summarize", out, "--sensitivity", "--outcome", "us_compute_share") == 0
    text = capsys.readouterr().out
    assert ("S1" in text and "ST" in text) if kind == "sobol" else "mu*" in text
    assert "labs.keel.cash_usd" in text and "grids.texas.approvals_mw_per_turn" in text


def test_sensitivity_needs_a_sobol_or_morris_sweep(tmp_path, capsys):
    out = tmp_path / "b.csv"
    assert run_cli("batch", "--runs", 2, "--seed", 1, "--turns", 1, "--out", out) == 0
    capsys.readouterr()
    assert run_cli("summarize", out, "--sensitivity") == 2
    assert "--design sobol" in capsys.readouterr().err


def test_paired_differences_and_heatmap_for_a_two_parameter_grid(tmp_path, capsys):
    out = tmp_path / "g.csv"
    assert run_cli("sweep", "--runs", 4, "--seed", 2, "--turns", 3, "--set", "governments.us.export_tier=0,3",
                   "--set", "labs.keel.cash_usd=1e9:5e9", "--samples", 2, "--out", out) == 0
    capsys.readouterr()
    assert run_cli("summarize", out, "--plots", tmp_path / "p", "--outcome", "us_compute_share") == 0
    text = capsys.readouterr().out
    assert "paired differences" in text and "us_compute_share" in text and "(4 pairs)" in text
    assert (tmp_path / "p" / "heatmap.png").stat().st_size > 1000


# -- the Python API and EMA ----------------------------------------------------------

def test_run_experiment_with_user_outcomes():
    from racegame.analysis.experiments import run_experiment

    table = run_experiment("baseline", {"governments.us.export_tier": [0, 3], "labs.keel.cash_usd": (1e9, 5e9)},
                           design="lhs", samples=2, runs=3, seed=1, turns=2,
                           outcomes=["us_compute_share", {"best": lambda m: m.state.capability.max(axis=1)}])
    assert len(table) == 2 * 2 * 3
    assert {"cell", "governments.us.export_tier", "labs.keel.cash_usd", "replica", "us_compute_share", "best"} <= set(table)
    per_cell = run_experiment("baseline", {"governments.us.export_tier": [0, 3]}, runs=2, seed=1, turns=1,
                              outcomes=["us_compute_share"], per="cell")
    assert len(per_cell) == 2
    with pytest.raises(RaceError, match="did you mean"):
        run_experiment("baseline", runs=1, turns=1, outcomes=["us_compute_shar"])
    with pytest.raises(RaceError, match="one value per game"):
        run_experiment("baseline", runs=2, turns=1, outcomes={"bad": lambda m: 1.0})


def test_ema_workbench_adapter():
    ema = pytest.importorskip("ema_workbench")
    from racegame.analysis.ema import ema_model

    model = ema_model("baseline", uncertainties={"labs.keel.cash_usd": (1e9, 5e9)},
                      levers={"governments.us.export_tier": [0, 3]},
                      outcomes=("catastrophe", "us_compute_share"), runs=2, seed=1, turns=2)
    with ema.SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=3, policies=2)
    assert len(experiments) == 6 and set(outcomes) == {"catastrophe", "us_compute_share"}
    assert "labs__keel__cash_usd" in experiments.columns
    assert np.all((outcomes["us_compute_share"] > 0) & (outcomes["us_compute_share"] < 1))
    with pytest.raises(RaceError):
        ema_model("baseline", uncertainties={"labs.keel.cash_usd": (5e9, 1e9)})


def test_an_axis_label_breaks_a_parameter_path_at_its_dots_only():
    from racegame.analysis.summarize import _label

    assert _label("rules.diplomacy.pause_notice_months", 30) == "rules.diplomacy.\npause_notice_months"
    assert _label("governments.cn.pool_max", 30) == "governments.cn.pool_max"
    path = "rules.research.reasoning_spillover_per_year"
    lines = _label(path, 12).split("\n")
    assert len(lines) == 3 and "".join(lines) == path  # broken, nothing lost
    for line in lines:  # whole names, never one cut in two
        assert set(line.strip(".").split(".")) <= set(path.split("."))
