"""The screen contract: ``process_event``, ``update(dt)`` and a read-only ``draw``.

Each screen owns a pygame_gui manager, so only the screen on top of the stack receives
input, while the screens below keep their last look under an overlay. Buttons map to
actions through ``self.actions``; keys through ``self.keys``; drawn figures (map, charts,
top bar) get tooltips through ``self.hotspots``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import pygame
import pygame_gui

from ..textfit import fit
from ..theme import palette

TOOLTIP_DELAY = 0.45


@dataclass
class Hotspot:
    rect: pygame.Rect
    text: object  # str, or a callable returning str (evaluated when the tip opens)
    name: str = ""


class Screen:
    opaque = True  # covers the whole window: nothing below needs drawing
    dim = False  # an overlay that darkens what is below it
    name = "screen"

    def __init__(self, app):
        self.app = app
        self.manager = app.new_manager()
        self.actions: dict = {}
        self.keys: dict[int, Callable] = {}
        self.hotspots: list[Hotspot] = []
        self._hover: Hotspot | None = None
        self._hover_time = 0.0
        self._tip = None
        self.alive = True

    # -- lifecycle -------------------------------------------------------------
    def build(self) -> None:
        """Create the widgets for ``self.app.size``."""

    def on_enter(self) -> None:
        self.build()

    def on_cover(self) -> None:
        self._close_tip()
        # Only the top screen updates; a screen covered before its first update would show
        # its widgets half-made under the overlay, so let them settle now.
        self.manager.update(0.0)

    def on_uncover(self) -> None:
        """The screen above was closed."""

    def on_exit(self) -> None:
        self.alive = False
        self._close_tip()
        self.manager.clear_and_reset()
        self.actions.clear()

    def rebuild(self) -> None:
        self._close_tip()
        self.manager.set_window_resolution(self.app.size)
        self.manager.clear_and_reset()
        self.actions.clear()
        self.hotspots.clear()
        self.build()

    # -- helpers for building ----------------------------------------------------
    def button(self, rect, text: str, action: Callable | None, tip: str | None = None, object_id=None,
               container=None, **kwargs) -> pygame_gui.elements.UIButton:
        b = pygame_gui.elements.UIButton(pygame.Rect(rect), text, self.manager, container=container,
                                         tool_tip_text=tip, object_id=object_id, **kwargs)
        if action is not None:
            self.actions[b] = action
        return b

    def label(self, rect, text: str, object_id=None, container=None, tip: str | None = None) -> pygame_gui.elements.UILabel:
        with warnings.catch_warnings():  # a text too long for its label is cut below, not warned about
            warnings.simplefilter("ignore", UserWarning)
            lab = pygame_gui.elements.UILabel(pygame.Rect(rect), text, self.manager, container=container, object_id=object_id)
        if lab.font is not None and lab.font.size(text)[0] > lab.rect.w - 4:
            lab.set_text(fit(text, lab.font, lab.rect.w - 6))  # a long name (a level's, a team's) ends in an ellipsis
        if tip:
            lab.set_tooltip(tip, wrap_width=340, delay=TOOLTIP_DELAY)
        return lab

    def text_box(self, rect, html: str, object_id=None, container=None) -> pygame_gui.elements.UITextBox:
        return pygame_gui.elements.UITextBox(html, pygame.Rect(rect), self.manager, container=container, object_id=object_id)

    # -- the loop ------------------------------------------------------------------
    def process_event(self, event) -> None:
        consumed = self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            action = self.actions.get(event.ui_element)
            if action is not None:
                self.app.sound.play("click")
                action()
                return
        if event.type >= pygame.USEREVENT:
            self.on_ui_event(event)
            return
        if event.type == pygame.KEYDOWN and not consumed and (event.key == pygame.K_ESCAPE or not self.typing()):
            action = self.keys.get(event.key)
            if action is not None:
                action()
                return
            self.on_key(event)
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL) and not consumed:
            self.on_mouse(event)

    def on_ui_event(self, event) -> None:
        """pygame_gui events other than button presses (sliders, drop-downs...)."""

    def on_key(self, event) -> None:
        """Keys not bound in ``self.keys``."""

    def on_mouse(self, event) -> None:
        """Clicks that no widget took (e.g. on the map or a chart)."""

    def typing(self) -> bool:
        return any(isinstance(e, (pygame_gui.elements.UITextEntryLine, pygame_gui.elements.UITextEntryBox))
                   for e in self.manager.get_focus_set() or ())

    def update(self, dt: float) -> None:
        self.manager.update(dt)
        self._update_tip(dt)

    def draw(self, surface: pygame.Surface) -> None:
        if self.opaque:
            surface.fill(palette().background)
        self.draw_below_widgets(surface)
        self.manager.draw_ui(surface)
        self.draw_above_widgets(surface)

    def draw_below_widgets(self, surface: pygame.Surface) -> None:
        """Custom drawing under the pygame_gui widgets (backgrounds, map, charts)."""

    def draw_above_widgets(self, surface: pygame.Surface) -> None:
        """Custom drawing over the widgets (highlights, tutorial arrows)."""

    # -- tooltips for drawn figures ---------------------------------------------------
    def _update_tip(self, dt: float) -> None:
        pos = self.app.mouse
        hit = None
        if not self.manager.get_hovering_any_element():
            for spot in reversed(self.hotspots):
                if spot.rect.collidepoint(pos):
                    hit = spot
                    break
        if hit is not self._hover:
            self._close_tip()
            self._hover, self._hover_time = hit, 0.0
            return
        if hit is None:
            return
        self._hover_time += dt
        if self._tip is None and self._hover_time >= TOOLTIP_DELAY:
            text = hit.text() if callable(hit.text) else hit.text
            if text:
                self._tip = self.manager.create_tool_tip(text, position=(int(pos[0]), int(hit.rect.centery)),
                                                         hover_distance=(0, max(8, hit.rect.height // 2)),
                                                         parent_element=None, object_id=None, wrap_width=340)

    def _close_tip(self) -> None:
        if self._tip is not None:
            self._tip.kill()
            self._tip = None
        self._hover = None

    @property
    def tip_text(self) -> str | None:
        """The text of the open drawn-figure tooltip (for tests)."""
        if self._tip is None:
            return None
        block = getattr(self._tip, "text_block", None)
        return getattr(block, "html_text", None)


class Overlay(Screen):
    """A screen drawn over the one below it, which it dims and keeps visible."""

    opaque = False
    dim = True

    def panel_rect(self, width: int, height: int) -> pygame.Rect:
        w, h = self.app.size
        width, height = min(width, w - 40), min(height, h - 40)
        return pygame.Rect((w - width) // 2, (h - height) // 2, width, height)

    def card(self, width: int, height: int, object_id: str = "#dialog") -> pygame_gui.elements.UIPanel:
        """A centred pygame_gui panel to hold this overlay's widgets (in its own coordinates)."""
        self.rect = self.panel_rect(width, height)
        return pygame_gui.elements.UIPanel(self.rect, 1, self.manager, object_id=object_id)
