"""Files that appear whole or not at all: saves, settings, reports, batch results.

A crash, a full disk or Ctrl-C in the middle of writing leaves the old file (or none), never
half of a new one."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_file(path, newline=None, binary: bool = False):
    """A file that appears at ``path`` whole or not at all. Writes go to a temporary file
    beside it, renamed over ``path`` when the block ends; if anything fails on the way (a full
    disk, an exception, Ctrl-C) the temporary file is removed and ``path`` is left as it was."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline=newline)) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes private files; saves and reports are for sharing
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text_atomic(path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file."""
    with atomic_file(path) as out:
        out.write(text)


def write_json_atomic(path, blob: dict) -> None:
    """``blob`` as JSON, atomically. NaN and infinities are refused (ValueError), never written."""
    write_text_atomic(path, json.dumps(blob, separators=(",", ":"), allow_nan=False))
