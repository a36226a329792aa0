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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..engine.state import CATASTROPHE, OUTCOMES, SAFE_AGI
from ..engine.util import ratio
from ..errors import RaceError
from ..files import atomic_file, write_text_atomic
from ..history import COLUMNS as HISTORY_COLUMNS
from ..history import csv_cells, file_columns, turn_columns
from ..level.loader import Level, validate_level
from ..level.overrides import with_overrides
from ..tables import NO_TURN, NONE_TURN, blank_means_none, dictionary_columns, none_mask, pyarrow_modules, write_parquet

DEFAULT_CHUNK = 2000


def summary_columns(model, mask=None) -> dict:
    """Per replica (or the replicas in ``mask``): the ending and final figures per country."""
    s, rules = model.state, model.rules
    replica_ids = model.replica_ids
    if mask is not None:
        s, replica_ids = s.subset(mask), replica_ids[mask]
    R = s.alive.shape[0]
    winner = s.winner
    has_winner = winner >= 0
    safe_or_cat = np.isin(s.outcome, (SAFE_AGI, CATASTROPHE))
    # The turn AGI came in, counted from 1 as `racegame run` and the game show it (the state's
    # end_turn is the turn's index, from 0); NO_TURN (written as a blank or null) when none.
    dates = np.array([rules.turn_date(t) for t in range(int(max(s.end_turn.max(initial=0), 0)) + 1)])
    cols = {
        "replica": replica_ids.copy(),
        "level": np.full(R, model.level.id),
        "seed": np.full(R, model.seed),
        "outcome": np.array(OUTCOMES)[s.outcome],
        "winner": np.where(has_winner, np.array(rules.lab_ids)[np.maximum(winner, 0)], ""),
        "winner_country": np.where(has_winner, np.array(rules.country_ids)[np.maximum(s.winner_country, 0)], ""),
        "agi_lab": np.where(s.agi_lab >= 0, np.array(rules.lab_ids)[np.maximum(s.agi_lab, 0)], ""),
        "agi_turn": np.where(safe_or_cat, s.end_turn + 1, NO_TURN),
        "agi_date": np.where(safe_or_cat, dates[np.maximum(s.end_turn, 0)], ""),
        "catastrophe": (s.outcome == CATASTROPHE).astype(int),
        "turns_played": s.turns_played,
    }
    h100e = (s.chips @ rules.chip_perf_train) * s.alive
    # Shares as of each game's own last turn: a finished game is frozen while others play on.
    other = rules.other_compute(cols["turns_played"])
    world = h100e.sum(axis=1) + other
    for c, country in enumerate(rules.country_ids):
        mine = s.alive & (s.country == c)
        cols[f"{country}_best_capability"] = np.where(mine.any(axis=1), np.where(mine, s.capability, -np.inf).max(axis=1), np.nan)
        cols[f"{country}_compute_share"] = ratio((h100e * mine).sum(axis=1), world)  # 0 of no compute at all
        cols[f"{country}_h100e"] = (h100e * mine).sum(axis=1)
        cols[f"{country}_cash_usd"] = (s.cash * mine).sum(axis=1)
        cols[f"{country}_labs_alive"] = mine.sum(axis=1)
    cols["frontier_capability"] = np.where(s.alive.any(axis=1), np.where(s.alive, s.capability, -np.inf).max(axis=1), np.nan)
    return cols


def play_chunk(level: Level, seed: int, first: int, count: int, turns=None, history=None, engine="vectorised") -> dict:
    """Replicas ``first .. first + count - 1`` of (level, seed), played to the end."""
    from ..model import RaceModel

    model = RaceModel(level=level, rng=seed, replicas=count, first_replica=first, turns=turns, engine=engine)
    model.datacollector.collect = lambda _model: None  # a batch keeps its own records
    return columns_to_end(model, history)


def columns_to_end(model, history=None) -> dict:
    """Play ``model``'s games to their end: the summary columns, a row per game in replica
    order (``history``, if given, takes each turn's rows)."""
    parts = []
    for _games, done in model.play_out():
        if history is not None:
            history(turn_columns(model, model.report))
        if model.running and done.any():  # these games leave the arrays now
            parts.append(summary_columns(model, done))
    parts.append(summary_columns(model))
    order = np.argsort(np.concatenate([p["replica"] for p in parts]), kind="stable")
    return {k: np.concatenate([p[k] for p in parts])[order] for k in parts[0]}


# -- files ---------------------------------------------------------------------

def write_csv(path, columns: dict) -> None:
    """Columns as a CSV file, written atomically (every cell is made before the file opens)."""
    names = list(columns)
    cells = []
    for n in names:
        text = csv_cells(columns[n], n, blank_means_none(n))
        if n in NONE_TURN:
            text = ["" if none else t for t, none in zip(text, none_mask(n, columns[n]).tolist())]
        cells.append(text)
    with atomic_file(path, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(names)
        writer.writerows(zip(*cells))


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
    summary_format: str = "csv"  # "csv" or "parquet": the chunk files follow the final file's format
    history_format: str = "csv"

    @property
    def summary_path(self) -> Path:
        return Path(self.parts) / f"chunk-{self.index:06d}.{self.summary_format}"

    @property
    def history_path(self) -> Path:
        return Path(self.parts) / f"history-{self.index:06d}.{self.history_format}"


def play_job(job: Job):
    """Play a job; returns (summary columns, history rows or None). Runs in any process,
    including Dask workers on other machines: it reads and writes no files."""
    level = with_overrides(validate_level(job.level_data, "batch level"), job.overrides)
    rows = [] if job.history else None

    def history(columns):
        columns = file_columns(columns)
        n = len(columns["replica"])
        if job.history_format == "parquet":  # columns, joined once at the end: no text per value
            rows.append({**{k: np.full(n, v) for k, v in job.extra.items()}, **{c: columns[c] for c in HISTORY_COLUMNS}})
            return
        text = [csv_cells(np.full(n, v), k) for k, v in job.extra.items()] + [csv_cells(columns[c], c) for c in HISTORY_COLUMNS]
        rows.extend(zip(*text))

    columns = play_chunk(level, job.seed, job.first, job.count, job.turns, history if job.history else None, job.engine)
    n = len(columns["replica"])
    summary = {k: np.full(n, v) for k, v in job.extra.items()}
    summary.update(columns)
    if job.history and job.history_format == "parquet":
        names = list(job.extra) + list(HISTORY_COLUMNS)
        rows = {k: np.concatenate([r[k] for r in rows]) if rows else np.array([]) for k in names}
    return summary, rows


def write_job(job: Job, summary: dict, rows) -> int:
    """Write a played job's files atomically; returns the number of games."""
    if job.history:
        if job.history_format == "parquet":
            write_parquet(job.history_path, rows)
        else:
            with atomic_file(job.history_path, newline="") as out:
                writer = csv.writer(out)
                writer.writerow(list(job.extra) + list(HISTORY_COLUMNS))
                writer.writerows(rows)
    if job.summary_format == "parquet":
        write_parquet(job.summary_path, summary)
    else:
        write_csv(job.summary_path, summary)
    return job.count


def run_job(job: Job) -> int:
    return write_job(job, *play_job(job))


def _job_done(job: Job) -> bool:
    return job.summary_path.exists() and (not job.history or job.history_path.exists())


def plan_jobs(level: Level, seed: int, runs: int, turns, parts: Path, history: bool, chunk: int,
              cells=(({}, {}),), engine: str = "vectorised", summary_format: str = "csv",
              history_format: str = "csv") -> list[Job]:
    jobs = []
    for overrides, extra in cells:
        for first in range(0, runs, chunk):
            jobs.append(Job(len(jobs), level.data, dict(overrides), seed, first, min(chunk, runs - first), turns,
                            str(parts), history, engine, dict(extra), summary_format, history_format))
    return jobs


def level_digest(level: Level) -> str:
    """SHA-256 of the level as played (every default filled in, ``extends`` resolved)."""
    return hashlib.sha256(json.dumps(level.data, sort_keys=True).encode()).hexdigest()


def file_digest(path) -> str | None:
    """SHA-256 of a level's file as it is on disk (None for a level made in memory)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (OSError, TypeError, ValueError):
        return None


def _manifest(level: Level, seed, runs, turns, chunk, cells, history, engine, formats=("csv", "csv")) -> dict:
    return {"level_sha256": level_digest(level), "seed": seed, "runs": runs, "turns": turns, "chunk": chunk,
            "cells": [[o, e] for o, e in cells], "history": history, "engine": engine, "formats": list(formats)}


def provenance(level: Level, seed, runs, turns, engine, cells, design=None, command=None) -> dict:
    """Where a result came from: kept in the Parquet file's metadata and in ``OUT.json``."""
    from .. import __version__

    return {
        "format": "racegame-results", "racegame_version": __version__,
        "level": level.id, "level_path": str(level.path), "level_file_sha256": file_digest(level.path),
        "level_sha256": level_digest(level), "seed": seed, "runs_per_cell": runs, "turns": turns, "engine": engine,
        "cells": len(cells), "parameters": _parameters(cells), "design": design,
        "turn_numbering": "from 1 (agi_turn, history turn); blank or null when none",
        "command": list(sys.argv) if command is None else list(command),
        "python": sys.version.split()[0], "numpy": np.__version__,
        "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _parameters(cells) -> dict:
    """Each swept path and the values its cells take (in order of first use)."""
    out: dict = {}
    for overrides, _ in cells:
        for path, value in overrides.items():
            values = out.setdefault(path, [])
            if value not in values and len(values) < 1000:
                values.append(value)
    return out


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


def execute(jobs: list[Job], workers: int, runner, progress: Progress) -> None:
    """Run the jobs not yet done: with ``runner(jobs, progress)`` when given (it plays and
    writes each job and reports the games done), else in this process or local workers."""
    todo = [j for j in jobs if not _job_done(j)]
    if not todo:
        return
    if runner is not None:
        runner(todo, progress.add)
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


def _join(paths, target: Path) -> None:
    """Chunk files, one header, into ``target`` (atomically)."""
    with atomic_file(target, newline="") as dest:
        for i, path in enumerate(paths):
            with open(path, encoding="utf-8") as src:
                header = src.readline()
                if i == 0:
                    dest.write(header)
                shutil.copyfileobj(src, dest)


def assemble(jobs: list[Job], out: Path, history_out: Path | None, parts: Path, meta: dict | None = None) -> None:
    """Join the chunk files, in replica order, into the final files (written atomically)."""
    summaries = [j.summary_path for j in jobs]
    if out.suffix == ".parquet":
        _join_parquet(summaries, out, meta)
    else:
        _join(summaries, out)
    if history_out is not None:
        if history_out.suffix == ".parquet":
            _join_parquet([j.history_path for j in jobs], history_out, meta)
        else:
            _join([j.history_path for j in jobs], history_out)


def _join_parquet(paths, target: Path, meta: dict | None) -> None:
    """Chunk Parquet files, in order, into ``target`` (atomically, one chunk in memory at a
    time), with the run's provenance in the file's key-value metadata (key ``racegame``)."""
    pa, pq = pyarrow_modules(target)
    schema = _common_schema([pq.read_schema(p) for p in paths], pa)
    if meta is not None:
        schema = schema.with_metadata({**(schema.metadata or {}), b"racegame": json.dumps(meta, default=str).encode()})
    with atomic_file(target, binary=True) as dest:
        with pq.ParquetWriter(dest, schema, use_dictionary=dictionary_columns(schema)) as writer:
            for path in paths:
                writer.write_table(pq.read_table(path).cast(schema))


def _common_schema(schemas, pa):
    """One schema for every chunk: a column that is all null in one chunk takes its type from
    another, and whole numbers widen to floats where another chunk has fractions."""
    fields = []
    for i, first in enumerate(schemas[0]):
        types = [s.field(i).type for s in schemas]
        known = [t for t in types if t != pa.null()]
        kind = known[0] if known else pa.string()
        if any(pa.types.is_floating(t) for t in known):
            kind = pa.float64()
        fields.append(pa.field(first.name, kind))
    return pa.schema(fields)


def sidecar_path(out) -> Path:
    """The JSON file beside a result that says where it came from: ``OUT.json``."""
    return Path(str(out) + ".json")


def run(level: Level, seed: int, runs: int, out: Path, turns=None, history_out: Path | None = None,
        workers: int = 1, chunk: int = DEFAULT_CHUNK, resume: bool = False, cells=(({}, {}),),
        runner=None, engine: str = "vectorised", label: str = "batch",
        design: dict | None = None, command=None) -> Path:
    """Play a batch (or a sweep: one batch per cell) and write ``out``, and its provenance to
    ``OUT.json`` (and into the file's metadata when it is Parquet). Returns the parts folder.
    ``runner`` plays the jobs elsewhere (``cluster.dask_runner``, which the caller picks, so
    batch never imports cluster); without one they play here, on ``workers`` processes."""
    out = Path(out)
    history_out = None if history_out is None else Path(history_out)
    parts = Path(str(out) + ".parts")
    formats = ("parquet" if out.suffix == ".parquet" else "csv",
               "parquet" if history_out is not None and history_out.suffix == ".parquet" else "csv")
    if "parquet" in formats:
        pyarrow_modules(out)  # before any game is played
    manifest = _manifest(level, seed, runs, turns, chunk, cells, history_out is not None, engine, formats)
    meta = provenance(level, seed, runs, turns, engine, cells, design, command)
    with _claim(parts, resume) as fresh:
        _check_manifest(parts, manifest, fresh)
        jobs = plan_jobs(level, seed, runs, turns, parts, history_out is not None, chunk, cells, engine, *formats)
        total = sum(j.count for j in jobs)
        done = sum(j.count for j in jobs if _job_done(j))
        progress = Progress(total, done, label)
        try:
            execute(jobs, workers, runner, progress)
            assemble(jobs, out, history_out, parts, meta)
            write_text_atomic(sidecar_path(out), json.dumps(meta, indent=2, default=str) + "\n")
        except OSError as exc:  # a full or read-only disk: what is finished stays for --resume
            raise RaceError(f"{exc.filename or out}: cannot write ({exc.strerror}); finished chunks are kept in "
                            f"{parts}: fix that and run the same command with --resume") from None
        finally:
            progress.close()
        shutil.rmtree(parts)
    return parts


@contextmanager
def _claim(parts: Path, resume: bool):
    """The batch's parts folder, made or reused, and locked while this process works in it.

    A second racegame on the same output (two --resume runs) stops at once instead of mixing
    chunks. A start that fails before any chunk is finished (a bad scheduler address, a full
    disk) removes the folder it made, so the next try needs no --resume."""
    if parts.exists() and not resume:
        raise RaceError(f"{parts} exists from an earlier run: add --resume to finish it, or delete the folder to start again")
    fresh = not parts.exists()
    try:
        parts.mkdir(parents=True, exist_ok=not fresh)
    except FileExistsError:
        raise RaceError(f"{parts}: another racegame run on the same output started just now") from None
    except OSError as exc:
        raise RaceError(f"{parts}: cannot make the folder for finished chunks ({exc.strerror})") from None
    lock = _lock(parts)
    try:
        yield fresh
    except BaseException:
        if fresh and not any(parts.glob("chunk-*")):
            shutil.rmtree(parts, ignore_errors=True)
        raise
    finally:
        lock.close()


def _lock(parts: Path):
    """An open lock file in ``parts``, held exclusively; released when closed or when the
    process dies (kill -9 included), so a stale lock never blocks --resume."""
    path = parts / "lock"
    try:
        handle = open(path, "a+b")
    except OSError as exc:
        raise RaceError(f"{path}: cannot write in the folder for finished chunks ({exc.strerror})") from None
    try:
        _try_lock(handle)
        same = os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except OSError:
        handle.close()
        raise RaceError(f"{parts} is in use by another racegame run on the same output; "
                        "wait for it to finish or stop it, then run this again") from None
    if not same:  # the run that held it finished and removed the folder while we waited
        handle.close()
        raise RaceError(f"{parts} was finished by another racegame run just now; check {parts.name[:-6]}")
    return handle


def _try_lock(handle) -> None:
    """Lock without waiting; OSError if another process holds the lock."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _check_manifest(parts: Path, manifest: dict, fresh: bool) -> None:
    """A new parts folder gets the batch's options; a kept one must match them."""
    marker = parts / "manifest.json"
    if fresh:
        write_text_atomic(marker, json.dumps(manifest))
        return
    try:
        old = json.loads(marker.read_text())
    except (OSError, ValueError, RecursionError):
        raise RaceError(f"{marker}: missing or damaged; delete {parts} to start again") from None
    if not isinstance(old, dict) or old != manifest:
        changed = [k for k in manifest if not isinstance(old, dict) or old.get(k) != manifest[k]]
        raise RaceError(f"{parts} belongs to a different batch ({', '.join(changed)} changed); "
                        "use the same options to resume, or delete the folder")
