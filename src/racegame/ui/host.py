"""What a screen may use of the window that shows it: the ``Host`` protocol.

Screens never import the app module. They reach other screens by route name
(``host.push("help")``), so no screen imports another screen it merely opens, and the
app, the attract-mode autopilot and the test driver stay outside the screen stack:
the app resolves names through ``screens.routes``; the autopilot and the driver only
post input events and read ``host.top``.
"""

from __future__ import annotations

import os
from typing import Any, Protocol


def headless() -> bool:
    """True on a display nobody watches (tests, batch screenshots): no browser, no waiting."""
    return os.environ.get("SDL_VIDEODRIVER", "") in ("dummy", "offscreen")


class Host(Protocol):
    """The app as its screens see it."""

    size: tuple[int, int]  # the logical canvas screens lay out on
    time: float  # seconds since the window opened (animations)
    mouse: tuple[int, int]  # the pointer, in canvas coordinates
    display: Any  # the window's pygame surface
    settings: Any  # settings_store.Settings
    sound: Any  # sound.Sound
    session: Any  # the game being played: ui.session.Session or ui.classroom.Classroom

    @property
    def top(self) -> Any: ...

    def new_manager(self) -> Any:
        """A pygame_gui manager for a new screen, with the game's theme."""

    def push(self, screen, *args, **kwargs) -> None:
        """Open a screen on top: a Screen, or a route name and its arguments."""

    def pop(self, screen=None) -> None: ...

    def replace(self, screen, *args, **kwargs) -> None: ...

    def reset_to(self, screen, *args, **kwargs) -> None: ...

    def find(self, *names: str) -> Any:
        """The topmost open screen with one of ``names``, or None."""

    def flow(self, name: str) -> None:
        """Run a named step between screens (``routes.FLOWS``), e.g. a countdown ran out."""

    def desktop(self) -> tuple[int, int] | None:
        """The size of the screen the window is on (None when nobody watches)."""

    def apply_display_settings(self) -> None: ...

    def quit(self, code: int = 0) -> None: ...
