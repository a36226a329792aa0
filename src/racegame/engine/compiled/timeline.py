"""Milestone passages (``engine.timeline.passages``) as numba kernels, one replica at a time.

Same rules, same order: each lab's pressure (pace and lead over its nearest rival) is read
before anyone passes, then milestones are taken in order, so a lab may pass several in one
turn; a failed passage withdraws the model (``_withdraw``). AGI is a second kernel, run only
when some lab reached the last milestone, because its tie-break draw (``agi_tie``) is made
only then. The folds keep numpy's semantics: ``np.maximum``'s NaN propagation and
``argmax``'s first index.
"""

from __future__ import annotations

import math

import numpy as np

from ..state import CATASTROPHE, RUNNING, SAFE_AGI
from ..timeline import checkpoint_draws
from .jit import inline, kernel
from .scalar import beats, clip, maximum, minimum, power


@inline
def best_two(alive, capability, r):
    """timeline.rival_lead's pass over replica ``r``'s labs: the best and the second best
    living capability (a tie counts twice; NaN propagates)."""
    best = -np.inf
    second = -np.inf
    for l in range(alive.shape[1]):
        live = capability[r, l] if alive[r, l] else -np.inf
        second = maximum(second, minimum(best, live))
        best = maximum(best, live)
    return best, second


@inline
def rival_lead(alive, capability, r, l, best, second):
    """timeline.rival_lead for lab ``l`` of replica ``r`` (``best`` and ``second`` from
    ``best_two``): its capability above its best living rival, 10 with no rival."""
    live = capability[r, l] if alive[r, l] else -np.inf
    rival = second if live >= best else best
    return capability[r, l] - rival if math.isfinite(rival) else 10.0


@kernel
def _odds(safety, need, passage_spread):
    """timeline.passage_odds for one lab."""
    margin = clip((safety - need) / passage_spread, -50.0, 50.0)
    return 1.0 / (1.0 + math.exp(-margin))


@kernel
def _pressure(alive, capability, pace, r, pace_reference, pace_exponent, pressure_min, pressure_max, race_lead,
              race_pressure, press):
    """timeline.pressure for replica ``r``'s labs, into ``press[r]``."""
    best, second = best_two(alive, capability, r)
    for l in range(alive.shape[1]):
        lead = rival_lead(alive, capability, r, l, best, second)
        speed = clip(power(maximum(pace[r, l], 0.01) / pace_reference, pace_exponent), pressure_min, pressure_max)
        close = math.exp(-maximum(lead, 0.0) / race_lead)
        press[r, l] = speed * (1.0 + race_pressure * close)


@kernel
def _passages(
    # state (changed in place)
    t, alive, country, outcome, capability, safety, pace, milestone, milestone_turn, milestone_req,
    failed_milestone, alarm, reputation, incidents, regulation,
    # draws (R, L, T), rules and constants
    u, below, milestone_safety, pace_reference, pace_exponent, pressure_min, pressure_max, race_lead, race_pressure,
    passage_spread, withdraw_oom, run_noise, reputation_kept, incident_regulation,
    # outputs: pressure (R, L), then the report
    press, passed, failed, passage_odds, passage_need,
):
    """Milestones before AGI, and the odds at AGI. Returns (whether any passage failed,
    whether any lab stands at AGI) over the batch. ``press`` is worked out only for replicas
    where some lab stands at a milestone (numpy works it out for all; nothing else reads it)."""
    R, L = alive.shape
    T = milestone_req.shape[1]
    C = regulation.shape[1]
    any_failed = False
    any_agi = False
    per_country = np.empty(C, dtype=np.int64)  # one replica's scratch, reused
    for r in range(R):
        pressed = False
        for m in range(T):
            per_country[:] = 0
            any_here = False
            for l in range(L):
                # (inline: a helper taking the arrays costs reference counting on every call)
                at = (alive[r, l] and outcome[r] == RUNNING and milestone[r, l] == m
                      and capability[r, l] >= milestone_req[r, m])
                if not at:
                    continue
                if not pressed:  # before anyone in this replica passes or fails
                    _pressure(alive, capability, pace, r, pace_reference, pace_exponent, pressure_min, pressure_max,
                              race_lead, race_pressure, press)
                    pressed = True
                need = milestone_safety[m] * press[r, l]
                odds = _odds(safety[r, l], need, passage_spread)
                passage_odds[r, l] = odds
                passage_need[r, l] = need
                if m == T - 1:
                    any_agi = True  # resolved by _agi
                elif u[r, l, m] < odds:
                    milestone[r, l] += 1
                    milestone_turn[r, l, m] = t
                    passed[r, l] += 1
                else:
                    # timeline._withdraw: a serious alignment failure.
                    failed[r, l] = m
                    failed_milestone[r, l] = m
                    capability[r, l] = milestone_req[r, m] - withdraw_oom - run_noise * below[r, l]
                    reputation[r, l] = reputation[r, l] * reputation_kept
                    incidents[r, l] += 1
                    if 0 <= country[r, l] < C:
                        per_country[country[r, l]] += 1
                    any_here = True
            if any_here:
                any_failed = True
                alarm[r] = 1.0  # a warning shot the world notices
                # Each government once per milestone, for all its labs that failed it.
                for k in range(C):
                    regulation[r, k] = minimum(1.0, regulation[r, k] + incident_regulation * per_country[k])
    return any_failed, any_agi


@kernel
def _agi(
    t, alive, outcome, capability, safety, efficiency, reasoning, milestone, milestone_turn, milestone_req,
    agi_lab, winner, end_turn, u, tie, compute_flops, need_agi, passage_spread, press, passed, safe_chance,
):
    """timeline._agi: the most capable lab across the AGI line decides the game; labs level
    there are separated by ``potential``, then by the ``tie`` draw (R, L)."""
    R, L = alive.shape
    T = milestone_req.shape[1]
    m = T - 1
    # one replica's scratch, reused
    level = np.empty(L, dtype=np.bool_)
    strength = np.empty(L)
    for r in range(R):
        any_at = False
        best = -np.inf
        for l in range(L):
            # (the same test as in _passages: nothing has changed since)
            level[l] = (alive[r, l] and outcome[r] == RUNNING and milestone[r, l] == m
                        and capability[r, l] >= milestone_req[r, m])
            if level[l]:
                any_at = True
                best = maximum(best, capability[r, l])
        if not any_at:
            continue
        top = -np.inf
        for l in range(L):
            level[l] = level[l] and capability[r, l] == best
            # timeline.potential: what this turn's whole compute would train to.
            strength[l] = (math.log10(maximum(compute_flops[r, l], 1.0)) + efficiency[r, l] + reasoning[r, l]
                           if level[l] else -np.inf)
            top = maximum(top, strength[l])
        first = 0
        first_tie = -1.0
        for l in range(L):
            x = tie[r, l] if level[l] and strength[l] == top else -1.0
            if l == 0 or beats(x, first_tie):  # argmax
                first = l
                first_tie = x
        odds = _odds(safety[r, first], need_agi * press[r, first], passage_spread)
        safe = u[r, first, m] < odds
        outcome[r] = SAFE_AGI if safe else CATASTROPHE
        agi_lab[r] = first
        end_turn[r] = t
        safe_chance[r] = odds
        if safe:
            winner[r] = first
            milestone[r, first] += 1
            milestone_turn[r, first, m] = t
            passed[r, first] += 1


def passages(s, rules, rng, rep) -> None:
    """Labs whose best model reached their next milestone(s) this turn pass them, each
    passage a gamble on safety. Before AGI a failure withdraws the model; at AGI the most
    capable lab across the line decides the game. State arrays numpy replaces in
    ``_withdraw`` and ``_agi`` are changed in place here (same values)."""
    c = rules.at(s.turn)
    t = s.turn
    T = rules.n_milestones
    R, L = s.alive.shape
    u = rng.uniform(t, "passage", (L, T))
    below = np.ascontiguousarray(checkpoint_draws(rng, t, L)[:, 1])
    rep.passed = np.zeros((R, L), dtype=np.int64)
    rep.failed = np.full((R, L), -1, dtype=np.int64)
    rep.passage_odds = np.full((R, L), np.nan)
    rep.passage_need = np.full((R, L), np.nan)
    rep.safe_chance = np.full(R, np.nan)
    press = np.empty((R, L))
    milestone_safety = np.asarray(rules.milestone_safety, dtype=float)
    any_failed, any_agi = _passages(
        t, s.alive, s.country, s.outcome, s.capability, s.safety, s.pace, s.milestone, s.milestone_turn,
        s.milestone_req, s.failed_milestone, s.alarm, s.reputation, s.incidents, s.regulation,
        u, below, milestone_safety, c["pace_reference"], c["pace_exponent"], c["pressure_min"], c["pressure_max"],
        c["race_lead"], c["race_pressure"], c["passage_spread"], c["withdraw_oom"], c["run_noise"],
        max(0.0, 1.0 - 2.0 * c["incident_reputation"]), c["incident_regulation"],
        press, rep.passed, rep.failed, rep.passage_odds, rep.passage_need,
    )
    if any_failed:
        # numpy's _withdraw clips every replica's regulation at 1 when any replica failed.
        np.minimum(1.0, s.regulation, out=s.regulation)
    if any_agi:
        tie = rng.uniform(t, "agi_tie", (L,))
        _agi(
            t, s.alive, s.outcome, s.capability, s.safety, s.efficiency, s.reasoning, s.milestone, s.milestone_turn,
            s.milestone_req, s.agi_lab, s.winner, s.end_turn, u, tie, rep.compute_flops,
            float(milestone_safety[T - 1]), c["passage_spread"], press, rep.passed, rep.safe_chance,
        )
