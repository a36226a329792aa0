"""A sortable table made of pygame_gui parts: header buttons, and rows in a scrolling box.

Click a header to sort by it; click again to reverse. Each header's tooltip says what the
column is and how it is computed. Each row is drawn as one image (in the palette's text
and accent colours) rather than a label per cell: a hundred labels took about 200 ms to build,
which the player waited for every time the ledger opened or was sorted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import pygame
import pygame_gui

from ..textfit import fit
from ..theme import font, palette

ROW_H = 26
PAD = 6  # text's distance from the cell's edge


@dataclass
class Column:
    key: str
    title: str
    width: int
    show: Callable = str
    tip: str = ""
    left: bool = False


class SortableTable:
    def __init__(self, screen, rect: pygame.Rect, columns: list[Column], rows: list[dict], sort_key: str, descending: bool = True,
                 highlight: str = "you"):
        self.screen = screen
        self.manager = screen.manager
        self.rect = pygame.Rect(rect)
        self.columns = columns
        self.rows = rows
        self.sort_key = sort_key
        self.descending = descending
        self.highlight = highlight
        self.headers: dict[str, pygame_gui.elements.UIButton] = {}
        self.cells: list = []  # one image per row
        self.order: list[int] = []
        self._build()

    def _widths(self) -> list[int]:
        total = sum(c.width for c in self.columns)
        scale = (self.rect.w - 18) / total
        return [int(c.width * scale) for c in self.columns]

    def _build(self) -> None:
        x = self.rect.x
        for col, w in zip(self.columns, self._widths()):
            b = self.screen.button((x, self.rect.y, w, 30), col.title, lambda k=col.key: self.sort(k), tip=col.tip or None,
                                   object_id="#sort_header_left" if col.left else "#sort_header")
            self.headers[col.key] = b
            x += w
        self.box = pygame_gui.elements.UIScrollingContainer(pygame.Rect(self.rect.x, self.rect.y + 32, self.rect.w, self.rect.h - 32),
                                                            self.manager, allow_scroll_x=False)
        self._fill()

    def sort(self, key: str) -> None:
        if key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = key, True
        self._fill()

    def _sort_value(self, row):
        v = row.get(self.sort_key)
        if isinstance(v, (int, float)):
            return (0, -math.inf if not math.isfinite(v) and v < 0 else v)
        return (1, str(v).lower())

    def _fill(self) -> None:
        for cell in self.cells:
            cell.kill()
        self.cells = []
        numeric = [i for i, r in enumerate(self.rows) if isinstance(r.get(self.sort_key), (int, float))]
        others = [i for i in range(len(self.rows)) if i not in numeric]
        numeric.sort(key=lambda i: self._sort_value(self.rows[i])[1], reverse=self.descending)
        others.sort(key=lambda i: str(self.rows[i].get(self.sort_key, "")).lower(), reverse=self.descending)
        self.order = numeric + others if self.descending or not numeric else numeric + others
        widths = self._widths()
        for r, index in enumerate(self.order):
            self.cells.append(pygame_gui.elements.UIImage(pygame.Rect(0, r * ROW_H, sum(widths), ROW_H),
                                                          self._row_image(self.rows[index], widths), self.manager,
                                                          container=self.box))
        self.box.set_scrollable_area_dimensions((self.rect.w - 20, max(len(self.order) * ROW_H, 10)))
        for key, b in self.headers.items():
            col = next(c for c in self.columns if c.key == key)
            arrow = (" ▼" if self.descending else " ▲") if key == self.sort_key else ""
            b.set_text(col.title + arrow)
            b.select() if key == self.sort_key else b.unselect()

    def _row_image(self, row: dict, widths: list[int]) -> pygame.Surface:
        """One row drawn: numbers right-aligned, names left; the player's own name in bold
        accent colour. Text wider than its cell is cut with an ellipsis."""
        surface = pygame.Surface((sum(widths), ROW_H), pygame.SRCALPHA)
        mine = bool(row.get(self.highlight))
        x = 0
        for col, w in zip(self.columns, widths):
            value = row.get(col.key)
            try:
                text = col.show(value)
            except (TypeError, ValueError):
                text = str(value)
            bold = mine and col.left
            f = font(13, bold)
            text = fit(text, f, w - PAD)
            ink = f.render(text, True, palette().accent if bold else palette().text)
            left = x + PAD if col.left else x + w - PAD - ink.get_width()
            surface.blit(ink, (left, (ROW_H - ink.get_height()) // 2))
            x += w
        return surface

    def kill(self) -> None:
        for b in self.headers.values():
            b.kill()
        self.box.kill()
