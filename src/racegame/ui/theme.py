"""The look: pygame_gui theme data, the palette the game draws with, and its fonts.

Both come from ``assets/theme.json`` so that one file holds every colour. Font paths in
the theme are relative to the assets folder and are made absolute here, so the game runs
from any working directory.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

import pygame

from .. import colours
from .paths import asset, assets_dir

FONT_REGULAR = "fonts/DejaVuSans.ttf"
FONT_BOLD = "fonts/DejaVuSans-Bold.ttf"


@lru_cache(maxsize=1)
def _theme_file() -> dict:
    with open(asset("theme.json"), encoding="utf-8") as f:
        return json.load(f)


def gui_theme() -> dict:
    """The pygame_gui theme as a dict (a fresh copy: pygame_gui may keep references)."""
    data = copy.deepcopy(_theme_file())
    data.pop("racegame_palette", None)
    root = assets_dir()
    for block in data.values():
        font = block.get("font") if isinstance(block, dict) else None
        if isinstance(font, dict):
            for key, value in list(font.items()):
                if key.endswith("_path") and isinstance(value, str) and not value.startswith("/"):
                    font[key] = str(root / value)
    return data


def _colour(text: str) -> pygame.Color:
    return pygame.Color(text)


class Palette:
    """Named colours, e.g. ``PALETTE.accent``; unknown names raise AttributeError."""

    def __init__(self, mapping: dict):
        self._colours = {k: _colour(v) for k, v in mapping.items() if not k.startswith("_")}

    def __getattr__(self, name: str) -> pygame.Color:
        try:
            return self._colours[name]
        except KeyError:
            raise AttributeError(name) from None

    def hex(self, name: str) -> str:
        c = self._colours[name]
        return f"#{c.r:02x}{c.g:02x}{c.b:02x}"


@lru_cache(maxsize=1)
def palette() -> Palette:
    return Palette(_theme_file()["racegame_palette"])


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """A font for text the game draws itself (charts, map, top bar)."""
    return pygame.font.Font(str(asset(FONT_BOLD if bold else FONT_REGULAR)), int(size))


def country_colour(country_id: str) -> pygame.Color:
    return pygame.Color(colours.country_colour(country_id))


def blend(a, b, t: float) -> pygame.Color:
    return pygame.Color(colours.blend(a, b, t))


def stress_colour(stress: float) -> pygame.Color:
    """Green when a grid has room, yellow as it tightens, red past its firm capacity."""
    p = palette()
    if stress < 0.85:
        return p.grid_ok
    if stress < 0.95:
        return blend(p.grid_ok, p.grid_tight, (stress - 0.85) / 0.10)
    if stress < 1.0:
        return blend(p.grid_tight, p.grid_strained, (stress - 0.95) / 0.05)
    return blend(p.grid_strained, p.grid_over, (stress - 1.0) / 0.08)


def lab_colours(country_ids: list[str]) -> list[pygame.Color]:
    """One colour per lab (``racegame.colours.lab_colours``: the same on screen and on paper)."""
    return [pygame.Color(c) for c in colours.lab_colours(country_ids)]


TEAM_COLOURS = colours.TEAM_COLOURS


def team_colour(index: int | None) -> pygame.Color:
    """A classroom team's colour (``racegame.colours.team_colour``)."""
    return pygame.Color(colours.team_colour(index))
