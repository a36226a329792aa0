"""Loading games: the list of saves, an "open file" dialog, and the one loader the menus use.

A save that cannot be read (damaged, foreign, from a newer version) is reported in a
dialog with the loader's own explanation; the game carries on.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pygame
import pygame_gui

from ...engine.params import month_of_turn
from ...errors import RaceError
from ...saves import read_save
from .. import fmt
from ..paths import autosave_path, saves_dir, set_aside
from ..session import Session
from .base import Overlay


def describe_save(path: Path) -> str:
    """One line about a save for the list, without loading the whole game."""
    name = "Autosave" if path == autosave_path() else path.stem
    try:
        blob = read_save(path)
        labs = {lab["id"]: lab["name"] for lab in blob["level"]["labs"]}
        y, m = month_of_turn(blob["level"]["time"], int(blob["state"]["turn"]))
        when = blob.get("saved_at", "")
        try:
            when = datetime.fromisoformat(when).astimezone().strftime("%d %b %Y %H:%M")
        except (TypeError, ValueError):
            pass
        who = labs.get(blob.get("player"), "?")
        if blob.get("player") is None and blob.get("teams"):
            who = f"classroom, {len(blob['teams'])} teams"
        return f"{name}  ·  {who}  ·  Q{(m - 1) // 3 + 1} {y}  ·  saved {when}"
    except (RaceError, ValueError, KeyError, TypeError, AttributeError):
        return f"{name}  ·  (cannot be read)"


def save_files() -> list[Path]:
    files = sorted((p for p in saves_dir().glob("*.json") if not p.name.endswith(".ui.json")),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    auto = autosave_path()
    return ([auto] if auto.is_file() else []) + files


def load_into_app(app, path) -> bool:
    """Load ``path`` and go to the game; on any problem show a dialog and stay put."""

    try:
        session = _open(path, app.engine)
    except Exception as exc:  # noqa: BLE001 - a bad file must never take the game down
        text = str(exc) if isinstance(exc, RaceError) else f"{path}: unexpected problem reading the save ({type(exc).__name__}: {exc})"
        if Path(path) == autosave_path():  # set aside, so that it is not offered again
            moved = set_aside(Path(path))
            text += f"\n\nIt was set aside as {moved.name}." if moved else ""
        app.sound.play("error")
        app.push("message", "This save cannot be loaded", fmt.esc(text), width=560, height=280)
        return False
    app.session = session
    if getattr(session, "kind", "") == "classroom":
        from . import hotseat

        hotseat.resume(app)
        return True
    app.reset_to("main")
    if session.over:
        app.push("end")
    return True


def _open(path, engine: str):
    """A desktop game, or a classroom game (its notes say so, or it has teams and no player)."""
    from ..classroom import Classroom
    from ..session import read_sidecar

    if isinstance(read_sidecar(path).get("classroom"), dict):
        return Classroom.load(path, engine)
    blob = read_save(path)
    if isinstance(blob, dict) and blob.get("player") is None and blob.get("teams"):
        return Classroom.load(path, engine)
    return Session.load(path, engine)


class LoadScreen(Overlay):
    name = "load"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_ESCAPE: self.close, pygame.K_RETURN: self.load_selected}
        self.file_dialog = None

    def build(self) -> None:
        card = self.card(720, 500)
        r = pygame.Rect(0, 0, self.rect.w - 4, self.rect.h - 4)
        self.label((24, 16, 400, 34), "Load game", object_id="#heading", container=card)
        self.files = save_files()
        items = [(describe_save(p), str(i)) for i, p in enumerate(self.files)]
        self.label((24, 52, r.w - 48, 20), f"Saves in {saves_dir()}" if items else "No saves yet: your games autosave every turn.",
                   object_id="#muted", container=card)
        self.list = pygame_gui.elements.UISelectionList(pygame.Rect(20, 80, r.w - 40, r.h - 150), items, self.manager,
                                                        container=card, default_selection=items[0] if items else None)
        by = r.h - 56
        self.open_button = self.button((20, by, 170, 40), "Open a file...", self.open_file,
                                       tip="Pick any racegame save (.json) on disk.", container=card)
        self.back_button = self.button((r.w - 330, by, 140, 40), "Back", self.close, tip="Esc", container=card)
        self.load_button = self.button((r.w - 180, by, 160, 40), "Load", self.load_selected, tip="Enter",
                                       object_id="#primary", container=card)
        if not items:
            self.load_button.disable()

    def selected_path(self) -> Path | None:
        chosen = self.list.get_single_selection(include_object_id=True)
        if not chosen:
            return None
        return self.files[int(chosen[1])]

    def load_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            load_into_app(self.app, path)

    def open_file(self) -> None:
        rect = pygame.Rect(0, 0, min(640, self.app.size[0] - 40), min(480, self.app.size[1] - 40))
        rect.center = (self.app.size[0] // 2, self.app.size[1] // 2)
        self.file_dialog = pygame_gui.windows.UIFileDialog(rect, self.manager, window_title="Open a save",
                                                           initial_file_path=str(saves_dir()), allow_existing_files_only=True,
                                                           allowed_suffixes={".json"}, always_on_top=True)

    def on_ui_event(self, event) -> None:
        if event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION and event.ui_element is self.list:
            self.load_selected()
        elif event.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and event.ui_element is self.file_dialog:
            load_into_app(self.app, Path(event.text))

    def close(self) -> None:
        self.app.pop(self)
