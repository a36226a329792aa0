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
FIGURES = ("capability", "frontier", "cash_usd", "compute_share", "safety")  # charted, per future turn


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


@dataclass
class Start:
    """The moment of a game that its futures start from, in a form another process can take
    (``forecast_workers``): the level, its rules, the state (one replica) and ``settings``:
    the difficulty, the engine, the player's slot, the controller each steered lab's futures
    play (a person's plan as a policy) and each government's (None: the AI)."""

    level: object
    rules: object
    state: object
    settings: dict


def start_of(model) -> Start:
    """Where ``model``'s futures start: its state, and every seat a person steers playing its
    plan as a policy, in each future on its own (each batch of futures plays copies of these
    controllers: the futures' turns must not touch the live plans)."""
    from .advisor import PolicyController
    from .player import GovPlanController, GovPolicyController

    labs = {}
    for slot, agent in model.labs_by_slot.items():
        if agent.controller is not None:
            plan = getattr(agent.controller, "plan", None)
            labs[slot] = PolicyController.following(agent.controller, model) if plan is not None else agent.controller
    governments = [GovPolicyController.following(g.controller, model) if isinstance(g.controller, GovPlanController)
                   else g.controller for g in model.governments]
    # A game on the compiled engine looks ahead with it too (the reference engine is for
    # checking rules, far too slow for a thousand futures).
    engine = "compiled" if model.engine == "compiled" else "vectorised"
    settings = {"difficulty": model.difficulty, "engine": engine, "player": model.player, "labs": labs,
                "governments": governments}
    return Start(model.level, model.rules, model.state, settings)


def futures_of(model, runs: int, turns: int, seed: int):
    """A batch of ``runs`` copies of ``model``'s game from where it stands, with their own
    random streams (``seed``) and every seat a person steers playing its plan as a policy."""
    return _futures(start_of(model), np.arange(runs), turns, seed)


def _futures(start: Start, ids, turns: int, seed: int):
    """The futures numbered ``ids`` (consecutive) of the game at ``start``: future n draws
    from stream n of ``seed`` whichever others it is played with."""
    from .model import RaceModel

    rules, settings, turn = start.rules, start.settings, start.state.turn
    runs = len(ids)
    futures = RaceModel(level=start.level, rng=seed, replicas=runs, first_replica=int(ids[0]) if runs else 0,
                        difficulty=settings["difficulty"], turns=min(rules.horizon, turn + turns), engine=settings["engine"],
                        start=(rules, start.state.subset(np.zeros(runs, dtype=np.int64))))
    # Nobody knows where the milestones no lab has reached lie: each future draws its own,
    # consistent with what the game has shown (the game's own draw stays secret).
    redraw_unknown(futures.state, rules, futures.draws.uniform(turn, "timeline", (rules.n_milestones,)))
    # Nor when a chip class with an uncertain date will come, if it has not yet.
    redraw_arrivals(futures.state, rules, futures.draws.uniform(turn, "chip_arrival", (len(rules.country_ids),)))
    futures.datacollector.collect = lambda _model: None  # futures need no Mesa records
    futures.inplace = True  # each future turn consumes the last: no copy of every array
    futures._sync_labs()
    futures.player = settings["player"]
    for slot, controller in settings["labs"].items():
        if slot in futures.labs_by_slot:
            futures.labs_by_slot[slot].controller = copy.deepcopy(controller)
    for future, controller in zip(futures.governments, settings["governments"]):
        if controller is not None:
            future.controller = copy.deepcopy(controller)
    futures.running = not futures.state.ended.all() and futures.state.turn < futures.turn_limit
    return futures


@dataclass
class Block:
    """What a block of futures gives a forecast: the date of each turn it played, each
    charted figure per turn and future (turns, futures), how each future stood at its end,
    and the turns the look-ahead could take (``most``, as reported to ``progress``)."""

    dates: list
    figures: dict
    ending: dict
    most: int


def play_block(start: Start, ids, turns: int, slot: int, seed: int, progress=None) -> Block:
    """Play the futures numbered ``ids`` of the game at ``start`` for up to ``turns`` turns;
    ``progress`` as in ``forecast``."""
    futures = _futures(start, ids, turns, seed)
    runs = len(ids)
    rules = start.rules
    # The game itself checks its numbers every turn; here each future is checked once, as it
    # ends (a tenth of a forecast's time saved; NaN and infinities, once in, stay in).
    futures.check_every_turn = False
    latest = {name: np.zeros(runs) for name in FIGURES}
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
    return Block(dates, {name: np.array(v).reshape(len(dates), runs) for name, v in figures.items()}, ending, most)


def _joined(blocks: list) -> Block:
    """One block of several, in order. A block whose futures all ended sooner stands still
    for the turns the others played on."""
    longest = max(blocks, key=lambda b: len(b.dates))
    turns = len(longest.dates)
    figures = {}
    for name in FIGURES:
        parts = [b.figures[name] for b in blocks]
        parts = [np.concatenate([p, np.repeat(p[-1:], turns - len(p), axis=0)]) if 0 < len(p) < turns else p for p in parts]
        figures[name] = np.concatenate(parts, axis=1)
    ending = {name: np.concatenate([b.ending[name] for b in blocks]) for name in longest.ending}
    return Block(longest.dates, figures, ending, longest.most)


def forecast(model, runs: int = 1000, turns: int = 8, lab=None, progress=None, workers: int = 1) -> Forecast:
    """Play ``runs`` futures of ``model`` for up to ``turns`` turns (the model is not changed).

    ``progress``, if given, is called after each future turn with (turns played, turns the
    look-ahead may take, the date of the turn just played): a look-ahead to the end of the
    game takes seconds, and the window shows how far it has got. ``workers`` above 1 plays
    the futures in that many blocks at once in worker processes (``forecast_workers``), with
    the same result."""

    if model.replicas != 1:
        raise ValueError("forecast() plays the futures of one game (replicas=1)")
    rules = model.rules
    slot = model.player if lab is None else (rules.lab_ids.index(lab) if isinstance(lab, str) else int(lab))
    if slot is None:
        slot = int(np.argmax(np.where(model.state.alive[0], model.state.capability[0], -np.inf)))
    seed = forecast_seed(model)
    start = start_of(model)
    blocks = None
    if workers > 1 and runs >= 2 * workers:
        from . import forecast_workers

        parts = np.array_split(np.arange(runs), workers)
        blocks = forecast_workers.play_blocks(start, parts, turns, slot, seed, workers, progress)
    played = _joined(blocks) if blocks else play_block(start, np.arange(runs), turns, slot, seed, progress)
    ending, dates = played.ending, played.dates
    agi = np.isin(ending["outcome"], (SAFE_AGI, CATASTROPHE))
    end_turns, where = np.unique(np.maximum(ending["end_turn"], 0), return_inverse=True)
    agi_year = np.asarray([int(rules.turn_date(t)[:4]) for t in end_turns])[where.reshape(-1)]  # the turn it came in
    years = sorted({int(d[:4]) for d in dates})
    agi_by_year = {y: float(np.mean(agi & (agi_year <= y))) for y in years}
    bands = {name: dict(zip(PERCENTILES, np.percentile(v, PERCENTILES, axis=1).tolist()))
             for name, v in played.figures.items() if len(v)}
    winners = ending["winner"]
    other = {}
    for i, lab_id in enumerate(rules.lab_ids):
        share = float(np.mean(winners == i))
        if share > 0 and i != slot:
            other[lab_id] = share
    leader = ending["leader"]
    lead = {rules.lab_ids[i]: float(np.mean(leader == i)) for i in np.unique(leader)}
    countries = {cid: float(np.mean(ending["country"] == c)) for c, cid in enumerate(rules.country_ids)}
    steering = start.settings["labs"].get(slot)
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


__all__ = ["Block", "Forecast", "Start", "forecast", "futures_of", "play_block", "start_of"]
