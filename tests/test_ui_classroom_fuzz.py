"""Random input over a classroom game: clicks, drags, wheel turns and key presses on the
hand-over, the desks, the facilitator's panel, the projector view, the turn summaries and
the end screen never raise, and a short countdown runs out now and then."""

import random

import pygame
import pytest

from racegame.ui import driver, reporting
from test_ui_fuzz import random_event

KEYS = [pygame.K_F9, pygame.K_F10, pygame.K_p, pygame.K_v, pygame.K_b, pygame.K_i, pygame.K_PLUS, pygame.K_EQUALS,
        pygame.K_RETURN, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_l, pygame.K_n,
        pygame.K_r, pygame.K_a]


@pytest.fixture(autouse=True)
def home(home, monkeypatch):
    monkeypatch.setattr(reporting, "RUNS", 2)
    return home


def start(seed):
    app = driver.start_app()
    driver.new_classroom(app, level="tutorial", seed=seed, countdown=60, fog=bool(seed % 2),
                         teams=(("Owls", "meridian"), ("Foxes", "us"), ("Cats", "cn")))
    app.session.countdown = 4  # seconds: time runs out often under random input
    return app


@pytest.mark.parametrize("seed", [2, 5])
def test_random_input_over_a_classroom_game_survives(seed):
    rng = random.Random(seed)
    app = start(seed)
    seen = set()
    try:
        events = 0
        while events < 1500:
            if rng.random() < 0.3:
                key = rng.choice(KEYS)
                batch = [pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0),
                         pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)]
            else:
                batch = random_event(rng, app.display.get_size())
            for event in batch:
                pygame.event.post(event)
                events += 1
            app.frame(1 / 20)  # a long frame: the clock moves
            seen.add(type(app.top).__name__)
            job = getattr(app.session, "report_job", None) if app.session else None
            if job is not None and not job.done:
                job.wait(60)
            if not app.running or app.session is None or getattr(app.session, "kind", "") != "classroom":
                pygame.quit()  # random clicks quit, or left the classroom game: start another
                app = start(seed)
        assert app.top is not None
        assert {"HandOverScreen"} & seen and ({"TeamLabScreen", "GovernmentScreen"} & seen)
    finally:
        pygame.quit()
