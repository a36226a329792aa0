"""Random input: thousands of clicks, drags, wheel turns and key presses never raise."""

import random

import pygame
import pytest

from racegame.ui import driver
from racegame.ui.screens.title import TitleScreen

KEYS = [pygame.K_RETURN, pygame.K_ESCAPE, pygame.K_SPACE, pygame.K_TAB, pygame.K_F1, pygame.K_F5, pygame.K_a,
        pygame.K_e, pygame.K_f, pygame.K_h, pygame.K_l, pygame.K_m, pygame.K_n, pygame.K_r, pygame.K_s, pygame.K_LEFT,
        pygame.K_RIGHT, pygame.K_BACKSPACE, pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4, pygame.K_5, pygame.K_6]


pytestmark = pytest.mark.usefixtures("home")  # every test here plays in a fresh RACEGAME_HOME


def random_event(rng, size):
    kind = rng.random()
    pos = (rng.randrange(size[0]), rng.randrange(size[1]))
    if kind < 0.45:
        return [pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
                pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
                pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)]
    if kind < 0.6:
        return [pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(3, -2), buttons=(1, 0, 0))]
    if kind < 0.65:
        return [pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice((-1, 1)), flipped=False, precise_x=0.0,
                                   precise_y=1.0)]
    if kind < 0.7:
        return [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=rng.choice((2, 3))),
                pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=3)]
    if kind < 0.75:
        return [pygame.event.Event(pygame.TEXTINPUT, text=rng.choice("abc1 -_"))]
    key = rng.choice(KEYS)
    return [pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0),
            pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)]


@pytest.mark.parametrize("seed", [1, 3])
def test_random_input_survives(seed):
    rng = random.Random(seed)
    app = driver.start_app()
    try:
        driver.new_game(app, seed=seed)  # start in the thick of it: the main screen
        events = 0
        while events < 2000:
            for event in random_event(rng, app.display.get_size()):
                pygame.event.post(event)
                events += 1
            app.frame(1 / 60)
            if not app.running:  # random clicks may well press "Quit": start again
                pygame.quit()
                app = driver.start_app()
            job = getattr(app.session, "forecast_job", None) if app.session else None
            if job is not None and not job.done:
                job.wait(30)
        assert app.top is not None
        assert isinstance(app.stack[0], (TitleScreen,)) or app.session is not None
    finally:
        pygame.quit()
