"""The timeline: milestones on the way to AGI, what they take, and what they change.

Nobody knows what AGI takes. Each game draws the capability (log10 effective training FLOP)
at which each milestone falls: the first as an uncertain distance above the starting
frontier, each later one as an uncertain gap above the one before. Gaps follow log-logistic
distributions (heavy right tails): the level sets each median and spread, and a classroom
level may fix every game at one quantile. The last milestone is AGI and ends the game.

A lab's best model passing a milestone changes three things:

- research: automated researchers multiply the lab's research labour (bounded by the
  compute they run on), so leads can snowball (the compute-centric takeoff mechanism);
- risk: each passage is a gamble on the lab's safety stock against what the milestone
  needs, and the need rises with the pace of the race (how fast the lab got here) and its
  closeness (how small the lead over the nearest rival is). A failed passage before AGI is
  a serious alignment failure (the model is withdrawn); at AGI it is a catastrophe;
- the world: markets grow, governments pay attention.

Seats see a belief, not the draw: what the level's distributions say once the milestones
already passed are known (``Belief``).
"""

from __future__ import annotations

import functools

import numpy as np

from .state import CATASTROPHE, RUNNING, SAFE_AGI
from .util import any_over, masked_max, max_over, ratio

U_EDGE = 1e-9  # quantiles are kept inside (0, 1) so every gap is finite
GAP_RANGE = 20.0  # a drawn gap stays within 1/20 and 20 times its median
MAX_REQUIREMENT = 59.0  # no milestone beyond this capability (the state's range ends at 60)
BELIEF_STEP = 0.125  # OOM between the points of the belief tables
BELIEF_POINTS = 97  # 0 .. 12 OOM past the last known milestone
BELIEF_SAMPLES = 1024
QUANTILES = (0.1, 0.5, 0.9)


# -- distributions -------------------------------------------------------------------
def gap_quantile(u, median, shape):
    """The gap (OOM) at quantile ``u`` of a log-logistic distribution."""
    u = np.clip(u, U_EDGE, 1.0 - U_EDGE)
    return median * np.clip((u / (1.0 - u)) ** shape, 1.0 / GAP_RANGE, GAP_RANGE)


def gap_cdf(x, median, shape):
    """P(gap <= x) for a log-logistic distribution (x in OOM, >= 0)."""
    x = np.asarray(x, dtype=float)
    z = np.clip((np.log(np.maximum(x, 1e-300)) - np.log(median)) / shape, -700.0, 700.0)
    return np.where(x > 0, 1.0 / (1.0 + np.exp(-z)), 0.0)


def requirements(u, rules) -> np.ndarray:
    """(R, T) capability at which each milestone falls, from (R, T) uniform draws (or the
    level's fixed quantile)."""
    if rules.milestone_quantile >= 0:
        u = np.full_like(u, rules.milestone_quantile)
    gaps = gap_quantile(u, rules.milestone_gap[None, :], rules.milestone_shape[None, :])
    return np.minimum(rules.c["frontier0"] + np.cumsum(gaps, axis=1), MAX_REQUIREMENT)


def redraw_unknown(state, rules, u) -> None:
    """Replace the requirements nobody has reached yet with fresh draws consistent with what
    is known (used by futures: they must not know the game's own draw). ``u`` is (R, T)."""
    known = world_milestone(state)  # (R,)
    frontier = masked_max(state.capability, state.alive, rules.c["frontier0"])
    last = last_known_requirement(state, rules, known)
    req = state.milestone_req
    for m in range(rules.n_milestones):
        unknown = known <= m
        median, shape = rules.milestone_gap[m], rules.milestone_shape[m]
        # The next milestone lies beyond the frontier; later ones follow their priors.
        floor = np.where(known == m, np.maximum(frontier - last, 0.0), 0.0)
        low = gap_cdf(floor, median, shape)
        gap = np.maximum(gap_quantile(low + (1.0 - low) * u[:, m], median, shape), floor + 1e-6 * (known == m))
        last = np.where(unknown, np.minimum(last + gap, MAX_REQUIREMENT), req[:, m])
        req[:, m] = np.where(unknown, last, req[:, m])


# -- what is known -------------------------------------------------------------------
def world_milestone(state) -> np.ndarray:
    """(R,) how many milestones some lab's model has passed (a passed milestone stays known)."""
    return any_over(state.milestone_turn >= 0, 1).sum(axis=1)


def last_known_requirement(state, rules, known) -> np.ndarray:
    """(R,) the requirement of the last milestone passed (the starting frontier if none)."""
    rows = np.arange(len(known))
    passed = state.milestone_req[rows, np.maximum(known - 1, 0)]
    return np.where(known > 0, passed, rules.c["frontier0"])


class Belief:
    """What the level's distributions say about the milestones ahead, once ``k`` milestones
    are known to be passed and the frontier stands ``x`` OOM above the last of them.

    Tables of quantiles (10%, 50%, 90%) of the OOM from the frontier to the next milestone
    and to AGI, worked out once per level from a fixed low-discrepancy set of points (no
    random draw: a belief is the same for everyone who knows the same things).
    """

    def __init__(self, frontier0: float, gap, shape):
        self.frontier0 = float(frontier0)
        self.next_left, self.agi_left = _belief_tables(tuple(float(g) for g in gap), tuple(float(s) for s in shape))

    def lookup(self, table, known, excess):
        """Interpolate ``table`` (T, X, Q) at (R,) known counts and excesses -> (R, Q)."""
        k = np.clip(known, 0, table.shape[0] - 1)
        pos = np.clip(np.asarray(excess, dtype=float) / BELIEF_STEP, 0.0, table.shape[1] - 1.000001)
        i = pos.astype(np.int64)
        w = (pos - i)[:, None]
        return table[k, i] * (1.0 - w) + table[k, i + 1] * w

    def view(self, state, rules):
        """(R, Q) quantiles of OOM from the frontier to the next milestone and to AGI."""
        known = world_milestone(state)
        frontier = masked_max(state.capability, state.alive, rules.c["frontier0"])
        excess = frontier - last_known_requirement(state, rules, known)
        return self.lookup(self.next_left, known, excess), self.lookup(self.agi_left, known, excess)


def _halton(n: int, base: int) -> np.ndarray:
    """The first ``n`` points (from 1) of the van der Corput sequence in ``base``."""
    out = np.zeros(n)
    index = np.arange(1, n + 1)
    f = 1.0
    while index.any():
        f /= base
        out += f * (index % base)
        index //= base
    return out


@functools.lru_cache(maxsize=32)
def _belief_tables(gap: tuple, shape: tuple):
    primes = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29)
    T = len(gap)
    gap, shape = np.array(gap), np.array(shape)
    points = np.stack([_halton(BELIEF_SAMPLES, primes[m]) for m in range(T)], axis=1)  # (S, T)
    later = gap_quantile(points, gap[None, :], shape[None, :])  # (S, T) unconditioned gaps
    x = np.arange(BELIEF_POINTS) * BELIEF_STEP
    next_left = np.zeros((T, BELIEF_POINTS, len(QUANTILES)))
    agi_left = np.zeros_like(next_left)
    for k in range(T):
        low = gap_cdf(x, gap[k], shape[k])[:, None]  # (X, 1): the next gap exceeds x
        g = gap_quantile(low + (1.0 - low) * points[None, :, k], gap[k], shape[k])  # (X, S)
        to_next = np.maximum(g - x[:, None], 0.0)
        to_agi = to_next + later[None, :, k + 1:].sum(axis=2)
        next_left[k] = np.quantile(to_next, QUANTILES, axis=1).T
        agi_left[k] = np.quantile(to_agi, QUANTILES, axis=1).T
    for table in (next_left, agi_left):
        table.setflags(write=False)
    return next_left, agi_left


# -- the risk of passing a milestone -------------------------------------------------------
def safety_needed(capability, rules):
    """Safety stock a lab at this capability should hold to be on track: rising from
    ``safety.start_capability`` through each milestone's need at its median requirement
    (what anyone can plan for; the real gamble comes at each passage)."""
    c = rules.c
    medians = c["frontier0"] + np.cumsum(rules.milestone_gap)
    xs = np.concatenate([[min(c["safety_start"], medians[0] - 1e-6)], medians])
    ys = np.concatenate([[0.0], rules.milestone_safety])
    return np.interp(capability, xs, ys)


def rival_lead(s) -> np.ndarray:
    """(R, L) each lab's capability above its best living rival (any country)."""
    live = np.where(s.alive, s.capability, -np.inf)
    # The best and second best per row (a tie counts twice), by a pass over the short lab
    # axis: sorting every row costs several times more.
    best = np.full(live.shape[0], -np.inf)
    second = best.copy()
    for column in live.T:
        np.maximum(second, np.minimum(best, column), out=second)
        np.maximum(best, column, out=best)
    best, second = best[:, None], second[:, None]
    rival = np.where(live >= best, second, best)
    return np.where(np.isfinite(rival), s.capability - rival, 10.0)


def pressure(s, rules, c) -> np.ndarray:
    """(R, L) how much more safety than calm a passage needs now: a fast pace (OOM a year of
    the lab's own progress) and a small lead over the nearest rival both raise it."""
    pace = np.maximum(s.pace, 0.01) / c["pace_reference"]
    speed = np.clip(pace ** c["pace_exponent"], c["pressure_min"], c["pressure_max"])
    close = np.exp(-np.maximum(rival_lead(s), 0.0) / c["race_lead"])
    return speed * (1.0 + c["race_pressure"] * close)


def passage_odds(safety, need, c):
    """Chance a passage is safe: even when safety equals the need, rising with the margin."""
    margin = np.clip((safety - need) / c["passage_spread"], -50.0, 50.0)
    return 1.0 / (1.0 + np.exp(-margin))


def next_need(s, rules, c, press=None) -> np.ndarray:
    """(R, L) safety the next milestone would need if passed now (``press``: ``pressure``
    already worked out for this state)."""
    m = np.minimum(s.milestone, rules.n_milestones - 1)
    return rules.milestone_safety[m] * (pressure(s, rules, c) if press is None else press)


def passages(s, rules, rng, rep) -> None:
    """Labs whose best model reached their next milestone(s) this turn pass them, each
    passage a gamble on safety. Before AGI a failure withdraws the model; at AGI the most
    capable lab across the line decides the game."""
    c = rules.at(s.turn)
    t = s.turn
    T = rules.n_milestones
    R, L = s.alive.shape
    u = rng.uniform(t, "passage", (L, T))
    below = checkpoint_draws(rng, t, L)[:, 1]
    press = pressure(s, rules, c)
    running = (s.outcome == RUNNING)[:, None]
    rep.passed = np.zeros((R, L), dtype=np.int64)
    rep.failed = np.full((R, L), -1, dtype=np.int64)
    rep.passage_odds = np.full((R, L), np.nan)
    rep.passage_need = np.full((R, L), np.nan)
    rep.safe_chance = np.full(R, np.nan)
    for m in range(T):
        at = s.alive & running & (s.milestone == m) & (s.capability >= s.milestone_req[:, m:m + 1])
        if not at.any():
            continue
        need = rules.milestone_safety[m] * press
        odds = passage_odds(s.safety, need, c)
        rep.passage_odds = np.where(at, odds, rep.passage_odds)
        rep.passage_need = np.where(at, need, rep.passage_need)
        if m < T - 1:
            ok = at & (u[:, :, m] < odds)
            failed = at & ~ok
            s.milestone += ok
            s.milestone_turn[:, :, m] = np.where(ok, t, s.milestone_turn[:, :, m])
            rep.passed += ok
            rep.failed = np.where(failed, m, rep.failed)
            _withdraw(s, rules, c, failed, m, below)
        else:
            _agi(s, rules, at, odds, u[:, :, m], rng.uniform(t, "agi_tie", (L,)), rep)


def checkpoint_draws(rng, turn: int, labs: int) -> np.ndarray:
    """(R, 2, L) where each lab's last checkpoint below a line falls, as a share of
    ``run_noise`` below it: row 0 for a run the lab's own cap stops (``train_models``), row 1
    for a model withdrawn below a milestone (``passages``). Were such runs stopped exactly on
    the line, every lab a milestone holds would stand on one capability."""
    return rng.uniform(turn, "checkpoint", (2, labs))


def potential(s, rep) -> np.ndarray:
    """(R, L) the capability this turn's whole compute would train to (log10 FLOP plus
    efficiency and reasoning): what separates labs held level by a cap."""
    return np.log10(np.maximum(rep.compute_flops, 1.0)) + s.efficiency + s.reasoning


def _withdraw(s, rules, c, failed, m, below) -> None:
    """A serious alignment failure: the model is withdrawn below the milestone (the lab falls
    back to a checkpoint ``withdraw_oom`` below it, and up to ``run_noise`` further: ``below``
    (R, L) the share), the lab's reputation suffers and its government tightens regulation."""
    if not failed.any():
        return
    s.failed_milestone = np.where(failed, m, s.failed_milestone)
    s.alarm = np.where(any_over(failed), 1.0, s.alarm)  # a warning shot the world notices
    fallback = s.milestone_req[:, m:m + 1] - c["withdraw_oom"] - c["run_noise"] * below
    s.capability = np.where(failed, fallback, s.capability)
    s.reputation = np.where(failed, s.reputation * max(0.0, 1.0 - 2.0 * c["incident_reputation"]), s.reputation)
    s.incidents += failed
    C = len(rules.country_ids)
    per_country = (failed[:, :, None] & (s.country[:, :, None] == np.arange(C))).sum(axis=1)
    s.regulation = np.minimum(1.0, s.regulation + c["incident_regulation"] * per_country)


def _agi(s, rules, at, odds, u, tie, rep) -> None:
    """The most capable lab across the AGI line decides the game: safe, or a catastrophe.
    Labs level at the line (a pause that held them at one cap, say) are separated by what
    their compute could train beyond it (``potential``): a lab coasting on an old fleet does
    not win a tie against the labs that built. Only labs level on that too are separated by a
    draw (``tie``, (R, L)), not by their place in the list."""
    agi = any_over(at)
    best = max_over(np.where(at, s.capability, -np.inf))[:, None]
    level = at & (s.capability == best)
    strength = np.where(level, potential(s, rep), -np.inf)
    strongest = level & (strength == max_over(strength)[:, None])
    first = np.argmax(np.where(strongest, tie, -1.0), axis=1)
    rows = np.arange(len(first))
    safe = u[rows, first] < odds[rows, first]
    T = rules.n_milestones
    s.outcome = np.where(agi, np.where(safe, SAFE_AGI, CATASTROPHE), s.outcome)
    s.agi_lab = np.where(agi, first, s.agi_lab)
    s.winner = np.where(agi & safe, first, s.winner)
    s.end_turn = np.where(agi, s.turn, s.end_turn)
    passed = agi & safe
    s.milestone[rows, first] += passed
    s.milestone_turn[rows, first, T - 1] = np.where(passed, s.turn, s.milestone_turn[rows, first, T - 1])
    rep.passed[rows, first] += passed
    rep.safe_chance = np.where(agi, odds[rows, first], np.nan)


def update_pace(s, before, c) -> None:
    """Each lab's pace: OOM a year of its own best model, a slow average (half-life six
    months) so one release does not swing it. A withdrawn model is not a slowdown: only
    gains count, so a lab slows its pace by not training, not by failing."""
    gained = ratio(np.maximum(s.capability - before, 0.0), c["dt"])
    s.pace = s.pace + (1.0 - c["pace_keep"]) * (gained - s.pace)
    s.alarm = s.alarm * c["alarm_keep"]


def labour_multiplier(s, rules) -> np.ndarray:
    """(R, L) the research labour automation adds at each lab's milestone (0 before the first)."""
    table = np.concatenate([[0.0], rules.milestone_labour])
    return table[s.milestone]


def market_boost(s, rules) -> np.ndarray:
    """(R,) growth of AI spending from the milestones the world's best models have passed."""
    table = np.concatenate([[1.0], np.cumprod(rules.milestone_market)])
    return table[world_milestone(s)]
