import os

# The UI tests and anything that touches pygame run without a display.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# CI runs the same fuzz examples every time (a failure there is reproducible); explore other
# inputs locally with: pytest --hypothesis-profile explore
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

from racegame.level.loader import load_level  # noqa: E402


@pytest.fixture(scope="session")
def baseline():
    return load_level("baseline")
