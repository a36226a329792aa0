"""Display: a font with every character the game writes, every screen's text whole and apart
at the sizes players use, UI scales offered only where they fit, windows no larger than the
screen."""

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from racegame.ui.fitting import canvas_scale, offered_scales, offered_sizes, window_size
from racegame.ui.settings_store import UI_SCALES, WINDOW_SIZES
from racegame.ui.theme import FONT_BOLD, FONT_REGULAR

ROOT = Path(__file__).resolve().parents[1]


def _written_characters() -> set[str]:
    """Every character beyond ASCII in the code and the levels: what the game may show."""
    chars = set()
    for path in [*(ROOT / "src" / "racegame").rglob("*.py"), *(ROOT / "levels").rglob("*.toml")]:
        chars.update(ch for ch in path.read_text(encoding="utf-8") if ord(ch) > 127)
    return chars


@pytest.mark.parametrize("font", [FONT_REGULAR, FONT_BOLD])
def test_the_font_has_every_character_the_game_writes(font):
    path = ROOT / "assets" / font
    cmap = TTFont(path).getBestCmap()
    missing = sorted(ch for ch in _written_characters() if ord(ch) not in cmap)
    assert not missing, f"{font} lacks {missing}"
    licence = list(path.parent.glob("LICENSE*"))
    assert licence and "Bitstream" in licence[0].read_text(), "the font's licence sits beside it"


def test_the_theme_uses_the_shipped_font():
    theme = (ROOT / "assets" / "theme.json").read_text()
    paths = set(re.findall(r'"fonts/([^"]+)"', theme))
    assert paths and all((ROOT / "assets" / "fonts" / p).is_file() for p in paths)


def test_windows_and_scales_fit_the_screen():
    assert window_size((1920, 1080), (1366, 768)) == (1366, 704)
    assert window_size((1280, 720), (1920, 1080)) == (1280, 720)
    assert window_size((1600, 900), None) == (1600, 900)
    assert offered_sizes(WINDOW_SIZES, (1366, 768)) == [(1280, 720)]
    assert offered_scales(UI_SCALES, (1280, 720)) == [1.0]
    assert offered_scales(UI_SCALES, (1920, 1080)) == [1.0, 1.25, 1.5]
    assert canvas_scale((1920, 1080), 1.5) == 1.5 and canvas_scale((1280, 720), 1.5) == 1.0
    assert canvas_scale((1024, 600), 1.0) < 1.0  # a small window shows the smallest canvas, smaller


@pytest.mark.parametrize("size, scale", [((1280, 720), 1.0), ((1920, 1080), 1.0), ((1920, 1080), 1.5)])
def test_every_screens_text_fits_and_nothing_overlaps(home, size, scale):
    from display_walk import walk

    assert walk(size, scale) == []
