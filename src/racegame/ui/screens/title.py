"""The title screen: new game, continue, load, classroom, tutorial, settings, quit."""

from __future__ import annotations

import pygame

from ...engine.params import month_of_turn
from ... import __version__
from ...errors import RaceError
from ...saves import read_save
from ..backdrop import Backdrop
from ..icons import icon
from ..paths import autosave_path, set_aside
from ..theme import font, palette
from .base import Screen


def autosave_summary() -> str | None:
    """A line about the autosave ("Meridian AI, Q3 2026"), or None when there is none."""
    path = autosave_path()
    if not path.is_file():
        return None
    try:
        blob = read_save(path)
        labs = {lab["id"]: lab["name"] for lab in blob["level"]["labs"]}
        y, m = month_of_turn(blob["level"]["time"], int(blob["state"]["turn"]))
        if blob.get("player") is None and blob.get("teams"):
            return f"the classroom game ({blob['level'].get('title') or 'a scenario'}), Q{(m - 1) // 3 + 1} {y}"
        return f"{labs.get(blob.get('player'), 'your lab')}, Q{(m - 1) // 3 + 1} {y}"
    except (RaceError, ValueError, KeyError, TypeError, AttributeError):
        return "the last game (the file looks damaged)"


def check_autosave(notices: list) -> None:
    """At start: an autosave that is not even readable JSON is set aside, with a notice."""
    path = autosave_path()
    if not path.is_file():
        return
    try:
        read_save(path)
    except RaceError as exc:
        moved = set_aside(path)
        notices.append(f"{exc}. " + (f"It was set aside as {moved.name}." if moved else "It could not be moved."))


class TitleScreen(Screen):
    name = "title"

    def __init__(self, app, level: str = "baseline", seed: int | None = None):
        super().__init__(app)
        self.level, self.seed = level, seed
        self.backdrop = None
        self.keys = {pygame.K_n: self.new_game, pygame.K_c: self.continue_game, pygame.K_l: self.load_game,
                     pygame.K_t: self.tutorial, pygame.K_s: self.settings, pygame.K_q: self.quit, pygame.K_k: self.classroom,
                     pygame.K_ESCAPE: self.quit, pygame.K_RETURN: self.default_action}

    def build(self) -> None:
        w, h = self.app.size
        self.backdrop = Backdrop(self.app.size)
        bw, bh = 320, 44
        x = (w - bw) // 2
        y = int(h * 0.40)
        saved = autosave_summary()
        specs = [
            ("New game", self.new_game, "Pick a lab and a difficulty, read the briefing, play. (N)"),
            ("Continue", self.continue_game, f"Resume {saved}. (C)" if saved else "No game to continue yet."),
            ("Load game", self.load_game, "Open one of your saved games. (L)"),
            ("Classroom", self.classroom, "Teams on one machine: a scenario, a seat per team, a countdown, the "
                                          "facilitator's controls and a debrief report. (K)"),
            ("Tutorial" if self.app.settings.tutorial_seen else "Tutorial (start here)", self.tutorial,
             "A guided first game: every control explained in turn. (T)"),
            ("Settings", self.settings, "Window size, full screen, UI scale, sound. (S)"),
            ("Quit", self.quit, "Close the game. (Q)"),
        ]
        self.menu_rect = pygame.Rect(x - 24, y - 20, bw + 48, len(specs) * (bh + 8) + 32)
        self.menu = {}
        for i, (text, action, tip) in enumerate(specs):
            b = self.button((x, y + i * (bh + 8), bw, bh), text, action, tip=tip, object_id="#menu_item")
            self.menu[text.split(" (")[0]] = b
        if not saved:
            self.menu["Continue"].disable()

    def default_action(self) -> None:
        if self.menu["Continue"].is_enabled:
            self.continue_game()
        else:
            self.new_game()

    def new_game(self) -> None:
        self.app.push("new_game", level=self.level, seed=self.seed)

    def continue_game(self) -> None:
        from .load import load_into_app

        if self.menu["Continue"].is_enabled:
            load_into_app(self.app, autosave_path())

    def load_game(self) -> None:
        self.app.push("load")

    def classroom(self) -> None:
        self.app.push("classroom_setup", level=None if self.level == "baseline" else self.level, seed=self.seed)

    def tutorial(self) -> None:
        from .new_game import start_tutorial

        start_tutorial(self.app, self.seed)

    def settings(self) -> None:
        self.app.push("settings")

    def quit(self) -> None:
        self.app.quit(0)

    def on_uncover(self) -> None:
        self.rebuild()  # the autosave may have appeared

    def update(self, dt: float) -> None:
        super().update(dt)

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        w, h = self.app.size
        if self.backdrop is not None:
            self.backdrop.draw(surface, self.app.time)
        veil = pygame.Surface(self.menu_rect.size, pygame.SRCALPHA)
        pygame.draw.rect(veil, (9, 14, 20, 215), veil.get_rect(), border_radius=16)
        surface.blit(veil, self.menu_rect.topleft)
        logo = icon("app", 72)
        title = font(64, True).render("racegame", True, p.text_bright)
        total = logo.get_width() + 18 + title.get_width()
        x = (w - total) // 2
        y = int(h * 0.13)
        surface.blit(logo, (x, y + (title.get_height() - logo.get_height()) // 2))
        surface.blit(title, (x + logo.get_width() + 18, y))
        sub = font(19).render("The US–China race for advanced AI", True, p.accent)
        surface.blit(sub, ((w - sub.get_width()) // 2, y + title.get_height() + 2))
        line = font(14).render("Chips, power, money and safety: steer one lab from January 2025 and see who gets "
                               "there first, and whether it is safe.", True, p.muted)
        surface.blit(line, ((w - line.get_width()) // 2, y + title.get_height() + 32))
        foot = font(12).render(f"v{__version__} · F11 full screen · hover anything for an explanation", True, p.faint)
        surface.blit(foot, ((w - foot.get_width()) // 2, h - 28))
