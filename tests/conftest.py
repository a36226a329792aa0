import os

# The UI tests and anything that touches pygame run without a display.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402

from racegame.level.loader import load_level  # noqa: E402


@pytest.fixture(scope="session")
def baseline():
    return load_level("baseline")
