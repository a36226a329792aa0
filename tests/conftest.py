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


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh RACEGAME_HOME: a UI test's settings, saves and reports stay in its own folder."""
    monkeypatch.setenv("RACEGAME_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def app(home):
    """The game's window (dummy video) on its title screen, closed after the test once any
    report it is writing has finished."""
    import pygame

    from racegame.ui import driver

    app = driver.start_app()
    yield app
    job = getattr(app.session, "report_job", None)
    if job is not None:
        job.wait(60)
    pygame.quit()


@pytest.fixture
def opened(home, monkeypatch):
    """``opened(**run_app_arguments)``: the screen on top once ``racegame play`` has started
    (its title, and any dialog it opens at start), the window closed again."""
    from racegame.ui import driver
    from racegame.ui.app import App
    from racegame.ui.launch import run_app

    seen = {}

    def run(app):
        driver.run(app, 3)
        seen["top"] = app.top
        return 0

    monkeypatch.setattr(App, "run", run)

    def open_app(**kwargs):
        assert run_app(**kwargs) == 0
        return seen["top"]

    return open_app
