"""The pause menu: resume, save, load, settings, help, quit."""

from __future__ import annotations

import pygame

from .base import Overlay


class PauseScreen(Overlay):
    name = "pause"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_ESCAPE: self.resume, pygame.K_s: self.save, pygame.K_l: self.load,
                     pygame.K_o: self.settings, pygame.K_q: self.quit_to_title}

    def build(self) -> None:
        card = self.card(360, 470)
        r = pygame.Rect(0, 0, self.rect.w - 4, self.rect.h - 4)
        self.label((r.x, r.y + 16, r.w, 34), "Paused", object_id="#heading_center", container=card)
        specs = [("Resume", self.resume, "Back to the game (Esc)."),
                 ("Save game", self.save, "Save under a name of your choice (S)."),
                 ("Load game", self.load, "Open a saved game (L)."),
                 ("Settings", self.settings, "Window, scale and sound (O)."),
                 ("Help", self.help, "What is on the screen, and the shortcuts."),
                 ("Quit to title", self.quit_to_title, "Leave this game; it is autosaved every turn (Q)."),
                 ("Quit game", self.quit_game, "Close racegame; the game is autosaved every turn.")]
        for i, (text, action, tip) in enumerate(specs):
            self.button((r.x + 40, r.y + 62 + i * 56, r.w - 80, 44), text, action, tip=tip,
                        object_id="#primary" if i == 0 else "#menu_item", container=card)

    def resume(self) -> None:
        self.app.pop(self)

    def save(self) -> None:
        self.app.push("save")

    def load(self) -> None:
        self.app.push("load")

    def settings(self) -> None:
        self.app.push("settings")

    def help(self) -> None:
        self.app.pop(self)
        self.app.push("help")

    def quit_to_title(self) -> None:
        self.app.session = None
        self.app.reset_to("title")

    def quit_game(self) -> None:
        self.app.quit(0)
