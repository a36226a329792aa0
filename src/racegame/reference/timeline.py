"""The timeline, plainly: milestones passed, the gamble of each passage, a lab's pace.

Each milestone falls at a capability this game drew at the start (``w.milestone_req``).
When a lab's best model reaches its next milestone, the passage is a gamble on the lab's
safety stock against what the milestone needs, more in a fast, close race. Before AGI a
failure withdraws the model; at AGI the most capable lab across the line decides the game.
"""

from __future__ import annotations

import math

from ..engine.state import CATASTROPHE, RUNNING, SAFE_AGI
from .plain import INF, clip, exp, ratio


def world_milestone(w) -> int:
    """How many milestones some lab's model has passed (a passed milestone stays known)."""
    passed = [any(lab.milestone_turn[m] >= 0 for lab in w.labs) for m in range(len(w.milestone_req))]
    return sum(passed)


def safety_needed(w, capability: float) -> float:
    """Safety a lab at this capability should hold to be on track: from zero at
    ``safety.start_capability`` up through each milestone's calm need at its median
    requirement (flat beyond the last)."""
    c = w.c
    rules = w.rules
    points = [(min(c["safety_start"], c["frontier0"] + rules.milestone_gap[0] - 1e-6), 0.0)]
    median = c["frontier0"]
    for gap, need in zip(rules.milestone_gap, rules.milestone_safety):
        median += gap
        points.append((median, float(need)))
    if capability <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if capability <= x1:
            return y0 + (y1 - y0) * (capability - x0) / (x1 - x0)
    return points[-1][1]


def rival_lead(w, lab) -> float:
    """The lab's capability above its best living rival (10 OOM when it has none)."""
    rivals = [other.capability for other in w.labs if other.alive and other is not lab]
    return lab.capability - max(rivals) if rivals else 10.0


def pressure(w, lab) -> float:
    """How much more safety than calm a passage needs now: a fast pace and a small lead
    over the nearest rival both raise it."""
    c = w.c
    pace = max(lab.pace, 0.01) / c["pace_reference"]
    speed = clip(pace ** c["pace_exponent"], c["pressure_min"], c["pressure_max"])
    close = exp(-max(rival_lead(w, lab), 0.0) / c["race_lead"])
    return speed * (1.0 + c["race_pressure"] * close)


def passage_odds(w, safety: float, need: float) -> float:
    margin = clip((safety - need) / w.c["passage_spread"], -50.0, 50.0)
    return 1.0 / (1.0 + exp(-margin))


def passages(w, draws, rep) -> None:
    """Labs whose best model reached their next milestone(s) this turn pass them, in order."""
    rules = w.rules
    T = len(w.milestone_req)
    L = len(w.labs)
    u = draws.uniform(w.turn, "passage", (L, T))
    below = draws.uniform(w.turn, "checkpoint", (2, L))[1]
    # Pressure is read before anyone passes or fails this turn (as the engine does).
    press = [pressure(w, lab) for lab in w.labs]
    rep.passed = [0] * L
    rep.failed = [-1] * L
    rep.passage_odds = [math.nan] * L
    rep.passage_need = [math.nan] * L
    rep.safe_chance = math.nan
    for m in range(T):
        at = [lab for lab in w.labs
              if lab.alive and w.outcome == RUNNING and lab.milestone == m and lab.capability >= w.milestone_req[m]]
        if not at:
            continue
        odds = {}
        for lab in at:
            need = rules.milestone_safety[m] * press[lab.index]
            odds[lab.index] = passage_odds(w, lab.safety, need)
            rep.passage_odds[lab.index] = odds[lab.index]
            rep.passage_need[lab.index] = need
        if m < T - 1:
            for lab in at:
                if u[lab.index][m] < odds[lab.index]:
                    lab.milestone += 1
                    lab.milestone_turn[m] = w.turn
                    rep.passed[lab.index] += 1
                else:
                    rep.failed[lab.index] = m
                    withdraw(w, lab, m, below[lab.index])
        else:
            # The most capable lab across the AGI line decides the game; labs level at the
            # line are separated by what their compute could train beyond it, then by a
            # draw, never by their place in the list.
            best = max(lab.capability for lab in at)
            tie = draws.uniform(w.turn, "agi_tie", (L,))
            level = [lab for lab in at if lab.capability == best]
            strength = {lab.index: potential(lab, rep) for lab in level}
            top = max(strength.values())
            first = max((lab for lab in level if strength[lab.index] == top), key=lambda lab: tie[lab.index])
            safe = u[first.index][m] < odds[first.index]
            w.outcome = SAFE_AGI if safe else CATASTROPHE
            w.agi_lab = first.index
            w.end_turn = w.turn
            rep.safe_chance = odds[first.index]
            if safe:
                w.winner = first.index
                first.milestone += 1
                first.milestone_turn[m] = w.turn
                rep.passed[first.index] += 1


def potential(lab, rep) -> float:
    """The capability this turn's whole compute would train to (as ``engine.timeline``)."""
    return math.log10(max(rep.compute_flops[lab.index], 1.0)) + lab.efficiency + lab.reasoning


def withdraw(w, lab, m: int, below: float) -> None:
    """A serious alignment failure: the model is withdrawn below the milestone (to a
    checkpoint ``withdraw_oom`` below it and ``below`` times ``run_noise`` further), the lab's
    reputation suffers, and its government tightens regulation."""
    c = w.c
    lab.failed_milestone = m
    w.alarm = 1.0  # a warning shot the world notices
    lab.capability = w.milestone_req[m] - c["withdraw_oom"] - c["run_noise"] * below
    lab.reputation = lab.reputation * max(0.0, 1.0 - 2.0 * c["incident_reputation"])
    lab.incidents += 1
    gov = w.govs[lab.country]
    gov.regulation = min(1.0, gov.regulation + c["incident_regulation"])


def update_pace(w, before: list) -> None:
    """Each lab's pace: OOM a year of its best model, a slow average."""
    c = w.c
    for lab in w.labs:
        gained = ratio(max(lab.capability - before[lab.index], 0.0), c["dt"])
        lab.pace = lab.pace + (1.0 - c["pace_keep"]) * (gained - lab.pace)
    w.alarm = w.alarm * c["alarm_keep"]


__all__ = ["INF", "passages", "pressure", "safety_needed", "update_pace", "world_milestone"]
