"""Attract mode through the command line: the AI plays turns through the UI, then a screenshot."""

import pygame
import pytest

from racegame.cli import main


pytestmark = pytest.mark.usefixtures("home")  # every test here plays in a fresh RACEGAME_HOME


def test_autoplay_writes_a_screenshot(tmp_path):
    shot = tmp_path / "attract.png"
    assert main(["play", "--autoplay", "3", "--seed", "5", "--screenshot", str(shot)]) == 0
    assert shot.is_file() and shot.stat().st_size > 10_000
    pygame.init()
    try:
        image = pygame.image.load(str(shot))
        assert image.get_size() == (1280, 720)
    finally:
        pygame.quit()
    # The game it played was autosaved after each of its three turns.
    from racegame.saves import load_game

    assert load_game(tmp_path / "autosave.json").state.turn == 3
