"""RaceModel: the game as a Mesa model.

Agents decide (governments, then labs, then grids), the vectorised engine resolves the
turn, the DataCollector records. ``replicas`` > 1 plays that many independent games at
once through the same code; replica k of any batch is the same game as replica k alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import mesa
import numpy as np

from .agents import EnergyGrid, Government, Lab
from .agents.gov_ai import plan_government
from .agents.grid_ai import plan_grid
from .agents.lab_ai import plan_labs
from .engine import compiled, limits, observe, step
from .engine.orders import hold_orders
from .engine.params import build_rules
from .engine.rng import RaceRandom
from .engine.setup import initial_state
from .engine.step import VECTORISED, Phases
from .engine.state import OUTCOMES, RUNNING
from .errors import RangeError
from .history import turn_columns
from .level.loader import Level, load_level
from .narrate import turn_news


ENGINES = ("vectorised", "compiled", "reference")

# Mesa 3.4+ keys its records by collection time and batch_run reads the last one; Mesa 3.3
# has no such record and reads by step count.
_BATCH_RUN_READS_ROW_BEFORE_LAST = not hasattr(mesa.DataCollector(), "_collection_steps")


def resolve_seed(rng) -> int:
    """The run's seed as a non-negative int, whatever Mesa-style ``rng`` was given."""
    if rng is None:
        return int(np.random.SeedSequence().entropy % (2**63))
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**63))
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return int(rng)
    raise ValueError(f"rng must be a non-negative integer seed, a numpy Generator or None, got {rng!r}")


class RaceModel(mesa.Model):
    """The US-China AI race.

    Args:
        level: a level id (``"baseline"``), a path to a level file, or a ``Level``.
        rng: the seed (Mesa convention). The run records it as ``self.seed``.
        replicas: how many games to play at once.
        first_replica: global number of the first replica (replica k replays alone).
        player: lab id or slot steered by ``controller`` instead of the AI.
        controller: object with ``decide(lab, view, orders)`` for the player's lab.
        difficulty: "easy", "normal" or "hard" (handicaps for the player's lab).
        turns: stop after this many turns even if the game has not ended.
        engine: "vectorised" (the numpy engine), "compiled" (the same rules as numba kernels,
            turn, view and AI; needs the ``fast`` extra) or "reference" (the plain one, same rules).
        start: ``(rules, state)`` to play on from instead of the level's opening: a game in
            progress (futures of a game use its rules, built once, and a copy of its state in
            every replica). The state must have ``replicas`` rows and come from these rules.
    """

    def __init__(self, level="baseline", rng=None, replicas: int = 1, first_replica: int = 0, player=None,
                 controller=None, difficulty: str = "normal", turns: int | None = None, seed=None,
                 engine: str = "vectorised", start=None):
        seed_value = resolve_seed(rng if seed is None else seed)
        super().__init__(rng=seed_value)
        self.seed = seed_value
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
        self.engine = engine
        # What the game plays with (the turn's phases, the view, the AI's plans, the random
        # source, the range check): numpy, or compiled twins with the same effects.
        self.kit = compiled_kit() if engine == "compiled" else NUMPY_KIT
        self.level = level if isinstance(level, Level) else load_level(level)
        if start is not None and (start[0].level_id != self.level.id or start[1].alive.shape[0] != replicas):
            raise ValueError(f"start must hold rules of level '{self.level.id}' and a state of {replicas} replicas")
        self.rules = build_rules(self.level) if start is None else start[0]
        self.replica_ids = np.arange(first_replica, first_replica + replicas)
        self.draws = self.kit.random(seed_value, self.replica_ids)
        self.player = self._slot(player)
        self.difficulty = difficulty
        self.ai_capex = {"hard": self.rules.c["hard_ai_capex"], "easy": self.rules.c["easy_ai_capex"]}.get(difficulty, 1.0)
        self.state = (initial_state(self.level, self.rules, replicas, self.player, difficulty, self.draws)
                      if start is None else start[1])
        self.turn_limit = self.rules.horizon if turns is None else min(int(turns), self.rules.horizon)
        self.report = None
        self.check_numbers()
        self.view = None  # the View of the state, computed once per turn
        self._plans = (None, {})  # the view the AI's lab plans were made from; spending level -> plan
        self.inplace = False  # batches set this: each turn consumes the previous state
        # Futures clear this and check each future once, as it ends (``futures.forecast``).
        self.check_every_turn = True
        # For one watched game (R = 1): the news and a row per lab per turn, for summaries,
        # charts and saves. Batches skip this bookkeeping.
        self.keep_history = replicas == 1
        self.news = []
        self.chronicle = []
        self.orders_log = []
        self.snapshots = []  # (state, news, chronicle, orders_log lengths) before each turn
        self.teams = {}  # seat id -> team name, for classroom games
        self.team_controllers = {}  # seat id -> controller (kept when a team's lab is gone)
        self.pending_injects = []  # event ids a facilitator has asked to happen next turn

        self.governments = [Government(self, g) for g in range(len(self.rules.country_ids))]
        self.labs_by_slot: dict[int, Lab] = {}
        self.grids = [EnergyGrid(self, n) for n in range(len(self.rules.grid_ids))]
        self._sync_labs()
        if self.player is not None:
            self.labs_by_slot[self.player].controller = controller
        self.datacollector = mesa.DataCollector(model_reporters=MODEL_REPORTERS, agent_reporters=AGENT_REPORTERS)
        self.datacollector.collect(self)

    # -- setup helpers ---------------------------------------------------
    def _slot(self, player):
        if player is None:
            return None
        if isinstance(player, (int, np.integer)):
            if not 0 <= player < self.rules.n_level_labs:
                raise ValueError(f"player slot {player} is not one of the level's labs")
            return int(player)
        if player not in self.rules.lab_ids[: self.rules.n_level_labs]:
            from .level.fields import did_you_mean

            known = ", ".join(self.rules.lab_ids[: self.rules.n_level_labs])
            raise ValueError(f"no lab '{player}' in level '{self.level.id}'{did_you_mean(player, self.rules.lab_ids)}; labs: {known}")
        return self.rules.lab_ids.index(player)

    def _sync_labs(self) -> None:
        """Labs founded this turn become agents; labs gone in every replica leave."""
        alive = self.state.alive.any(axis=0)
        for slot in np.flatnonzero(alive):
            if slot not in self.labs_by_slot:
                self.labs_by_slot[int(slot)] = Lab(self, int(slot))
        for slot in [s for s in self.labs_by_slot if not alive[s]]:
            self.labs_by_slot.pop(slot).remove()

    # -- the turn ----------------------------------------------------------
    @property
    def replicas(self) -> int:
        return len(self.replica_ids)

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def labs(self) -> list[Lab]:
        return [self.labs_by_slot[s] for s in sorted(self.labs_by_slot)]

    def decide(self):
        """Every seat's orders for the coming turn (without resolving it)."""
        view = self.view = self.kit.observe(self.state, self.rules)
        orders = hold_orders(self.state, self.rules)
        for gov in self.governments:
            gov.decide(view, orders)
        # AI labs follow one rulebook column by column, so they are planned in one pass
        # (the same orders each would write alone); seats with a controller decide for
        # themselves.
        ai = [lab.slot for lab in self.labs if lab.controller is None]
        if ai:
            plan = self.lab_plan(view, self.ai_capex)
            if len(ai) == self.state.alive.shape[1]:
                orders.labs.set_columns(ai, plan)
            else:
                orders.labs.take_plan(ai, plan)
        for lab in self.labs:
            if lab.controller is not None:
                lab.decide(view, orders)
        for grid in self.grids:
            grid.decide(view, orders)
        return view, orders

    def lab_plan(self, view, capex_mult: float = 1.0) -> dict:
        """The AI's orders for every lab slot from ``view`` (LabOrders field -> (R, L) array),
        made once per view and spending level: the AI labs and an advisor drafting for a
        person's lab read the same plan (a lab's column is what it would be planned alone)."""
        if self._plans[0] is not view:
            self._plans = (view, {})
        plans = self._plans[1]
        if capex_mult not in plans:
            plans[capex_mult] = self.kit.plan_labs(view, self.state, self.rules, None, capex_mult)
        return plans[capex_mult]

    def step(self) -> None:
        if not self.running:
            return
        _, orders = self.decide()
        self.resolve(orders)

    def resolve(self, orders) -> None:
        """Resolve a turn from given orders (the UI and replays call this directly)."""
        if not self.running:
            return
        if self.pending_injects:
            injects = np.zeros((self.replicas, len(self.rules.event_ids)), dtype=bool)
            for event_id in self.pending_injects:
                injects[:, self.rules.event_ids.index(event_id)] = True
            orders.injects = injects if orders.injects is None else (orders.injects | injects)
            self.pending_injects = []
        previous = self.state
        if self.keep_history:
            self.snapshots.append((previous, len(self.news), len(self.chronicle), len(self.orders_log)))
        self.state, self.report = self._step(self.state, orders, self.rules, self.draws)
        if self.check_every_turn:
            self.check_numbers()
        if self.keep_history:
            fired = [g.fired for g in self.governments if g.fired is not None]
            fired = np.logical_or.reduce(fired) if fired else None
            self.news += turn_news(self, previous, orders, self.report, self.state, 0, fired)
            self.chronicle.append({k: v.tolist() for k, v in turn_columns(self, self.report).items()})
            self.orders_log += self._decisions(previous.turn, orders, previous)
        for gov in self.governments:
            gov.fired = None
        self._sync_labs()
        for agent in [*self.labs, *self.governments]:
            if agent.controller is not None and hasattr(agent.controller, "after_turn"):
                agent.controller.after_turn(self, agent)
        self.view = None
        self.datacollector.collect(self)
        if self.state.ended.all() or self.state.turn >= self.turn_limit:
            self.running = False
            if _BATCH_RUN_READS_ROW_BEFORE_LAST:
                # Mesa 3.3's batch_run returns the DataCollector row at ``steps - 1``; with a
                # row at turn 0 that is one turn short of the ending. Counting the ending as a
                # step of its own makes it return the last row, as Mesa 3.4+ does.
                self.steps += 1

    def check_numbers(self, mask=None) -> None:
        """Refuse, in words, a game whose numbers left the range the simulation is built for
        (``engine/limits.py``): NaN and infinities must never reach charts, saves or batch files.
        Turn reports are not checked here: they use NaN and -inf for "none" on purpose, and
        what of them is written out is checked by the writers. ``mask``: only these replicas."""
        state, replica_ids = self.state, self.replica_ids
        if mask is not None:
            state, replica_ids = state.subset(mask), replica_ids[mask]
        problem = self.kit.first_problem(state)
        if problem is None:
            return
        turns = self.state.turn
        when = f"after {turns} turn{'s' * (turns != 1)}" if turns else "at the start"
        raise RangeError(f"{self.level.path}: level '{self.level.id}', seed {self.seed}: {when}, "
                         f"{limits.describe(problem, self.rules.lab_ids, replica_ids)}. The level's numbers (amounts or "
                         "growth rates) take the simulation out of its range: make them smaller ('racegame check' "
                         "shows every key's range)")

    def _step(self, state, orders, rules, draws):
        if self.engine != "reference":
            return step(state, orders, rules, draws, inplace=self.inplace and not self.keep_history, phases=self.kit.phases)
        from .reference import reference_step_batch

        return reference_step_batch(state, orders, rules, draws)

    def _decisions(self, turn: int, orders, before=None) -> list[dict]:
        """What each seat steered by a person or script decided (for logs and debriefs). A
        government's entry keeps the policy in force when it decided (``in_force``): scripted
        news may have moved it, and a debrief tells what the team changed, not what the news did."""
        out = []
        for lab in self.labs:
            if lab.controller is not None:
                out.append({"turn": turn, "seat": lab.lab_id, "kind": "lab", "team": self.teams.get(lab.lab_id, ""),
                            "orders": orders.labs.to_json()[lab.slot]})
        for gov in self.governments:
            if gov.controller is not None:
                cid = self.rules.country_ids[gov.index]
                values = {k: np.asarray(v)[0, gov.index].tolist() for k, v in vars(orders.govs).items() if k != "reaction_wait"}
                entry = {"turn": turn, "seat": cid, "kind": "government", "team": self.teams.get(cid, ""), "orders": values}
                if before is not None:
                    entry["in_force"] = {k: np.asarray(getattr(before, k))[0, gov.index].item()
                                         for k in ("export_tier", "enforcement", "subsidy", "permitting", "regulation", "pool",
                                                   "retaliation")}
                    # diplomacy's standing orders, under their orders' names
                    entry["in_force"].update({k: np.asarray(getattr(before, name))[0, gov.index].item() for k, name in
                                              (("tracking", "tracking"), ("inspections", "inspections"),
                                               ("cheat", "cheating"), ("intel_usd", "spy_usd"))})
                out.append(entry)
        return out

    def seat(self, seat_id: str):
        """The agent for a seat id: a lab's id or a government's country id."""
        rules = self.rules
        if seat_id in rules.country_ids:
            return self.governments[rules.country_ids.index(seat_id)]
        if seat_id in rules.lab_ids:
            slot = rules.lab_ids.index(seat_id)
            if slot in self.labs_by_slot:
                return self.labs_by_slot[slot]
        from .level.fields import did_you_mean

        known = [lab.lab_id for lab in self.labs] + list(rules.country_ids)
        raise ValueError(f"no seat '{seat_id}'{did_you_mean(seat_id, known)}; seats: {', '.join(known)}")

    def assign(self, seat_id: str, controller, team: str = "") -> None:
        """Give a seat to a person or script (``controller``), or back to the AI (None)."""
        agent = self.seat(seat_id)
        agent.controller = controller
        if controller is None:
            self.teams.pop(seat_id, None)
            self.team_controllers.pop(seat_id, None)
        else:
            self.teams[seat_id] = team or seat_id
            self.team_controllers[seat_id] = controller

    def inject(self, event_id: str) -> None:
        """Make a level event happen at the next turn (a facilitator's control)."""
        if event_id not in self.rules.event_ids:
            from .level.fields import did_you_mean

            raise ValueError(f"no event '{event_id}' in this game{did_you_mean(event_id, self.rules.event_ids)}")
        if event_id not in self.pending_injects:
            self.pending_injects.append(event_id)

    def step_back(self) -> bool:
        """Undo the last turn (a facilitator's control); False if there is nothing to undo."""
        if not self.snapshots:
            return False
        state, news, chronicle, decisions = self.snapshots.pop()
        self.state = state
        del self.news[news:], self.chronicle[chronicle:], self.orders_log[decisions:]
        self.report = None
        self.view = None
        self._sync_labs()
        self.running = not self.state.ended.all() and self.state.turn < self.turn_limit
        return True

    def play_out(self):
        """Play every replica to its end, yielding after each turn ``(games, done)``: the
        number of the game each replica holds (0 .. replicas - 1 at the start) and which of
        them have ended. Before the next turn, ended games leave the arrays, so later turns
        cost only the games still on; after the last turn the state keeps every game of the
        last yield. Each turn consumes the last state (a caller keeps copies of what it
        needs), and every game ends as it would if all of them played on in place."""
        self.inplace = True
        games = np.arange(self.replicas)
        while self.running:
            self.step()
            done = self.state.ended
            yield games, done
            if self.running and done.any():
                self.keep_replicas(~done)
                games = games[~done]

    def keep_replicas(self, mask) -> None:
        """Carry on with only the replicas where ``mask`` is true (batches drop finished
        games so later turns cost less); the others' records must be taken first."""
        self.state = self.state.subset(mask)
        self.draws = self.draws.subset(mask)
        self.replica_ids = self.replica_ids[mask]
        self._sync_labs()

    # -- reading the game ----------------------------------------------------
    def lab_name(self, slot: int, replica: int = 0) -> str:
        rules, s = self.rules, self.state
        if slot < rules.n_level_labs:
            return rules.lab_names[slot]
        return founded_lab_name(rules, int(s.country[replica, slot]), int(s.name_index[replica, slot]))

    def outcome(self, replica: int = 0) -> str:
        return OUTCOMES[int(self.state.outcome[replica])]

    @property
    def running_replicas(self) -> np.ndarray:
        return self.state.outcome == RUNNING


def founded_lab_name(rules, country: int, index: int) -> str:
    names = rules.founder_names[country] if country < len(rules.founder_names) else ()
    if index < 0:
        return "New lab"
    if not names:
        return f"{rules.country_names[country]} startup {index + 1}"
    base = names[index % len(names)]
    return base if index < len(names) else f"{base} {index // len(names) + 1}"


@dataclass(frozen=True)
class Kit:
    """What a model plays with: the turn's phases, the view, the AI labs' plans and the random
    source (a class). The compiled engine's are twins of the numpy ones, with the same effects."""

    phases: Phases
    observe: Callable
    plan_labs: Callable
    plan_government: Callable
    plan_grid: Callable
    random: type
    first_problem: Callable  # the state's range check after every turn


NUMPY_KIT = Kit(VECTORISED, observe, plan_labs, plan_government, plan_grid, RaceRandom, limits.first_problem)


def compiled_kit() -> Kit:
    """The compiled engine's kit (numba; the ``fast`` extra)."""
    phases = compiled.phases()  # first: where numba is missing, it says how to install it
    from .agents.gov_ai_compiled import plan_government as compiled_plan_government
    from .agents.gov_ai_compiled import plan_grid as compiled_plan_grid
    from .agents.lab_ai_compiled import plan_labs as compiled_plan_labs
    from .engine.compiled.observe import observe as compiled_observe
    from .engine.compiled.limits import first_problem
    from .engine.compiled.rng import CompiledRandom

    return Kit(phases, compiled_observe, compiled_plan_labs, compiled_plan_government, compiled_plan_grid, CompiledRandom,
               first_problem)


def _mean(values):
    values = np.asarray(values, dtype=float)
    return float(values[0]) if values.size == 1 else float(values.mean())


def _country_share(model, country: str) -> float:
    c = model.rules.country_ids.index(country) if country in model.rules.country_ids else None
    if c is None:
        return float("nan")
    if model.view is None or model.view.turn != model.state.turn:
        model.view = model.kit.observe(model.state, model.rules)
    return _mean(model.view.compute_share[:, c])


def _frontier(model):
    return _mean(np.where(model.state.alive, model.state.capability, -np.inf).max(axis=1))


def _us_share(model):
    return _country_share(model, "us")


def _cn_share(model):
    return _country_share(model, "cn")


def _ended(model):
    return _mean(model.state.ended)


def _date(model):
    return model.rules.turn_date(model.state.turn)


def _outcome(model):
    return model.outcome(0) if model.replicas == 1 else _mean(model.state.ended)


MODEL_REPORTERS = {
    "turn": "turn",
    "date": _date,
    "frontier_capability": _frontier,
    "us_compute_share": _us_share,
    "cn_compute_share": _cn_share,
    "share_ended": _ended,
    "outcome": _outcome,
}
# Every agent answers every agent reporter (None where a figure is not its kind's): Mesa 3.5
# refuses an attribute reporter that some agent type lacks, Mesa 3.3 tolerated it.
AGENT_FIGURES = ("kind", "name", "capability", "cash_usd", "chips_h100e", "safety", "share", "alive",
                 "export_tier", "price_usd_per_mwh")


def _agent_figure(name):
    def report(agent):
        return getattr(agent, name, None)

    report.__name__ = name
    return report


AGENT_REPORTERS = {name: _agent_figure(name) for name in AGENT_FIGURES}
