"""The turn summary: what happened to your lab, what held it back, and what others did."""

from __future__ import annotations

import pygame

from ..facts import turn_summary
from .base import Overlay


class TurnSummaryScreen(Overlay):
    name = "turn_summary"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_RETURN: self.close, pygame.K_KP_ENTER: self.close, pygame.K_SPACE: self.close,
                     pygame.K_ESCAPE: self.close, pygame.K_l: self.ledger, pygame.K_n: self.events, pygame.K_e: self.events}

    def build(self) -> None:
        session = self.app.session
        info = turn_summary(session)
        self.info = info
        card = self.card(760, 600)
        rect = pygame.Rect(0, 0, self.rect.w - 4, self.rect.h - 4)
        self.label((rect.x + 24, rect.y + 18, rect.w - 48, 34), info["title"], object_id="#heading", container=card)
        model = session.model
        sub = f"Turn {model.state.turn} of {model.rules.horizon} played"
        if session.autosave_error:
            sub += f" · autosave failed: {session.autosave_error}"
        else:
            sub += " · autosaved"
        self.label((rect.x + 24, rect.y + 52, rect.w - 48, 20), sub, object_id="#muted", container=card)
        self.body = self.text_box((rect.x + 20, rect.y + 80, rect.w - 40, rect.h - 150), info["html"], container=card)
        by = rect.bottom - 56
        self.button((rect.x + 20, by, 150, 40), "Event log (N)", self.events, tip="Every news item of the game.", container=card)
        self.button((rect.x + 178, by, 150, 40), "Ledger (L)", self.ledger, tip="Tables of every lab, government and grid.",
                    container=card)
        label = "See the ending  »" if session.over else "Continue  »"
        self.continue_button = self.button((rect.right - 220, by, 200, 40), label, self.close,
                                           tip="Back to your desk for the next turn (Enter).", object_id="#primary",
                                           container=card)

    def on_enter(self) -> None:
        super().on_enter()
        info = self.info
        if self.app.session.over:
            return
        if info["released"]:
            self.app.sound.play("release")
        elif info["incident"] or info["binding"] != "none":
            self.app.sound.play("alert")
        else:
            self.app.sound.play("summary")

    def close(self) -> None:
        self.app.pop(self)

    def ledger(self) -> None:
        self.app.push("ledger")

    def events(self) -> None:
        self.app.push("event_log")
