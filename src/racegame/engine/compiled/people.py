"""Talent (``people.talent``) as a numba kernel, one replica at a time: hiring, attrition,
retention, and founders who leave to start rival labs.

Same rules, same order of operations. Departures take the replica's never-used slots in lab
order while they last (``_found_labs``); a new lab is written into the state arrays in place,
as numpy does, while talent is a new array, as numpy's ``s.talent = ...`` makes it.
"""

from __future__ import annotations

import numpy as np

from ..orders import rules_first_grid
from ..people import COMMERCIAL, SAFETY_FIRST, _risk_column
from .jit import kernel
from .scalar import maximum, ratio


@kernel
def _talent(
    # state read
    t, talent, milestone_req, focus_safety, hire_usd, retention_usd, u,
    # constants
    salary, hire_cost, retention_effect, attrition, founder_chance, can_found, first_slot, share, risky_by_archetype,
    safety_first, commercial, first_grid, seed_usd, rented_mw,
    # state changed in place where a lab is founded
    alive, country, archetype, cash, built, approved, efficiency, capability, distilled, cap_average, reasoning,
    safety, reputation, founded_turn, milestone, milestone_turn, pace, parent, name_index, founders_used,
    # outputs: state, then report
    talent_out, departed, founded,
):
    R, L = alive.shape
    T = milestone_req.shape[1]
    departs = np.empty(L, dtype=np.bool_)  # one replica's scratch, reused
    free = np.empty(L, dtype=np.int64)
    for r in range(R):
        any_departs = False
        for l in range(L):
            payroll = talent[r, l] * salary
            hired = talent[r, l] + ratio(hire_usd[r, l], hire_cost * (0.5 + 0.5 * talent[r, l]), 0.0)
            kept = maximum(0.0, 1.0 - retention_effect * ratio(retention_usd[r, l], payroll, 0.0))
            talent_out[r, l] = hired * (1.0 - attrition * kept)
            # Founders leave more readily from labs that neglect retention or safety.
            neglect = 1.0 + 2.0 * (focus_safety[r, l] < 0.15)
            chance = founder_chance * maximum(0.25, kept) * neglect
            departs[l] = alive[r, l] and u[r, l] < chance and can_found
            any_departs = any_departs or departs[l]
            departed[r, l] = False
            founded[r, l] = False
        if not any_departs:
            continue

        # Each departure takes the next never-used slot, if one is left.
        n_free = 0
        for l in range(first_slot, L):
            if founded_turn[r, l] < 0 and not alive[r, l]:
                free[n_free] = l
                n_free += 1
        k = 0
        for p in range(L):
            if not departs[p]:
                continue
            if k >= n_free:
                break
            slot = free[k]
            k += 1
            g = country[r, p]
            leaving = talent_out[r, p] * share
            talent_out[r, p] -= leaving
            risky = risky_by_archetype[archetype[r, p]]
            alive[r, slot] = True
            country[r, slot] = g
            archetype[r, slot] = safety_first if risky else commercial
            cash[r, slot] = seed_usd
            built[r, slot, first_grid[g]] = rented_mw
            approved[r, slot, first_grid[g]] = rented_mw
            efficiency[r, slot] = efficiency[r, p]
            capability[r, slot] = capability[r, p] - 0.3
            distilled[r, slot] = capability[r, slot]
            cap_average[r, slot] = capability[r, slot]
            reasoning[r, slot] = reasoning[r, p] * 0.8
            safety[r, slot] = safety[r, p] + (0.3 if risky else 0.0)
            talent_out[r, slot] = leaving
            reputation[r, slot] = 1.0
            founded_turn[r, slot] = t
            # The founders know where their old lab stood: milestones below the new lab's
            # first model count as passed, with no second gamble.
            reached = 0
            for m in range(T):
                reached += milestone_req[r, m] <= capability[r, slot]
            passed = min(reached, milestone[r, p])
            milestone[r, slot] = passed
            for m in range(T):
                milestone_turn[r, slot, m] = t if m < passed else -1
            pace[r, slot] = pace[r, p]
            parent[r, slot] = p
            name_index[r, slot] = founders_used[r, g]
            founders_used[r, g] += 1
            departed[r, p] = True
            founded[r, slot] = True


def talent(s, lab, rules, rng, rep) -> None:
    c = rules.at(s.turn)
    R, L = s.alive.shape
    u = rng.uniform(s.turn, "founder", (L,))
    talent_out = np.empty((R, L))
    departed = np.empty((R, L), dtype=bool)
    founded = np.empty((R, L), dtype=bool)
    _talent(
        s.turn, s.talent, s.milestone_req, rep.focus_safety, lab.hire_usd, lab.retention_usd, u,
        float(c["salary"]), float(c["hire_usd"]), float(c["retention_effect"]), float(c["attrition"]),
        float(c["founder_chance"]), rules.founder_slots > 0, rules.n_level_labs, float(rules.founder_talent_share),
        rules.style_numbers[:, _risk_column()] >= 0.5, SAFETY_FIRST, COMMERCIAL, rules_first_grid(rules),
        float(rules.founder_seed_usd), float(rules.founder_rented_mw),
        s.alive, s.country, s.archetype, s.cash, s.built, s.approved, s.efficiency, s.capability, s.distilled,
        s.cap_average, s.reasoning, s.safety, s.reputation, s.founded_turn, s.milestone, s.milestone_turn, s.pace,
        s.parent, s.name_index, s.founders_used,
        talent_out, departed, founded,
    )
    s.talent = talent_out
    rep.departed = departed
    rep.founded = founded
