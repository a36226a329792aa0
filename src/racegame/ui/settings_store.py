"""The player's settings: window size, fullscreen, UI scale, volume. A small JSON file.

A missing or damaged settings file gives the defaults; it never stops the game starting.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from ..saves import write_json_atomic
from .paths import settings_path

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


def load_settings() -> Settings:
    try:
        blob = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(blob, dict):
        return Settings()
    known = {f.name: f.type for f in fields(Settings)}
    kept = {}
    for name, value in blob.items():
        if name in known and isinstance(value, (int, float, bool)) and not isinstance(value, str):
            kept[name] = value
    try:
        return Settings(**kept).clean()
    except (TypeError, ValueError):
        return Settings()


def save_settings(settings: Settings) -> None:
    try:
        write_json_atomic(settings_path(), asdict(settings.clean()))
    except OSError:
        pass  # settings are a convenience: a read-only home folder must not stop play
