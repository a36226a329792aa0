"""Modal dialogs (pygame_gui message and confirmation windows) as overlay screens.

Wrapping a pygame_gui window in a screen of its own makes it modal: only the top screen
gets input, and the screen below stays visible, dimmed.
"""

from __future__ import annotations

from typing import Callable

import pygame
import pygame_gui

from .base import Overlay


def stop_game(app, error) -> None:
    """A game that cannot go on (its level's numbers left the simulation's range, a
    ``RangeError``): say why, and go back to the title. The autosave holds the turn before."""
    from .. import fmt

    def to_title():
        app.session = None
        app.reset_to("title")

    app.sound.play("error")
    app.push("message", "The game cannot go on", fmt.esc(error) + "<br><br>The autosave holds the turn before.",
             on_close=to_title, width=640, height=340)


class MessageScreen(Overlay):
    name = "message"

    def __init__(self, app, title: str, html: str, on_close: Callable | None = None, width: int = 460, height: int = 240):
        super().__init__(app)
        self.title, self.html, self.on_close = title, html, on_close
        self.width, self.height = width, height
        self.window = None
        self.keys = {pygame.K_RETURN: self.close, pygame.K_KP_ENTER: self.close, pygame.K_ESCAPE: self.close,
                     pygame.K_SPACE: self.close}

    def build(self) -> None:
        rect = self.panel_rect(self.width, self.height)
        self.window = pygame_gui.windows.UIMessageWindow(rect, self.html, self.manager, window_title=self.title,
                                                         always_on_top=True)
        self.window.set_blocking(True)

    def close(self) -> None:
        if self.app.top is self:
            self.app.pop(self)
            if self.on_close is not None:
                self.on_close()

    def on_ui_event(self, event) -> None:
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.window:
            self.close()

    def process_event(self, event) -> None:
        # A click outside the window dismisses it too: a player should never feel stuck.
        if event.type == pygame.MOUSEBUTTONUP and self.window is not None and self.window.alive() \
                and not self.window.rect.collidepoint(event.pos):
            self.close()
            return
        super().process_event(event)


class ConfirmScreen(Overlay):
    name = "confirm"

    def __init__(self, app, title: str, html: str, on_confirm: Callable, confirm_text: str = "OK"):
        super().__init__(app)
        self.title, self.html, self.on_confirm, self.confirm_text = title, html, on_confirm, confirm_text
        self.keys = {pygame.K_RETURN: self.confirm, pygame.K_KP_ENTER: self.confirm, pygame.K_ESCAPE: self.cancel}

    def build(self) -> None:
        rect = self.panel_rect(440, 220)
        self.window = pygame_gui.windows.UIConfirmationDialog(rect, self.html, self.manager, window_title=self.title,
                                                              action_short_name=self.confirm_text, always_on_top=True)

    def confirm(self) -> None:
        if self.app.top is self:
            self.app.pop(self)
            self.on_confirm()

    def cancel(self) -> None:
        if self.app.top is self:
            self.app.pop(self)

    def on_ui_event(self, event) -> None:
        if event.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED and event.ui_element is self.window:
            self.confirm()
        elif event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.window:
            self.cancel()
