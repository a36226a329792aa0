"""The main game screen: top bar, news ticker, decision panel, world map, charts, End Turn."""

from __future__ import annotations

import pygame

from ...errors import RangeError
from ..widgets.top_bar import BindingPill, TopBar
from .base import Hotspot
from .decisions import TABS, DecisionPanel
from .dialogs import stop_game
from .desk import DeskScreen, layout


class MainGameScreen(DeskScreen):
    name = "main"
    panel_class = DecisionPanel
    CLOCK_W = 0  # room kept at the right of the top bar (a team's countdown)

    def __init__(self, app):
        super().__init__(app)
        self.regions: dict[str, pygame.Rect] = {}
        self._turn_built = -1
        self.keys = {
            pygame.K_RETURN: self.end_turn, pygame.K_KP_ENTER: self.end_turn,
            pygame.K_ESCAPE: self.open_pause, pygame.K_F1: self.open_help, pygame.K_h: self.open_help,
            pygame.K_l: self.open_ledger, pygame.K_n: self.open_events, pygame.K_e: self.open_events,
            pygame.K_f: self.open_futures, pygame.K_a: self.advise, pygame.K_m: self.toggle_mute,
            pygame.K_F5: self.quick_save,
        }
        for i, (key, _) in enumerate(TABS):
            self.keys[pygame.K_1 + i] = lambda k=key: self.panel.select(k)

    @property
    def session(self):
        return self.app.session

    # -- building ------------------------------------------------------------------------------------
    def build(self) -> None:
        rects = layout(self.app.size)
        self.rects = rects
        session = self.session
        self.top_bar = TopBar(rects["top"])
        self.top_bar.refresh(session, room=rects["top"].w - self.CLOCK_W)
        self.pill = BindingPill(rects["pill"])
        self.pill.refresh(session)
        self.build_world(rects, ("Capability race", "Share of world AI compute", "Your cash"))
        self.panel = DecisionPanel(self, rects["panel"])
        self.panel.build()
        self._build_bottom(rects["bottom"])
        self._hotspots()
        self._turn_built = session.model.state.turn
        self.regions = {"top": rects["top"], "ticker": rects["ticker"], "binding": rects["pill"], "panel": rects["panel"], "map": rects["map"],
                        "charts": rects["charts"][0].union(rects["charts"][2]), "bottom": rects["bottom"],
                        **{f"top.{k}": r for k, r in self.top_bar.items.items()},
                        **{f"panel.{k}": r for k, r in self.panel.rects.items()},
                        "end_turn": self.end_button.rect.copy(), "futures": self.futures_button.rect.copy(),
                        "ledger": self.ledger_button.rect.copy(), "events": self.events_button.rect.copy(),
                        "menu": self.menu_button.rect.copy(), "help": self.help_button.rect.copy()}

    def _build_bottom(self, r: pygame.Rect) -> None:
        end_w = 210
        self.end_button = self.button((r.right - end_w, r.y, end_w, r.h), "End turn  »", self.end_turn,
                                      tip="Resolve the turn: every lab, government and grid acts at once (Enter).",
                                      object_id="#primary")
        specs = [("Events (N)", self.open_events, "Every news item of the game, filterable."),
                 ("Ledger (L)", self.open_ledger, "Sortable tables of every lab, government and grid."),
                 ("Futures (F)", self.open_futures, "1,000 possible futures of your current plan: odds and ranges."),
                 ("Help (F1)", self.open_help, "What is on this screen, and the keyboard shortcuts."),
                 ("Menu (Esc)", self.open_pause, "Save, load, settings, quit.")]
        bw = min(118, (r.w - end_w - 16) // len(specs) - 6)
        made = []
        for i, (text, action, tip) in enumerate(specs):
            made.append(self.button((r.x + i * (bw + 6), r.y + 4, bw, r.h - 8), text, action, tip=tip))
        self.events_button, self.ledger_button, self.futures_button, self.help_button, self.menu_button = made
        if self.session.over:
            self.end_button.disable()

    def _hotspots(self) -> None:
        self.hotspots = [Hotspot(r, tip) for r, tip in self.top_bar.spots]
        self.hotspots.append(Hotspot(self.rects["pill"], lambda: self.pill.tip, "binding"))
        self.hotspots += self.world_hotspots()
        self.hotspots.append(Hotspot(self.rects["ticker"], self._ticker_tip, "ticker"))

    def _ticker_tip(self) -> str:
        return "The news of the last turn scrolls here. Click it, or press N, for the whole event log."

    # -- actions -----------------------------------------------------------------------------------------
    def end_turn(self) -> None:
        if self.session.over:
            self.open_end()
            return
        self.app.sound.play("end_turn")
        try:
            self.session.end_turn()
        except RangeError as exc:
            stop_game(self.app, exc)
            return
        self.rebuild()
        self.app.push("turn_summary")

    def open_end(self) -> None:
        self.app.push("end")

    def open_help(self) -> None:
        self.app.push("help")

    def open_futures(self) -> None:
        self.app.push("futures")

    def advise(self) -> None:
        self.panel.advise()

    def toggle_mute(self) -> None:
        from ..settings_store import save_settings

        self.app.sound.toggle_mute()
        self.app.settings.muted = self.app.sound.muted
        save_settings(self.app.settings)

    def quick_save(self) -> None:
        from ..paths import saves_dir
        from ...errors import SaveError

        path = saves_dir() / "quicksave.json"
        try:
            self.session.save(path)
            self.app.push("message", "Saved", f"Quick save written to<br>{path}")
        except SaveError as exc:
            self.app.sound.play("error")
            self.app.push("message", "Could not save", str(exc))

    # -- the loop --------------------------------------------------------------------------------------------
    def on_uncover(self) -> None:
        if self._turn_built != self.session.model.state.turn:
            self.rebuild()
        if self.session.over and self.app.top is self and not getattr(self, "_ended_shown", False):
            self._ended_shown = True
            self.open_end()

    def on_mouse(self, event) -> None:
        if event.type != pygame.MOUSEBUTTONUP or event.button != 1:
            return
        if self.rects["ticker"].collidepoint(event.pos):
            self.open_events()
        elif self.rects["pill"].collidepoint(event.pos) and self.session.model.state.turn > 0:
            self.app.push("turn_summary")  # the last report again

    def draw_pill(self, surface) -> None:
        self.pill.draw(surface)
