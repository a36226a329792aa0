"""The game as a Mesa model: agents, DataCollector, batch_run, agents born and removed."""

import numpy as np
import pytest
from mesa.batchrunner import batch_run

from racegame import RaceModel
from racegame.agents import EnergyGrid, Government, Lab


def test_model_follows_mesa_conventions():
    model = RaceModel(level="baseline", rng=7)
    assert model.seed == 7
    kinds = {type(a) for a in model.agents}
    assert kinds == {Lab, Government, EnergyGrid}
    model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 2  # step 0 and after one step
    agents = model.datacollector.get_agent_vars_dataframe()
    assert {"capability", "cash_usd", "name"} <= set(agents.columns)
    while model.running:
        model.step()
    assert not model.running and model.state.ended.all()


def test_batch_run_as_the_readme_shows_returns_each_games_ending():
    # The README's call, without Mesa-version-specific keywords: it must work on Mesa 3.3
    # (Python 3.11) and 3.5 (Python 3.12+), and the row it returns is the game's last.
    rows = batch_run(RaceModel, {"level": ["tutorial"], "rng": [1, 2]}, max_steps=60, display_progress=False)
    assert rows
    assert {"frontier_capability", "us_compute_share", "Step", "outcome", "capability", "name"} <= set(rows[0])
    for seed in (1, 2):
        model = RaceModel(level="tutorial", rng=seed)
        while model.running:
            model.step()
        mine = [r for r in rows if r["rng"] == seed]
        assert mine and {r["outcome"] for r in mine} == {model.outcome()}
        assert {r["turn"] for r in mine} == {model.turn}
        assert model.outcome() != "running"
        labs = {r["name"]: r["capability"] for r in mine if r["kind"] == "lab"}
        assert labs == {lab.name: lab.capability for lab in model.labs}


def test_batch_run_collects_every_turn_on_request():
    rows = batch_run(RaceModel, {"level": ["baseline"], "rng": [3]}, max_steps=4, data_collection_period=1,
                     display_progress=False)
    turns = sorted({r["turn"] for r in rows})
    assert turns[0] == 0 and len(turns) >= 4
    assert all(r["capability"] is None for r in rows if r["kind"] != "lab")


def test_labs_founded_and_gone_are_agents_created_and_removed():
    # Find a game in which a lab is founded and one goes bankrupt.
    for seed in range(40):
        model = RaceModel(level="baseline", rng=seed)
        slots_seen = set()
        removed = False
        while model.running:
            before = set(model.labs_by_slot)
            model.step()
            after = set(model.labs_by_slot)
            slots_seen |= after - before
            removed |= bool(before - after)
        if slots_seen and removed:
            break
    assert slots_seen, "no lab was founded in 40 games"
    assert removed, "no lab left in 40 games"
    for slot in slots_seen:
        assert slot >= model.rules.n_level_labs


def test_a_player_controller_replaces_the_ai():
    class Idle:
        def decide(self, lab, view, orders):
            orders.labs.set_column(lab.slot, {"build_mw": 0.0, "hire_usd": 0.0})

    model = RaceModel(level="baseline", rng=3, player="keel", controller=Idle())
    view, orders = model.decide()
    slot = model.player
    assert orders.labs.chip_usd[0, slot].sum() == 0
    ai = RaceModel(level="baseline", rng=3)
    _, ai_orders = ai.decide()
    assert ai_orders.labs.chip_usd[0, slot].sum() > 0 or ai_orders.labs.build_mw[0, slot] > 0


def test_agent_figures_are_arrays_in_a_batch_and_numbers_alone():
    single = RaceModel(level="baseline", rng=1)
    batch = RaceModel(level="baseline", rng=1, replicas=4)
    assert isinstance(single.labs[0].capability, float)
    assert np.asarray(batch.labs[0].capability).shape == (4,)


def test_a_run_that_does_not_beat_its_model_trains_on_and_one_held_at_a_cap_ends():
    """Compute is not thrown away: a run too small to beat the lab's model keeps its FLOP and
    age and is looked at again; a run that reached the cap a lab is held to ends unreleased."""
    from types import SimpleNamespace

    from racegame.engine import research

    model = RaceModel(level="baseline", rng=1, replicas=1)
    s, L = model.state.copy(), model.state.alive.shape[1]
    s.run_flop[:] = 1.0  # far too little to beat any model
    s.run_flop[0, 0] = 1e40  # far past any cap
    s.run_age[:] = 3
    cap = np.zeros((1, L))
    cap[0, 0] = s.capability[0, 0]  # lab 0 held at its own capability
    lab = SimpleNamespace(run_turns=np.ones((1, L)), cap_capability=cap, open_weights=np.zeros((1, L), dtype=bool))
    rep = SimpleNamespace(training_flop=np.full((1, L), 5.0))
    before = s.capability.copy()
    research.train_models(s, lab, model.rules, model.draws, rep)
    alive = s.alive[0]
    assert not rep.released.any() and (s.capability == before).all()
    assert s.run_flop[0, 0] == 0 and s.run_age[0, 0] == 0 and not rep.run_kept[0, 0]  # the capped run ended
    assert rep.run_flop_done[0, 0] == 1e40 + 5.0
    kept = alive.copy()
    kept[0] = False
    assert rep.run_kept[0, kept].all()
    assert (s.run_flop[0, kept] == 6.0).all() and (s.run_age[0, kept] == 4).all()  # nothing thrown away
    assert (rep.run_flop_done[0, kept] == 0).all()


def test_an_ai_lab_prepares_safety_for_where_its_training_run_will_land():
    """A long run late in the race lifts a model by several OOM at once: the AI prepares its
    safety for where the run in training will land, while its training slows only as the
    released model itself nears a milestone."""
    from racegame.agents.lab_ai import milestone_near, passage_shortfall, plan_labs, Style
    from racegame.engine.observe import observe

    model = RaceModel(level="baseline", rng=1)
    for _ in range(2):
        model.step()
    rules, slot = model.rules, model.rules.lab_ids.index("meridian")

    def plan_with_run(age, oom_above):
        s = model.state.copy()
        s.run_age[:, slot] = age
        s.run_flop[:, slot] = 10.0 ** (s.capability[:, slot] + oom_above - s.efficiency[:, slot] - s.reasoning[:, slot])
        view = observe(s, rules)
        style = Style(rules, s.archetype[:, [slot]])
        near, _ = milestone_near(view, s, rules, [slot], style.risk < 0.5)
        shortfall = passage_shortfall(view, [slot], style)
        return plan_labs(view, s, rules, [slot]), near, shortfall

    fresh, near, shortfall = plan_with_run(age=0, oom_above=0.0)
    landing, _, _ = plan_with_run(age=3, oom_above=5.0)
    assert near[0, 0] < 1.0 and shortfall[0, 0] > 0.0, "the released model is not yet at its milestone, the lab unready"
    assert landing["focus_safety"][0, 0] > fresh["focus_safety"][0, 0]
    assert landing["train"][0, 0] == fresh["train"][0, 0]


def test_playing_out_drops_finished_games_and_changes_no_game():
    """``play_out`` lets finished games leave the arrays (later turns cost less); every game
    ends exactly as when all of them play on in place to the end."""
    from racegame.strategies import StrategyController

    def model():
        m = RaceModel(level="baseline", rng=6, replicas=300, player="agora", controller=StrategyController("rush_compute"))
        m.datacollector.collect = lambda _m: None
        return m

    everyone = model()
    while everyone.running:
        everyone.step()
    out = model()
    winner, end_turn, outcome = np.full(300, -9), np.full(300, -9), np.full(300, -9)
    sizes = []
    games = np.arange(300)
    for games, done in out.play_out():
        sizes.append(len(games))
        winner[games[done]], end_turn[games[done]], outcome[games[done]] = (out.state.winner[done], out.state.end_turn[done],
                                                                           out.state.outcome[done])
    winner[games], end_turn[games], outcome[games] = out.state.winner, out.state.end_turn, out.state.outcome
    assert sizes[0] == 300 and sizes[-1] < 300 and sizes == sorted(sizes, reverse=True)
    assert np.array_equal(winner, everyone.state.winner) and np.array_equal(end_turn, everyone.state.end_turn)
    assert np.array_equal(outcome, everyone.state.outcome)


def _observers():
    from racegame.engine import compiled
    from racegame.engine.observe import observe

    if not compiled.available():
        return [observe]
    from racegame.engine.compiled.observe import observe as compiled_observe

    return [observe, compiled_observe]


@pytest.mark.parametrize("observe", _observers())
def test_the_ais_running_costs_price_power_where_each_lab_draws_it(observe):
    """The AI plans on a lab's running costs (``View.burn``): its power is priced at its own
    grids' prices and its on-site generation's, not the world's average; a lab with no
    powered site yet expects its own country's grids' average."""
    model = RaceModel(level="baseline", rng=3)
    s, rules = model.state.copy(), model.rules
    c = rules.at(s.turn)
    s.price[0] = np.arange(1, len(rules.grid_ids) + 1) * 20.0  # every grid its own price
    hours = c["hours_per_turn"]
    L = s.alive.shape[1]

    def price_paid(state, lab):
        """USD per MWh in the lab's running costs: what is left of them after the rest."""
        view = observe(state, rules)
        rest = view.payroll + (state.chips @ rules.chip_price0) * c["chip_ops"] + c["security_cost"][state.security - 1]
        return (view.burn - rest)[0, lab] / (view.chip_mw[0, lab] * hours)

    on_grid = [lab for lab in range(L) if s.alive[0, lab] and s.chips[0, lab].sum() > 0 and s.onsite[0, lab].sum() == 0]
    lab = on_grid[0]
    s.built[0, lab] = s.approved[0, lab] = 0.0
    n = int(np.flatnonzero(rules.grid_country == s.country[0, lab])[-1])
    s.built[0, lab, n] = s.approved[0, lab, n] = 100.0  # all its power from grid n
    assert np.isclose(price_paid(s, lab), s.price[0, n])
    s.approved[0, lab, n] = 0.0
    s.onsite[0, lab, n] = 100.0  # ... now from its own generation
    assert np.isclose(price_paid(s, lab), c["onsite_price"])
    s.built[0, lab] = s.onsite[0, lab] = 0.0  # no powered site yet: its country's grids' average
    home = rules.grid_country == s.country[0, lab]
    assert np.isclose(price_paid(s, lab), s.price[0, home].mean())
