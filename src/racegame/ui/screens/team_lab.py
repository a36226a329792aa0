"""A lab team's desk in a classroom game: the desktop game's main screen in team mode.

Everything a player has (levers, map, charts, ledger, news), plus the team's name and
countdown, and the facilitator's button where the desktop has Futures (futures would let a
team peek at every rival's plan; a classroom game has none). End turn becomes Done: the
next team takes the screen, or the turn is played when every team has decided. In a
fog-of-war game the session answers for this team, so rivals' figures are its estimates and
the Politics tab has an intelligence lever.
"""

from __future__ import annotations

import pygame

from ..widgets.team_clock import TeamClock
from . import hotseat
from .base import Hotspot
from .main_game import MainGameScreen


class TeamLabScreen(MainGameScreen):
    name = "team_lab"
    CLOCK_W = 170

    def __init__(self, app):
        super().__init__(app)
        self.keys.pop(pygame.K_f, None)
        self.keys.update(hotseat.classroom_keys(self))
        self.clock: TeamClock | None = None

    def build(self) -> None:
        super().build()
        top = self.rects["top"]
        used = max((r.right for r in self.top_bar.items.values()), default=0)
        x = max(used + 6, top.right - 8 - self.CLOCK_W)
        self.clock = TeamClock(pygame.Rect(x, 6, top.right - 8 - x, top.h - 12))
        self.hotspots.append(Hotspot(self.clock.rect, lambda: self.clock.tip, "clock"))
        if self.session.fogged:  # say so where rivals' figures are drawn
            self.charts[0].title = "Capability race · rivals estimated"
            self.charts[0].set_data(self.charts[0].data)
        self.regions["clock"] = self.clock.rect.copy()

    def _build_bottom(self, r: pygame.Rect) -> None:
        end_w = 230
        self.end_button = hotseat.done_button(self, r, end_w, self.end_turn, "plan")
        specs = [("Events (N)", self.open_events, "Every news item of the game, filterable."),
                 ("Ledger (L)", self.open_ledger, "Sortable tables of every lab, government and grid."),
                 ("Facilitator", lambda: hotseat.open_facilitator(self.app),
                  "The facilitator's panel (F9): pause, inject an event, extend the timer, projector view, step back."),
                 ("Help (F1)", self.open_help, "What is on this screen, and the keyboard shortcuts."),
                 ("Menu (Esc)", self.open_pause, "Save, load, settings, quit.")]
        bw = min(118, (r.w - end_w - 16) // len(specs) - 6)
        made = [self.button((r.x + i * (bw + 6), r.y + 4, bw, r.h - 8), text, action, tip=tip)
                for i, (text, action, tip) in enumerate(specs)]
        self.events_button, self.ledger_button, self.facilitator_button, self.help_button, self.menu_button = made
        self.futures_button = self.facilitator_button  # where the desktop game has Futures

    def end_turn(self) -> None:
        if self.session.over:
            self.open_end()
            return
        hotseat.team_done(self.app)

    def open_futures(self) -> None:
        """No futures in a classroom game."""

    def open_end(self) -> None:
        self.app.reset_to("end")

    def draw_below_widgets(self, surface) -> None:
        super().draw_below_widgets(surface)
        if self.clock is not None:
            self.clock.draw(surface, self.session, self.session.active, self.app.time)
