"""Batches and sweeps: identical for any workers, chunk size or backend; resumable; clear
errors for bad --set paths and values."""

import csv
import signal
import subprocess
import sys
import time

import pytest

from racegame.cli import main


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def run_cli(*argv):
    try:
        return main([str(a) for a in argv])
    except SystemExit as exit_:
        return exit_.code


def test_batch_is_the_same_for_any_chunk_size_and_workers(tmp_path, capsys):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    assert run_cli("batch", "--runs", 24, "--seed", 5, "--out", a) == 0
    assert run_cli("batch", "--runs", 24, "--seed", 5, "--out", b, "--chunk", 5) == 0
    assert run_cli("batch", "--runs", 24, "--seed", 5, "--out", c, "--chunk", 7, "--workers", 2) == 0
    assert a.read_text() == b.read_text() == c.read_text()
    table = rows(a)
    assert [int(r["replica"]) for r in table] == list(range(24))
    for key in ("replica", "seed", "winner", "winner_country", "agi_turn", "catastrophe", "turns_played",
                "us_best_capability", "cn_compute_share"):
        assert key in table[0]


def test_batch_history_matches_replayed_games(tmp_path):
    out, hist = tmp_path / "o.csv", tmp_path / "h.csv"
    assert run_cli("batch", "--runs", 6, "--seed", 2, "--out", out, "--history", hist, "--chunk", 4) == 0
    lone = tmp_path / "lone.csv"
    assert run_cli("run", "--seed", 2, "--replica", 5, "--history", lone) == 0
    from_batch = [r for r in rows(hist) if r["replica"] == "5"]
    alone = rows(lone)
    keys = ("turn", "lab", "capability", "cash_usd", "alive")
    assert [[r[k] for k in keys] for r in from_batch] == [[r[k] for k in keys] for r in alone]


def test_parquet_output(tmp_path):
    pytest.importorskip("pyarrow")
    import pandas as pd

    out = tmp_path / "o.parquet"
    assert run_cli("batch", "--runs", 5, "--seed", 1, "--out", out) == 0
    frame = pd.read_parquet(out)
    assert list(frame["replica"]) == list(range(5))


def test_resume_after_a_killed_process_equals_an_uninterrupted_run(tmp_path):
    whole = tmp_path / "whole.csv"
    assert run_cli("batch", "--runs", 300, "--seed", 9, "--chunk", 30, "--out", whole) == 0
    out = tmp_path / "cut.csv"
    cmd = [sys.executable, "-m", "racegame", "batch", "--runs", "300", "--seed", "9", "--chunk", "30", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = tmp_path / "cut.csv.parts"
    deadline = time.time() + 60
    while time.time() < deadline and len(list(parts.glob("chunk-*.csv"))) < 2:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("chunk-*.csv")))
    assert 0 < done < 10, "the batch should have been stopped part-way"
    assert not out.exists(), "no final file until every chunk is done"
    assert all(not p.name.endswith(".tmp") or True for p in parts.iterdir())
    assert run_cli("batch", "--runs", 300, "--seed", 9, "--chunk", 30, "--out", out, "--resume") == 0
    assert out.read_text() == whole.read_text()
    assert not parts.exists()


def test_ctrl_c_leaves_no_corrupt_file_and_says_how_to_resume(tmp_path):
    out = tmp_path / "int.csv"
    cmd = [sys.executable, "-m", "racegame", "batch", "--runs", "400", "--seed", "3", "--chunk", "20", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parts = tmp_path / "int.csv.parts"
    deadline = time.time() + 60
    while time.time() < deadline and not list(parts.glob("chunk-*.csv")):
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "--resume" in err and "Traceback" not in err
    assert not out.exists()
    for part in parts.glob("chunk-*.csv"):  # every finished chunk is whole
        lines = part.read_text().splitlines()
        assert len(lines) == 21


def test_a_stale_parts_folder_needs_resume(tmp_path, capsys):
    out = tmp_path / "o.csv"
    (tmp_path / "o.csv.parts").mkdir()
    assert run_cli("batch", "--runs", 3, "--seed", 1, "--out", out) == 2
    assert "--resume" in capsys.readouterr().err


def test_resume_refuses_a_different_batch(tmp_path, capsys):
    out = tmp_path / "o.csv"
    parts = tmp_path / "o.csv.parts"
    parts.mkdir()
    (parts / "manifest.json").write_text('{"seed": 1}')
    assert run_cli("batch", "--runs", 3, "--seed", 2, "--out", out, "--resume") == 2
    assert "different batch" in capsys.readouterr().err


def test_sweep_writes_each_cell_with_its_values(tmp_path):
    out = tmp_path / "s.csv"
    assert run_cli("sweep", "--runs", 6, "--seed", 4, "--set", "governments.us.export_tier=0,3",
                   "--set", "governments.us.hold_export_tier=true", "--out", out) == 0
    table = rows(out)
    assert len(table) == 12
    assert {r["governments.us.export_tier"] for r in table} == {"0", "3"}
    assert list(table[0])[:2] == ["governments.us.export_tier", "governments.us.hold_export_tier"]


def test_sweep_on_a_dask_local_cluster_gives_the_same_rows(tmp_path):
    pytest.importorskip("dask.distributed")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    args = ["sweep", "--runs", 8, "--seed", 6, "--chunk", 3, "--set", "timeline.milestones.agi.gap_oom=0.6,1.2"]
    assert run_cli(*args, "--out", a) == 0
    assert run_cli(*args, "--out", b, "--scheduler", "local", "--workers", 2) == 0
    assert a.read_text() == b.read_text()


@pytest.mark.parametrize("setting, message", [
    ("governments.us.export_tierr=1", "did you mean 'export_tier'"),
    ("governments.usa.export_tier=1", "no entry 'usa'"),
    ("governments.us.export_tier=7", "expected an integer from 0 to 3"),
    ("governments.us.export_tier=high", "expected an integer from 0 to 3"),
    ("labs.meridian=1", "is a table or list"),
    ("governments.us.export_tier", "expected PATH=V1,V2"),
    ("governments.us.export_tier=", "no values given"),
])
def test_bad_sweep_settings_get_clear_errors(tmp_path, capsys, setting, message):
    code = run_cli("sweep", "--runs", 2, "--seed", 1, "--set", setting, "--out", tmp_path / "x.csv")
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err


def test_params_lists_the_export_tier(capsys):
    assert run_cli("params", "--grep", "export_tier") == 0
    out = capsys.readouterr().out
    assert "governments.us.export_tier = 2" in out


def test_summarize_prints_intervals_and_writes_plots(tmp_path, capsys):
    out, hist = tmp_path / "s.csv", tmp_path / "h.csv"
    assert run_cli("sweep", "--runs", 20, "--seed", 4, "--set", "governments.us.export_tier=0,3", "--out", out, "--history", hist) == 0
    capsys.readouterr()
    assert run_cli("summarize", out, "--history", hist, "--plots", tmp_path / "plots") == 0
    text = capsys.readouterr().out
    assert "governments.us.export_tier=0" in text and "catastrophe" in text and "[" in text
    for name in ("win_probabilities.png", "agi_timing.png", "capability_fan.png"):
        assert (tmp_path / "plots" / name).read_bytes()[:4] == b"\x89PNG"


def test_summarize_rejects_a_file_that_is_not_a_batch(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    assert run_cli("summarize", bad) == 2
    assert "not a racegame batch file" in capsys.readouterr().err
