"""Where the front end finds its assets and keeps the user's files.

Assets live in the repository's ``assets/`` folder. An installed (non-editable) copy finds
them as the package ``racegame.assets_data`` if packaging maps ``assets/`` there, the way
``levels/`` is mapped to ``racegame.levels_data``. ``RACEGAME_ASSETS`` overrides both.
User files (settings, saves, the autosave, debrief reports) go to ``$RACEGAME_HOME`` or
``~/.local/share/racegame``.
"""

from __future__ import annotations

import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def assets_dir() -> Path:
    candidates = []
    override = os.environ.get("RACEGAME_ASSETS")
    if override:
        candidates.append(Path(override))
    try:
        from .. import assets_data  # type: ignore[attr-defined]

        candidates += [Path(p) for p in assets_data.__path__]
    except ImportError:
        pass
    candidates.append(Path(__file__).resolve().parents[3] / "assets")
    for folder in candidates:
        if (folder / "theme.json").is_file():
            return folder
    raise FileNotFoundError("racegame's assets folder (theme, fonts, icons, sounds) was not found; "
                            "set RACEGAME_ASSETS to the repository's assets/ folder")


def asset(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)


def user_dir() -> Path:
    base = os.environ.get("RACEGAME_HOME")
    folder = Path(base) if base else Path.home() / ".local" / "share" / "racegame"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def saves_dir() -> Path:
    folder = user_dir() / "saves"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def autosave_path() -> Path:
    return user_dir() / "autosave.json"


def settings_path() -> Path:
    return user_dir() / "settings.json"


def set_aside(path: Path) -> Path | None:
    """Move a damaged file of the player's out of the way (``NAME.damaged-DATE-TIME.json``)
    so that it neither stops the game nor is overwritten: what is in it may still matter to
    them. The new path, or None if it could not be moved."""
    target = path.with_name(f"{path.stem}.damaged-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


def reports_dir() -> Path:
    folder = user_dir() / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
