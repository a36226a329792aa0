"""Random and scripted events (``events.fire_events``), their per-replica part compiled.

Events are data: a level lists each one's effect, target, amount and duration, and
``events._apply`` interprets them. Rather than a second interpreter of all of them, the
kernel does only what costs numpy a pass over every replica and lab: deciding which events
fire in which replica, and the events that land on a lab (an algorithmic breakthrough, a
talent loss, cash, a forced incident), whose lab is drawn per replica among a country's
living labs (``util.pick_among``). The world's events (shocks to chips, inputs, grids and
markets, governments' orders, a scripted theft) stay numpy, through ``events._apply``
itself: each is one masked write over replicas. The two groups touch different arrays, so
applying the lab events first gives what numpy's event order gives.
"""

from __future__ import annotations

import numpy as np

from .. import events
from ..events import ALGO_BREAKTHROUGH, CASH, INCIDENT, TALENT
from .jit import kernel
from .scalar import maximum, minimum

LAB_EFFECTS = (ALGO_BREAKTHROUGH, TALENT, CASH, INCIDENT)  # what events._apply hands to _apply_to_lab
LAB_TARGET = 4  # target kind of an event aimed at one lab (otherwise at a country's labs)


@kernel
def _fire_events(
    # turn, draws (R, 2, E), injected events ((R, E), or (0, E) for none)
    t, u, injects,
    # the level's events (E,)
    event_turn, event_first, event_last, event_chance, event_once, to_lab, effect, target_kind, target, amount,
    # constants
    ceiling, algo_breakthrough, talent_effect, cash_effect, incident,
    # state read, and changed in place (event_done, efficiency, talent, cash)
    alive, country, event_done, efficiency, talent, cash,
    # outputs: report (event_lab and forced_incident come filled with -1 and False)
    fired, fired_any, event_lab, forced_incident,
):
    R, E = event_done.shape
    L = alive.shape[1]
    for e in range(E):
        fired_any[e] = False
    for r in range(R):
        # Every event's firing is decided before any is applied.
        for e in range(E):
            scripted = event_turn[e] == t
            window = event_turn[e] < 0 and event_first[e] <= t and t <= event_last[e]
            random_fire = window and u[r, 0, e] < event_chance[e] and not (event_once[e] and event_done[r, e])
            hit = scripted or random_fire or (injects.shape[0] > 0 and injects[r, e])
            fired[r, e] = hit
            event_done[r, e] = event_done[r, e] or hit
            fired_any[e] = fired_any[e] or hit

        for e in range(E):
            if not (fired[r, e] and to_lab[e]):
                continue
            if target_kind[e] == LAB_TARGET:
                lab = target[e] if alive[r, target[e]] else -1
            else:  # a country: one of its living labs, drawn at random (util.pick_among)
                count = 0
                for l in range(L):
                    count += alive[r, l] and country[r, l] == target[e]
                lab = -1
                if count > 0:
                    k = min(np.int64(u[r, 1, e] * count), count - 1)
                    for l in range(L):
                        if alive[r, l] and country[r, l] == target[e]:
                            if k == 0:
                                lab = l
                                break
                            k -= 1
            if lab < 0:
                continue
            event_lab[r, e] = lab
            if effect[e] == algo_breakthrough:  # up to the ceiling of what algorithms can do
                old = efficiency[r, lab]
                efficiency[r, lab] = minimum(old + amount[e], maximum(old, ceiling))
            elif effect[e] == talent_effect:
                grown = 1.0 + amount[e]
                talent[r, lab] *= grown if grown > 0.01 else 0.01  # Python's max(0.01, grown)
            elif effect[e] == cash_effect:
                cash[r, lab] += amount[e]
            elif effect[e] == incident:
                forced_incident[r, lab] = True


def fire_events(s, govs, rules, rng, rep, injects=None) -> None:
    """Decide which events happen this turn and apply them. ``govs`` are this turn's
    government orders, overwritten in place by policy effects; ``injects`` (R, E) are events
    a facilitator makes happen now, whatever their turn or chance."""
    t = s.turn
    u = events.start_report(s, rng, rep)
    if u is None:
        return
    R, E = s.event_done.shape
    if injects is None:
        injects = np.zeros((0, E), dtype=bool)
    else:
        injects = np.ascontiguousarray(np.broadcast_to(np.asarray(injects, dtype=bool), (R, E)))
    fired = np.empty((R, E), dtype=bool)
    fired_any = np.empty(E, dtype=bool)
    to_lab = np.isin(rules.event_effect, LAB_EFFECTS)
    _fire_events(
        t, u, injects,
        rules.event_turn, rules.event_first, rules.event_last, rules.event_chance, rules.event_once, to_lab,
        rules.event_effect, rules.event_target_kind, rules.event_target, rules.event_amount,
        float(rules.at(t)["efficiency_ceiling"]), ALGO_BREAKTHROUGH, TALENT, CASH, INCIDENT,
        s.alive, s.country, s.event_done, s.efficiency, s.talent, s.cash,
        fired, fired_any, rep.event_lab, rep.forced_incident,
    )
    rep.events = fired
    for e in np.flatnonzero(fired_any & ~to_lab):
        events._apply(s, govs, rules, e, fired[:, e], u[:, 1, e], rep)
