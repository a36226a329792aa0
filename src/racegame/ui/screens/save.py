"""Saving under a name: the same versioned JSON as ``racegame run --save``, written atomically."""

from __future__ import annotations

import re

import pygame
import pygame_gui

from ...errors import SaveError
from .. import fmt
from ..paths import saves_dir
from .base import Overlay
from .load import describe_save, save_files


def safe_name(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", text.strip()).strip("-")
    return name[:60] or "save"


class SaveScreen(Overlay):
    name = "save"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_ESCAPE: self.close}

    def build(self) -> None:
        session = self.app.session
        model = session.model
        card = self.card(640, 460)
        r = pygame.Rect(0, 0, self.rect.w - 4, self.rect.h - 4)
        self.label((24, 16, 400, 34), "Save game", object_id="#heading", container=card)
        self.label((24, 56, 120, 24), "Name", object_id="#lever_name", container=card)
        if hasattr(session, "default_save_name"):
            default = safe_name(session.default_save_name())
        else:
            default = safe_name(f"{model.lab_name(session.slot)}-{fmt.quarter(model.rules.turn_date(model.state.turn))}")
        self.entry = pygame_gui.elements.UITextEntryLine(pygame.Rect(100, 50, r.w - 124, 36), self.manager, container=card,
                                                         initial_text=default)
        self.entry.set_text_length_limit(60)
        self.files = [p for p in save_files() if p.parent == saves_dir()]
        items = [(describe_save(p), str(i)) for i, p in enumerate(self.files)]
        self.label((24, 96, r.w - 48, 20), "Existing saves (pick one to overwrite it):" if items else "No saves yet.",
                   object_id="#muted", container=card)
        self.list = pygame_gui.elements.UISelectionList(pygame.Rect(20, 120, r.w - 40, r.h - 190), items, self.manager,
                                                        container=card)
        by = r.h - 56
        self.back_button = self.button((r.w - 330, by, 140, 40), "Back", self.close, tip="Esc", container=card)
        self.save_button = self.button((r.w - 180, by, 160, 40), "Save", self.save, tip="Enter", object_id="#primary",
                                       container=card)

    def on_ui_event(self, event) -> None:
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.list:
            chosen = self.list.get_single_selection(include_object_id=True)
            if chosen:
                self.entry.set_text(self.files[int(chosen[1])].stem)
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry:
            self.save()

    def on_key(self, event) -> None:
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.save()

    def save(self) -> None:
        name = safe_name(self.entry.get_text())
        path = saves_dir() / f"{name}.json"
        try:
            self.app.session.save(path)
        except SaveError as exc:
            self.app.sound.play("error")
            self.app.push("message", "Could not save", str(exc))
            return
        self.app.pop(self)
        self.app.push("message", "Saved", f"Saved as <b>{name}</b>.<br>{path}")

    def close(self) -> None:
        self.app.pop(self)
