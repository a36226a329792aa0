"""The news ticker: the turn's events scrolling across a strip, newest first."""

from __future__ import annotations

import pygame

from ..theme import font, palette

KIND_COLOURS = {"policy": "barrier", "event": "warn", "release": "accent", "money": "good", "people": "us",
                "safety": "bad", "ending": "agi", "security": "warn", "milestone": "agi",
                "research": "accent", "chips": "accent"}
SPEED = 60.0  # pixels a second: readable, not restless


class Ticker:
    def __init__(self, rect: pygame.Rect):
        self.rect = pygame.Rect(rect)
        self.strip: pygame.Surface | None = None
        self.offset = 0.0
        self.label = None

    def set_news(self, items: list, heading: str) -> None:
        """``items``: News objects (newest turn first)."""
        p = palette()
        f = font(13)
        bold = font(12, True)
        parts = []
        for n in items:
            colour = getattr(p, KIND_COLOURS.get(n.kind, "muted"))
            tag = bold.render(n.kind.upper(), True, colour)
            text = f.render(n.text, True, p.text)
            parts.append((tag, text))
        if not parts:
            parts.append((bold.render("", True, p.muted),
                          f.render("No news yet: end the turn to see what the world does.", True, p.muted)))
        width = sum(t.get_width() + x.get_width() + 48 for t, x in parts)
        strip = pygame.Surface((max(width, 1), self.rect.h), pygame.SRCALPHA)
        x = 0
        for tag, text in parts:
            strip.blit(tag, (x, (self.rect.h - tag.get_height()) // 2 + 1))
            x += tag.get_width() + 8
            strip.blit(text, (x, (self.rect.h - text.get_height()) // 2))
            x += text.get_width() + 18
            pygame.draw.circle(strip, p.faint, (x + 6, self.rect.h // 2), 3)
            x += 22
        self.strip = strip
        self.offset = 0.0
        self.label = bold.render(heading, True, p.accent)

    def update(self, dt: float) -> None:
        if self.strip is not None:
            self.offset = (self.offset + SPEED * dt) % max(self.strip.get_width(), 1)

    def draw(self, surface: pygame.Surface) -> None:
        p = palette()
        pygame.draw.rect(surface, p.topbar, self.rect)
        pygame.draw.line(surface, p.panel_edge, self.rect.bottomleft, self.rect.bottomright)
        if self.strip is None:
            return
        label_w = (self.label.get_width() + 24) if self.label else 0
        area = pygame.Rect(self.rect.x + label_w, self.rect.y, self.rect.w - label_w, self.rect.h)
        old = surface.get_clip()
        surface.set_clip(area)
        w = self.strip.get_width()
        x = area.x + area.w - self.offset if w > area.w else area.x + 8
        if w > area.w:
            x = area.x - self.offset
            while x < area.right:
                surface.blit(self.strip, (x, self.rect.y))
                x += w
        else:
            surface.blit(self.strip, (x, self.rect.y))
        surface.set_clip(old)
        if self.label:
            pygame.draw.rect(surface, p.topbar, (self.rect.x, self.rect.y, label_w, self.rect.h - 1))
            surface.blit(self.label, (self.rect.x + 12, self.rect.y + (self.rect.h - self.label.get_height()) // 2))
            pygame.draw.line(surface, p.panel_edge, (self.rect.x + label_w - 6, self.rect.y + 5),
                             (self.rect.x + label_w - 6, self.rect.bottom - 5))
