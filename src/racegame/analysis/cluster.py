"""Running batch jobs on Dask: a LocalCluster on this machine, or an existing cluster.

Workers only compute (``batch.play_job``) and send results back; this process writes the
files, so a multi-machine cluster needs racegame installed on its workers but no shared
disk. Dask is optional: ``pip install 'racegame[cluster]'``.

This module imports batch, never the other way round: the caller (the CLI) hands
``dask_runner(...)`` to ``batch.run``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys

from ..errors import RaceError
from .batch import play_job, write_job


# Dask starts worker processes with MALLOC_TRIM_THRESHOLD_ set. Setting any of glibc's
# malloc thresholds turns off its adaptive choice between the heap and fresh mappings, so
# every large array the engine frees goes back to the system and the next turn's arrays
# fault their pages in again: each chunk took about 2.5 times longer on a Dask worker than
# in a local process. Local workers start without it (None unsets it, in Dask's config).
WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}

_ADDRESS = re.compile(r"(tcp|tls|ws|wss)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})")


def check_scheduler(scheduler: str) -> str:
    """'local' or a scheduler address (tcp://HOST:PORT), checked before any work starts."""
    match = _ADDRESS.fullmatch(scheduler)
    if scheduler != "local" and not (match and 0 < int(match.group(3)) < 65536):
        raise RaceError(f"--scheduler {scheduler!r}: expected 'local' or an address like tcp://HOST:8786")
    return scheduler


def connect(scheduler: str, workers: int):
    try:
        import dask
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise RaceError("--scheduler needs Dask: pip install 'racegame[cluster]'") from None
    if check_scheduler(scheduler) == "local":
        # The dashboard needs bokeh; on a free port, so two runs on one machine never clash.
        dashboard = ":0" if has_dashboard() else None
        with dask.config.set(WORKER_CONFIG):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=dashboard)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout="20s"), None
    except TypeError:  # what Dask raises for tls:// without certificates
        raise RaceError(f"--scheduler {scheduler}: a tls:// address needs Dask's TLS settings "
                        "(distributed.comm.tls in the Dask configuration)") from None
    except (OSError, TimeoutError, ValueError) as exc:
        raise RaceError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc})") from None


def has_dashboard() -> bool:
    """Whether Dask can serve its dashboard here (it needs bokeh)."""
    return importlib.util.find_spec("bokeh") is not None


def dashboard_line(client, local: bool) -> str:
    """Where to watch the workers, in one line for the terminal."""
    if local and not has_dashboard():
        return "Dask dashboard: not available here (pip install 'racegame[cluster]' installs bokeh, which serves it)"
    if "dashboard" not in client.scheduler_info().get("services", {}):
        return "Dask dashboard: the scheduler serves none (it was started without one, or without bokeh)"
    return f"Dask dashboard: {client.dashboard_link}"


def _worker_trim_threshold():
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def worker_notice(client) -> str | None:
    """A warning, in words, when the cluster's workers run with the malloc setting that
    slows the engine down (see WORKER_CONFIG), or None."""
    try:
        found = client.run(_worker_trim_threshold)
    except Exception:  # a worker that cannot answer is no reason to stop the run
        return None
    slowed = sorted(address for address, value in found.items() if value is not None)
    if not slowed:
        return None
    return (f"Note: {len(slowed)} of {len(found)} Dask workers run with MALLOC_TRIM_THRESHOLD_ set, which makes "
            "games about 2.5 times slower there; docs/ANALYSIS.md ('On a Dask cluster') shows how to start them without it")


def dask_runner(scheduler: str, workers: int):
    """A runner for ``batch.run``: its jobs played on Dask at ``scheduler`` ('local': a
    LocalCluster of ``workers`` processes)."""
    return functools.partial(run_on_dask, scheduler=scheduler, workers=workers)


def run_on_dask(jobs, progress, *, scheduler: str, workers: int) -> None:
    from dask.distributed import as_completed

    client, cluster = connect(scheduler, workers)
    print(dashboard_line(client, cluster is not None), file=sys.stderr, flush=True)
    notice = worker_notice(client)
    if notice:
        print(notice, file=sys.stderr, flush=True)
    try:
        futures = {client.submit(play_job, job, pure=False): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            summary, rows = future.result()
            progress(write_job(job, summary, rows))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
