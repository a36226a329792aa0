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
    for part in parts.glob("chunk-*.csv"):  # a chunk counted as done is whole; a half-written one
        assert len(part.read_text().splitlines()) == 31  # can only be a hidden temporary file
    assert all(p.name.startswith(".") for p in parts.iterdir() if p.name.endswith(".tmp"))
    assert run_cli("batch", "--runs", 300, "--seed", 9, "--chunk", 30, "--out", out, "--resume") == 0
    assert out.read_text() == whole.read_text()
    assert not parts.exists()


def test_ctrl_c_leaves_no_corrupt_file_and_says_how_to_resume(tmp_path):
    out = tmp_path / "int.csv"
    # Long enough (200 chunks, several seconds) that the interrupt lands mid-batch even when
    # this test process is slow to see the first chunk on a loaded machine.
    cmd = [sys.executable, "-m", "racegame", "batch", "--runs", "4000", "--seed", "3", "--chunk", "20", "--out", str(out)]
    # The batch gets Ctrl-C's usual handling even when this suite was started in the
    # background, where the shell leaves SIGINT ignored and the child would inherit that.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
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


def test_sweep_on_a_dask_local_cluster_gives_the_same_rows(tmp_path, capsys):
    pytest.importorskip("dask.distributed")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    args = ["sweep", "--runs", 8, "--seed", 6, "--chunk", 3, "--set", "timeline.milestones.agi.gap_oom=0.6,1.2"]
    assert run_cli(*args, "--out", a) == 0
    assert "Dask dashboard" not in capsys.readouterr().err
    assert run_cli(*args, "--out", b, "--scheduler", "local", "--workers", 2) == 0
    assert a.read_text() == b.read_text()
    # Where to watch the workers: the dashboard's address, or why there is none.
    dashboard = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Dask dashboard: ")]
    assert len(dashboard) == 1 and ("http://" in dashboard[0] or "bokeh" in dashboard[0])


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


def test_a_second_run_on_the_same_output_stops_at_once(tmp_path, capsys):
    from racegame.analysis.batch import _lock

    out = tmp_path / "o.csv"
    parts = tmp_path / "o.csv.parts"
    parts.mkdir()
    lock = _lock(parts)  # as a running batch holds it (a lock dies with its process: no stale locks)
    try:
        assert run_cli("batch", "--runs", 3, "--seed", 1, "--out", out, "--resume") == 2
        assert "in use by another racegame run" in capsys.readouterr().err
    finally:
        lock.close()
    assert list(parts.iterdir()) == [parts / "lock"]  # the second run touched nothing
    assert not out.exists()


def _full_disk(after: int):
    """write_csv that fails like a full disk from its ``after``-th call on."""
    import errno

    from racegame.analysis import batch

    real, calls = batch.write_csv, []

    def write_csv(path, columns):
        calls.append(path)
        if len(calls) > after:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, columns)

    return write_csv


def test_a_full_disk_keeps_finished_chunks_for_resume(tmp_path, capsys, monkeypatch):
    whole = tmp_path / "whole.csv"
    assert run_cli("batch", "--runs", 9, "--seed", 2, "--chunk", 3, "--out", whole) == 0
    out = tmp_path / "o.csv"
    monkeypatch.setattr("racegame.analysis.batch.write_csv", _full_disk(after=2))
    assert run_cli("batch", "--runs", 9, "--seed", 2, "--chunk", 3, "--out", out) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "--resume" in err and "Traceback" not in err
    parts = tmp_path / "o.csv.parts"
    assert sorted(p.name for p in parts.glob("chunk-*")) == ["chunk-000000.csv", "chunk-000001.csv"]
    assert not list(tmp_path.rglob("*.tmp")) and not out.exists()
    monkeypatch.undo()
    assert run_cli("batch", "--runs", 9, "--seed", 2, "--chunk", 3, "--out", out, "--resume") == 0
    assert out.read_text() == whole.read_text()


def test_a_failed_start_leaves_nothing_that_needs_resume(tmp_path, capsys, monkeypatch):
    out = tmp_path / "o.csv"
    monkeypatch.setattr("racegame.analysis.batch.write_csv", _full_disk(after=0))
    assert run_cli("batch", "--runs", 4, "--seed", 1, "--out", out) == 2
    assert "No space left" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # no parts folder: the next try needs no --resume
    monkeypatch.undo()
    assert run_cli("batch", "--runs", 4, "--seed", 1, "--out", out) == 0


def test_run_history_is_whole_or_absent_on_a_full_disk(tmp_path, capsys, monkeypatch):
    import errno

    from racegame.history import HistoryWriter

    def add(self, columns):
        raise OSError(errno.ENOSPC, "No space left on device", self.path)

    monkeypatch.setattr(HistoryWriter, "add", add)
    history = tmp_path / "h.csv"
    history.write_text("an older history, kept whole\n")
    assert run_cli("run", "--seed", 1, "--history", history) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert history.read_text() == "an older history, kept whole\n"  # not truncated, not 0 bytes
    assert [p.name for p in tmp_path.iterdir()] == ["h.csv"]


@pytest.mark.parametrize("argv, message", [
    (["batch", "--runs", "1000000000"], "expected at most 10,000,000"),
    (["batch", "--runs", "10", "--chunk", "1000000"], "expected at most 20,000 (games in one vectorised pass"),
    (["batch", "--runs", "10", "--workers", "64"], "CPUs"),
    (["batch", "--runs", "10", "--seed", "9" * 30], "expected at most"),
    (["sweep", "--runs", "10000000", "--set", "governments.us.export_tier=0,1"], "more than 10,000,000 games"),
    (["sweep", "--runs", "10", "--set", "victory.score_cash=0.5", "--scheduler", "tcp://"], "expected 'local' or an address"),
    (["sweep", "--runs", "10", "--set", "victory.score_cash=0.5", "--scheduler", "tcp://host:99999"], "expected 'local'"),
    (["sweep", "--runs", "10", "--set", "victory.score_cash=0.5", "--scheduler", "http://host:8786"], "expected 'local'"),
    (["sweep", "--runs", "2", "--set", "victory.score_cash=0.5", "--scheduler", "tls://127.0.0.1:1"], "TLS settings"),
])
def test_limits_and_addresses_are_one_line_errors_before_any_work(tmp_path, capsys, argv, message):
    argv = argv + (["--seed", "1"] if "--seed" not in argv else []) + ["--out", str(tmp_path / "o.csv")]
    assert run_cli(*argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing started: no parts folder to --resume


@pytest.mark.parametrize("make", ["folder", "same-as-history"])
def test_bad_outputs_are_refused_before_the_batch_starts(tmp_path, capsys, make):
    out = tmp_path / "o.csv"
    if make == "folder":
        out.mkdir()
        argv = ["--out", out]
        message = "is a folder"
    else:
        argv = ["--out", out, "--history", out]
        message = "the same file"
    assert run_cli("batch", "--runs", 2, "--seed", 1, *argv) == 2
    assert message in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == (["o.csv"] if make == "folder" else [])
