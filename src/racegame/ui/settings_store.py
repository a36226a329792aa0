"""The player's settings: window size, fullscreen, UI scale, volume. A small JSON file.

A missing or damaged settings file gives the defaults; it never stops the game starting.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from ..errors import RaceError, SaveError
from ..files import write_json_atomic
from ..saves import read_json
from .paths import set_aside, settings_path

WINDOW_SIZES = ((1280, 720), (1366, 768), (1600, 900), (1920, 1080))
UI_SCALES = (1.0, 1.25, 1.5, 2.0)


@dataclass
class Settings:
    width: int = 1280
    height: int = 720
    fullscreen: bool = False
    ui_scale: float = 1.0
    volume: float = 0.6
    muted: bool = False
    tutorial_seen: bool = False

    def clean(self) -> "Settings":
        self.width = int(min(max(self.width, 800), 7680))
        self.height = int(min(max(self.height, 600), 4320))
        self.ui_scale = float(min(max(self.ui_scale, 0.5), 3.0))
        self.volume = float(min(max(self.volume, 0.0), 1.0))
        self.fullscreen, self.muted, self.tutorial_seen = bool(self.fullscreen), bool(self.muted), bool(self.tutorial_seen)
        return self


MAX_SETTINGS_BYTES = 100_000


def load_settings(notices: list | None = None) -> Settings:
    """The saved settings, or the defaults. A damaged file is set aside, with a line for the
    player in ``notices``: it must never stop the game from starting."""
    path = settings_path()
    if not path.exists():
        return Settings()
    try:
        blob = read_json(path, "settings file", MAX_SETTINGS_BYTES)
        if not isinstance(blob, dict):
            raise SaveError(f"{path}: damaged settings file: expected a table")
    except RaceError as exc:
        moved = set_aside(path)
        if notices is not None:
            notices.append(f"{exc}. " + (f"It was set aside as {moved.name}; " if moved else "") + "the default settings are used.")
        return Settings()
    known = {f.name: f.type for f in fields(Settings)}
    kept = {}
    for name, value in blob.items():
        if name in known and isinstance(value, (int, float, bool)) and not isinstance(value, str):
            kept[name] = value
    try:
        return Settings(**kept).clean()
    except (TypeError, ValueError, OverflowError):
        return Settings()


def save_settings(settings: Settings) -> None:
    try:
        write_json_atomic(settings_path(), asdict(settings.clean()))
    except OSError:
        pass  # settings are a convenience: a read-only home folder must not stop play
