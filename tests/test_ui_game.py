"""A whole game played by clicking End turn, and the end screen it leads to."""

import pygame
import pytest

from racegame.ui import driver
from racegame.ui.screens.end import EndScreen
from racegame.ui.screens.main_game import MainGameScreen
from racegame.ui.screens.turn_summary import TurnSummaryScreen


pytestmark = pytest.mark.usefixtures("home")  # every test here plays in a fresh RACEGAME_HOME


def test_play_a_whole_game_by_clicking(home):
    app = driver.start_app()
    try:
        main = driver.new_game(app, lab="colossus", seed=11)
        assert isinstance(main, MainGameScreen)
        turns = 0
        while not isinstance(app.top, EndScreen):
            top = app.top
            if isinstance(top, MainGameScreen):
                driver.click(app, top.end_button)
                turns += 1
            elif isinstance(top, TurnSummaryScreen):
                driver.click(app, top.continue_button)
            else:
                raise AssertionError(f"unexpected screen {type(top).__name__}")
            assert turns <= app.session.model.rules.horizon + 1
        model = app.session.model
        assert app.session.over
        assert turns == model.state.turn or not app.session.player_alive
        end = app.top
        assert end.headline
        assert len(model.chronicle) == model.state.turn
        # The autosave holds the finished game.
        assert (home / "autosave.json").is_file()
        # Enter (pressed through the last turn summary) leaves the end screen where it is; Esc goes
        # back to the title.
        driver.press(app, pygame.K_RETURN)
        assert app.top is end
        driver.press(app, pygame.K_ESCAPE)
        assert type(app.top).__name__ == "TitleScreen"
    finally:
        pygame.quit()
