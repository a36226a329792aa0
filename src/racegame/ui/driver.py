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
