"""The projector view: the race in big type, readable from the back of a classroom.

The capability race and each country's share of the world's AI compute as large charts,
the standings, the latest news, and the turn, date and the deciding team's countdown. It
shows the true figures (the room's view, no fog). The deciding team's clock holds while it
is up. F10 or Esc goes back.
"""

from __future__ import annotations

import pygame

from ...headless import standings
from .. import chart_data, fmt
from ..charts import Chart
from ..textfit import wrap
from ..theme import country_colour, font, palette, team_colour
from ..widgets.team_clock import TeamClock
from . import hotseat
from .base import Screen

CHART_SCALE = 1.7  # chart text 19 px and up at 1280 x 720; everything grows with taller windows


class ProjectorScreen(Screen):
    name = "projector"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_ESCAPE: self.close, pygame.K_F10: self.close, pygame.K_v: self.close,
                     pygame.K_F9: lambda: hotseat.open_facilitator(self.app)}

    def build(self) -> None:
        w, h = self.app.size
        classroom = self.app.session
        room = classroom.room
        model = classroom.model
        rules = model.rules
        k = self.k = max(1.0, min(h / 720, w / 1280))
        margin, gap = int(16 * k), int(12 * k)
        self.header = pygame.Rect(0, 0, w, int(84 * k))
        body = pygame.Rect(margin, self.header.bottom + gap, w - 2 * margin, h - self.header.bottom - gap - int(34 * k))
        left_w = int(body.w * 0.6)
        cap_h = int(body.h * 0.56)
        self.charts = [Chart(pygame.Rect(body.x, body.y, left_w, cap_h), "Capability race", CHART_SCALE * k),
                       Chart(pygame.Rect(body.x, body.y + cap_h + gap, left_w, body.h - cap_h - gap),
                             "Share of world AI compute", CHART_SCALE * k)]
        self.charts[0].set_data(chart_data.capability_chart(room))
        self.charts[1].set_data(chart_data.share_chart(room))
        self.right = pygame.Rect(body.x + left_w + gap, body.y, body.w - left_w - gap, body.h)
        self.close_button = self.button((w - 170, h - 32, 160, 28), "Back (F10)", self.close, tip="Back to the game (Esc).")
        self.clock = TeamClock(pygame.Rect(w - int(430 * k), int(12 * k), int(414 * k), int(60 * k)), big=True)
        # Text, rendered once: the standings and the latest news.
        teams = {t.seat: t for t in classroom.teams if t.kind == "lab"}
        rows = [r for r in standings(model) if r["alive"]][:7]
        self.rows = []
        for i, row in enumerate(rows, 1):
            team = teams.get(row["lab"])
            self.rows.append((i, row["name"], country_colour(row["country"]), f"{row['capability']:.2f}",
                              (team.name, team_colour(team.colour)) if team else None))
        turn = model.state.turn
        recent = sorted((n for n in model.news if n.turn == turn - 1), key=lambda n: -n.weight)[:3]
        news_font = font(int(19 * k))
        self.news = []  # (line, first line of an item)
        for n in recent:
            self.news += [(line, i == 0) for i, line in enumerate(wrap(n.text, news_font, self.right.w - int(44 * k))[:2])]
        self.title = model.level.title
        self.when = f"TURN {min(turn + 1, rules.horizon)} OF {rules.horizon} · {fmt.quarter(rules.turn_date(min(turn, rules.horizon - 1)))}"
        if classroom.over:
            self.when = f"GAME OVER · {turn} TURNS"
        self.foot = f"Seed {model.seed} · same level and seed, same world" + (" · true figures (no fog)" if classroom.fog else "")

    def close(self) -> None:
        self.app.pop(self)

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        w, h = self.app.size
        k = self.k

        def s(n):
            return int(n * k)

        classroom = self.app.session
        pygame.draw.rect(surface, p.topbar, self.header)
        pygame.draw.line(surface, p.panel_edge, self.header.bottomleft, self.header.bottomright, 2)
        surface.blit(font(s(20), True).render(self.title.upper(), True, p.accent), (s(20), s(10)))
        surface.blit(font(s(36), True).render(self.when, True, p.text_bright), (s(20), s(34)))
        team = classroom.active or (None if classroom.over else classroom.deciding)
        if team is not None and classroom.active is not None:
            self.clock.draw(surface, classroom, team, self.app.time)
        elif team is not None:
            img = font(s(24), True).render(f"Next: {team.name}", True, team_colour(team.colour))
            surface.blit(img, (w - s(20) - img.get_width(), s(28)))
        for chart in self.charts:
            chart.draw(surface)
        r = self.right
        pygame.draw.rect(surface, p.chart_bg, r, border_radius=8)
        pygame.draw.rect(surface, p.panel_edge, r, 1, border_radius=8)
        y = r.y + s(10)
        surface.blit(font(s(20), True).render("STANDINGS", True, p.accent), (r.x + s(14), y))
        y += s(32)
        big, small = font(s(24), True), font(s(17), True)
        for rank, name, colour, cap, team in self.rows:
            pygame.draw.rect(surface, colour, (r.x + s(14), y + s(6), s(8), s(24)), border_radius=3)
            surface.blit(big.render(f"{rank}", True, p.muted), (r.x + s(30), y))
            label = big.render(name, True, p.text_bright)
            surface.blit(label, (r.x + s(58), y))
            value = big.render(cap, True, p.text_bright)
            surface.blit(value, (r.right - s(14) - value.get_width(), y))
            if team is not None:
                tag = small.render(team[0], True, team[1])
                room_left = r.right - s(24) - value.get_width() - (r.x + s(66) + label.get_width())
                if tag.get_width() <= room_left:
                    surface.blit(tag, (r.x + s(66) + label.get_width(), y + s(6)))
            y += s(36)
        y += s(10)
        pygame.draw.line(surface, p.panel_edge, (r.x + s(14), y), (r.right - s(14), y))
        y += s(10)
        surface.blit(font(s(20), True).render("LATEST NEWS", True, p.accent), (r.x + s(14), y))
        y += s(32)
        body = font(s(19))
        for line, first in self.news:
            if y + body.get_linesize() > r.bottom - s(6):
                break
            if first:
                y += s(4)
                pygame.draw.circle(surface, p.accent, (r.x + s(20), y + body.get_linesize() // 2), s(4))
            surface.blit(body.render(line, True, p.text), (r.x + s(32), y))
            y += body.get_linesize()
        surface.blit(font(s(14)).render(self.foot, True, p.muted), (s(20), h - s(28)))
