"""Governments' orders taking effect (``policy.apply_policy``) as a numba kernel, one
replica at a time: each order cleaned (``nan_to_num``) and clipped to its legal range, then
national projects start and go to a lab drawn in proportion to ``policy.project_weights``.

Same order of operations: a weight is exp(3 min(capability - best, 0)) * lobbying * champion,
left to right; the total is added pairwise, as ``sum`` adds it, and the draw runs a cumulative
sum in lab order (the first lab past the draw, lab 0 if rounding leaves none, as
``argmax`` gives).
"""

from __future__ import annotations

import math

import numpy as np

from ..policy import MAX_SUBSIDY
from .jit import kernel
from .scalar import clip, maximum, minimum, nan_to_num, pairwise_sum


@kernel
def _apply_policy(
    # orders, and state read
    export_tier_order, enforcement, subsidy, permitting, regulation, pool, retaliation, intel_usd, reaction_wait,
    start_mega, alive, country, capability, lobby_usd,
    # constants, rules, draws (R, C)
    max_subsidy, pool_max, has_project, mega_usd, mega_mw, lobby_unit, state_backed, u,
    # state: old tiers and mega_started (in place), cash (in place where a project lands)
    old_tier, mega_started, cash,
    # outputs: state
    tier_out, enforcement_out, subsidy_out, permitting_out, regulation_out, pool_out, retaliation_out, spy_out,
    wait_out,
    # outputs: report
    tier_change, mega_start, mega_lab, lab_mw,
):
    R, L = alive.shape
    C = pool.shape[1]
    Q = reaction_wait.shape[1]
    weight = np.empty(L)  # one replica's scratch, reused
    for r in range(R):
        for c in range(C):
            # nan_to_num, rint, then the legal tiers
            tier = int(clip(np.rint(nan_to_num(export_tier_order[r, c])), 0.0, 3.0))
            tier_out[r, c] = tier
            tier_change[r, c] = tier - old_tier[r, c]
            enforcement_out[r, c] = clip(nan_to_num(enforcement[r, c]), 0.0, 1.0)
            subsidy_out[r, c] = clip(nan_to_num(subsidy[r, c]), 0.0, max_subsidy)
            permitting_out[r, c] = clip(nan_to_num(permitting[r, c], nan=1.0), 0.1, 10.0)
            regulation_out[r, c] = clip(nan_to_num(regulation[r, c]), 0.0, 1.0)
            pool_out[r, c] = clip(nan_to_num(pool[r, c]), 0.0, pool_max[c])
            retaliation_out[r, c] = retaliation[r, c]
            spy_out[r, c] = clip(nan_to_num(intel_usd[r, c], posinf=0.0), 0.0, max_subsidy)
        for q in range(Q):
            wait_out[r, q] = max(reaction_wait[r, q], 0)
        for l in range(L):
            lab_mw[r, l] = 0.0

        for c in range(C):
            start = start_mega[r, c] and not mega_started[r, c] and has_project[c]
            mega_started[r, c] = mega_started[r, c] or start
            mega_start[r, c] = start
            mega_lab[r, c] = -1
            if not start:
                continue
            # A draw among the country's labs, in proportion to their weights: a state-backed
            # champion most likely, otherwise the capable and those who lobbied for it.
            best = -np.inf
            for l in range(L):
                best = maximum(best, capability[r, l] if alive[r, l] and country[r, l] == c else -np.inf)
            for l in range(L):
                if alive[r, l] and country[r, l] == c:
                    lobbying = 1.0 + lobby_usd[r, l] / lobby_unit
                    champion = 1.0 + 9.0 * state_backed[l]
                    weight[l] = math.exp(3.0 * minimum(capability[r, l] - best, 0.0)) * lobbying * champion
                else:
                    weight[l] = 0.0
            total = pairwise_sum(weight)
            if not total > 0:
                continue  # a country with no living lab wastes its project
            target = u[r, c] * total
            chosen = 0
            running = 0.0
            for l in range(L):
                running += weight[l]
                if running > target:
                    chosen = l
                    break
            cash[r, chosen] += mega_usd[c]
            lab_mw[r, chosen] += mega_mw[c]
            mega_lab[r, c] = chosen


def apply_policy(s, govs, rules, rng, rep) -> None:
    R, L = s.alive.shape
    C = s.export_tier.shape[1]
    u = rng.uniform(s.turn, "mega", (len(rules.country_ids),))
    tier, tier_change, mega_lab = (np.empty((R, C), dtype=np.int64) for _ in range(3))
    enforcement, subsidy, permitting, regulation, pool, spy = (np.empty((R, C)) for _ in range(6))
    retaliation, mega_start = np.empty((R, C), dtype=bool), np.empty((R, C), dtype=bool)
    wait = np.empty(np.shape(govs.reaction_wait), dtype=np.int64)
    lab_mw = np.empty((R, L))
    _apply_policy(
        np.asarray(govs.export_tier, dtype=float), np.asarray(govs.enforcement, dtype=float),
        np.asarray(govs.subsidy, dtype=float), np.asarray(govs.permitting, dtype=float),
        np.asarray(govs.regulation, dtype=float), np.asarray(govs.pool, dtype=float),
        np.asarray(govs.retaliation, dtype=bool), np.asarray(govs.intel_usd, dtype=float),
        np.asarray(govs.reaction_wait, dtype=np.int64), np.asarray(govs.start_mega, dtype=bool),
        s.alive, s.country, s.capability, s.lobby_usd,
        MAX_SUBSIDY, rules.gov_pool_max, (rules.mega_mw > 0) | (rules.mega_usd > 0), rules.mega_usd,
        rules.mega_mw, float(rules.at(s.turn)["lobby_usd"]), rules.lab_state_backed, u,
        s.export_tier, s.mega_started, s.cash,
        tier, enforcement, subsidy, permitting, regulation, pool, retaliation, spy, wait,
        tier_change, mega_start, mega_lab, lab_mw,
    )
    s.export_tier = tier
    s.enforcement = enforcement
    s.subsidy = subsidy
    s.permitting = permitting
    s.regulation = regulation
    s.pool = pool
    s.retaliation = retaliation
    s.spy_usd = spy
    s.reaction_wait = wait
    rep.tier_change = tier_change
    rep.mega_start = mega_start
    rep.mega_lab = mega_lab
    rep.mega_mw = lab_mw
