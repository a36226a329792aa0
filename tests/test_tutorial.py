"""The tutorial: a newcomer who follows its advice finishes without catastrophe at least nine
games in ten, and its words point where the screen is."""

import numpy as np

from racegame import RaceModel
from racegame.advisor import PolicyController, advisor_plan
from racegame.engine.state import CATASTROPHE
from racegame.level.loader import load_level


def follow_the_advisor(seed: int, games: int):
    """The tutorial as the game starts it (Meridian, easy), the player's lab steered the way a
    newcomer who takes every piece of advice plays: the advisor's plan each turn, nothing moved."""
    first = RaceModel(level="tutorial", rng=seed, player="meridian", difficulty="easy")
    plan = advisor_plan(first, first.player)
    model = RaceModel(level="tutorial", rng=seed, replicas=games, player="meridian", difficulty="easy",
                      controller=PolicyController(plan, advisor=True, first_turn=0))
    model.datacollector.collect = lambda _model: None
    while model.running:
        model.step()
    return model.state


def test_a_newcomer_who_follows_the_advice_finishes_without_catastrophe():
    state = follow_the_advisor(seed=1, games=600)
    catastrophe = float(np.mean(state.outcome == CATASTROPHE))
    assert catastrophe <= 0.10, f"{catastrophe:.1%} of tutorial games end in catastrophe"
    assert 0.15 <= float(np.mean(state.winner == 0)) <= 0.85, "and the newcomer can win, and lose"


def test_the_tutorial_points_at_the_levers_where_they_are():
    text = load_level("tutorial").data["briefing"]
    assert "on the left" in text and "on the right" not in text
