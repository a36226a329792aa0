"""The end of the game: the outcome, your result, the race in charts, and the standings."""

from __future__ import annotations

import pygame

from ...headless import ending, main_constraints, standings
from .. import chart_data, fmt
from ..charts import Chart
from ..explain import binding_name
from ..theme import font, palette
from .base import Hotspot, Screen


def outcome_text(session) -> tuple[str, str, bool]:
    """(headline, explanation, whether the player won)."""
    model = session.model
    rules = model.rules
    end = ending(model)
    me = rules.lab_ids[session.slot]
    my_country = rules.country_ids[int(model.state.country[0, session.slot])]
    country_name = dict(zip(rules.country_ids, rules.country_names))
    if not session.player_alive and end["outcome"] == "running":
        return ("Your lab ran out of money", "Cash fell below zero and the lab shut down. The race goes on without you.", False)
    if end["outcome"] == "safe_agi":
        who = country_name.get(end["winner_country"], "")
        if end["winner"] == me:
            return ("You reached AGI, and it is safe", f"{who} wins the race, and your lab led it there.", True)
        if end["winner_country"] == my_country:
            return (f"{end['winner_name']} reached safe AGI", f"{who}, your country, wins the race; your lab did not get there first.", True)
        return (f"{end['winner_name']} reached AGI first", f"{who} wins the race.", False)
    if end["outcome"] == "catastrophe":
        agi = end["agi_lab"]
        who = "Your lab" if agi == me else model.lab_name(rules.lab_ids.index(agi))
        return ("Catastrophe", f"{who} reached AGI without the safety to control it. Everybody loses.", False)
    if end["outcome"] == "horizon":
        if end["winner"] == me:
            return ("You lead at the horizon", "No lab reached AGI; your lab leads on points (capability, market, cash, safety).", True)
        return (f"{end['winner_name'] or 'Nobody'} leads at the horizon",
                "No lab reached AGI; the winner leads on points (capability, market, cash and safety).", False)
    return ("The game is over", "", False)


class EndScreen(Screen):
    name = "end"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_RETURN: self.title, pygame.K_ESCAPE: self.title, pygame.K_n: self.new_game,
                     pygame.K_e: self.events, pygame.K_q: self.quit}
        self.played_sound = False

    def build(self) -> None:
        w, h = self.app.size
        session = self.app.session
        model = session.model
        headline, explanation, won = outcome_text(session)
        self.headline, self.explanation, self.won = headline, explanation, won
        if not self.played_sound:
            self.app.sound.play("win" if won else "lose")
            self.played_sound = True
        rules = model.rules
        margin = 24
        chart_w = int((w - 3 * margin) * 0.58)
        chart_h = (h - 150 - 80 - 2 * 10) // 2
        top = 130
        self.charts = []
        specs = [("Capability race", chart_data.capability_chart, "capability"),
                 ("Share of world AI compute", chart_data.share_chart, "share"),
                 ("Your cash", chart_data.cash_chart, "cash")]
        rects = [pygame.Rect(margin, top, chart_w, chart_h),
                 pygame.Rect(margin, top + chart_h + 10, (chart_w - 10) // 2, chart_h),
                 pygame.Rect(margin + (chart_w - 10) // 2 + 10, top + chart_h + 10, (chart_w - 10) // 2, chart_h)]
        for (title, make, kind), rect in zip(specs, rects):
            chart = Chart(rect, title)
            chart.set_data(make(session))
            self.charts.append(chart)
            self.hotspots.append(Hotspot(chart.plot.inflate(8, 8), lambda c=chart, k=kind: self._chart_tip(c, k)))
        x = margin * 2 + chart_w
        rows = standings(model)
        constraints = main_constraints(model)
        me = rules.lab_ids[session.slot]
        p = palette()
        lines = [f"<font color='{p.hex('accent')}'><b>FINAL STANDINGS</b></font>"]
        for i, row in enumerate(rows, 1):
            tag = " <font color='#f2b84b'>(you)</font>" if row["lab"] == me else ""
            gone = " (gone)" if not row["alive"] else ""
            lines.append(f"{i}. <b>{row['name']}</b>{tag}{gone}: {row['capability']:.2f} · {fmt.money(row['cash_usd'])} · "
                         f"share {fmt.pct(row['share'])} · safety {row['safety']:.2f}")
        why = constraints.get(me)
        if why:
            lines += ["", f"<font color='{p.hex('accent')}'><b>WHAT HELD YOU BACK MOST</b></font>",
                      f"{binding_name(why).capitalize()}, in more turns than anything else."]
        key = [n for n in model.news if n.weight >= 3]
        if key:
            lines += ["", f"<font color='{p.hex('accent')}'><b>TURNING POINTS</b></font>"]
            lines += [f"{fmt.quarter(n.date)}: {n.text}" for n in key[-8:]]
        self.text_box((x, top, w - x - margin, h - top - 80), "<br>".join(lines))
        by = h - 64
        self.button((margin, by, 170, 44), "New game (N)", self.new_game, tip="Pick a lab and play again.", object_id="#primary")
        self.button((margin + 180, by, 170, 44), "Title screen", self.title, tip="Back to the title (Enter).")
        self.button((margin + 360, by, 170, 44), "Event log (E)", self.events, tip="Every news item of the game.")
        self.button((w - margin - 140, by, 140, 44), "Quit (Q)", self.quit, tip="Close racegame.")
        self.seed_text = f"{model.level.title} · {model.lab_name(session.slot)} · {model.difficulty} · seed {model.seed} · " \
                         f"{model.state.turn} turns to {fmt.quarter(rules.turn_date(max(model.state.turn - 1, 0)))}"

    def _chart_tip(self, chart, kind):
        index = chart.index_at(self.app.mouse)
        return chart_data.chart_tip(kind, self.app.session, index) if index is not None else ""

    def new_game(self) -> None:
        from .new_game import NewGameScreen
        from .title import TitleScreen

        level = self.app.session.model.level.path
        self.app.session = None
        self.app.reset_to(TitleScreen(self.app))
        self.app.push(NewGameScreen(self.app, level=level))

    def title(self) -> None:
        from .title import TitleScreen

        self.app.session = None
        self.app.reset_to(TitleScreen(self.app))

    def events(self) -> None:
        from .event_log import EventLogScreen

        self.app.push(EventLogScreen(self.app))

    def quit(self) -> None:
        self.app.quit(0)

    def update(self, dt: float) -> None:
        super().update(dt)
        for chart in self.charts:
            chart.hover_index = chart.index_at(self.app.mouse)

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        w, _ = self.app.size
        colour = p.good if self.won else p.bad
        pygame.draw.rect(surface, colour, (0, 0, w, 6))
        head = font(34, True).render(self.headline, True, colour)
        surface.blit(head, (24, 22))
        sub = font(17).render(self.explanation, True, p.text)
        surface.blit(sub, (26, 70))
        meta = font(12).render(self.seed_text, True, p.muted)
        surface.blit(meta, (26, 98))
        for chart in self.charts:
            chart.draw(surface)
