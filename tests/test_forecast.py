"""Futures of a game: reproducible, leave the game untouched, keep the player's plan."""

import numpy as np

from racegame import RaceModel, forecast
from racegame.player import PlanController, advisor_plan


def test_forecast_is_reproducible_and_leaves_the_game_alone():
    controller = PlanController()
    model = RaceModel(level="baseline", rng=3, player="keel", controller=controller)
    controller.plan = advisor_plan(model, model.player)
    for _ in range(2):
        model.step()
    before = model.state.copy()
    a = forecast(model, runs=200, turns=6)
    b = forecast(model, runs=200, turns=6)
    assert a.win == b.win and a.bands == b.bands
    for name, arr in before.arrays():
        assert np.array_equal(arr, getattr(model.state, name))
    assert a.lab == "keel" and a.turns == 6 and len(a.dates) == 6
    bands = a.bands["capability"]
    assert all(bands[5][t] <= bands[50][t] <= bands[95][t] for t in range(6))
    assert 0.0 <= a.win <= 1.0 and abs(sum(a.country_wins.values()) + a.catastrophe + a.running
                                        + (1 - sum(a.country_wins.values()) - a.catastrophe - a.running)) - 1 < 1e-9


def test_a_plan_that_does_nothing_forecasts_worse_than_the_advisor():
    idle = PlanController()
    model = RaceModel(level="baseline", rng=8, player="polymath", controller=idle)
    advised = PlanController(advisor_plan(model, model.player))
    model.labs_by_slot[model.player].controller = advised
    good = forecast(model, runs=200, turns=10)
    model.labs_by_slot[model.player].controller = idle
    bad = forecast(model, runs=200, turns=10)
    assert bad.bands["capability"][50][-1] < good.bands["capability"][50][-1]


def test_forecast_never_touches_the_live_plan():
    controller = PlanController()
    model = RaceModel(level="baseline", rng=4, player="meridian", controller=controller)
    controller.plan = advisor_plan(model, model.player)
    controller.plan.raise_round = True
    forecast(model, runs=50, turns=3)
    assert controller.plan.raise_round, "a one-off move the player chose must survive a forecast"


def test_forecast_says_who_leads_at_the_end_of_the_look_ahead():
    model = RaceModel(level="baseline", rng=4)
    f = forecast(model, runs=100, turns=4)
    assert abs(sum(f.lead.values()) - 1.0) < 1e-9
    assert all(lab in model.rules.lab_ids for lab in f.lead)
