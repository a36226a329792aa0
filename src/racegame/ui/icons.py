"""The game's icons: SVG files in ``assets/icons`` rasterised at the size asked for."""

from __future__ import annotations

from functools import lru_cache

import pygame

from .paths import asset


@lru_cache(maxsize=128)
def icon(name: str, size: int = 20) -> pygame.Surface:
    path = asset("icons", f"{name}.svg")
    try:
        if hasattr(pygame.image, "load_sized_svg"):
            surf = pygame.image.load_sized_svg(str(path), (size, size))
        else:  # older pygame-ce: load at the drawn size, then scale
            surf = pygame.transform.smoothscale(pygame.image.load(str(path)), (size, size))
    except (pygame.error, FileNotFoundError, OSError):
        surf = pygame.Surface((size, size), pygame.SRCALPHA)
        pygame.draw.circle(surf, (138, 160, 180), (size // 2, size // 2), size // 2 - 1, 2)
    if pygame.display.get_surface() is not None:
        surf = surf.convert_alpha()
    return surf
