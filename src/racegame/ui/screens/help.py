"""The help overlay: what each part of the main screen is for, and the keyboard shortcuts."""

from __future__ import annotations

import pygame

from ..textfit import wrap
from ..theme import font, palette
from .base import Overlay

# (region, where the note goes relative to it, title, text). Thin strips get their note
# beside them; big areas get it inside.
CALLOUTS = (
    ("top", "below", "Your lab at a glance", "Date, cash, compute, power, capability, safety and rank, with last turn's "
                                             "change. Below them, last turn's news scrolls by, and the pill on the right "
                                             "names what held you back. Hover any number for how it is computed."),
    ("map", "bottom", "The world", "Grids coloured by stress (green: room, red: over capacity), data centres (yours in gold), "
                                   "chips shipping, and the export-control wall. Hover a grid for its queue and prices."),
    ("charts", "top", "The race", "Capability of every lab (you in gold, AGI line in violet), each country's share of AI "
                                  "compute, and your cash. Hover for values."),
    ("bottom", "above", "Tools", "Event log, ledger tables, futures of your plan, this help, the menu, and End turn."),
)

SHORTCUTS = [
    ("Enter", "End the turn"), ("1-7", "Decision tabs"), ("A", "Advisor's plan"), ("F", "Futures"),
    ("L", "Ledger"), ("N", "Event log"), ("F1 / H", "This help"), ("Esc", "Menu (save, load, settings)"),
    ("F5", "Quick save"), ("M", "Mute"), ("F11", "Full screen"),
]


class HelpOverlay(Overlay):
    name = "help"
    dim = False  # draws its own, lighter dim so the screen stays readable under the notes

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_ESCAPE: self.close, pygame.K_F1: self.close, pygame.K_h: self.close,
                     pygame.K_RETURN: self.close}

    def _main(self):
        return self.app.find("main", "team_lab")

    def build(self) -> None:
        main = self._main()
        w, h = self.app.size
        panel = main.regions["panel"] if main else pygame.Rect(20, 90, 420, h - 110)
        self.regions = dict(main.regions) if main else {}
        p = palette()
        keys = "".join(f"<br><font color='{p.hex('accent')}'><b>{k}</b></font>  {text}" for k, text in SHORTCUTS)
        html = (f"<font color='{p.hex('accent')}'><b>YOUR DECISIONS</b></font><br>Six tabs hold every lever: capital (chips, "
                "data centres, power), compute (training, serving, research and its focus), market (open weights, price), "
                "money, people and politics. Under each lever: what it costs and what it will do. The plan box sums "
                "this turn's spending. Your advisor drafts every lever you leave alone, each turn; a lever you move is "
                "yours (marked 'yours') until you press Release. Chips, new data centres and financing are for one turn."
                "<br><br>"
                f"<font color='{p.hex('accent')}'><b>KEYS</b></font>{keys}<br><br>Hover anything for what it is and how the "
                "game computes it.")
        box = panel.inflate(-16, -16)
        self.text_box((box.x, box.y, box.w, box.h - 60), html)
        self.close_button = self.button((box.x, box.bottom - 50, box.w, 44), "Got it", self.close,
                                        tip="Close the help (Esc).", object_id="#primary")

    def close(self) -> None:
        self.app.pop(self)

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        veil = pygame.Surface(self.app.size, pygame.SRCALPHA)
        veil.fill((5, 8, 12, 150))
        surface.blit(veil, (0, 0))
        for key in ("top", "ticker", "binding", "map", "charts", "bottom"):
            if key in self.regions:
                pygame.draw.rect(surface, p.accent, self.regions[key].inflate(4, 4), 2, border_radius=8)
        for key, where, title, text in CALLOUTS:
            rect = self.regions.get(key)
            if rect is not None:
                draw_note(surface, rect, title, text, where, clear_of=self.regions.get("panel"))


def draw_note(surface, region: pygame.Rect, title: str, text: str, where: str = "center",
              clear_of: pygame.Rect | None = None) -> None:
    """A note about ``region``: inside it (center, top, bottom) or beside it (below, above)."""
    p = palette()
    body = font(13)
    width = min(560, region.w - 24)
    lines = wrap(text, body, width - 24)
    head = font(14, True).render(title, True, p.accent)
    height = 14 + head.get_height() + 4 + len(lines) * (body.get_linesize()) + 6
    box = pygame.Rect(0, 0, width, height)
    box.centerx = region.centerx
    if where == "below":
        box.top = region.bottom + 12
    elif where == "above":
        box.bottom = region.top - 12
    elif where == "top":
        box.top = region.top + 30
    elif where == "bottom":
        box.bottom = region.bottom - 30
    else:
        box.center = region.center
    if clear_of is not None and box.colliderect(clear_of):
        box.left = clear_of.right + 16  # never under the help text beside the decision panel
    pygame.draw.rect(surface, (11, 17, 24), box, border_radius=8)
    pygame.draw.rect(surface, p.accent, box, 1, border_radius=8)
    surface.blit(head, (box.x + 12, box.y + 8))
    y = box.y + 10 + head.get_height()
    for line in lines:
        if y + body.get_linesize() > box.bottom:
            break
        surface.blit(body.render(line, True, p.text), (box.x + 12, y))
        y += body.get_linesize()
