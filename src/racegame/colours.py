"""The game's colours as hex strings, one palette for the window and for print.

The palette lives in ``assets/theme.json``. The window (``ui.theme``) and everything printed
(the debrief report, handouts, comparisons) take their colours from here, so a lab, a
country or a team has the same colour on screen and on paper.
"""

from __future__ import annotations

import json
from functools import lru_cache

TEAM_COLOURS = 6
# Each further lab of a country is a lighter or darker shade of its colour (t > 0 lighter).
LAB_SHADES = (0.0, 0.35, -0.3, 0.55, -0.45, 0.2, -0.15)


@lru_cache(maxsize=1)
def palette() -> dict[str, str]:
    """Colour name -> "#rrggbb" (the theme's ``racegame_palette``)."""
    from .ui.paths import asset  # the assets folder; nothing of pygame

    with open(asset("theme.json"), encoding="utf-8") as f:
        colours = json.load(f)["racegame_palette"]
    return {k: v for k, v in colours.items() if not k.startswith("_")}


def rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def hex_of(rgb_value) -> str:
    r, g, b = (int(round(x)) for x in tuple(rgb_value)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def blend(a, b, t: float) -> str:
    """``a`` moved a fraction ``t`` of the way to ``b`` (hex strings or RGB tuples)."""
    a = rgb(a) if isinstance(a, str) else tuple(a)[:3]
    b = rgb(b) if isinstance(b, str) else tuple(b)[:3]
    t = min(max(t, 0.0), 1.0)
    return hex_of(x + (y - x) * t for x, y in zip(a, b))


def country_colour(country_id: str) -> str:
    p = palette()
    return {"us": p["us"], "cn": p["cn"]}.get(country_id, p["muted"])


def lab_colours(country_ids) -> list[str]:
    """One colour per lab, in order: shades of its country's colour, so the camps read at a glance."""
    seen: dict[str, int] = {}
    out = []
    for cid in country_ids:
        k = seen.get(cid, 0)
        seen[cid] = k + 1
        shade = LAB_SHADES[k % len(LAB_SHADES)]
        base = country_colour(cid)
        out.append(blend(base, (255, 255, 255), shade) if shade > 0 else blend(base, (10, 20, 30), -shade))
    return out


def lab_colour_map(labs) -> dict[str, str]:
    """{lab id: colour} for ``labs``, (lab id, country id) pairs in the order the game lists them."""
    labs = list(dict(labs).items())
    return dict(zip((lab for lab, _ in labs), lab_colours([country for _, country in labs])))


def team_colour(index: int | None) -> str:
    """A classroom team's colour (gold, green, violet, cyan, orange, pink): apart from the
    countries' blue and red, so a team reads as a team and a country as a country."""
    return palette()[f"team_{(index or 0) % TEAM_COLOURS}"]
