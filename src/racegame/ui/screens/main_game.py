"""The main game screen: top bar, news ticker, decision panel, world map, charts, End Turn."""

from __future__ import annotations

import pygame

from .. import chart_data, fmt
from ..charts import Chart
from ..theme import palette
from ..widgets.ticker import Ticker
from ..widgets.top_bar import BindingPill, TopBar
from ..world_map import WorldMap
from .base import Hotspot, Screen
from .decisions import TABS, DecisionPanel

TOP_H, TICKER_H, GAP, BOTTOM_H = 52, 26, 8, 44


def layout(size) -> dict:
    w, h = size
    left_w = 420 if w < 1500 else 470
    y0 = TOP_H + TICKER_H + 6
    rx = GAP + left_w + GAP
    rw = w - rx - GAP
    bottom_y = h - GAP - BOTTOM_H
    avail = bottom_y - GAP - y0
    charts_h = int(max(190, min(avail * 0.42, 330)))
    map_h = avail - charts_h - GAP
    chart_w = (rw - 2 * GAP) // 3
    charts_y = y0 + map_h + GAP
    return {
        "top": pygame.Rect(0, 0, w, TOP_H),
        "ticker": pygame.Rect(0, TOP_H, w - 268, TICKER_H),
        "pill": pygame.Rect(w - 262, TOP_H + 2, 254, TICKER_H - 3),
        "panel": pygame.Rect(GAP, y0, left_w, h - y0 - GAP),
        "map": pygame.Rect(rx, y0, rw, map_h),
        "charts": [pygame.Rect(rx + i * (chart_w + GAP), charts_y, chart_w, charts_h) for i in range(3)],
        "bottom": pygame.Rect(rx, bottom_y, rw, BOTTOM_H),
    }


class MainGameScreen(Screen):
    name = "main"

    def __init__(self, app):
        super().__init__(app)
        self.regions: dict[str, pygame.Rect] = {}
        self.panel: DecisionPanel | None = None
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
        self.top_bar.refresh(session)
        self.pill = BindingPill(rects["pill"])
        self.pill.refresh(session)
        self.ticker = Ticker(rects["ticker"])
        turn = session.model.state.turn
        recent = [n for n in reversed(session.model.news) if n.turn >= turn - 1][:14]
        heading = f"NEWS · {fmt.quarter(session.model.rules.turn_date(turn - 1))}" if turn > 0 else "NEWS"
        self.ticker.set_news(recent, heading)
        self.world = WorldMap(rects["map"])
        self.world.refresh(session)
        titles = ("Capability race", "Share of world AI compute", "Your cash")
        self.charts = [Chart.showing(rect, title, make(session))
                       for rect, title, make in zip(rects["charts"], titles, chart_data.DESK_CHARTS)]
        self.panel = DecisionPanel(self, rects["panel"])
        self.panel.build()
        self._build_bottom(rects["bottom"])
        self._hotspots()
        self._turn_built = turn
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
                                      tip="Resolve the quarter: every lab, government and grid acts at once (Enter).",
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
        self.hotspots += [Hotspot(r, tip, "map") for r, tip in self.world.spots]
        kinds = ("capability", "share", "cash")
        for chart, kind in zip(self.charts, kinds):
            self.hotspots.append(Hotspot(chart.plot.inflate(8, 8), lambda c=chart, k=kind: self._chart_tip(c, k), f"chart.{kind}"))
        self.hotspots.append(Hotspot(self.rects["ticker"], self._ticker_tip, "ticker"))

    def _chart_tip(self, chart, kind) -> str:
        index = chart.index_at(self.app.mouse)
        return chart_data.chart_tip(kind, self.session, index) if index is not None else ""

    def _ticker_tip(self) -> str:
        return "The news of the last quarter scrolls here. Click it, or press N, for the whole event log."

    def rebuild_panel(self) -> None:
        """The plan changed as a whole (the advisor's plan): rebuild the levers from it."""
        current = self.panel.current if self.panel else "capital"
        if self.panel is not None:
            self.panel.panel.kill()
            self.actions = {b: a for b, a in self.actions.items() if b.alive()}
        self.panel = DecisionPanel(self, self.rects["panel"])
        self.panel.current = current
        self.panel.build()

    # -- actions -----------------------------------------------------------------------------------------
    def end_turn(self) -> None:
        from .turn_summary import TurnSummaryScreen

        if self.session.over:
            self.open_end()
            return
        self.app.sound.play("end_turn")
        self.session.end_turn()
        self.rebuild()
        self.app.push(TurnSummaryScreen(self.app))

    def open_end(self) -> None:
        from .end import EndScreen

        self.app.push(EndScreen(self.app))

    def open_pause(self) -> None:
        from .pause import PauseScreen

        self.app.push(PauseScreen(self.app))

    def open_help(self) -> None:
        from .help import HelpOverlay

        self.app.push(HelpOverlay(self.app))

    def open_ledger(self) -> None:
        from .ledger import LedgerScreen

        self.app.push(LedgerScreen(self.app))

    def open_events(self) -> None:
        from .event_log import EventLogScreen

        self.app.push(EventLogScreen(self.app))

    def open_futures(self) -> None:
        from .futures import FuturesScreen

        self.app.push(FuturesScreen(self.app))

    def advise(self) -> None:
        self.panel.advise()

    def toggle_mute(self) -> None:
        from ..settings_store import save_settings

        self.app.sound.toggle_mute()
        self.app.settings.muted = self.app.sound.muted
        save_settings(self.app.settings)

    def quick_save(self) -> None:
        from .dialogs import MessageScreen
        from ..paths import saves_dir
        from ...errors import SaveError

        path = saves_dir() / "quicksave.json"
        try:
            self.session.save(path)
            self.app.push(MessageScreen(self.app, "Saved", f"Quick save written to<br>{path}"))
        except SaveError as exc:
            self.app.sound.play("error")
            self.app.push(MessageScreen(self.app, "Could not save", str(exc)))

    # -- the loop --------------------------------------------------------------------------------------------
    def on_uncover(self) -> None:
        if self._turn_built != self.session.model.state.turn:
            self.rebuild()
        if self.session.over and self.app.top is self and not getattr(self, "_ended_shown", False):
            self._ended_shown = True
            self.open_end()

    def process_event(self, event) -> None:
        if self.panel is not None and self.panel.pointer(event, self.app.mouse):
            return
        super().process_event(event)

    def on_mouse(self, event) -> None:
        if event.type != pygame.MOUSEBUTTONUP or event.button != 1:
            return
        if self.rects["ticker"].collidepoint(event.pos):
            self.open_events()
        elif self.rects["pill"].collidepoint(event.pos) and self.session.model.state.turn > 0:
            from .turn_summary import TurnSummaryScreen

            self.app.push(TurnSummaryScreen(self.app))  # the last report again

    def on_ui_event(self, event) -> None:
        if self.panel is not None:
            self.panel.handle(event)

    def update(self, dt: float) -> None:
        super().update(dt)
        self.ticker.update(dt)
        if self.panel is not None:
            self.panel.refresh()
        for chart in self.charts:
            chart.hover_index = chart.index_at(self.app.mouse)

    def draw_below_widgets(self, surface) -> None:
        self.top_bar.draw(surface)
        self.ticker.draw(surface)
        pygame.draw.rect(surface, palette().topbar, (self.rects["ticker"].right, self.rects["ticker"].y,
                                                     self.app.size[0] - self.rects["ticker"].right, TICKER_H))
        self.pill.draw(surface)
        self.world.draw(surface, self.app.time)
        for chart in self.charts:
            chart.draw(surface)
