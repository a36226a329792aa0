"""What fits the player's screen: the window, the UI scale and the canvas screens lay out on.

Every screen is designed for a canvas of at least ``MIN_CANVAS`` (1280 × 720). A UI scale
above 100% lays out a smaller canvas and scales it up to the window, so a scale is offered
only where the canvas stays at least that large; a window smaller than that shows the
smallest canvas scaled down. A window never opens larger than the screen it is on.
"""

from __future__ import annotations

MIN_CANVAS = (1280, 720)
# Room kept for the window's title bar and the desktop's panels when a window fills the screen.
DESKTOP_MARGIN = (0, 64)


def window_size(requested: tuple[int, int], desktop: tuple[int, int] | None) -> tuple[int, int]:
    """The window to open for ``requested``: no larger than the desktop (less its margins)."""
    w, h = requested
    if not desktop or desktop[0] <= 0 or desktop[1] <= 0:
        return int(w), int(h)
    return int(min(w, desktop[0] - DESKTOP_MARGIN[0])), int(min(h, desktop[1] - DESKTOP_MARGIN[1]))


def canvas_scale(window: tuple[int, int], ui_scale: float) -> float:
    """Window pixels per canvas pixel: the UI scale, capped so the canvas keeps ``MIN_CANVAS``,
    and below 1 for a window smaller than that."""
    w, h = window
    fit = min(w / MIN_CANVAS[0], h / MIN_CANVAS[1])
    if fit < 1.0:
        return fit
    return max(1.0, min(float(ui_scale), fit))


def fits(window: tuple[int, int], ui_scale: float) -> bool:
    return ui_scale <= 1.0 or (window[0] / ui_scale >= MIN_CANVAS[0] - 0.5 and window[1] / ui_scale >= MIN_CANVAS[1] - 0.5)


def offered_scales(scales, window: tuple[int, int]) -> list[float]:
    """The UI scales that keep every screen's layout whole in ``window`` (100% always)."""
    return [s for s in scales if fits(window, s)] or [1.0]


def offered_sizes(sizes, desktop: tuple[int, int] | None) -> list[tuple[int, int]]:
    """The window sizes that fit on the desktop (the smallest always)."""
    if not desktop:
        return list(sizes)
    room = (desktop[0] - DESKTOP_MARGIN[0], desktop[1] - DESKTOP_MARGIN[1])
    return [s for s in sizes if s[0] <= room[0] and s[1] <= room[1]] or [min(sizes)]
