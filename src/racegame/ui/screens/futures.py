"""Futures: 1,000 possible continuations of the game as you will play it, as odds and bands.

They play your plan as a policy, the way the game itself will: this turn the plan as it
stands; later turns your advisor's draft around the levers you set (advisor on), or your
plan carried over with its one-off moves spent (advisor off). The screen says which."""

from __future__ import annotations

import math

import pygame

from .. import chart_data, fmt
from ..charts import Chart
from ...player import ONE_OFF
from ..facts import lever_words
from ..forecasting import AHEAD, RUNS, ForecastJob, plan_key, turns_ahead
from ..textfit import fit
from ..theme import font, palette
from .base import Hotspot, Overlay


class FuturesScreen(Overlay):
    name = "futures"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_ESCAPE: self.close, pygame.K_f: self.close, pygame.K_r: self.refresh}
        self.charts: list[Chart] = []
        self._shown = None

    @property
    def session(self):
        return self.app.session

    def build(self) -> None:
        w, h = self.app.size
        # Drawn content (charts, odds) must sit under pygame_gui's tooltips, so this card is
        # drawn below the widgets rather than being a widget itself.
        self.rect = r = self.panel_rect(min(1180, w - 40), h - 50)
        self.label((r.x + 24, r.y + 14, 600, 34), "Futures of your plan", object_id="#heading")
        policy = self._policy_text()
        self.policy_label = self.label((r.x + 24, r.y + 48, r.w - 48, 20), fit(policy, font(13), r.w - 52), object_id="#muted",
                                       tip=f"{policy}<br><br>Every rival, government and grid decides as usual, and chance plays out "
                                           "differently in each future. Your lab plays your plan the way the game will: "
                                           "purchases and financing moves only this turn; then, with 'Advisor drafts "
                                           "each turn' on (your desk), the advisor's draft of every lever you have not "
                                           "set; off, your plan as it stands.")
        self.refresh_button = self.button((r.right - 300, r.bottom - 54, 150, 40), "Refresh (R)", self.refresh,
                                          tip="Play the futures again with your plan as it is now.", object_id="#primary")
        self.label((r.x + 20, r.bottom - 46, 100, 24), "Look ahead", object_id="#lever_name")
        self.horizon_buttons = {}
        rules, turn = self.session.model.rules, self.session.model.state.turn
        for i, (text, years) in enumerate(AHEAD.items()):
            turns = turns_ahead(rules, turn, years)
            span = f"{fmt.quarter(rules.turn_date(turn))} to {fmt.quarter(rules.turn_date(turn + turns - 1))}"
            b = self.button((r.x + 120 + i * 116, r.bottom - 52, 110, 36), text, lambda t=text: self.set_horizon(t),
                            tip=f"{turns} turn{'s' * (turns != 1)} ahead: {span}" + (" (takes longer)" if turns > 8 else ""),
                            object_id="#choice")
            self.horizon_buttons[text] = b
        self._mark_horizon()
        self.close_button = self.button((r.right - 140, r.bottom - 54, 120, 40), "Close", self.close, tip="Back (Esc).")
        self.odds_rect = pygame.Rect(r.x + 24, r.y + 76, r.w - 48, 64)
        grid = pygame.Rect(r.x + 20, r.y + 150, r.w - 40, r.h - 150 - 66)
        cw, ch = (grid.w - 10) // 2, (grid.h - 10) // 2
        titles = [("Your capability (line: frontier median)", "capability"), ("Your cash", "cash_usd"),
                  ("Your share of world compute", "compute_share"), ("Your safety stock", "safety")]
        self.charts = []
        for i, (title, figure) in enumerate(titles):
            rect = pygame.Rect(grid.x + (i % 2) * (cw + 10), grid.y + (i // 2) * (ch + 10), cw, ch)
            chart = Chart(rect, title)
            chart.figure = figure
            self.charts.append(chart)
            self.hotspots.append(Hotspot(chart.plot.inflate(8, 8), lambda c=chart: self._chart_tip(c)))
        self.hotspots.append(Hotspot(self.odds_rect, self._odds_tip))
        self._shown = None
        if self._current() is None and self._job() is None:
            self.refresh()
        self._show()

    def _policy_text(self) -> str:
        session = self.session
        kept = lever_words([name for name in session.plan.mine if name not in ONE_OFF])
        if session.advisor_drafts:
            way = "your plan this turn, then your advisor's draft each turn after"
            if kept:
                way += f", keeping the {len(kept)} lever{'s' * (len(kept) != 1)} you set ({', '.join(kept)})"
        else:
            way = "your plan as it stands every turn (advisor off), purchases and financing this turn only"
        return f"{RUNS:,} simulated continuations of the race. In each, your lab plays {way}."

    # -- jobs -------------------------------------------------------------------------------------------
    def _job(self):
        return getattr(self.session, "forecast_job", None)

    def _current(self):
        job = self._job()
        if job is not None and job.done and job.key == plan_key(self.session, self.horizon) and job.result is not None:
            return job.result
        return None

    @property
    def ahead(self) -> str:
        """The look-ahead chosen (a key of AHEAD), kept for the session."""
        return getattr(self.session, "forecast_ahead", next(iter(AHEAD)))

    @property
    def horizon(self) -> int:
        """The look-ahead in turns from this turn (turns grow longer later in the game)."""
        return turns_ahead(self.session.model.rules, self.session.model.state.turn, AHEAD[self.ahead])

    def set_horizon(self, ahead: str) -> None:
        self.session.forecast_ahead = ahead
        self._mark_horizon()
        self.refresh()

    def _mark_horizon(self) -> None:
        for text, b in getattr(self, "horizon_buttons", {}).items():
            b.select() if text == self.ahead else b.unselect()

    def refresh(self) -> None:
        job = self._job()
        if job is not None and not job.done:
            return
        if self.session.over:
            return
        self.session.forecast_job = ForecastJob(self.session, turns=self.horizon, workers=self.app.forecast_workers)
        self._shown = None

    def _show(self) -> None:
        job = self._job()
        result = job.result if job is not None and job.done else None
        if result is self._shown and result is not None:
            return
        self._shown = result
        for chart in self.charts:
            chart.set_data(chart_data.futures_chart(result, chart.figure) if result is not None else None)

    def _odds_tip(self) -> str:
        job = self._job()
        if job is None or job.result is None:
            return "The odds appear when the futures have been played."
        f = job.result
        return (f"<b>Out of {f.runs:,} futures of {f.turns} turns</b> (seed {f.seed}):<br>"
                "<b>you win</b>: your lab reaches AGI safely first, or leads on points if the game's last turn comes "
                "within the look-ahead;<br><b>catastrophe</b>: any lab reaches AGI without enough safety;<br>"
                "<b>country wins</b>: a lab of that country wins;<br><b>still racing</b>: nobody has won yet at the end "
                f"of the look-ahead (look further to see more endings).<br><b>AGI by the end of a year</b>: the share of "
                "futures in which some lab has reached AGI, safely or not, by then. Nobody knows what AGI takes: each "
                "future draws its own requirements, consistent with the milestones passed so far.<br>"
                f"Your lab plays {f.policy}. "
                "The same plan, advisor setting and turn always give the same futures.")

    def _chart_tip(self, chart) -> str:
        job = self._job()
        if job is None or job.result is None:
            return ""
        f = job.result
        i = chart.index_at(self.app.mouse)
        if i is None or not f.dates:
            return ""
        bands = f.bands[chart.figure]
        show = {"capability": lambda v: f"{v:.2f}", "cash_usd": fmt.money, "compute_share": lambda v: fmt.pct(v, 1),
                "safety": lambda v: f"{v:.2f}"}[chart.figure]
        return (f"<b>{fmt.quarter(f.dates[i])}</b><br>Middle half of futures: {show(bands[25][i])} to {show(bands[75][i])}<br>"
                f"9 in 10 futures: {show(bands[5][i])} to {show(bands[95][i])}<br>Median: {show(bands[50][i])}")

    # -- loop ---------------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        super().update(dt)
        self._show()
        job = self._job()
        busy = job is not None and not job.done
        stale = job is not None and job.done and job.key != plan_key(self.session, self.horizon)
        if busy and self.refresh_button.is_enabled:
            self.refresh_button.disable()
        elif not busy and not self.refresh_button.is_enabled and not self.session.over:
            self.refresh_button.enable()
        self.stale = stale
        for chart in self.charts:
            chart.hover_index = chart.index_at(self.app.mouse)

    def _draw_progress(self, surface, played, bar) -> None:
        """How far the futures have got: a bar and the quarter the futures have reached (a
        look-ahead to the end of the game takes a few seconds)."""
        p = palette()
        done, most, date = played
        share = min(1.0, done / max(most, 1))
        pygame.draw.rect(surface, p.faint, bar, border_radius=4)
        pygame.draw.rect(surface, p.accent, (bar.x, bar.y, max(8, int(bar.w * share)), bar.h), border_radius=4)
        img = font(13).render(f"reached {fmt.quarter(date)}: {done} of up to {most} turns", True, p.muted)
        surface.blit(img, (bar.right + 10, bar.centery - img.get_height() // 2))

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        pygame.draw.rect(surface, p.panel, self.rect, border_radius=12)
        pygame.draw.rect(surface, p.accent, self.rect, 2, border_radius=12)
        r = self.odds_rect
        job = self._job()
        if job is None or not job.done:
            dots = "." * (1 + int(self.app.time * 3) % 3)
            img = font(20, True).render(f"Playing {RUNS:,} futures{dots}", True, p.accent)
            surface.blit(img, (r.x, r.y + 14))
            played = getattr(job, "progress", None)
            if played is not None:
                self._draw_progress(surface, played, pygame.Rect(r.x, r.y + 14 + img.get_height() + 6, min(420, r.w - 80), 8))
            cx, cy = r.right - 30, r.centery
            for k in range(8):
                a = self.app.time * 4 + k * math.pi / 4
                alpha = 60 + 190 * ((k / 8 + self.app.time * 0.6) % 1.0)
                pygame.draw.circle(surface, (*p.accent[:3], 255) if alpha > 200 else p.faint,
                                   (int(cx + 14 * math.cos(a)), int(cy + 14 * math.sin(a))), 3)
        elif job.error:
            img = font(15, True).render(f"The futures could not be computed: {job.error}", True, p.bad)
            surface.blit(img, (r.x, r.y + 20))
        else:
            f = job.result
            rules = self.session.model.rules
            items = [(fmt.share(f.win), "you win", p.good if f.win >= 0.25 else p.text_bright),
                     (fmt.share(f.catastrophe), "catastrophe", p.bad if f.catastrophe >= 0.05 else p.text_bright)]
            for cid, name in zip(rules.country_ids, rules.country_names):
                items.append((fmt.share(f.country_wins.get(cid, 0.0)), f"{name} wins", p.us if cid == "us" else p.cn))
            items.append((fmt.share(f.running), f"still racing after {f.turns} turns", p.muted))
            x = r.x
            for big, small, colour in items:
                a = font(28, True).render(big, True, colour)
                b = font(12).render(small, True, p.muted)
                surface.blit(a, (x, r.y))
                surface.blit(b, (x, r.y + 38))
                x += max(a.get_width(), b.get_width()) + 34
            lines = []
            rivals = sorted(f.other_wins.items(), key=lambda kv: -kv[1])[:3]
            if rivals:
                lines.append("Rivals who win: " + ", ".join(f"{self.session.model.lab_name(rules.lab_ids.index(k))} {fmt.share(v)}"
                                                            for k, v in rivals))
            cap, front = f.bands.get("capability"), f.bands.get("frontier")
            if cap and front and f.dates:
                gap = cap[50][-1] - front[50][-1]
                lines.append(f"Median future, {fmt.quarter(f.dates[-1])}: you are {abs(gap):.2f} "
                             f"{'behind' if gap < -0.005 else 'ahead of' if gap > 0.005 else 'level with'} the frontier"
                             if abs(gap) > 0.005 else f"Median future, {fmt.quarter(f.dates[-1])}: you are at the frontier")
            by_year = [(y, v) for y, v in (f.agi_by_year or {}).items() if v > 0][:4]
            if by_year:
                lines.append("AGI (any lab) by the end of " + " · ".join(f"{y}: {fmt.share(v)}" for y, v in by_year))
            for k, line in enumerate(lines):
                img = font(13).render(line, True, p.muted)
                surface.blit(img, (r.right - img.get_width(), r.y + 22 + 18 * k))
            if getattr(self, "stale", False):
                img = font(13, True).render("Your plan changed since: press Refresh", True, p.warn)
                surface.blit(img, (r.right - img.get_width(), r.y + 4))
        for chart in self.charts:
            chart.draw(surface)

    def close(self) -> None:
        self.app.pop(self)
