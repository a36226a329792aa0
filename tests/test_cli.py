"""The command line: every subcommand works headless; bad input gets one clear line."""

import csv
import json

import pytest

from racegame.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_levels_lists_baseline(capsys):
    code, out, _ = run(capsys, "levels")
    assert code == 0 and "baseline" in out


def test_levels_json_has_the_classroom_fields(capsys):
    code, out, _ = run(capsys, "levels", "--json")
    rows = json.loads(out)
    base = [r for r in rows if r["id"] == "baseline"][0]
    for key in ("id", "title", "briefing", "objectives", "injects", "roles"):
        assert key in base
    assert isinstance(base["injects"], list) and base["roles"]


def test_check_accepts_good_and_reports_bad(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("id = 'x'\nformat = 1\n")
    code, out, err = run(capsys, "check", "baseline", str(bad))
    assert code == 2  # bad input, as everywhere; 1 is a crash's code
    assert "baseline: ok" in out
    assert str(bad) in err and "missing" in err and "Traceback" not in err


def test_run_prints_a_summary_and_writes_history_and_save(capsys, tmp_path):
    hist, save = tmp_path / "h.csv", tmp_path / "s.json"
    code, out, _ = run(capsys, "run", "--seed", "4", "--turns", "6", "--history", str(hist), "--save", str(save))
    assert code == 0
    assert "seed 4" in out and "Key events" in out
    rows = list(csv.DictReader(hist.open()))
    need = {"replica", "turn", "date", "lab", "country", "chips_h100e", "compute_flops", "training_flop",
            "capability", "power_mw", "cash_usd", "revenue_usd", "safety"}
    assert need <= set(rows[0])
    assert {r["turn"] for r in rows} == {str(t) for t in range(1, 7)}  # turns from 1, as the game shows them
    assert json.loads(save.read_text())["format"] == "racegame-save"


def test_run_load_continues_a_saved_game(capsys, tmp_path):
    save = tmp_path / "s.json"
    run(capsys, "run", "--seed", "9", "--turns", "3", "--save", str(save))
    code, out, _ = run(capsys, "run", "--load", str(save), "--json")
    assert code == 0
    info = json.loads(out)
    code, out, _ = run(capsys, "run", "--seed", "9", "--json")
    unbroken = json.loads(out)
    assert info["ending"] == unbroken["ending"]
    assert info["standings"] == unbroken["standings"]


def test_run_replica_replays_a_batch_row(capsys, tmp_path):
    out_csv = tmp_path / "b.csv"
    code, _, _ = run(capsys, "batch", "--runs", "5", "--seed", "21", "--out", str(out_csv))
    assert code == 0
    rows = list(csv.DictReader(out_csv.open()))
    assert len(rows) == 5
    row = rows[3]
    code, out, _ = run(capsys, "run", "--seed", "21", "--replica", "3", "--json")
    ending = json.loads(out)["ending"]
    assert ending["outcome"] == row["outcome"]
    assert (ending["winner"] or "") == row["winner"]


@pytest.mark.parametrize("argv, message", [
    (["run", "--seed", "-3"], "expected a number >= 0"),
    (["run", "--turns", "0"], "expected a number >= 1"),
    (["run", "--level", "nowhere"], "no level called 'nowhere'"),
    (["run", "--history", "out.txt"], "expected a file ending in .csv"),
    (["run", "--save", "/no/such/folder/s.json"], "does not exist"),
    (["batch", "--runs", "x", "--seed", "1", "--out", "o.csv"], "expected a whole number"),
    (["balance", "--workers", "0"], "expected a number >= 1"),
    (["balance", "--workers", "64"], "CPUs"),
])
def test_bad_command_line_values_get_a_clear_error(capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse rejects the value before any work starts
        code = exit_.code
    _, err = capsys.readouterr()
    assert code == 2
    assert message in err and "Traceback" not in err


def test_bad_level_name_is_an_error_not_a_traceback(capsys):
    code, _, err = run(capsys, "run", "--level", "basline")
    assert code == 2 and "did you mean 'baseline'" in err and "Traceback" not in err


def test_corrupt_save_is_an_error_not_a_traceback(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{ not json")
    code, _, err = run(capsys, "run", "--load", str(path))
    assert code == 2 and "damaged save" in err and str(path) in err


def test_play_without_a_display_explains_and_points_to_headless_commands(capsys, monkeypatch):
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(var, raising=False)
    code, _, err = run(capsys)
    assert code == 2
    assert "no display" in err and "racegame run" in err


def test_the_largest_seed_saves_and_loads(capsys, tmp_path):
    save = tmp_path / "s.json"
    code, _, _ = run(capsys, "run", "--seed", str(2**63 - 1), "--turns", "2", "--save", str(save))
    assert code == 0
    code, out, _ = run(capsys, "run", "--load", str(save), "--json")
    assert code == 0 and json.loads(out)["seed"] == 2**63 - 1


def test_hostile_names_reach_the_report_and_csv_as_text(capsys, tmp_path):
    """A '$' in a name (matplotlib math text), markup (HTML) and a formula (spreadsheets)."""
    path = tmp_path / "names.toml"
    path.write_text('extends = "tutorial"\nid = "names"\n[[labs]]\nid = "meridian"\n'
                    'name = "=cmd|\' /C calc\'!A0 $x <img src=x> AT&T"\n', encoding="utf-8")
    save, history = tmp_path / "s.json", tmp_path / "h.csv"
    assert run(capsys, "run", "--level", str(path), "--seed", "1", "--save", str(save), "--history", str(history))[0] == 0
    code, _, err = run(capsys, "report", str(save), "--out", str(tmp_path / "r.html"), "--runs", "0")
    assert code == 0 and "Traceback" not in err
    html = (tmp_path / "r.html").read_text()
    assert "&lt;img src=x&gt;" in html and "<img src=x>" not in html
    for csv_path in (history, tmp_path / "r_history.csv"):
        names = {row["lab_name"] for row in csv.DictReader(csv_path.open())}
        assert "'=cmd|' /C calc'!A0 $x <img src=x> AT&T" in names, csv_path  # an apostrophe: text, not a formula
