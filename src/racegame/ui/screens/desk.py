"""What a lab team's desk and a government team's desk share.

Both desks lay out the same way: a top bar, the news ticker, a lever panel on the left,
the world map, and three charts. They differ only in their levers, their top bar and the
buttons along the bottom. The subclasses build those parts; this module builds and draws
the shared world view and routes input to the panel.
"""

from __future__ import annotations

import pygame

from .. import chart_data, fmt
from ..charts import Chart
from ..theme import palette
from ..widgets.ticker import Ticker
from ..world_map import WorldMap
from .base import Hotspot, Screen

TOP_H, TICKER_H, GAP, BOTTOM_H = 52, 26, 8, 44
CHART_KINDS = ("capability", "share", "cash")


def layout(size) -> dict:
    w, h = size
    left_w = 444 if w < 1500 else 480  # six tabs' names, and a lever's name beside its value
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


class DeskScreen(Screen):
    """A desk: subclasses set ``panel_class`` and ``ledger_kind`` and build the top bar,
    the panel and the bottom buttons; ``build_world`` builds the ticker, map and charts."""

    panel_class = None
    ledger_kind = "labs"

    def __init__(self, app):
        super().__init__(app)
        self.panel = None

    def build_world(self, rects: dict, chart_titles) -> None:
        """The news of the last turn, the world map and the three charts, from the app's session."""
        session = self.app.session
        model = session.model
        self.ticker = Ticker(rects["ticker"])
        turn = model.state.turn
        recent = [n for n in reversed(model.news) if n.turn >= turn - 1][:14]
        self.ticker.set_news(recent, f"NEWS · {fmt.quarter(model.rules.turn_date(turn - 1))}" if turn > 0 else "NEWS")
        self.world = WorldMap(rects["map"])
        self.world.refresh(session)
        self.charts = [Chart.showing(rect, title, make(session))
                       for rect, title, make in zip(rects["charts"], chart_titles, chart_data.DESK_CHARTS)]

    def world_hotspots(self) -> list[Hotspot]:
        """Tooltips over the map's places and the charts' points."""
        spots = [Hotspot(r, tip, "map") for r, tip in self.world.spots]
        for chart, kind in zip(self.charts, CHART_KINDS):
            spots.append(Hotspot(chart.plot.inflate(8, 8), lambda c=chart, k=kind: self._chart_tip(c, k), f"chart.{kind}"))
        return spots

    def _chart_tip(self, chart, kind) -> str:
        index = chart.index_at(self.app.mouse)
        return chart_data.chart_tip(kind, self.app.session, index) if index is not None else ""

    def rebuild_panel(self) -> None:
        """The plan changed as a whole (the advisor's plan, a reset): rebuild the levers from it, on the same tab."""
        current = self.panel.current if self.panel is not None else None
        if self.panel is not None:
            self.panel.panel.kill()
            self.actions = {b: a for b, a in self.actions.items() if b.alive()}
        self.panel = self.panel_class(self, self.rects["panel"])
        if current is not None:
            self.panel.current = current
        self.panel.build()

    # -- overlays both desks open ------------------------------------------------------------------
    def open_pause(self) -> None:
        self.app.push("pause")

    def open_ledger(self) -> None:
        self.app.push("ledger", self.ledger_kind)

    def open_events(self) -> None:
        self.app.push("event_log")

    # -- the loop --------------------------------------------------------------------------------------
    def process_event(self, event) -> None:
        if self.panel is not None and self.panel.pointer(event, self.app.mouse):
            return
        super().process_event(event)

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
        ticker = self.rects["ticker"]
        pygame.draw.rect(surface, palette().topbar, (ticker.right, ticker.y, self.app.size[0] - ticker.right, TICKER_H))
        self.draw_pill(surface)
        self.world.draw(surface, self.app.time)
        for chart in self.charts:
            chart.draw(surface)

    def draw_pill(self, surface) -> None:
        """The box right of the ticker: each desk says there what held its labs back."""
        raise NotImplementedError
