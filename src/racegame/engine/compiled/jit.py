"""How every kernel is compiled, and where numba keeps what it compiled.

``kernel``: numba's ``njit`` with numpy's division semantics (x / 0 gives inf or NaN, as in
the numpy phases, instead of raising) and an on-disk cache, without fastmath (results must
match the numpy phases) or threads (batches already use one process per core).

numba checks a cached kernel against its own file only, so a change to a helper in another
file (``scalar.py``, say) would leave stale kernels behind. The cache therefore lives in a
directory named after a digest of every compiled source file: any change to any of them
compiles afresh. Import this module before any other that defines kernels (they all do).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba

_AGENTS = Path(__file__).resolve().parents[2] / "agents"


def _sources() -> list[Path]:
    return sorted(Path(__file__).resolve().parent.glob("*.py")) + sorted(_AGENTS.glob("*_compiled.py"))


def cache_dir() -> Path:
    """``$NUMBA_CACHE_DIR`` (or the user's cache folder) / racegame-<digest of the sources>."""
    digest = hashlib.sha256(numba.__version__.encode())
    for path in _sources():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    base = os.environ.get("NUMBA_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "numba" / f"racegame-{digest.hexdigest()[:16]}"


numba.config.CACHE_DIR = str(cache_dir())

kernel = numba.njit(cache=True, error_model="numpy")
inline = numba.njit(cache=True, error_model="numpy", inline="always")
