"""Real input for the real UI: clicks at a widget's centre and key presses, as events.

Tests, the benchmark and the attract mode all drive the game through this module, so
they exercise exactly the path a player's mouse and keyboard take (the pygame event
queue, the app's coordinate mapping, pygame_gui's hit testing).
"""

from __future__ import annotations

import pygame
import pygame_gui


def window_pos(app, logical) -> tuple[int, int]:
    x, y = logical
    return int(round((x + 0.5) / app.scale[0])), int(round((y + 0.5) / app.scale[1]))


def post_click(app, target, button: int = 1) -> None:
    """Post a mouse move, press and release at ``target`` (a widget, a Rect or a point)."""
    if hasattr(target, "rect"):
        target = target.rect
    if isinstance(target, pygame.Rect):
        target = target.center
    pos = window_pos(app, target)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))


def post_move(app, target) -> None:
    if hasattr(target, "rect"):
        target = target.rect
    if isinstance(target, pygame.Rect):
        target = target.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=window_pos(app, target), rel=(0, 0), buttons=(0, 0, 0)))


def post_key(key: int, mod: int = 0, unicode: str = "") -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0))


def type_text(app, text: str, frames: int = 2) -> None:
    """Typing goes to the focused text field as TEXTINPUT events, the way SDL delivers it."""
    for ch in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    run(app, frames)


def run(app, frames: int = 1, dt: float = 1 / 60) -> None:
    for _ in range(frames):
        app.frame(dt)


def click(app, target, frames: int = 3) -> None:
    """Click and let the UI react (pygame_gui posts its button events for the next frame)."""
    post_click(app, target)
    run(app, frames)


def press(app, key: int, mod: int = 0, unicode: str = "", frames: int = 2) -> None:
    post_key(key, mod, unicode)
    run(app, frames)


def buttons(screen) -> list:
    return [e for e in screen.manager.get_sprite_group().sprites()
            if isinstance(e, pygame_gui.elements.UIButton) and e.visible and e.alive()]


def find_button(screen, text: str):
    """The visible button of ``screen`` whose label starts with ``text`` (None if none)."""
    for b in buttons(screen):
        if b.text.replace("»", "").strip().startswith(text):
            return b
    return None


def start_app(size=(1280, 720)):
    """A fresh app on the title screen (tests and the benchmark)."""
    from .app import App
    from .screens.title import TitleScreen

    app = App(size=size)
    pygame.event.clear()
    app.push(TitleScreen(app))
    run(app, 2)
    return app


def new_game(app, lab: str | None = None, seed: int = 1, difficulty: str = "normal"):
    """From the title screen to the main screen by clicking, as a player would."""
    from .screens.new_game import NewGameScreen

    click(app, app.top.menu["New game"])
    screen = app.top
    assert isinstance(screen, NewGameScreen), type(screen).__name__
    if lab is not None:
        items = screen.lab_list.item_list
        index = next(i for i, item in enumerate(items) if item["object_id"] == lab)
        button = items[index]["button_element"]
        click(app, button)
    click(app, screen.diff_buttons[difficulty])
    click(app, screen.seed_entry)
    type_text(app, str(seed))
    click(app, screen.start_button)
    click(app, app.top.begin_button)
    from .screens.tutorial import TutorialOverlay

    if isinstance(app.top, TutorialOverlay):  # a first game offers the guided tour: not now
        click(app, app.top.skip_button)
    return app.top
