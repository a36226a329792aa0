"""Futures: many possible continuations of one game from where it stands.

A seat steered by a person plays its plan as the policy the game itself will play
(``advisor.PolicyController``): this turn the plan as it stands; later turns, with the
advisor on, the advisor's redraft around the levers the person set, or else the plan
carried over with its one-off moves spent. Every other seat decides as usual. Futures draw
from their own random streams, derived from the game's seed and turn, so a forecast is
itself reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import copy

import numpy as np

from .engine.rng import mix64
from .engine.state import CATASTROPHE, SAFE_AGI
from .engine.chips import redraw_arrivals
from .engine.timeline import redraw_unknown

PERCENTILES = (5, 25, 50, 75, 95)


@dataclass
class Forecast:
    runs: int
    turns: int
    dates: list  # date of each future turn
    lab: str  # the lab the forecast is about (the player's, or the current leader)
    win: float  # chance that lab wins (safe AGI first, or leads at the horizon)
    lead: dict  # lab id -> chance it has the best model at the end of the look-ahead
    catastrophe: float
    other_wins: dict  # lab id -> chance
    country_wins: dict  # country id -> chance
    running: float  # chance the game is still running after the forecast turns
    bands: dict  # figure -> {percentile: [value per future turn]}
    seed: int
    policy: str = ""  # the policy the forecast lab plays, in words ("" for an AI lab)
    agi_by_year: dict | None = None  # calendar year -> chance AGI (safe or not) has come by its end


def forecast_seed(model) -> int:
    """A seed for the futures of this game at this turn (distinct from the game's own draws)."""
    blob = np.array([model.seed & 0xFFFFFFFFFFFFFFFF, int(model.replica_ids[0]) + 1, model.state.turn + 1], dtype=np.uint64)
    with np.errstate(over="ignore"):
        key = mix64(mix64(mix64(blob[:1]) ^ blob[1:2]) ^ blob[2:3])[0]
    return int(key >> np.uint64(1))


def futures_of(model, runs: int, turns: int, seed: int):
    """A batch of ``runs`` copies of ``model``'s game from where it stands, with their own
    random streams (``seed``) and every seat a person steers playing its plan as a policy."""
    from .advisor import PolicyController
    from .model import RaceModel

    rules = model.rules
    # A game on the compiled engine looks ahead with it too (the reference engine is for
    # checking rules, far too slow for a thousand futures).
    engine = "compiled" if model.engine == "compiled" else "vectorised"
    futures = RaceModel(level=model.level, rng=seed, replicas=runs, difficulty=model.difficulty,
                        turns=min(rules.horizon, model.state.turn + turns), engine=engine,
                        start=(rules, model.state.subset(np.zeros(runs, dtype=np.int64))))
    futures.draws = futures.kit.random(seed, np.arange(runs))
    # Nobody knows where the milestones no lab has reached lie: each future draws its own,
    # consistent with what the game has shown (the game's own draw stays secret).
    redraw_unknown(futures.state, rules, futures.draws.uniform(model.state.turn, "timeline", (rules.n_milestones,)))
    # Nor when a chip class with an uncertain date will come, if it has not yet.
    redraw_arrivals(futures.state, rules, futures.draws.uniform(model.state.turn, "chip_arrival", (len(rules.country_ids),)))
    futures.datacollector.collect = lambda _model: None  # futures need no Mesa records
    futures.inplace = True  # each future turn consumes the last: no copy of every array
    futures._sync_labs()
    futures.player = model.player
    for seat_slot, agent in model.labs_by_slot.items():
        if agent.controller is not None and seat_slot in futures.labs_by_slot:
            plan = getattr(agent.controller, "plan", None)
            futures.labs_by_slot[seat_slot].controller = (PolicyController.following(agent.controller, model)
                                                         if plan is not None else copy.deepcopy(agent.controller))
    for live, future in zip(model.governments, futures.governments):
        if live.controller is not None:
            # A copy: the futures' turns must not touch the live plans.
            future.controller = copy.deepcopy(live.controller)
    futures.running = not futures.state.ended.all() and futures.state.turn < futures.turn_limit
    return futures


def forecast(model, runs: int = 1000, turns: int = 8, lab=None, progress=None) -> Forecast:
    """Play ``runs`` futures of ``model`` for up to ``turns`` turns (the model is not changed).

    ``progress``, if given, is called after each future turn with (turns played, turns the
    look-ahead may take, the date of the turn just played): a look-ahead to the end of the
    game takes seconds, and the window shows how far it has got."""

    if model.replicas != 1:
        raise ValueError("forecast() plays the futures of one game (replicas=1)")
    rules = model.rules
    slot = model.player if lab is None else (rules.lab_ids.index(lab) if isinstance(lab, str) else int(lab))
    if slot is None:
        slot = int(np.argmax(np.where(model.state.alive[0], model.state.capability[0], -np.inf)))
    seed = forecast_seed(model)
    futures = futures_of(model, runs, turns, seed)
    # The game itself checks its numbers every turn; here each future is checked once, as it
    # ends (a tenth of a forecast's time saved; NaN and infinities, once in, stay in).
    futures.check_every_turn = False
    steering = futures.labs_by_slot[slot].controller if slot in futures.labs_by_slot else None

    latest = {name: np.zeros(runs) for name in ("capability", "frontier", "cash_usd", "compute_share", "safety")}
    figures = {name: [] for name in latest}
    ending = {name: np.zeros(runs, dtype=np.int64) for name in ("outcome", "end_turn", "winner", "leader", "country")}
    ending["ended"] = np.zeros(runs, dtype=bool)
    dates = []
    most = futures.turn_limit - futures.state.turn
    games = np.arange(runs)
    for games, done in futures.play_out():
        s = futures.state
        dates.append(rules.turn_date(s.turn - 1))
        if progress is not None:
            progress(len(dates), most, dates[-1])
        # A future that has ended stands still: its figures stay as they were when it ended.
        for name, values in _figures(s, rules, slot).items():
            latest[name][games] = values
            figures[name].append(latest[name].copy())
        _settle(ending, s, games, done)
        if done.any() and futures.running:
            futures.check_numbers(done)  # these futures leave the arrays now
    futures.check_numbers()
    _settle(ending, futures.state, games, np.ones(len(games), dtype=bool))
    agi = np.isin(ending["outcome"], (SAFE_AGI, CATASTROPHE))
    end_turns, where = np.unique(np.maximum(ending["end_turn"], 0), return_inverse=True)
    agi_year = np.asarray([int(rules.turn_date(t)[:4]) for t in end_turns])[where.reshape(-1)]  # the turn it came in
    years = sorted({int(d[:4]) for d in dates})
    agi_by_year = {y: float(np.mean(agi & (agi_year <= y))) for y in years}
    bands = {name: {p: np.percentile(np.asarray(v), p, axis=1).tolist() for p in PERCENTILES} for name, v in figures.items() if v}
    winners = ending["winner"]
    other = {}
    for i, lab_id in enumerate(rules.lab_ids):
        share = float(np.mean(winners == i))
        if share > 0 and i != slot:
            other[lab_id] = share
    leader = ending["leader"]
    lead = {rules.lab_ids[i]: float(np.mean(leader == i)) for i in np.unique(leader)}
    countries = {cid: float(np.mean(ending["country"] == c)) for c, cid in enumerate(rules.country_ids)}
    return Forecast(
        runs=runs,
        turns=len(dates),
        dates=dates,
        lab=rules.lab_ids[slot],
        win=float(np.mean(winners == slot)),
        lead=dict(sorted(lead.items(), key=lambda kv: -kv[1])),
        catastrophe=float(np.mean(ending["outcome"] == CATASTROPHE)),
        other_wins=other,
        country_wins=countries,
        running=float(np.mean(~ending["ended"])),
        bands=bands,
        seed=seed,
        policy=steering.describe() if hasattr(steering, "describe") else "",
        agi_by_year=agi_by_year,
    )


def _figures(s, rules, slot) -> dict:
    """The figures the futures screen charts, for each replica of ``s``."""
    h100e = s.chips @ rules.chip_perf_train
    return {"capability": s.capability[:, slot], "frontier": np.where(s.alive, s.capability, -np.inf).max(axis=1),
            "cash_usd": s.cash[:, slot], "compute_share": h100e[:, slot] / np.maximum((h100e * s.alive).sum(axis=1), 1.0),
            "safety": s.safety[:, slot]}


def _settle(ending: dict, s, games, mask) -> None:
    """Record how the futures ``mask`` picks among the replicas of ``s`` stand at their end."""
    rows = games[mask]
    ending["outcome"][rows] = s.outcome[mask]
    ending["end_turn"][rows] = s.end_turn[mask]
    ending["ended"][rows] = s.ended[mask]
    ending["winner"][rows] = s.winner[mask]
    ending["leader"][rows] = np.argmax(np.where(s.alive[mask], s.capability[mask], -np.inf), axis=1)
    ending["country"][rows] = s.winner_country[mask]


__all__ = ["Forecast", "forecast", "futures_of"]
