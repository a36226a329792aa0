"""The event log: every news item of the game, newest first, filterable by kind."""

from __future__ import annotations

import html

import pygame
import pygame_gui

from .. import fmt
from ..theme import palette
from ..widgets.ticker import KIND_COLOURS
from .base import Overlay

FILTERS = (("all", "All"), ("policy", "Policy"), ("event", "Events"), ("release", "Releases"), ("money", "Money"),
           ("people", "People"), ("safety", "Safety"), ("security", "Security"))


def news_html(session, kind: str = "all", mine: bool = False) -> str:
    model = session.model
    p = palette()
    items = [n for n in model.news if (kind == "all" or n.kind == kind or (kind == "event" and n.kind == "ending"))
             and (not mine or n.lab == session.slot)]
    if not items:
        return f"<font color='{p.hex('muted')}'>Nothing here yet. End a turn and the world will start making news.</font>"
    lines = []
    current = None
    for n in sorted(items, key=lambda n: (-n.turn, -n.weight)):
        if n.turn != current:
            current = n.turn
            if lines:
                lines.append("")
            lines.append(f"<font color='{p.hex('accent')}'><b>{fmt.quarter(n.date).upper()}</b></font>")
        colour = p.hex(KIND_COLOURS.get(n.kind, "muted"))
        weight = "<b>" if n.weight >= 3 else ""
        end = "</b>" if n.weight >= 3 else ""
        you = f" <font color='{p.hex('accent')}'>(you)</font>" if n.lab == session.slot else ""
        lines.append(f"<font color='{colour}'>{n.kind.upper()}</font>  {weight}{html.escape(n.text)}{end}{you}")
    return "<br>".join(lines)


class EventLogScreen(Overlay):
    name = "event_log"

    def __init__(self, app):
        super().__init__(app)
        self.kind = "all"
        self.mine = False
        self.keys = {pygame.K_ESCAPE: self.close, pygame.K_n: self.close, pygame.K_e: self.close}

    def build(self) -> None:
        w, h = self.app.size
        self.card(min(980, w - 40), h - 60)
        r = self.rect
        self.label((r.x + 24, r.y + 16, 300, 34), "Event log", object_id="#heading")
        self.filter_buttons = {}
        x = r.x + 24
        for key, text in FILTERS:
            self.filter_buttons[key] = self.button((x, r.y + 60, 96, 30), text, lambda k=key: self.set_kind(k), object_id="#choice")
            x += 100
        self.mine_box = pygame_gui.elements.UICheckBox(pygame.Rect(x + 12, r.y + 66, 18, 18), "Only my lab", self.manager,
                                                       initial_state=self.mine)
        self.body = self.text_box((r.x + 20, r.y + 100, r.w - 40, r.h - 166), "")
        self.close_button = self.button((r.right - 140, r.bottom - 54, 120, 40), "Close", self.close, tip="Back (Esc).")
        self.set_kind(self.kind)

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        for k, b in self.filter_buttons.items():
            b.select() if k == kind else b.unselect()
        self.body.set_text(news_html(self.app.session, self.kind, self.mine))

    def on_ui_event(self, event) -> None:
        if event.type in (pygame_gui.UI_CHECK_BOX_CHECKED, pygame_gui.UI_CHECK_BOX_UNCHECKED) and event.ui_element is self.mine_box:
            self.mine = event.type == pygame_gui.UI_CHECK_BOX_CHECKED
            self.set_kind(self.kind)

    def close(self) -> None:
        self.app.pop(self)
