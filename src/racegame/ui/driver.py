"""Real input for the real UI: clicks at a widget's centre and key presses, as events.

Tests, the benchmark and the attract mode all drive the game through this module, so
they exercise exactly the path a player's mouse and keyboard take (the pygame event
queue, the app's coordinate mapping, pygame_gui's hit testing). Like a player, it stands
outside the screen stack: it knows screens by their route names.
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


def retype(app, entry, text: str) -> None:
    """Click a text entry, select all it holds, delete it and type ``text``: as a person edits a field."""
    click(app, entry)
    press(app, pygame.K_a, mod=pygame.KMOD_CTRL)
    press(app, pygame.K_BACKSPACE)
    type_text(app, text)


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

    app = App(size=size)
    pygame.event.clear()
    app.push("title")
    run(app, 2)
    return app


def new_game(app, lab: str | None = None, seed: int = 1, difficulty: str = "normal"):
    """From the title screen to the main screen by clicking, as a player would."""
    click(app, app.top.menu["New game"])
    screen = app.top
    assert screen.name == "new_game", screen.name
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
    if app.top.name == "tutorial":  # a first game offers the guided tour: not now
        click(app, app.top.skip_button)
    return app.top


def choose(app, menu, option_id: str, frames: int = 4) -> None:
    """Pick ``option_id`` in a pygame_gui drop-down by clicking it open, then the option."""
    if option_id in tuple(menu.selected_option):  # already chosen: its list has no button for it
        return
    click(app, menu.current_state.selected_option_button, frames)
    selection = menu.current_state.options_selection_list
    items = selection.item_list
    item = next(i for i in items if i["object_id"] == option_id or i["text"] == option_id)
    # A long list only makes buttons for the rows in view: wheel it until the row shows.
    index = items.index(item)
    for _ in range(40):
        if item["button_element"] is not None:
            break
        shown = [n for n, i in enumerate(items) if i["button_element"] is not None]
        up = bool(shown) and index < shown[0]
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=window_pos(app, selection.rect.center), rel=(0, 0), buttons=(0, 0, 0)))
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1 if up else -1, precise_x=0.0, precise_y=1.0 if up else -1.0, flipped=False))
        run(app, 2)
    click(app, item["button_element"], frames)


def new_classroom(app, level: str = "export_escalation", seed: int = 1, teams=(("Team A", "tempo"), ("Team B", "us")),
                  countdown: int = 180, fog: bool = False):
    """From the title screen to the first hand-over of a classroom game, by clicking."""
    click(app, app.top.menu["Classroom"])
    setup = app.top
    assert setup.name == "classroom_setup", setup.name
    if setup.level_path.rsplit("/", 1)[-1].removesuffix(".toml") != level:
        path = next(p for _, p in setup.level_menu.options_list if p.rsplit("/", 1)[-1].removesuffix(".toml") == level)
        choose(app, setup.level_menu, path)
    while len(setup.teams) < len(teams):
        click(app, setup.add_button)
    while len(setup.teams) > len(teams):
        click(app, setup.remove_buttons[-1])
    for i, (name, seat) in enumerate(teams):
        retype(app, setup.name_entries[i], name)
        if setup.teams[i][1] != seat:
            choose(app, setup.seat_menus[i], seat)
    retype(app, setup.seed_entry, str(seed))
    click(app, setup.countdown_buttons[countdown])
    if setup.fog != fog:
        click(app, setup.fog_box)
    click(app, setup.start_button)
    click(app, app.top.begin_button)
    return app.top


def play_classroom_turn(app) -> None:
    """Every team clicks Start, then Done; then Enter on the turn summary (which ignores
    clicks for a moment, so a double-clicked Done cannot skip it)."""
    while app.top.name != "class_summary":
        top = app.top
        if top.name == "handover":
            click(app, top.start_button)
        elif hasattr(top, "end_button"):
            click(app, top.end_button)
        else:
            raise AssertionError(f"unexpected screen {type(top).__name__}")
    press(app, pygame.K_RETURN)
