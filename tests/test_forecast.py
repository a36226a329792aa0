"""Futures of a game: reproducible, leave the game untouched, keep the player's plan, and play
the policy the game itself will play, so their odds are the odds the player gets."""

import numpy as np
import pytest

from racegame import RaceModel, forecast
from racegame.advisor import AdvisedController, PolicyController, advisor_plan
from racegame.futures import futures_of
from racegame.player import PlanController


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
    advised = AdvisedController(advisor_plan(model, model.player), advisor=True)
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


def _game(lab, seed, advisor, pins, turns=2):
    """A game where the player's lab is steered by the live controller, with levers set."""
    live = AdvisedController(advisor=advisor)
    model = RaceModel(level="baseline", rng=seed, player=lab, controller=live)
    live.plan = advisor_plan(model, model.player)
    for name, value in pins.items():
        live.plan.set(name, value)
    for _ in range(turns):
        model.step()
    return model, live


@pytest.mark.parametrize("lab, seed, advisor, pins", [
    ("meridian", 3, True, {"focus_safety": 0.5, "run_turns": 2, "onsite_share": 0.4}),
    ("colossus", 4, True, {"chip_mix": {"h100": 1.0}, "price_level": 1.3, "build_grid": "virginia"}),
    ("tempo", 5, False, {"lobby_goal": "subsidy", "lobby_usd": 3e8}),
])
def test_the_live_game_plays_the_policy_its_futures_play(lab, seed, advisor, pins):
    """The player's controller (advisor redrafts after each turn, around the levers the player
    set) and the futures' vectorised policy give the very same game."""
    live_model, live = _game(lab, seed, advisor, pins, turns=0)
    policy = PolicyController(live.plan, advisor, first_turn=0)
    twin = RaceModel(level="baseline", rng=seed, player=lab, controller=policy)
    while live_model.running:
        live_model.step()
        twin.step()
        for name in ("capability", "cash", "chips", "safety", "talent"):
            assert np.allclose(getattr(live_model.state, name), getattr(twin.state, name), rtol=1e-9, atol=1e-6), name
    assert live_model.outcome() == twin.outcome() and not twin.running


@pytest.mark.parametrize("lab, seed, pins", [("meridian", 5, {}), ("meridian", 5, {"focus_safety": 0.5, "run_turns": 2})])
def test_the_forecast_win_chance_is_the_policys_realised_win_rate(lab, seed, pins):
    """Forecast to the end, then play the same policy 1,000 times more from the same moment
    with other random streams: the chances agree within the sampling error of two samples of
    1,000 (three standard errors of their difference: about 5 points near 20%)."""
    model, live = _game(lab, seed, True, pins)
    f = forecast(model, runs=1000, turns=model.rules.horizon)
    assert f.running == 0.0 and "advisor" in f.policy
    games = futures_of(model, 1000, model.rules.horizon, seed=987_654_321)
    while games.running:
        games.step()
    realised = float(np.mean(games.state.winner == model.player))
    p = (f.win + realised) / 2
    assert abs(f.win - realised) <= max(0.02, 3.0 * np.sqrt(2.0 * p * (1.0 - p) / 1000)), (f.win, realised)
    assert 0.05 < realised < 0.95  # a policy with something at stake


def test_one_off_moves_are_spent_and_the_players_levers_kept():
    model, live = _game("meridian", 7, True, {"focus_safety": 0.6, "run_turns": 3}, turns=0)
    live.plan.set("build_mw", 500.0)
    live.plan.set("raise_round", True)
    model.step()
    plan = live.plan
    assert plan.focus_safety == 0.6 and plan.run_turns == 3, "the advisor kept what the player set"
    assert "build_mw" not in plan.mine and not plan.raise_round, "one-off moves are for one turn"
    assert set(plan.mine) == {"focus_efficiency", "focus_reasoning", "focus_safety", "run_turns"}
    assert "build_mw" in live.drafted or plan.build_mw == 0.0
    assert not set(live.drafted) & set(plan.mine)
    # Without the advisor the plan carries over, purchases spent.
    live.advisor = False
    live.plan.set("chip_budget_usd", 1e9)
    live.plan.set("retention_usd", 3e8)
    model.step()
    assert live.plan.chip_budget_usd == 0.0 and live.plan.retention_usd == 3e8 and live.drafted == []


def test_futures_say_which_policy_they_play():
    model, live = _game("meridian", 7, True, {"focus_safety": 0.6})
    assert "keeping the 1 lever you set" in forecast(model, runs=20, turns=2).policy
    live.advisor = False
    assert "your plan as it stands" in forecast(model, runs=20, turns=2).policy


def test_futures_do_not_know_the_games_secret_milestones():
    """The game's own draw of what AGI takes is secret: a forecast from a game whose unreached
    requirements were drawn differently is the same forecast."""
    model = RaceModel(level="baseline", rng=5, player="meridian", controller=PlanController())
    for _ in range(12):
        model.step()
    a = forecast(model, runs=200, turns=16)
    reached = int(model.state.milestone.max())
    model.state.milestone_req[:, reached:] += 3.0  # a very different secret, nobody has reached it
    b = forecast(model, runs=200, turns=16)
    assert a.agi_by_year == b.agi_by_year and a.win == b.win
    chances = list(a.agi_by_year.values())
    assert chances == sorted(chances) and 0.0 < chances[-1] <= 1.0  # AGI by a year only accumulates


def test_forecast_reports_how_far_it_has_got():
    """A look-ahead to the end of the game takes seconds: the window shows how far it is."""
    model = RaceModel(level="baseline", rng=4)
    seen = []
    result = forecast(model, runs=50, turns=5, progress=lambda done, most, date: seen.append((done, most, date)))
    assert [done for done, _, _ in seen] == list(range(1, result.turns + 1))
    assert {most for _, most, _ in seen} == {5} and [date for _, _, date in seen] == result.dates


def test_forecast_to_the_end_matches_every_future_played_in_place():
    """Futures that have ended leave the arrays while the others play on: the odds and the
    bands are those of playing every future to the end, each frozen once it ends."""
    from racegame.engine.state import CATASTROPHE
    from racegame.futures import forecast_seed

    model = RaceModel(level="baseline", rng=5)
    for _ in range(12):
        model.step()
    result = forecast(model, runs=300, turns=40)
    games = futures_of(model, 300, 40, forecast_seed(model))
    leader = []
    while games.running:
        games.step()
        s = games.state
        leader.append(np.where(s.alive, s.capability, -np.inf).max(axis=1))
    s = games.state
    assert result.turns == len(leader) and result.running == float(np.mean(~s.ended)) < 1.0
    assert result.catastrophe == float(np.mean(s.outcome == CATASTROPHE))
    assert result.other_wins == {lab: float(np.mean(s.winner == i)) for i, lab in enumerate(model.rules.lab_ids)
                                 if lab != result.lab and np.any(s.winner == i)}
    assert result.bands["frontier"][50] == np.percentile(np.asarray(leader), 50, axis=1).tolist()


def test_the_look_ahead_is_in_years_of_the_levels_calendar():
    """'2 years' is 8 quarters early in the game and 4 half-years after 2030: the futures
    screen's choices follow the level's calendar, and never run past the last turn."""
    from racegame.ui.forecasting import turns_ahead

    rules = RaceModel(level="baseline", rng=1).rules
    assert turns_ahead(rules, 0, 2.0) == 8 and turns_ahead(rules, 0, 4.0) == 16
    assert turns_ahead(rules, 20, 2.0) == 4 and turns_ahead(rules, 24, 4.0) == 8  # half-years from 2030
    assert turns_ahead(rules, 14, 2.0) == 7  # six quarters to 2030, then a half-year
    assert turns_ahead(rules, 30, 4.0) == 2 and turns_ahead(rules, 31, 2.0) == 1  # no further than the end
    assert turns_ahead(rules, 4, None) == rules.horizon - 4
    for turn in range(rules.horizon):
        for years in (2.0, 4.0):
            n = turns_ahead(rules, turn, years)
            covered = rules.turn_years[turn + n] - rules.turn_years[turn]
            assert 1 <= n <= rules.horizon - turn
            assert covered >= years - 1e-9 or turn + n == rules.horizon  # it covers the years asked
            assert rules.turn_years[turn + n - 1] - rules.turn_years[turn] < years  # and not a turn more


def test_a_model_refuses_a_start_that_is_not_its_own():
    """Futures start from a game's rules and state; a mismatch is refused in words."""
    game = RaceModel("baseline", rng=1)
    with pytest.raises(ValueError, match="state of 3 replicas"):
        RaceModel("baseline", rng=2, replicas=3, start=(game.rules, game.state))
    with pytest.raises(ValueError, match="rules of level 'power_crunch'"):
        RaceModel("power_crunch", rng=2, start=(game.rules, game.state))


def _advised_game(lab: str, seed: int, turns: int):
    controller = AdvisedController(advisor=True)
    model = RaceModel(level="baseline", rng=seed, player=lab, controller=controller)
    controller.plan = advisor_plan(model, model.player)
    for _ in range(turns):
        model.step()
    return model


def test_futures_played_in_worker_processes_are_the_same_futures():
    """Each future draws from its own stream, so blocks of them played in worker processes
    give the forecast of one batch, to the bit, with its progress counted up turn by turn
    (to the end of the game: blocks whose futures all end sooner stand still)."""
    from racegame import forecast_workers

    model = _advised_game("meridian", 5, 12)
    here = forecast(model, runs=160, turns=40)
    forecast_workers.start("vectorised", 2, wait_ready=True)
    seen = []
    shared = forecast(model, runs=160, turns=40, workers=2, progress=lambda *report: seen.append(report))
    assert shared == here and here.running == 0.0
    assert [report[0] for report in seen] == list(range(1, here.turns + 1))
    assert [report[2] for report in seen] == here.dates


def test_a_forecast_plays_here_when_its_workers_cannot(monkeypatch):
    """A pool whose workers died, or a seat that cannot go to another process: the same
    forecast, played in this process."""
    from concurrent.futures.process import BrokenProcessPool

    from racegame import forecast_workers, futures

    model = _advised_game("keel", 3, 2)
    here = forecast(model, runs=60, turns=3)

    class DeadPool:
        workers = 2
        ready = True

        def warm(self, engine):
            pass

        def payload(self, level, rules):
            return "key", "path"

        class executor:
            @staticmethod
            def submit(*args, **kwargs):
                raise BrokenProcessPool("a worker died")

        def close(self):
            pass

    with monkeypatch.context() as patch:
        patch.setattr(forecast_workers, "_get_pool", lambda workers: DeadPool())
        assert forecast(model, runs=60, turns=3, workers=2) == here

    start_of = futures.start_of

    def unpicklable(game):
        start = start_of(game)
        start.settings["labs"][game.player].note = lambda: "not for another process"
        return start

    monkeypatch.setattr(futures, "start_of", unpicklable)
    assert forecast(model, runs=60, turns=3, workers=2) == here


def test_every_future_of_a_team_game_plays_on_its_own():
    """With a government team too, futures played in two blocks are the futures played
    together: each future keeps the policy in force in it (an incident may have moved it),
    none follows another's. The team's plan is the first future turn's policy everywhere."""
    from racegame.futures import _joined, forecast_seed, play_block, start_of
    from racegame.player import controller_for, gov_plan_from_state

    model = RaceModel(level="export_escalation", rng=4)
    model.assign("us", controller_for("government"), "Team A")
    model.seat("us").controller.plan = gov_plan_from_state(model, 0)
    model.assign("tempo", controller_for("lab"), "Team B")
    model.seat("tempo").controller.plan = advisor_plan(model, model.seat("tempo").slot)
    model.seat("us").controller.plan.export_tier = 0
    for _ in range(2):
        model.step()
    slot, seed = model.seat("tempo").slot, forecast_seed(model)
    whole = play_block(start_of(model), np.arange(120), 6, slot, seed)
    halves = _joined([play_block(start_of(model), ids, 6, slot, seed) for ids in np.array_split(np.arange(120), 2)])
    for part in ("figures", "ending"):
        for name, values in getattr(whole, part).items():
            assert np.array_equal(values, getattr(halves, part)[name]), name
    us = model.rules.country_ids.index("us")
    in_force = int(model.state.export_tier[0, us])
    model.seat("us").controller.plan.export_tier = 2 if in_force != 2 else 1
    games = futures_of(model, 40, 2, seed)
    games.step()
    assert (games.state.export_tier[:, us] == model.seat("us").controller.plan.export_tier).all()
    assert model.state.export_tier[0, us] == in_force
