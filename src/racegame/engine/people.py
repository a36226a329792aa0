"""Talent: hiring, attrition, retention, and founders who leave to start rival labs."""

from __future__ import annotations

import numpy as np

from ..level.schema import ARCHETYPES
from .orders import rules_first_grid
from .util import occurrence_rank, ratio

SAFETY_FIRST = ARCHETYPES.index("safety_first")
COMMERCIAL = ARCHETYPES.index("commercial_leader")


def talent(s, lab, rules, rng, rep) -> None:
    c = rules.at(s.turn)
    payroll = s.talent * c["salary"]
    s.talent = s.talent + ratio(lab.hire_usd, c["hire_usd"] * (0.5 + 0.5 * s.talent))
    kept = np.maximum(0.0, 1.0 - c["retention_effect"] * ratio(lab.retention_usd, payroll))
    s.talent = s.talent * (1.0 - c["attrition"] * kept)
    # Founders leave more readily from labs that neglect retention or safety.
    neglect = 1.0 + 2.0 * (rep.focus_safety < 0.15)
    chance = c["founder_chance"] * np.maximum(0.25, kept) * neglect
    u = rng.uniform(s.turn, "founder", (s.alive.shape[1],))
    departs = s.alive & (u < chance) & (rules.founder_slots > 0)
    rep.departed = np.zeros_like(departs)
    rep.founded = np.zeros_like(departs)
    if departs.any():
        _found_labs(s, departs, rules, rep)


def _found_labs(s, departs, rules, rep) -> None:
    """Each departure takes the next never-used slot of its replica, if one is left."""
    first_slot = rules.n_level_labs
    free = (s.founded_turn[:, first_slot:] < 0) & ~s.alive[:, first_slot:]
    n_free = free.sum(axis=1)
    free_order = np.argsort(~free, axis=1, kind="stable")  # free slots first, in order
    rank = np.cumsum(departs, axis=1) - 1
    rows, parents = np.nonzero(departs)
    k = rank[rows, parents]
    ok = k < n_free[rows]
    rows, parents, k = rows[ok], parents[ok], k[ok]
    if len(rows) == 0:
        return
    slots = first_slot + free_order[rows, k]
    country = s.country[rows, parents]

    share = rules.founder_talent_share
    leaving = s.talent[rows, parents] * share
    s.talent[rows, parents] -= leaving
    risky = rules.style_numbers[s.archetype[rows, parents], _risk_column()] >= 0.5
    s.alive[rows, slots] = True
    s.country[rows, slots] = country
    s.archetype[rows, slots] = np.where(risky, SAFETY_FIRST, COMMERCIAL)
    s.cash[rows, slots] = rules.founder_seed_usd
    grid = rules_first_grid(rules)[country]
    s.built[rows, slots, grid] = rules.founder_rented_mw
    s.approved[rows, slots, grid] = rules.founder_rented_mw
    s.efficiency[rows, slots] = s.efficiency[rows, parents]
    s.capability[rows, slots] = s.capability[rows, parents] - 0.3
    s.distilled[rows, slots] = s.capability[rows, slots]
    s.cap_average[rows, slots] = s.capability[rows, slots]
    s.reasoning[rows, slots] = s.reasoning[rows, parents] * 0.8
    s.safety[rows, slots] = s.safety[rows, parents] + np.where(risky, 0.3, 0.0)
    s.talent[rows, slots] = leaving
    s.reputation[rows, slots] = 1.0
    s.founded_turn[rows, slots] = s.turn
    # The founders know where their old lab stood: milestones below the new lab's first
    # model count as passed, with no second gamble.
    reached = (s.milestone_req[rows] <= s.capability[rows, slots][:, None]).sum(axis=1)
    passed = np.minimum(reached, s.milestone[rows, parents])
    s.milestone[rows, slots] = passed
    s.milestone_turn[rows, slots] = np.where(np.arange(s.milestone_req.shape[1])[None, :] < passed[:, None], s.turn, -1)
    s.pace[rows, slots] = s.pace[rows, parents]
    s.parent[rows, slots] = parents
    key = rows * len(rules.country_ids) + country
    s.name_index[rows, slots] = s.founders_used[rows, country] + occurrence_rank(key)
    np.add.at(s.founders_used, (rows, country), 1)
    rep.departed[rows, parents] = True
    rep.founded[rows, slots] = True


def _risk_column() -> int:
    from .params import ARCHETYPE_NUMBERS

    return ARCHETYPE_NUMBERS.index("risk")
