"""Saving and loading through the menus, continuing after the autosave, and damaged saves."""

import json

import pygame
import pytest

from racegame.saves import load_game
from racegame.ui import driver
from racegame.ui.screens.dialogs import MessageScreen
from racegame.ui.screens.load import LoadScreen
from racegame.ui.screens.main_game import MainGameScreen
from racegame.ui.screens.pause import PauseScreen
from racegame.ui.screens.save import SaveScreen
from racegame.ui.screens.title import TitleScreen


pytestmark = pytest.mark.usefixtures("home")  # every test here plays in a fresh RACEGAME_HOME


def play_turns(app, n):
    for _ in range(n):
        driver.click(app, app.top.end_button)
        driver.click(app, app.top.continue_button)


def test_save_and_load_through_the_menus(app, home):
    main = driver.new_game(app, lab="keel", seed=21)
    play_turns(app, 2)
    main = app.top
    driver.click(app, main.panel.tab_buttons["market"])
    driver.click(app, main.panel.levers["open_weights"].control)  # a plan choice the save must keep
    assert app.session.plan.open_weights
    driver.click(app, main.menu_button)
    assert isinstance(app.top, PauseScreen)
    driver.click(app, driver.find_button(app.top, "Save game"))
    save = app.top
    assert isinstance(save, SaveScreen)
    driver.retype(app, save.entry, "my game")
    driver.click(app, save.save_button)
    assert isinstance(app.top, MessageScreen)
    path = home / "saves" / "my-game.json"
    assert path.is_file() and (home / "saves" / "my-game.ui.json").is_file()
    assert load_game(path).state.turn == 2  # the CLI's format
    driver.press(app, pygame.K_RETURN)  # dismiss
    driver.press(app, pygame.K_ESCAPE)  # close the pause menu
    assert isinstance(app.top, MainGameScreen)
    play_turns(app, 1)
    assert app.session.model.state.turn == 3
    # Load the save from the pause menu: back to turn 2, with the plan as it was.
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, driver.find_button(app.top, "Load game"))
    load = app.top
    assert isinstance(load, LoadScreen)
    item = next(i for i in load.list.item_list if i["text"].startswith("my-game"))
    driver.click(app, item["button_element"])
    driver.click(app, load.load_button)
    assert isinstance(app.top, MainGameScreen)
    assert app.session.model.state.turn == 2
    assert app.session.plan.open_weights
    assert app.session.model.rules.lab_ids[app.session.slot] == "keel"
    assert len(app.session.model.chronicle) == 2  # charts survive loading


def test_continue_resumes_the_autosave(app):
    driver.new_game(app, lab="abyss", seed=22)
    play_turns(app, 2)
    turn = app.session.model.state.turn
    cash = float(app.session.model.state.cash[0, app.session.slot])
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, driver.find_button(app.top, "Quit to title"))
    assert isinstance(app.top, TitleScreen) and app.session is None
    assert app.top.menu["Continue"].is_enabled
    driver.click(app, app.top.menu["Continue"])
    assert isinstance(app.top, MainGameScreen)
    assert app.session.model.state.turn == turn
    assert float(app.session.model.state.cash[0, app.session.slot]) == cash


DAMAGED = [b"{not json", b"\x00\xff\xfe binary", json.dumps({"format": "racegame-save", "version": 1, "level": {"id": "x"}}).encode(),
           b"[]", b"[" * 100_000 + b"]" * 100_000, b'{"format": "racegame-save", "version": 1, "seed": ' + b"9" * 5000 + b"}",
           b'{"width": NaN}']


@pytest.mark.parametrize("content", DAMAGED, ids=["text", "binary", "no-level", "list", "deep", "huge-int", "nan"])
def test_a_damaged_autosave_shows_a_dialog_and_is_set_aside(app, home, content):
    (home / "autosave.json").write_bytes(content)
    app.top.rebuild()
    driver.click(app, app.top.menu["Continue"])
    dialog = app.top
    assert isinstance(dialog, MessageScreen)
    assert "save" in dialog.html.lower() and "set aside" in dialog.html
    driver.click(app, dialog.window.dismiss_button)
    driver.run(app, 3)
    assert isinstance(app.top, TitleScreen)
    assert not app.top.menu["Continue"].is_enabled  # not offered again
    kept = list(home.glob("autosave.damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == content  # nothing the player had is lost


@pytest.mark.parametrize("content", DAMAGED, ids=["text", "binary", "no-level", "list", "deep", "huge-int", "nan"])
def test_a_damaged_save_is_listed_as_unreadable_and_loading_it_shows_a_dialog(app, home, content):
    folder = home / "saves"
    folder.mkdir(exist_ok=True)
    (folder / "broken.json").write_bytes(content)
    (folder / "broken.ui.json").write_bytes(content)  # its notes, as damaged
    driver.click(app, app.top.menu["Load game"])
    load = app.top
    assert [i["text"] for i in load.list.item_list] == ["broken  ·  (cannot be read)"]
    driver.click(app, load.load_button)
    assert isinstance(app.top, MessageScreen)
    assert (folder / "broken.json").read_bytes() == content  # a save of the player's own is never moved


@pytest.mark.parametrize("content", [b"[" * 100_000 + b"]" * 100_000, b"{not json", b'{"width": NaN}', b"[]"],
                         ids=["deep", "text", "nan", "list"])
def test_a_damaged_settings_file_is_set_aside_with_a_notice(home, opened, content):
    (home / "settings.json").write_bytes(content)
    dialog = opened()
    assert isinstance(dialog, MessageScreen) and "set aside" in dialog.html
    assert not (home / "settings.json").exists()
    assert [p.read_bytes() for p in home.glob("settings.damaged-*.json")] == [content]


def test_an_unreadable_autosave_is_set_aside_at_start(home, opened):
    content = b"[" * 100_000 + b"]" * 100_000
    (home / "autosave.json").write_bytes(content)
    dialog = opened()
    assert isinstance(dialog, MessageScreen) and "nested 100000 deep" in dialog.html and "set aside" in dialog.html
    assert [p.read_bytes() for p in home.glob("autosave.damaged-*.json")] == [content]
