"""Many games: vectorised chunks, worker processes, streaming to disk, resume after a stop.

Replicas are split into chunks of consecutive replica numbers. Each chunk is played in one
vectorised pass and written to its own file in ``OUT.parts/`` (atomically), so memory stays
bounded for any number of runs, a stopped batch resumes without recomputing finished chunks,
and the result is the same for any chunk size or number of workers (replica k is always the
same game). The final file is assembled only when every chunk is done.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .engine.state import CATASTROPHE, OUTCOMES, SAFE_AGI
from .errors import RaceError
from .history import COLUMNS as HISTORY_COLUMNS
from .history import turn_columns
from .level.loader import Level, validate_level
from .level.overrides import with_overrides

DEFAULT_CHUNK = 2000


def summary_columns(model, mask=None) -> dict:
    """Per replica (or the replicas in ``mask``): the ending and final figures per country."""
    s, rules = model.state, model.rules
    replica_ids = model.replica_ids
    if mask is not None:
        s, replica_ids = s.subset(mask), replica_ids[mask]
    R = s.alive.shape[0]
    rows = np.arange(R)
    winner = s.winner
    has_winner = winner >= 0
    safe_or_cat = np.isin(s.outcome, (SAFE_AGI, CATASTROPHE))
    cols = {
        "replica": replica_ids.copy(),
        "seed": np.full(R, model.seed),
        "outcome": np.array(OUTCOMES)[s.outcome],
        "winner": np.where(has_winner, np.array(rules.lab_ids)[np.maximum(winner, 0)], ""),
        "winner_country": np.where(has_winner, np.array(rules.country_ids)[s.country[rows, np.maximum(winner, 0)]], ""),
        "agi_lab": np.where(s.agi_lab >= 0, np.array(rules.lab_ids)[np.maximum(s.agi_lab, 0)], ""),
        "agi_turn": np.where(safe_or_cat, s.end_turn, -1),
        "catastrophe": (s.outcome == CATASTROPHE).astype(int),
        "turns_played": np.where(s.end_turn >= 0, s.end_turn + 1, s.turn),
    }
    h100e = (s.chips @ rules.chip_perf_train) * s.alive
    # Shares as of each game's own last turn: a finished game is frozen while others play on.
    other = rules.other_compute(cols["turns_played"])
    world = h100e.sum(axis=1) + other
    for c, country in enumerate(rules.country_ids):
        mine = s.alive & (s.country == c)
        cols[f"{country}_best_capability"] = np.where(mine.any(axis=1), np.where(mine, s.capability, -np.inf).max(axis=1), np.nan)
        cols[f"{country}_compute_share"] = (h100e * mine).sum(axis=1) / world
        cols[f"{country}_h100e"] = (h100e * mine).sum(axis=1)
        cols[f"{country}_cash_usd"] = (s.cash * mine).sum(axis=1)
        cols[f"{country}_labs_alive"] = mine.sum(axis=1)
    cols["frontier_capability"] = np.where(s.alive.any(axis=1), np.where(s.alive, s.capability, -np.inf).max(axis=1), np.nan)
    return cols


def play_chunk(level: Level, seed: int, first: int, count: int, turns=None, history=None, engine="vectorised") -> dict:
    """Replicas ``first .. first + count - 1`` of (level, seed), played to the end."""
    from .model import RaceModel

    model = RaceModel(level=level, rng=seed, replicas=count, first_replica=first, turns=turns, engine=engine)
    model.datacollector.collect = lambda _model: None  # a batch keeps its own records
    model.inplace = True
    parts = []
    while model.running:
        model.step()
        if history is not None:
            history(turn_columns(model, model.report))
        done = model.state.ended
        if done.any() and not done.all():  # finished games leave the arrays
            parts.append(summary_columns(model, done))
            model.keep_replicas(~done)
    parts.append(summary_columns(model))
    order = np.argsort(np.concatenate([p["replica"] for p in parts]), kind="stable")
    return {k: np.concatenate([p[k] for p in parts])[order] for k in parts[0]}


# -- files ---------------------------------------------------------------------

def _text(values) -> list[str]:
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return ["" if not np.isfinite(v) else repr(float(v)) for v in values]
    return [str(v) for v in values.tolist()]


def write_csv(path, columns: dict, header: bool = True) -> None:
    names = list(columns)
    with open(path, "a" if not header else "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        if header:
            writer.writerow(names)
        writer.writerows(zip(*(_text(columns[n]) for n in names)))


def _atomic_csv(path: Path, columns: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write_csv(tmp, columns)
    os.replace(tmp, path)


@dataclass
class Job:
    """One unit of work: a chunk of replicas of one (possibly modified) level."""

    index: int
    level_data: dict
    overrides: dict
    seed: int
    first: int
    count: int
    turns: int | None
    parts: str
    history: bool
    engine: str = "vectorised"
    extra: dict = field(default_factory=dict)  # constant columns (sweep cell values)

    @property
    def summary_path(self) -> Path:
        return Path(self.parts) / f"chunk-{self.index:06d}.csv"

    @property
    def history_path(self) -> Path:
        return Path(self.parts) / f"history-{self.index:06d}.csv"


def play_job(job: Job):
    """Play a job; returns (summary columns, history rows or None). Runs in any process,
    including Dask workers on other machines: it reads and writes no files."""
    level = with_overrides(validate_level(job.level_data, "batch level"), job.overrides)
    rows = [] if job.history else None

    def history(columns):
        n = len(columns["replica"])
        text = [[str(v)] * n for v in job.extra.values()] + [_text(columns[c]) for c in HISTORY_COLUMNS]
        rows.extend(zip(*text))

    columns = play_chunk(level, job.seed, job.first, job.count, job.turns, history if job.history else None, job.engine)
    n = len(columns["replica"])
    summary = {k: np.full(n, v) for k, v in job.extra.items()}
    summary.update(columns)
    return summary, rows


def write_job(job: Job, summary: dict, rows) -> int:
    """Write a played job's files atomically; returns the number of games."""
    if job.history:
        tmp = job.history_path.with_name(job.history_path.name + ".tmp")
        with open(tmp, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(list(job.extra) + list(HISTORY_COLUMNS))
            writer.writerows(rows)
        os.replace(tmp, job.history_path)
    _atomic_csv(job.summary_path, summary)
    return job.count


def run_job(job: Job) -> int:
    return write_job(job, *play_job(job))


def _job_done(job: Job) -> bool:
    return job.summary_path.exists() and (not job.history or job.history_path.exists())


def plan_jobs(level: Level, seed: int, runs: int, turns, parts: Path, history: bool, chunk: int,
              cells=(({}, {}),), engine: str = "vectorised") -> list[Job]:
    jobs = []
    for overrides, extra in cells:
        for first in range(0, runs, chunk):
            jobs.append(Job(len(jobs), level.data, dict(overrides), seed, first, min(chunk, runs - first), turns,
                            str(parts), history, engine, dict(extra)))
    return jobs


def _manifest(level: Level, seed, runs, turns, chunk, cells, history, engine) -> dict:
    digest = hashlib.sha256(json.dumps(level.data, sort_keys=True).encode()).hexdigest()
    return {"level_sha256": digest, "seed": seed, "runs": runs, "turns": turns, "chunk": chunk,
            "cells": [[o, e] for o, e in cells], "history": history, "engine": engine}


class Progress:
    """A progress bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int, done: int, label: str):
        self.total, self.done, self.label = total, done, label
        self.bar = None
        self.last = time.monotonic()
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, desc=label, unit="game", file=sys.stderr)
        elif done:
            print(f"{label}: {done}/{total} games already done", file=sys.stderr)

    def add(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif time.monotonic() - self.last > 2.0 or self.done == self.total:
            self.last = time.monotonic()
            print(f"{self.label}: {self.done}/{self.total} games ({100 * self.done / self.total:.0f}%)", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def execute(jobs: list[Job], workers: int, scheduler: str | None, progress: Progress) -> None:
    """Run the jobs not yet done, in this process, local worker processes, or on Dask."""
    todo = [j for j in jobs if not _job_done(j)]
    if not todo:
        return
    if scheduler:
        from .cluster import run_on_dask

        run_on_dask(todo, scheduler, workers, progress.add)
    elif workers <= 1:
        for job in todo:
            progress.add(run_job(job))
    else:
        # 'spawn' keeps workers clean (no forked threads); Mesa sets it globally anyway.
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers) as pool:
            try:
                for n in pool.imap_unordered(run_job, todo):
                    progress.add(n)
            except KeyboardInterrupt:
                pool.terminate()
                raise


def assemble(jobs: list[Job], out: Path, history_out: Path | None) -> None:
    """Join the chunk files, in replica order, into the final files (written atomically)."""
    def join(paths, target: Path):
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as dest:
            for i, path in enumerate(paths):
                with open(path, encoding="utf-8") as src:
                    header = src.readline()
                    if i == 0:
                        dest.write(header)
                    shutil.copyfileobj(src, dest)
        return tmp

    tmp = join([j.summary_path for j in jobs], out.with_suffix(".csv") if out.suffix == ".parquet" else out)
    if out.suffix == ".parquet":
        to_parquet(tmp, out)
        tmp.unlink()
    else:
        os.replace(tmp, out)
    if history_out is not None:
        tmp = join([j.history_path for j in jobs], history_out)
        os.replace(tmp, history_out)


def to_parquet(csv_path: Path, out: Path) -> None:
    try:
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq
    except ImportError:
        raise RaceError(f"{out}: writing Parquet needs pyarrow (pip install 'racegame[analysis]'), or use a .csv file") from None
    table = pacsv.read_csv(csv_path)
    tmp = out.with_name(out.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, out)


def run(level: Level, seed: int, runs: int, out: Path, turns=None, history_out: Path | None = None,
        workers: int = 1, chunk: int = DEFAULT_CHUNK, resume: bool = False, cells=(({}, {}),),
        scheduler: str | None = None, engine: str = "vectorised", label: str = "batch") -> Path:
    """Play a batch (or a sweep: one batch per cell) and write ``out``. Returns the parts folder."""
    parts = Path(str(out) + ".parts")
    manifest = _manifest(level, seed, runs, turns, chunk, cells, history_out is not None, engine)
    marker = parts / "manifest.json"
    if parts.exists():
        if not resume:
            raise RaceError(f"{parts} exists from an earlier run: add --resume to finish it, or delete the folder to start again")
        try:
            old = json.loads(marker.read_text())
        except (OSError, ValueError):
            raise RaceError(f"{marker}: missing or damaged; delete {parts} to start again") from None
        if old != manifest:
            changed = [k for k in manifest if old.get(k) != manifest[k]]
            raise RaceError(f"{parts} belongs to a different batch ({', '.join(changed)} changed); "
                            "use the same options to resume, or delete the folder")
    else:
        parts.mkdir(parents=True)
        marker.write_text(json.dumps(manifest))
    jobs = plan_jobs(level, seed, runs, turns, parts, history_out is not None, chunk, cells, engine)
    total = sum(j.count for j in jobs)
    done = sum(j.count for j in jobs if _job_done(j))
    progress = Progress(total, done, label)
    try:
        execute(jobs, workers, scheduler, progress)
    finally:
        progress.close()
    assemble(jobs, out, history_out)
    shutil.rmtree(parts)
    return parts
