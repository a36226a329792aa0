"""Parity: the vectorised engine and the plain reference engine play the same games.

Every turn, the reference steps from the vectorised engine's pre-turn state with the very
orders the vectorised engine then resolves, and every State array must agree: integers
and flags exactly, floats to a tight relative tolerance (the engines sum in different
orders, so a few ulps apart). Batches of four replicas are compared row by row, which
also covers finished replicas standing still while the others play on.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import replace

import numpy as np
import pytest

from racegame.engine import step
from racegame.engine.events import EFFECTS
from racegame.engine.orders import Orders, hold_orders
from racegame.engine.params import build_rules
from racegame.engine.rng import RaceRandom
from racegame.engine.setup import initial_state
from racegame.engine.state import CATASTROPHE, HORIZON, RUNNING, SAFE_AGI
from racegame.level.loader import load_level, validate_level
from racegame.model import RaceModel
from racegame.reference import ReferenceGame, reference_step

RTOL = 1e-9
ATOL = 1e-12  # times the largest magnitude in the array: cancellation near zero is allowed
REPLICAS = 4
AI_SEEDS = [(0, 0), (1, 9), (2, 0), (3, 9), (5, 0), (8, 9), (13, 0), (21, 9), (34, 0), (55, 9)]
STRESS_SEEDS = [(1, 0), (4, 6), (7, 2)]
RECKLESS_SEEDS = [(2, 0), (6, 5)]
REPORT_FIELDS = ("binding", "released", "bankrupt", "founded", "incident", "events")


# -- helpers ---------------------------------------------------------------------------
def replica_orders(orders: Orders, j: int) -> Orders:
    """Replica j of a batch's orders, as one-replica orders."""

    def pick(group):
        return replace(group, **{k: np.asarray(v)[j : j + 1].copy() for k, v in vars(group).items()})

    injects = None if orders.injects is None else orders.injects[j : j + 1].copy()
    return Orders(labs=pick(orders.labs), govs=pick(orders.govs), grids=pick(orders.grids), injects=injects)


def assert_close(a, b, what):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, f"{what}: shape {b.shape} != {a.shape}"
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        finite = np.abs(a[np.isfinite(a)])
        scale = max(1.0, float(finite.max())) if finite.size else 1.0
        np.testing.assert_allclose(b, a, rtol=RTOL, atol=ATOL * scale, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(b, a, err_msg=what)


def assert_same_state(vec, ref, where):
    assert ref.turn == vec.turn, f"{where}: turn"
    for name, a in vec.arrays():
        b = getattr(ref, name)
        assert b.dtype == a.dtype, f"{where}: {name} dtype {b.dtype} != {a.dtype}"
        assert_close(a, b, f"{where}: {name}")


def assert_same_report(vec_rep, j, ref_rep, where):
    """Every field of the engine's report, replica j, against the reference's."""
    for name in REPORT_FIELDS:
        assert hasattr(ref_rep, name), f"reference report lacks {name}"
    for name, value in vars(vec_rep).items():
        if name == "turn":
            continue
        assert hasattr(ref_rep, name), f"reference report lacks {name}"
        assert_close(np.asarray(value)[j : j + 1], getattr(ref_rep, name), f"{where}: report.{name}")


@functools.lru_cache(maxsize=None)
def reckless_level():
    """Baseline with every AI lab racing and skimping on safety, a short ladder and little
    research: catastrophes, failed passages and pauses happen often; a member leaving a pause
    gives a quarter's notice."""
    data = copy.deepcopy(load_level("baseline").data)
    data["rules"]["diplomacy"]["pause_notice_months"] = 3
    for style in data["archetypes"].values():
        style.update(risk=1.0, focus_safety=0.02, publish_share=0.0, commits=False)
    for m in data["timeline"]["milestones"]:
        m["gap_oom"] = m["gap_oom"] / 2.0
    return validate_level(data, "baseline, reckless")


@functools.lru_cache(maxsize=None)
def stress_level():
    """Baseline with an event of every effect kind firing often, and AGI out of reach, so
    the horizon ending and its scores are played too."""
    data = copy.deepcopy(load_level("baseline").data)

    def event(id_, effect, target, amount, probability=0.0, duration=0, turn=-1):
        return {"id": id_, "effect": effect, "target": target, "amount": amount, "probability": probability,
                "once": False, "duration_turns": duration, "turn": turn}

    data["events"] += [
        event("x_price", "chip_price", "h100", 1.3, 0.3),
        event("x_supply", "chip_supply", "ascend", 1.2, 0.3),
        event("x_tier_up", "export_tier", "us", 3, 0.15),
        event("x_tier_down", "export_tier", "us", 0, 0.15),
        event("x_tier_cn", "export_tier", "cn", 2, turn=3),
        event("x_subsidy", "subsidy", "cn", 2e9, 0.3),
        event("x_permits", "permitting", "us", 3.0, 0.2),
        event("x_rules", "regulation", "cn", 0.6, 0.2),
        event("x_peace", "retaliation", "cn", 0, 0.2),
        event("x_enforce", "enforcement", "us", 0.2, 0.2),
        event("x_project", "mega_project", "cn", 0, 0.3),
        event("x_fine", "cash", "keel", -2e10, 0.2),
        event("x_windfall", "cash", "cn", 3e9, 0.3),
        event("x_leak", "incident", "us", 0, 0.3),
        event("x_poach", "talent", "meridian", -0.3, 0.2),
        event("x_eureka", "algo_breakthrough", "silk", 0.2, 0.2),
        event("x_slump", "market", "", 0.95, 0.2),
        event("x_boom", "market", "china", 1.5, 0.2, duration=2),
        event("x_plant", "grid_capacity", "cn_east", 0.05, 0.3),
        event("x_fab_fire", "supply_capacity", "packaging", 0.7, 0.2, duration=1),
        event("x_new_fab", "supply_capacity", "smic", 1.1, 0.2),
        event("x_steal", "steal_model", "cn", 0.5, 0.2),
    ]
    data["timeline"]["milestones"][0]["gap_oom"] = 19.0  # AGI out of reach
    return validate_level(data, "baseline with stress events")


@functools.lru_cache(maxsize=None)
def play_ai_game(level_name: str, seed: int, first: int) -> dict:
    """Play a batch with the AI, checking every replica against the reference each turn.

    Returns what the game exercised; raises AssertionError at the first disagreement.
    """
    level = {"stress": stress_level, "reckless": reckless_level}.get(level_name, lambda: load_level(level_name))()
    model = RaceModel(level, rng=seed, replicas=REPLICAS, first_replica=first)
    seen = {"turns": 0, "founded": 0, "bankrupt": 0, "released": 0, "incident": 0, "ended_steps": 0,
            "passed": 0, "failed": 0, "smuggled": 0.0, "rented": 0.0, "pooled": 0.0, "notices": 0, "effects": set(), "outcomes": set(), "binding": set()}
    while model.running:
        pre = model.state
        _, orders = model.decide()
        refs = []
        for j in range(REPLICAS):
            refs.append(reference_step(pre.subset([j]), replica_orders(orders, j), model.rules, model.draws.subset([j])))
        model.resolve(orders)
        for j, (ref_state, ref_rep) in enumerate(refs):
            where = f"{level_name} seed {seed} replica {first + j} turn {pre.turn}"
            assert_same_state(model.state.subset([j]), ref_state, where)
            assert_same_report(model.report, j, ref_rep, where)
            seen["turns"] += 1
            seen["ended_steps"] += int(pre.ended[j])
            for name in ("founded", "bankrupt", "released", "incident"):
                seen[name] += int(ref_rep.__dict__[name].sum())
            seen["effects"] |= {EFFECTS[model.rules.event_effect[e]] for e in np.flatnonzero(ref_rep.events[0])}
            seen["binding"] |= set(ref_rep.binding[0].tolist())
            seen["passed"] += int(ref_rep.passed.sum())
            seen["failed"] += int((ref_rep.failed >= 0).sum())
            seen["smuggled"] += float(ref_rep.chips_smuggled.sum())
            seen["rented"] += float(np.sum(ref_rep.rented_h100e))
            seen["pooled"] += float(np.sum(np.abs(ref_rep.pooled_h100e)))
            seen["notices"] += int(np.sum(ref_rep.notice_given >= 0))
    seen["outcomes"] |= set(model.state.outcome.tolist())
    return seen


# -- whole games with the AI -------------------------------------------------------------
@pytest.mark.parametrize("seed,first", AI_SEEDS)
def test_baseline_ai_games_match(seed, first):
    play_ai_game("baseline", seed, first)


@pytest.mark.parametrize("seed,first", STRESS_SEEDS)
def test_stress_ai_games_match(seed, first):
    play_ai_game("stress", seed, first)


@pytest.mark.parametrize("seed,first", RECKLESS_SEEDS)
def test_reckless_ai_games_match(seed, first):
    play_ai_game("reckless", seed, first)


def test_games_cover_the_rules():
    """The parity games above are only as good as what happens in them."""
    base = [play_ai_game("baseline", s, f) for s, f in AI_SEEDS] + [play_ai_game("reckless", s, f) for s, f in RECKLESS_SEEDS]
    stress = [play_ai_game("stress", s, f) for s, f in STRESS_SEEDS]
    for name in ("founded", "bankrupt", "released", "incident"):
        assert sum(g[name] for g in base) > 0, name
        assert sum(g[name] for g in stress) > 0, name
    assert sum(g["ended_steps"] for g in base) > 0  # finished replicas waiting on the rest
    for name in ("passed", "failed", "smuggled", "rented", "pooled", "notices"):  # milestones passed and failed; chips smuggled
        assert sum(g[name] for g in base) > 0, name
    outcomes = set().union(*(g["outcomes"] for g in base))
    assert {SAFE_AGI, CATASTROPHE} <= outcomes
    assert HORIZON in set().union(*(g["outcomes"] for g in stress))
    effects = set().union(*(g["effects"] for g in base + stress))
    assert effects == set(EFFECTS), f"effects never fired: {set(EFFECTS) - effects}"
    assert len(set().union(*(g["binding"] for g in base + stress))) >= 4


def test_reference_game_keeps_its_own_world():
    """A whole game with the reference's world kept across turns (no per-turn conversion)
    stays with the vectorised game, orders from the vectorised side."""
    model = RaceModel("baseline", rng=11, replicas=1, first_replica=3)
    game = ReferenceGame("baseline", seed=11, replica=3)
    assert_same_state(model.state, game.state, "start")
    while model.running:
        _, orders = model.decide()
        rep = game.play(orders)
        model.resolve(orders)
        assert rep.binding == model.report.binding[0].tolist()
        assert_same_state(model.state, game.state, f"turn {model.state.turn}")
    assert game.world.ended and not game.running


def test_reference_step_leaves_inputs_alone():
    model = RaceModel("baseline", rng=2)
    for _ in range(3):
        model.step()
    state, (_, orders) = model.state, model.decide()
    state_before = state.copy()
    orders_before = copy.deepcopy(orders)
    reference_step(state, orders, model.rules, model.draws)
    assert_same_state(state_before, state, "state after reference_step")
    for group in ("labs", "govs", "grids"):
        for name, value in vars(getattr(orders_before, group)).items():
            np.testing.assert_array_equal(getattr(getattr(orders, group), name), value, err_msg=f"{group}.{name}")


# -- random and hostile orders -------------------------------------------------------------
def _messy(rng, shape, typical, huge=True):
    """Floats that are mostly ordinary but include zeros, negatives, huge values, infinities
    and NaN."""
    values = rng.uniform(0.0, 2.0 * typical, shape)
    pick = rng.uniform(size=shape)
    values = np.where(pick < 0.15, 0.0, values)
    values = np.where((pick >= 0.15) & (pick < 0.22), -values - 1.0, values)
    values = np.where((pick >= 0.31) & (pick < 0.35), np.nan, values)
    if huge:
        values = np.where((pick >= 0.22) & (pick < 0.28), typical * 1e6, values)
        values = np.where((pick >= 0.28) & (pick < 0.31), 1e30, values)
        values = np.where((pick >= 0.35) & (pick < 0.37), np.inf, values)
        values = np.where((pick >= 0.37) & (pick < 0.39), -np.inf, values)
    return values


def random_orders(state, rules, rng) -> Orders:
    """Valid-typed orders for one replica with every field random, edge values included."""
    orders = hold_orders(state, rules)
    L, K, N = state.alive.shape[1], len(rules.chip_ids), len(rules.grid_ids)
    C, Q = len(rules.country_ids), len(rules.reaction_gov)
    lab, gov, grid = orders.labs, orders.govs, orders.grids
    lab.chip_usd = _messy(rng, (1, L, K), 2e9)
    for name, typical in (("build_mw", 300.0), ("onsite_mw", 100.0), ("ppa_mw", 100.0), ("hire_usd", 2e8),
                          ("retention_usd", 1e8), ("lobby_usd", 5e7)):
        setattr(lab, name, _messy(rng, (1, L), typical))
    for name in ("train", "serve", "research", "focus_efficiency", "focus_reasoning", "focus_safety"):
        setattr(lab, name, np.where(rng.uniform(size=(1, L)) < 0.1, 0.0, _messy(rng, (1, L), 0.5)))
    lab.price_level = _messy(rng, (1, L), 1.5)
    lab.build_grid = rng.integers(-3, N + 3, (1, L))
    lab.run_turns = rng.integers(-2, 12, (1, L))
    lab.lobby_goal = rng.integers(-2, 9, (1, L))
    for name in ("open_weights", "raise_round", "seek_state", "partner_deal", "token_financing"):
        setattr(lab, name, rng.uniform(size=(1, L)) < 0.4)
    gov.export_tier = rng.uniform(-1.0, 4.6, (1, C))
    gov.enforcement = _messy(rng, (1, C), 0.6)
    gov.subsidy = _messy(rng, (1, C), 1e9, huge=False)  # subsidies are not capped: keep them sane
    gov.permitting = _messy(rng, (1, C), 2.0)
    gov.regulation = _messy(rng, (1, C), 0.5)
    gov.pool = _messy(rng, (1, C), 0.3)  # the baseline lets China pool up to 40%
    gov.start_mega = rng.uniform(size=(1, C)) < 0.2
    gov.retaliation = rng.uniform(size=(1, C)) < 0.3
    gov.reaction_wait = rng.integers(-3, 5, (1, Q))
    # Diplomacy: proposals of every kind (a pause alone included) and codes out of range,
    # signatures, departures and cheating, so agreements start, lapse, end and are caught.
    A = gov.sign.shape[2]
    gov.propose = rng.integers(-1, A + 4, (1, C))
    gov.sign = rng.uniform(size=(1, C, A)) < 0.6
    gov.leave = rng.uniform(size=(1, C, A)) < 0.1
    gov.cheat = rng.uniform(size=(1, C)) < 0.4
    gov.tracking = rng.uniform(size=(1, C)) < 0.5
    gov.inspections = _messy(rng, (1, C), 0.5)
    grid.invest = _messy(rng, (1, N, 3), 500.0, huge=False)
    grid.approvals = _messy(rng, (1, N), 400.0)
    return orders


@pytest.mark.parametrize("seed", range(6))
def test_random_orders_match(seed):
    """Random orders with zero, negative, huge, infinite and NaN values, invalid grid indices
    and out-of-range choices exercise the sanitising; each turn starts from the vectorised
    state, so a disagreement points at one turn."""
    level = load_level("baseline")
    rules = build_rules(level)
    state = initial_state(level, rules, 1)
    draws = RaceRandom(seed, [seed])
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        for _ in range(12):
            orders = random_orders(state, rules, rng)
            ref_state, ref_rep = reference_step(state, orders, rules, draws)
            state, rep = step(state, orders, rules, draws)
            where = f"random seed {seed} turn {state.turn - 1}"
            assert_same_state(state, ref_state, where)
            assert_same_report(rep, 0, ref_rep, where)


def test_nobody_left_ends_the_game():
    level = load_level("baseline")
    rules = build_rules(level)
    state = initial_state(level, rules, 1)
    state.alive[:] = False
    draws = RaceRandom(0, [0])
    orders = hold_orders(state, rules)
    vec, _ = step(state, orders, rules, draws)
    ref, _ = reference_step(state, orders, rules, draws)
    assert vec.outcome[0] == HORIZON and vec.winner[0] == -1
    assert_same_state(vec, ref, "nobody left")


def test_nan_export_tier():
    level = load_level("baseline")
    rules = build_rules(level)
    state = initial_state(level, rules, 1)
    orders = hold_orders(state, rules)
    orders.govs.export_tier = np.array([[np.nan, 1.0]])
    draws = RaceRandom(0, [0])
    with np.errstate(all="ignore"):
        vec, _ = step(state, orders, rules, draws)
    ref, _ = reference_step(state, orders, rules, draws)
    assert_same_state(vec, ref, "NaN export tier")
    assert RUNNING == vec.outcome[0]


def test_facilitator_injects_match():
    """A classroom game with the catalogue, a random inject most turns, on both engines."""
    from racegame.level.loader import with_catalogue

    level = with_catalogue(load_level("baseline"))
    model = RaceModel(level, rng=17, replicas=REPLICAS)
    chooser = np.random.default_rng(5)
    ids = [e["id"] for e in level.data["events"]]
    while model.running:
        pre = model.state
        _, orders = model.decide()
        orders.injects = chooser.random((REPLICAS, len(ids))) < 0.08
        refs = [reference_step(pre.subset([j]), replica_orders(orders, j), model.rules, model.draws.subset([j]))
                for j in range(REPLICAS)]
        model.resolve(orders)
        for j, (ref_state, ref_rep) in enumerate(refs):
            where = f"injects replica {j} turn {pre.turn}"
            assert_same_state(model.state.subset([j]), ref_state, where)
            assert_same_report(model.report, j, ref_rep, where)


@pytest.mark.parametrize("draw_seed", range(6))
def test_labs_level_at_the_agi_line_are_separated_by_their_compute(draw_seed):
    """Two labs held at one cap cross the AGI line together: the lab whose compute could train
    further wins on both engines, whatever the tie draw; a lab coasting on a small old fleet
    does not win by luck."""
    level = load_level("baseline")
    rules = build_rules(level)
    state = initial_state(level, rules, 1)
    small, big = rules.lab_ids.index("meridian"), rules.lab_ids.index("polymath")
    line = 30.0
    state.capability[:] = 27.0
    state.capability[0, [small, big]] = line + 0.5
    state.milestone[0, [small, big]] = rules.n_milestones - 1
    state.milestone_turn[0, [small, big], : rules.n_milestones - 1] = 0
    state.milestone_req[0, :] = line - 1.0
    state.milestone_req[0, -1] = line
    state.safety[0, [small, big]] = 1e3  # a safe passage either way
    state.chips[0, small, :] *= 0.01
    orders = hold_orders(state, rules)
    orders.labs.cap_capability[:] = line + 0.5  # nobody trains past the cap this turn
    draws = RaceRandom(draw_seed, [0])
    vec, _ = step(state, orders, rules, draws)
    ref, _ = reference_step(state, orders, rules, draws)
    assert_same_state(vec, ref, "a tie at the AGI line")
    assert vec.outcome[0] == SAFE_AGI and vec.winner[0] == big
