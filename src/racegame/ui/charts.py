"""Live charts drawn with ``pygame.draw``: lines, percentile bands and reference lines.

A chart renders to a cached surface when its data change (once a turn, or when the
futures arrive) and is blitted every frame, so a frame costs a blit, not a redraw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import pygame

from .theme import font, palette


@dataclass
class Series:
    values: list  # one value per x step; None for a gap
    colour: tuple
    width: int = 1
    label: str = ""
    dashed: bool = False
    bars: bool = False


@dataclass
class Band:
    low: list
    high: list
    colour: tuple  # RGBA


@dataclass
class ChartData:
    steps: int
    series: list = field(default_factory=list)
    bands: list = field(default_factory=list)
    refs: list = field(default_factory=list)  # (y, colour, label)
    y_min: float | None = None
    y_max: float | None = None
    x_labels: list = field(default_factory=list)  # (index, text)
    y_format: Callable = staticmethod(lambda v: f"{v:.1f}")
    legend: list = field(default_factory=list)  # (colour, text)
    note: str = ""  # shown when there is little data yet


class Chart:
    PAD_L, PAD_R, PAD_T, PAD_B = 46, 12, 46, 20

    def __init__(self, rect: pygame.Rect, title: str, scale: float = 1.0):
        """``scale`` enlarges text, margins and lines (the projector view reads from afar)."""
        self.rect = pygame.Rect(rect)
        self.title = title
        self.scale = float(scale)
        self.data: ChartData | None = None
        self._surface: pygame.Surface | None = None
        self.hover_index: int | None = None
        self._pad_left = self.PAD_L  # widened to the longest label on the value axis

    def _s(self, n: float) -> int:
        return int(round(n * self.scale))

    @property
    def plot(self) -> pygame.Rect:
        r = self.rect
        left, right, top, bottom = (self._s(v) for v in (self._pad_left, self.PAD_R, self.PAD_T, self.PAD_B))
        return pygame.Rect(r.x + left, r.y + top, r.w - left - right, r.h - top - bottom)

    @classmethod
    def showing(cls, rect: pygame.Rect, title: str, data: ChartData) -> "Chart":
        chart = cls(rect, title)
        chart.set_data(data)
        return chart

    def set_data(self, data: ChartData) -> None:
        self.data = data
        self._surface = None
        self._pad_left = self.PAD_L
        if data is not None and data.steps > 0:
            lo, hi = self._range()
            small = font(self._s(11))
            widest = max((small.size(data.y_format(v))[0] for v in nice_ticks(lo, hi)), default=0)
            self._pad_left = max(self.PAD_L, int(widest / max(self.scale, 1e-9)) + 10)

    def set_rect(self, rect) -> None:
        self.rect = pygame.Rect(rect)
        self._surface = None

    # -- geometry --------------------------------------------------------------------------
    def _range(self):
        d = self.data
        values = [v for s in d.series for v in s.values if v is not None and math.isfinite(v)]
        values += [v for b in d.bands for v in b.low + b.high if v is not None and math.isfinite(v)]
        values += [y for y, _, _ in d.refs]
        lo = d.y_min if d.y_min is not None else (min(values) if values else 0.0)
        hi = d.y_max if d.y_max is not None else (max(values) if values else 1.0)
        if hi - lo < 1e-9:
            hi, lo = hi + 0.5, lo - 0.5
        pad = (hi - lo) * 0.06
        return (lo - (pad if d.y_min is None else 0.0)), (hi + (pad if d.y_max is None else 0.0))

    def _xy(self, i, v, lo, hi, plot):
        steps = max(self.data.steps - 1, 1)
        x = plot.x + plot.w * (i / steps)
        y = plot.bottom - plot.h * ((v - lo) / (hi - lo))
        return x, min(max(y, plot.y - 2), plot.bottom + 2)

    def index_at(self, pos) -> int | None:
        if self.data is None or not self.plot.inflate(8, 8).collidepoint(pos) or self.data.steps <= 0:
            return None
        steps = max(self.data.steps - 1, 1)
        i = round((pos[0] - self.plot.x) / max(self.plot.w, 1) * steps)
        return int(min(max(i, 0), self.data.steps - 1))

    # -- drawing ---------------------------------------------------------------------------------
    def render(self) -> pygame.Surface:
        p = palette()
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        local = pygame.Rect(0, 0, *self.rect.size)
        pygame.draw.rect(surf, p.chart_bg, local, border_radius=8)
        pygame.draw.rect(surf, p.panel_edge, local, 1, border_radius=8)
        surf.blit(font(self._s(13), True).render(self.title, True, p.text_bright), (self._s(10), self._s(7)))
        if self.data is None:
            return surf
        d = self.data
        plot = self.plot.move(-self.rect.x, -self.rect.y)
        lo, hi = self._range()
        small = font(self._s(11))
        # horizontal grid lines with labels, at round values (so zero is exactly zero)
        for v in nice_ticks(lo, hi):
            _, y = self._xy(0, v, lo, hi, plot)
            pygame.draw.line(surf, p.chart_grid, (plot.x, y), (plot.right, y))
            text = small.render(d.y_format(v), True, p.muted)
            surf.blit(text, (plot.x - text.get_width() - self._s(5), y - text.get_height() // 2))
        for i, text in d.x_labels:
            x, _ = self._xy(i, lo, lo, hi, plot)
            img = small.render(text, True, p.muted)
            surf.blit(img, (min(max(x - img.get_width() / 2, plot.x - 10), plot.right - img.get_width() + 6), plot.bottom + 3))
        for band in d.bands:
            pts_hi = [self._xy(i, v, lo, hi, plot) for i, v in enumerate(band.high) if v is not None]
            pts_lo = [self._xy(i, v, lo, hi, plot) for i, v in enumerate(band.low) if v is not None]
            if len(pts_hi) >= 2:
                layer = pygame.Surface(self.rect.size, pygame.SRCALPHA)
                pygame.draw.polygon(layer, band.colour, pts_hi + pts_lo[::-1])
                surf.blit(layer, (0, 0))
        for y_val, colour, label in d.refs:
            if lo <= y_val <= hi:
                _, y = self._xy(0, y_val, lo, hi, plot)
                _dashed_line(surf, colour, (plot.x, y), (plot.right, y), 6, 4)
                img = small.render(label, True, colour)
                surf.blit(img, (plot.right - img.get_width() - 2, y - img.get_height() - 1))
        for s in sorted(d.series, key=lambda s: s.width):
            self._draw_series(surf, s, lo, hi, plot)
        # legend on the line under the title
        x = self._s(10)
        for colour, text in d.legend:
            pygame.draw.rect(surf, colour, (x, self._s(31), self._s(10), max(4, self._s(4))), border_radius=2)
            img = small.render(text, True, p.muted)
            surf.blit(img, (x + self._s(14), self._s(25)))
            x += img.get_width() + self._s(26)
        if d.note:
            img = small.render(d.note, True, p.muted)
            surf.blit(img, (plot.centerx - img.get_width() // 2, plot.centery - img.get_height() // 2))
        return surf

    def _draw_series(self, surf, s: Series, lo, hi, plot):
        if s.bars:
            steps = max(self.data.steps, 1)
            w = max(2, int(plot.w / steps * 0.55))
            _, base = self._xy(0, max(lo, 0.0), lo, hi, plot)
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                x, y = self._xy(i, v, lo, hi, plot)
                top, bottom = min(y, base), max(y, base)
                pygame.draw.rect(surf, s.colour, (int(x - w / 2), int(top), w, max(1, int(bottom - top))))
            return
        width = max(1, self._s(s.width)) if s.width > 1 else (2 if self.scale >= 1.5 else 1)
        runs, run = [], []
        for i, v in enumerate(s.values):
            if v is None or not math.isfinite(v):
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(self._xy(i, v, lo, hi, plot))
        if run:
            runs.append(run)
        for pts in runs:
            if len(pts) == 1:
                pygame.draw.circle(surf, s.colour, (int(pts[0][0]), int(pts[0][1])), max(2, width + 1))
            elif s.dashed:
                for a, b in zip(pts, pts[1:]):
                    _dashed_line(surf, s.colour, a, b, self._s(5), self._s(4), max(2, width))
            elif width <= 1:
                pygame.draw.aalines(surf, s.colour, False, pts)
            else:
                pygame.draw.lines(surf, s.colour, False, pts, width)
                pygame.draw.circle(surf, s.colour, (int(pts[-1][0]), int(pts[-1][1])), width + 1)

    def draw(self, surface: pygame.Surface) -> None:
        if self._surface is None:
            self._surface = self.render()
        surface.blit(self._surface, self.rect.topleft)
        if self.hover_index is not None and self.data is not None and self.data.steps > 1:
            lo, hi = self._range()
            x, _ = self._xy(self.hover_index, lo, lo, hi, self.plot)
            pygame.draw.line(surface, palette().muted, (x, self.plot.y), (x, self.plot.bottom))


def nice_ticks(lo: float, hi: float, most: int = 5) -> list[float]:
    """Round values between ``lo`` and ``hi`` for an axis: multiples of 1, 2, 2.5 or 5 times a
    power of ten, at most ``most`` of them; a value within rounding of zero is zero."""
    span = hi - lo
    if not (math.isfinite(span) and span > 0):
        return [lo]
    raw = span / max(most - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    k = first
    while k * step <= hi + step * 1e-9:
        v = k * step
        ticks.append(0.0 if abs(v) < step * 1e-9 else v)
        k += 1
    return ticks


def _dashed_line(surf, colour, a, b, dash, gap, width: int = 2):
    ax, ay = a
    bx, by = b
    length = math.hypot(bx - ax, by - ay)
    if length < 1:
        return
    ux, uy = (bx - ax) / length, (by - ay) / length
    pos = 0.0
    while pos < length:
        end = min(pos + dash, length)
        pygame.draw.line(surf, colour, (ax + ux * pos, ay + uy * pos), (ax + ux * end, ay + uy * end), width)
        pos = end + gap
