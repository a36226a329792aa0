"""Work in a background thread while the window keeps drawing: forecasts and reports.

A job runs ``_work`` once in a daemon thread; a failure becomes ``error`` (a message to
show), never a crash. pygame drawing stays on the main thread, which polls ``done``.
"""

from __future__ import annotations

import threading


class BackgroundJob:
    def __init__(self, *args):
        self.error: str | None = None
        self._thread = threading.Thread(target=self._guarded, args=args, daemon=True)
        self._thread.start()

    def _guarded(self, *args) -> None:
        try:
            self._work(*args)
        except Exception as exc:  # shown as a message, never a crash
            self.error = f"{type(exc).__name__}: {exc}"

    def _work(self, *args) -> None:  # pragma: no cover - subclasses do the work
        raise NotImplementedError

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)
