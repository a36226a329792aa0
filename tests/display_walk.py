"""Walk every screen of the game by real input at one window size, and measure its text:
each label, button and check box's text must fit its box, and no two of them may overlap.
Used by tests/test_display.py (and by hand: python tests/display_walk.py 1280 720)."""

from __future__ import annotations

import pygame
import pygame_gui

from racegame.ui import driver

TEXT_ELEMENTS = (pygame_gui.elements.UILabel, pygame_gui.elements.UIButton, pygame_gui.elements.UICheckBox)


def _visible(e) -> bool:
    while e is not None:
        if not e.visible or not e.alive():
            return False
        container = getattr(e, "ui_container", None)
        e = getattr(container, "parent_element", None) if container is not None else None
        if e is not None and isinstance(e, pygame_gui.core.UIContainer):
            e = getattr(e, "parent_element", None)
    return True


def _scrolls(e) -> bool:
    """Whether ``e`` sits in a list that scrolls (its rows may lie outside the list's window)."""
    while e is not None:
        if isinstance(e, (pygame_gui.elements.UISelectionList, pygame_gui.elements.UIScrollingContainer)):
            return True
        container = getattr(e, "ui_container", None)
        e = getattr(container, "parent_element", None) if container is not None else None
    return False


def problems(screen, where: str) -> list[str]:
    """Text that does not fit its element or its element's container, and text elements that
    overlap, on ``screen``."""
    out = []
    shown = []
    for e in screen.manager.get_sprite_group().sprites():
        if not isinstance(e, TEXT_ELEMENTS) or isinstance(e, pygame_gui.elements.UICheckBox):
            continue  # a check box's text is a label of its own, measured as one
        text = getattr(e, "text", "")
        font = getattr(e, "font", None)
        if not text or font is None or not _visible(e):
            continue
        if getattr(e, "dynamic_width", False):
            room = screen.app.size[0]  # sized to its text
        elif isinstance(e, pygame_gui.elements.UILabel):
            room = e.rect.w  # what pygame_gui itself checks
        else:
            border = getattr(e, "border_width", 0)
            border = max(border.values()) if isinstance(border, dict) else (border or 0)
            room = e.rect.w - 2 * border
        need = font.get_rect(text).width
        if need > room:
            out.append(f"{where}: '{text}' needs {need}px, has {room}px")
        container = getattr(e, "ui_container", None)
        if container is not None and not _scrolls(e) and not container.rect.inflate(2, 2).contains(e.rect):
            out.append(f"{where}: '{text}' runs outside its panel")
        shown.append((e.rect, text))
    panel = getattr(screen, "panel", None)  # a lever's effect line cut short (its tooltip has the rest)
    for key, lever in getattr(panel, "levers", {}).items():
        effect = getattr(lever, "effect", None)
        if effect is not None and effect.visible and effect.text.endswith("…"):
            out.append(f"{where}: the effect line of '{key}' is cut: {lever._effect_state[0]}")
    bar = getattr(screen, "top_bar", None)  # drawn, not widgets: its figures must stay on the bar
    if getattr(bar, "items", None):
        right = max(r.right for r in bar.items.values())
        clock = getattr(screen, "clock", None)
        end = clock.rect.x if clock is not None else bar.rect.right
        if right > end + 2:
            out.append(f"{where}: the top bar's figures run {right - end}px past its room")
    for i, (a, ta) in enumerate(shown):
        for b, tb in shown[i + 1:]:
            if a.colliderect(b) and a.clip(b).w > 2 and a.clip(b).h > 2:
                out.append(f"{where}: '{ta}' and '{tb}' overlap")
    return out


def walk(size, ui_scale: float = 1.0) -> list[str]:
    """Every screen a player and a classroom reach, at window ``size`` and UI scale; the problems."""
    found = []
    app = driver.start_app(size)
    if ui_scale != 1.0:
        app.settings.ui_scale = ui_scale
        app.apply_display_settings()
        driver.run(app, 2)

    def look(name):
        driver.run(app, 3)
        found.extend(problems(app.top, f"{size[0]}x{size[1]} at {ui_scale:.0%} {name}"))

    look("title")
    driver.click(app, app.top.menu["New game"])
    look("new_game")
    driver.press(app, pygame.K_ESCAPE)
    main = driver.new_game(app, lab="meridian", seed=3)
    for key in main.panel.tab_buttons:
        driver.click(app, main.panel.tab_buttons[key])
        look(f"main.{key}")
    driver.click(app, main.end_button)
    look("turn_summary")
    driver.click(app, app.top.continue_button)
    for key, opener in (("ledger", main.open_ledger), ("event_log", main.open_events), ("help", main.open_help),
                        ("pause", main.open_pause)):
        opener()
        look(key)
        driver.press(app, pygame.K_ESCAPE)
    main.open_futures()
    app.session.forecast_job.wait(60)
    look("futures")
    driver.press(app, pygame.K_ESCAPE)
    main.open_pause()
    for name in ("Settings", "Save game", "Load game"):
        driver.click(app, driver.find_button(app.top, name))
        look(name.lower())
        driver.press(app, pygame.K_ESCAPE)
    driver.press(app, pygame.K_ESCAPE)
    app.push("end")
    look("end")
    app.push("tutorial")
    from racegame.ui.screens.tutorial import STEPS

    for step in range(len(STEPS) - 1):
        look(f"tutorial.{step}")
        driver.press(app, pygame.K_RIGHT)
    # A classroom game: setup, briefing, hand-over, both desks, facilitator, projector, summary.
    app.session = None
    app.reset_to("title")
    driver.run(app, 2)
    driver.click(app, app.top.menu["Classroom"])
    setup = app.top
    driver.click(app, setup.add_button)
    driver.choose(app, setup.seat_menus[2], "tianhe")  # the longest lab name on a team's desk
    look("classroom_setup")
    driver.click(app, setup.start_button)
    look("classroom_briefing")
    driver.click(app, app.top.begin_button)
    look("handover")
    for _ in range(3):
        top = app.top
        driver.click(app, top.start_button)
        desk = app.top
        for key in desk.panel.tab_buttons:
            driver.click(app, desk.panel.tab_buttons[key])
            look(f"{desk.name}.{key}")
        driver.press(app, pygame.K_F9)
        look("facilitator")
        driver.press(app, pygame.K_ESCAPE)
        driver.press(app, pygame.K_F10)
        look("projector")
        driver.press(app, pygame.K_F10)
        driver.click(app, desk.end_button)
    look("class_summary")
    pygame.quit()
    return found


if __name__ == "__main__":
    import os
    import sys
    import tempfile

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("RACEGAME_HOME", tempfile.mkdtemp())
    size = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (1280, 720)
    for line in walk(size):
        print(line)
