"""Espionage (``engine.espionage.espionage``) as a numba kernel, one replica at a time.

Same rules, same order: intelligence stocks grow, then each attacker country in turn may
steal a model or leak secrets from rival labs (what it takes changes the state the next
attacker sees), discovery raises the victims' tension, and tension fades. The folds keep
numpy's semantics: ``max_over``'s NaN propagation and ``argmax``'s first index.
"""

from __future__ import annotations

import numpy as np

from ..diplomacy import cap_values
from .jit import kernel
from .scalar import beats, maximum, minimum, ratio


@kernel
def _espionage(
    # state (capability, distilled and efficiency are changed in place, as numpy does), caps
    alive, country, capability, milestone, efficiency, distilled, security, spy_usd, gov_intel, tension, cap,
    # draws (R, C, L, 3) and constants
    u, spy_keep, spy_unit, security_defence, security_discovery, theft_chance, secrets_chance,
    adaptation_oom, secrets_share, theft_tension, tension_keep,
    # outputs: state, then report
    intel_out, tension_out, stolen, thief, fielded, held_back, leaked, discovered,
):
    R, L = alive.shape
    C = gov_intel.shape[1]
    # numpy skips an attacker country with no living lab anywhere in the batch; otherwise it
    # runs for every replica (where it only clips tension at 1 if the country has no lab there).
    present = np.zeros(C, dtype=np.bool_)
    for r in range(R):
        for l in range(L):
            if alive[r, l] and 0 <= country[r, l] < C:
                present[country[r, l]] = True
    theft = np.empty(L, dtype=np.bool_)  # one replica's scratch, reused
    leak = np.empty(L, dtype=np.bool_)
    victims = np.empty(C, dtype=np.bool_)
    for r in range(R):
        for a in range(C):
            intel_out[r, a] = gov_intel[r, a] * spy_keep + spy_usd[r, a] / spy_unit
            tension_out[r, a] = tension[r, a]
        for a in range(C):
            if not present[a]:
                continue
            gi = intel_out[r, a]
            strength = ratio(gi, gi + 1.0, 0.0)  # half strength at one unit
            # The attacker's best model and the lab that receives what is taken (argmax).
            own_best = -np.inf
            recipient = 0
            any_mine = False
            for l in range(L):
                mine = alive[r, l] and country[r, l] == a
                any_mine = any_mine or mine
                x = capability[r, l] if mine else -np.inf
                if l == 0 or beats(x, own_best):
                    own_best = x
                    recipient = l
            eff_own = efficiency[r, recipient]
            # Which rivals lose their model or their secrets; the best of each (argmax).
            got = False
            target = 0
            target_cap = -np.inf
            any_leak = False
            source = 0
            source_eff = -np.inf
            for l in range(L):
                rival = alive[r, l] and country[r, l] != a and any_mine
                defence = security_defence[security[r, l] - 1]
                stakes = 1.0 + milestone[r, l]
                theft[l] = (rival and capability[r, l] > own_best
                            and u[r, a, l, 0] < theft_chance * strength * (1.0 - defence) * stakes)
                leak[l] = (rival and efficiency[r, l] > eff_own
                           and u[r, a, l, 1] < secrets_chance * strength * (1.0 - defence) * stakes)
                x = capability[r, l] if theft[l] else -np.inf
                if l == 0 or beats(x, target_cap):
                    target_cap = x
                    target = l
                got = got or theft[l]
                x = efficiency[r, l] if leak[l] else -np.inf
                if l == 0 or beats(x, source_eff):
                    source_eff = x
                    source = l
                any_leak = any_leak or leak[l]
            # The best model taken (if any) goes to the attacker's strongest lab, which
            # fields it only within its cap.
            stolen_cap = capability[r, target] - adaptation_oom
            held = cap[r, recipient]
            improves = got and stolen_cap > capability[r, recipient]
            if improves and (held <= 0 or stolen_cap <= held):
                capability[r, recipient] = stolen_cap
                fielded[r, a] = True
            elif improves:
                held_back[r, a] = True
            distilled[r, recipient] = maximum(distilled[r, recipient], stolen_cap if got else -np.inf)
            if got:
                stolen[r, a] = target
                thief[r, a] = recipient
            # Leaked secrets close part of the efficiency gap to the best leak.
            gain = secrets_share * maximum(efficiency[r, source] - eff_own, 0.0)
            efficiency[r, recipient] = efficiency[r, recipient] + (gain if any_leak else 0.0)
            if any_leak:
                leaked[r, a] = source
            # Discovery: the victim's government grows hostile.
            victims[:] = False
            for l in range(L):
                seen = (theft[l] or leak[l]) and u[r, a, l, 2] < security_discovery[security[r, l] - 1]
                discovered[r, a, l] = seen
                if seen and 0 <= country[r, l] < C:
                    victims[country[r, l]] = True
            for v in range(C):
                tension_out[r, v] = minimum(1.0, tension_out[r, v] + theft_tension * victims[v])
        for a in range(C):
            tension_out[r, a] = tension_out[r, a] * tension_keep


def espionage(s, rules, rng, rep, cap_capability) -> None:
    c = rules.at(s.turn)
    t = s.turn
    R, L = s.alive.shape
    C = len(rules.country_ids)
    spend = s.spy_usd  # this turn's budgets, as policy set them
    u = rng.uniform(t, "espionage", (C, L, 3))
    gov_intel = np.empty((R, C))
    tension = np.empty((R, C))
    rep.stolen = np.full((R, C), -1, dtype=np.int64)  # which lab's model each country took
    rep.thief = np.full((R, C), -1, dtype=np.int64)  # which of its labs got it
    rep.fielded = np.zeros((R, C), dtype=bool)  # ... and fields it as its model
    rep.held_back = np.zeros((R, C), dtype=bool)  # ... would have, but its cap bars it
    rep.leaked = np.full((R, C), -1, dtype=np.int64)  # whose algorithmic secrets it took
    rep.discovered = np.zeros((R, C, L), dtype=bool)  # attacker country x victim lab
    rep.spy_spend = spend
    _espionage(
        s.alive, s.country, s.capability, s.milestone, s.efficiency, s.distilled, s.security, spend, s.gov_intel,
        s.tension, cap_values(cap_capability), u, c["spy_keep"], c["spy_usd"],
        np.asarray(c["security_defence"], dtype=float), np.asarray(c["security_discovery"], dtype=float), c["theft_chance"], c["secrets_chance"], c["adaptation_oom"],
        c["secrets_share"], c["theft_tension"], c["tension_keep"],
        gov_intel, tension, rep.stolen, rep.thief, rep.fielded, rep.held_back, rep.leaked, rep.discovered,
    )
    s.gov_intel = gov_intel
    s.tension = tension
