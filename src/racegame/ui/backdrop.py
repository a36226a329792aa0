"""The menus' background: the two rivals' outlines, faint, with chips racing between them."""

from __future__ import annotations

import math

import pygame

from .theme import blend, palette
from .world_map import BARRIER_X, PLACES, TAIWAN, _project

SITES = {"us": [(-99.0, 31.0), (-78.0, 38.0), (-86.0, 34.5), (-112.0, 33.5), (-122.0, 37.5)],
         "cn": [(116.4, 39.9), (96.0, 36.0), (121.0, 31.2), (106.5, 29.5), (113.3, 23.1)]}


class Backdrop:
    _cache: dict = {}  # size -> the static layer (menus and hand-overs open often; the picture is the same)

    def __init__(self, size):
        self.size = size
        key = (tuple(size), id(pygame.display.get_surface()))
        if key not in Backdrop._cache:
            Backdrop._cache.clear()
            Backdrop._cache[key] = self._render(size)
        self.surface = Backdrop._cache[key]
        rect = pygame.Rect(0, 0, *size)
        self.sites = {cid: _project(pts, PLACES[cid], rect) for cid, pts in SITES.items()}

    def _render(self, size) -> pygame.Surface:
        p = palette()
        w, h = size
        surf = pygame.Surface(size).convert()
        top, bottom = p.background, blend(p.background, p.ocean_line, 0.6)
        for y in range(0, h, 4):
            pygame.draw.rect(surf, blend(top, bottom, y / max(h, 1)), (0, y, w, 4))
        rect = pygame.Rect(0, 0, w, h)
        for cid, place in PLACES.items():
            pts = _project(place[2], place, rect)
            land = blend(p.us_land if cid == "us" else p.cn_land, p.background, 0.45)
            edge = blend(p.us_edge if cid == "us" else p.cn_edge, p.background, 0.45)
            pygame.draw.polygon(surf, land, pts)
            pygame.draw.lines(surf, edge, True, pts, 2)
        pygame.draw.polygon(surf, blend(p.other_land, p.background, 0.4), _project(TAIWAN, PLACES["cn"], rect))
        x = int(BARRIER_X * w)
        for y in range(int(0.18 * h), int(0.85 * h), 22):
            pygame.draw.rect(surf, blend(p.barrier, p.background, 0.7), (x - 2, y, 4, 12), border_radius=2)
        return surf

    def draw(self, surface: pygame.Surface, t: float) -> None:
        p = palette()
        surface.blit(self.surface, (0, 0))
        for cid, pts in self.sites.items():
            colour = p.us if cid == "us" else p.cn
            for k, (x, y) in enumerate(pts):
                pulse = 0.5 + 0.5 * math.sin(t * 1.6 + k * 1.3)
                pygame.draw.circle(surface, blend(colour, p.background, 0.55 - 0.3 * pulse), (int(x), int(y)), 4 + int(3 * pulse))
        us, cn = self.sites["us"], self.sites["cn"]
        for k in range(4):
            a, b = us[k % len(us)], cn[(k * 2) % len(cn)]
            u = (t * 0.12 + k / 4) % 1.0
            mx, my = (a[0] + b[0]) / 2, min(a[1], b[1]) - 0.25 * self.size[1]
            x = (1 - u) ** 2 * a[0] + 2 * (1 - u) * u * mx + u**2 * b[0]
            y = (1 - u) ** 2 * a[1] + 2 * (1 - u) * u * my + u**2 * b[1]
            pygame.draw.circle(surface, blend(p.flow, p.background, 0.5), (int(x), int(y)), 3)
