"""A classroom team's badge: its name in its colour and its countdown, drawn every frame.

The text is rendered again only when the shown second changes; under 30 seconds the time
turns red and pulses, so a team sees it from across the table.
"""

from __future__ import annotations

import math

import pygame

from .. import fmt
from ..theme import blend, font, palette, team_colour

WARN_SECONDS = 30


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60}:{seconds % 60:02d}"


class TeamClock:
    def __init__(self, rect: pygame.Rect, big: bool = False):
        self.rect = pygame.Rect(rect)
        self.big = big
        self._key = None
        self._images = None
        self.tip = ""

    def _render(self, classroom, team):
        p = palette()
        colour = team_colour(team.colour)
        grow = self.rect.h / 60 if self.big else 1.0
        sizes = (int(20 * grow), int(52 * grow)) if self.big else (12, 22)
        name = font(sizes[0], True).render(team.name.upper(), True, colour)
        if classroom.paused:
            time_text, tone = "PAUSED", p.warn
        elif not classroom.countdown:
            time_text, tone = "no time limit", p.muted
        else:
            time_text = clock_text(classroom.remaining)
            tone = p.bad if classroom.remaining <= WARN_SECONDS else p.text_bright
        clock = font(sizes[1] if classroom.countdown and not classroom.paused else max(12, sizes[1] // 2), True).render(time_text, True, tone)
        return name, clock

    def draw(self, surface: pygame.Surface, classroom, team, t: float) -> None:
        if team is None:
            return
        key = (team.name, team.colour, classroom.paused, classroom.countdown, int(classroom.remaining + 0.999))
        if key != self._key:
            self._key = key
            self._images = self._render(classroom, team)
            self.tip = (f"<b>{fmt.esc(team.name)}</b> is deciding. " + (f"{clock_text(classroom.remaining)} left of "
                        f"{clock_text(classroom.countdown)}; when it runs out the team's plan stands as it is and the "
                        "next team takes over." if classroom.countdown else "No countdown in this game."))
        p = palette()
        r = self.rect
        name, clock = self._images
        pygame.draw.rect(surface, p.topbar, r)
        pygame.draw.rect(surface, blend(team_colour(team.colour), p.topbar, 0.55), r, 2, border_radius=8)
        warn = classroom.countdown and not classroom.paused and classroom.remaining <= WARN_SECONDS
        if warn:
            pulse = int(80 + 80 * (0.5 + 0.5 * math.sin(t * 8)))
            glow = pygame.Surface(r.size, pygame.SRCALPHA)
            pygame.draw.rect(glow, (*p.bad[:3], pulse // 3), glow.get_rect(), border_radius=8)
            surface.blit(glow, r.topleft)
        x = r.x + 10
        if name.get_width() + clock.get_width() + 30 > r.w and not self.big:
            # Not room for both side by side (a crowded top bar): the name above, the time below.
            name = font(10, True).render(team.name.upper(), True, team_colour(team.colour))
            if name.get_width() > r.w - 12:
                name = pygame.transform.smoothscale_by(name, max(0.2, (r.w - 12) / name.get_width()))
            clock = pygame.transform.smoothscale_by(clock, max(0.2, min(1.0, (r.h - name.get_height() - 4) / clock.get_height())))
            top = r.centery - (name.get_height() + clock.get_height()) // 2
            surface.blit(name, (r.centerx - name.get_width() // 2, top))
            surface.blit(clock, (r.centerx - clock.get_width() // 2, top + name.get_height()))
            return
        surface.blit(name, (x, r.centery - name.get_height() // 2))
        surface.blit(clock, (r.right - 10 - clock.get_width(), r.centery - clock.get_height() // 2))
