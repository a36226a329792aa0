"""A forecast's futures on more than one core: a small pool of worker processes, each
playing one block of the futures (``futures.forecast(..., workers=N)``).

Every future draws from its own random stream, keyed by its number, and plays as it would
among any others, so a block of futures played in a worker is exactly those futures of the
whole batch: a forecast is the same to the bit whatever the number of workers (tested).

The pool is the standard library's (``concurrent.futures``, started by 'spawn': no forked
threads or window). It is made on the first forecast that asks for workers, which plays in
this process while the workers start (a second or two: they load the engine), or ahead of
it by ``start``, and kept for the next forecast. A game's level and rules reach the
workers once, through a file in a private temporary folder (they are the same every turn
of a game); each job carries the game's state (one replica) and the seats' policies,
pickled here: the pickles go between this program's own processes only, never to or from
a user's files. If the pool cannot be used (a worker that died, a seat that cannot be
copied), the forecast is played in this process instead; on a one-core machine the window
asks for no pool at all.
"""

from __future__ import annotations

import atexit
import os
import pickle
import queue
import shutil
import tempfile
import threading
import uuid
from concurrent.futures import ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

MOST_WORKERS = 4  # more would share the cores with the window for little gain

_lock = threading.Lock()  # one forecast at a time uses the pool
_pool = None  # the parent's _Pool, once made


def default_count() -> int:
    """Workers a forecast uses by default: one per core, from 2 up to ``MOST_WORKERS``; 1
    (no pool: the forecast plays in this process) on a one-core machine."""
    cores = os.cpu_count() or 1
    return 1 if cores < 2 else min(cores, MOST_WORKERS)


class _Pool:
    def __init__(self, workers: int):
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.workers = workers
        self.progress = context.Queue()
        self.executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                            initargs=(self.progress,))
        self.folder = tempfile.mkdtemp(prefix="racegame-futures-")  # private (0700)
        self.rules = None  # the rules whose file the workers read, and its key
        self.key = ""
        self.warming = []  # the jobs that start each worker

    def warm(self, engine: str) -> None:
        if not self.warming:
            self.warming = [self.executor.submit(_warm, engine) for _ in range(self.workers)]

    @property
    def ready(self) -> bool:
        return bool(self.warming) and all(job.done() for job in self.warming)

    def payload(self, level, rules) -> tuple[str, str]:
        """(key, path) of the file holding ``level`` and ``rules`` for the workers."""
        if rules is not self.rules:
            key = uuid.uuid4().hex
            path = os.path.join(self.folder, f"{key}.rules")
            with open(path, "wb") as f:
                f.write(pickle.dumps((level, rules), protocol=pickle.HIGHEST_PROTOCOL))
            if self.rules is not None:
                _remove(os.path.join(self.folder, f"{self.key}.rules"))
            self.rules, self.key = rules, key
        return self.key, os.path.join(self.folder, f"{self.key}.rules")

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _get_pool(workers: int) -> _Pool:
    global _pool
    if _pool is not None and _pool.workers != workers:
        _pool.close()
        _pool = None
    if _pool is None:
        _pool = _Pool(workers)
    return _pool


def _drop_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.close()
        _pool = None


atexit.register(_drop_pool)


def start(engine: str = "vectorised", workers: int | None = None, wait_ready: bool = False) -> None:
    """Start the pool's workers now (they load ``engine``), and with ``wait_ready`` wait for
    them. Does nothing where a forecast would play in this process."""
    workers = default_count() if workers is None else int(workers)
    if workers < 2:
        return
    with _lock:
        pool = _get_pool(workers)
        pool.warm(engine)
    if wait_ready:
        wait(pool.warming)


def play_blocks(start_game, blocks, turns: int, slot: int, seed: int, workers: int, progress=None):
    """Play ``blocks`` (arrays of future numbers) of ``start_game``'s futures in the pool, one
    job each; the ``futures.Block`` of each, in order. None if the pool cannot be used, or
    not yet (its workers are starting): the caller plays them here. An error a future raises
    (numbers out of range) is raised."""
    try:
        job = pickle.dumps((start_game.state, start_game.settings, turns, slot, seed), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # a seat that cannot be copied
        return None
    with _lock:
        try:
            pool = _get_pool(workers)
            pool.warm(start_game.settings["engine"])
            if not pool.ready:
                return None
            key, path = pool.payload(start_game.level, start_game.rules)
            token = uuid.uuid4().hex if progress is not None else ""  # "": no progress to report
            jobs = [pool.executor.submit(_play, key, path, job, ids, token, n) for n, ids in enumerate(blocks)]
            shown = _follow(pool, jobs, token, len(blocks), progress)
            played = [j.result() for j in jobs]
        except BrokenProcessPool:  # a worker died (killed, out of memory): play here instead
            _drop_pool()
            return None
    if progress is not None:  # the turns whose news the queue had not brought in time
        dates = max(played, key=lambda b: len(b.dates)).dates
        for done in range(shown + 1, len(dates) + 1):
            progress(done, played[0].most, dates[done - 1])
    return played


def _follow(pool, jobs, token, n_blocks, progress) -> int:
    """Wait for ``jobs``, passing on their progress while they play: the turns the slowest
    block still playing has played (a block whose futures have all ended is done). Returns
    the last turn passed on."""
    shown = 0
    if progress is None:
        wait(jobs)
        return shown
    played = [0] * n_blocks
    dates = {}
    while len(wait(jobs, timeout=0.005).done) < len(jobs):
        while True:
            try:
                message = pool.progress.get_nowait()
            except queue.Empty:
                break
            if message[0] == token:  # else from an earlier forecast that was given up
                _, block, played[block], most, dates[played[block]] = message
        playing = [played[n] for n, j in enumerate(jobs) if not j.done()]
        if playing and min(playing) > shown:
            shown = min(playing)
            progress(shown, most, dates[shown])
    return shown


# -- in the workers ----------------------------------------------------------------------
_progress = None  # the pool's progress queue
_games = {}  # payload key -> (level, rules), the latest few


def _init_worker(progress_queue) -> None:
    global _progress
    _progress = progress_queue


def _warm(engine: str) -> None:
    import importlib
    import time

    from .model import compiled_kit

    importlib.import_module(".futures", __package__)  # what a job needs, imported now

    if engine == "compiled":
        compiled_kit()  # load the kernels (compiled once, kept on disk)
    time.sleep(0.2)  # each worker takes one of these jobs


def _play(key: str, path: str, job: bytes, ids, token: str, block: int):
    from .futures import Start, play_block

    if key not in _games:
        with open(path, "rb") as f:
            level, rules = pickle.loads(f.read())  # written by this program's own window
        while len(_games) >= 2:
            _games.pop(next(iter(_games)))
        _games[key] = (level, rules)
    level, rules = _games[key]
    state, settings, turns, slot, seed = pickle.loads(job)

    def report(done, most, date):
        _progress.put((token, block, done, most, date))

    return play_block(Start(level, rules, state, settings), ids, turns, slot, seed, report if token else None)


__all__ = ["MOST_WORKERS", "default_count", "play_blocks", "start"]
