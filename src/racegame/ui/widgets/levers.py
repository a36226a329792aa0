"""A lever: one of the player's choices with its name, value, control and effect line.

Each lever is a pygame_gui control (slider, drop-down or check box) with labels around
it. ``handle`` turns the control's event into a call of ``on_change`` with the new value;
the decision panel turns that into a ``PlayerPlan`` edit.
"""

from __future__ import annotations

from typing import Callable

import pygame
import pygame_gui

from .. import fmt
from ..screens.base import TOOLTIP_DELAY
from ..textfit import fit
from ..theme import font

ROW = 52  # height of a slider lever: its name, the slider, its effect line


MINE = " · yours"  # after the name of a lever the player set: the advisor leaves it alone


class Lever:
    def __init__(self, key: str, on_change: Callable):
        self.key = key
        self.on_change = on_change
        self.effect: pygame_gui.elements.UILabel | None = None
        self._effect_state = None
        self.control = None
        self.title: pygame_gui.core.UIElement | None = None  # the element that shows the lever's name
        self.text = ""
        self.mine = False

    def mark_mine(self, mine: bool) -> None:
        """Show whether the player set this lever (their own, kept by the advisor)."""
        if self.title is None or mine == self.mine:
            return
        self.mine = mine
        self.title.set_text(self.text + (MINE if mine else ""))
        if isinstance(self.title, pygame_gui.elements.UILabel):
            self.title.change_object_id("#lever_name_mine" if mine else "#lever_name")

    def set_effect(self, text: str, warn: bool = False) -> None:
        if self.effect is None or (text, warn) == self._effect_state:
            return
        self._effect_state = (text, warn)
        shown = fit(text, font(12, warn), self.effect.rect.w - 4)
        self.effect.set_text(shown)
        # A line cut to fit keeps its whole text in a tooltip.
        self.effect.set_tooltip(fmt.esc(text) if shown != text else None, wrap_width=340, delay=TOOLTIP_DELAY)
        wanted = "#effect_warn" if warn else "#effect"
        if self.effect.object_ids[-1] != wanted:
            self.effect.change_object_id(wanted)

    def owns(self, element) -> bool:
        return element is self.control

    def handle(self, event) -> bool:
        return False


def _tip(element, text):
    if text:
        element.set_tooltip(text, wrap_width=340, delay=TOOLTIP_DELAY)


class SliderLever(Lever):
    def __init__(self, manager, container, rect: pygame.Rect, key: str, name: str, tip: str, lo: float, hi: float,
                 value: float, show: Callable[[float], str], on_change: Callable, step: float | None = None):
        super().__init__(key, on_change)
        x, y, w = rect.x, rect.y, rect.w
        self.show = show
        self.name = pygame_gui.elements.UILabel(pygame.Rect(x, y - 1, w - 110, 21), name, manager, container=container,
                                                object_id="#lever_name")
        self.title, self.text = self.name, name
        _tip(self.name, tip)
        self.value = pygame_gui.elements.UILabel(pygame.Rect(x + w - 110, y - 1, 110, 21), show(value), manager,
                                                 container=container, object_id="#lever_value")
        _tip(self.value, tip)
        self.lo, self.hi = lo, max(hi, lo + 1e-9)
        self.control = pygame_gui.elements.UIHorizontalSlider(pygame.Rect(x, y + 19, w, 16), min(max(value, lo), self.hi),
                                                              (lo, self.hi), manager, container=container,
                                                              click_increment=step or (self.hi - lo) / 20)
        self.effect = pygame_gui.elements.UILabel(pygame.Rect(x, y + 35, w, 18), "", manager, container=container,
                                                  object_id="#effect")
        self._shown = value

    def set_value(self, value: float) -> None:
        value = min(max(value, self.lo), self.hi)
        if abs(self.control.get_current_value() - value) > 1e-9:
            self.control.set_current_value(value, warn=False)
        self._show(value)

    def _show(self, value):
        text = self.show(value)
        if text != self.value.text:
            self.value.set_text(text)

    def jump(self, pos, wheel: int = 0) -> bool:
        """pygame_gui's slider moves only by dragging its knob; a click on the track jumps
        there and the mouse wheel nudges it, as players expect. True if it took the input."""
        control = self.control
        if not control.visible or not control.rect.collidepoint(pos):
            return False
        if wheel:
            value = control.get_current_value() + wheel * control.increment
        else:
            knob = control.sliding_button
            if knob is not None and knob.rect.collidepoint(pos):
                return False  # a grab of the knob: pygame_gui drags it
            half = (knob.rect.w if knob is not None else 16) / 2
            fraction = (pos[0] - control.rect.x - half) / max(control.rect.w - 2 * half, 1)
            value = self.lo + (self.hi - self.lo) * min(max(fraction, 0.0), 1.0)
        value = min(max(value, self.lo), self.hi)
        self.set_value(value)
        self.on_change(float(self.control.get_current_value()))
        return True

    def handle(self, event) -> bool:
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element is self.control:
            value = float(self.control.get_current_value())
            self._show(value)
            self.on_change(value)
            return True
        return False


class ChoiceLever(Lever):
    ROW = 58

    def __init__(self, manager, container, rect: pygame.Rect, key: str, name: str, tip: str, options: list,
                 selected: str, on_change: Callable):
        super().__init__(key, on_change)
        x, y, w = rect.x, rect.y, rect.w
        self.name = pygame_gui.elements.UILabel(pygame.Rect(x, y + 2, 130, 21), name, manager, container=container,
                                                object_id="#lever_name")
        self.title, self.text = self.name, name
        _tip(self.name, tip)
        self.options = options  # (text, id)
        start = next((o for o in options if o[1] == selected), options[0])
        self.control = pygame_gui.elements.UIDropDownMenu(options, start, pygame.Rect(x + 132, y, w - 132, 26), manager,
                                                          container=container, expansion_height_limit=220)
        self.effect = pygame_gui.elements.UILabel(pygame.Rect(x, y + 29, w, 18), "", manager, container=container,
                                                  object_id="#effect")

    def handle(self, event) -> bool:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.control:
            self.on_change(getattr(event, "selected_option_id", event.text))
            return True
        return False


class ToggleLever(Lever):
    ROW = 44

    def __init__(self, manager, container, rect: pygame.Rect, key: str, name: str, tip: str, value: bool,
                 on_change: Callable, enabled: bool = True):
        super().__init__(key, on_change)
        x, y, w = rect.x, rect.y, rect.w
        self.control = pygame_gui.elements.UICheckBox(pygame.Rect(x, y + 2, 18, 18), name, manager, container=container,
                                                      initial_state=bool(value), tool_tip_text=tip)
        self.title, self.text = self.control, name
        if not enabled:
            self.control.disable()
        self.effect = pygame_gui.elements.UILabel(pygame.Rect(x + 26, y + 21, w - 26, 18), "", manager,
                                                  container=container, object_id="#effect")

    def handle(self, event) -> bool:
        if event.type in (pygame_gui.UI_CHECK_BOX_CHECKED, pygame_gui.UI_CHECK_BOX_UNCHECKED) and event.ui_element is self.control:
            self.on_change(event.type == pygame_gui.UI_CHECK_BOX_CHECKED)
            return True
        return False


class Gauge(pygame_gui.elements.UIProgressBar):
    """A progress bar used as a gauge: the number it shows is already in a label beside it."""

    def status_text(self):
        return ""


class TabbedLevers:
    """Tabs of levers for a decision panel. A subclass has ``tab_panels``, ``tab_buttons``,
    ``levers``, ``_filled`` (tabs already built), ``_content`` (the tabs' inner rect) and a
    ``_build_<tab>(panel, rect)`` method per tab."""

    def select(self, key: str) -> None:
        # Tabs are filled when first shown: a new turn then rebuilds one tab, not all.
        if key not in self._filled:
            self._filled.add(key)
            # pygame_gui's check box cannot be created inside a hidden container: show first.
            self.tab_panels[key].show()
            getattr(self, f"_build_{key}")(self.tab_panels[key], self._content)
            self._dirty = True
        self.current = key
        for k, panel in self.tab_panels.items():
            if k == key:
                panel.show()
                self.tab_buttons[k].select()
            else:
                panel.hide()
                self.tab_buttons[k].unselect()

    def pointer(self, event, mouse) -> bool:
        """Clicks on a slider's track and wheel turns over it (see ``SliderLever.jump``)."""
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            pos, wheel = event.pos, 0
        elif event.type == pygame.MOUSEWHEEL:
            pos, wheel = mouse, (1 if event.y > 0 else -1 if event.y < 0 else 0)
            if not wheel:
                return False
        else:
            return False
        return any(isinstance(lever, SliderLever) and lever.jump(pos, wheel) for lever in self.levers.values())
