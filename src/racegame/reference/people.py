"""Talent, plainly: hiring, attrition, retention, and founders who leave to start rival labs."""

from __future__ import annotations

from ..engine.people import COMMERCIAL, SAFETY_FIRST
from .plain import ratio


def talent(w, lab_orders, draws, rep) -> None:
    c = w.c
    u = draws.uniform(w.turn, "founder", (len(w.labs),))
    departs = []
    for lab, order in zip(w.labs, lab_orders):
        payroll = lab.talent * c["salary"]
        lab.talent = lab.talent + ratio(order.hire_usd, c["hire_usd"] * (0.5 + 0.5 * lab.talent))
        kept = max(0.0, 1.0 - c["retention_effect"] * ratio(order.retention_usd, payroll))
        lab.talent = lab.talent * (1.0 - c["attrition"] * kept)
        # Founders leave more readily from labs that neglect retention or safety.
        neglect = 1.0 + 2.0 * (rep.focus_safety[lab.index] < 0.15)
        chance = c["founder_chance"] * max(0.25, kept) * neglect
        if lab.alive and u[lab.index] < chance and w.founder_slots > 0:
            departs.append(lab)
    rep.departed = [False] * len(w.labs)
    rep.founded = [False] * len(w.labs)
    # Departures take the never-used slots in order, parents in lab order, while slots last.
    free = [lab for lab in w.labs[w.n_level_labs:] if lab.founded_turn < 0 and not lab.alive]
    for parent, slot in zip(departs, free):
        found_lab(w, parent, slot)
        rep.departed[parent.index] = True
        rep.founded[slot.index] = True


def found_lab(w, parent, lab) -> None:
    """A founder leaves ``parent`` with part of its talent and opens ``lab`` (an empty slot)."""
    leaving = parent.talent * w.founder_talent_share
    parent.talent -= leaving
    gov = w.govs[parent.country]
    risky = w.risk[parent.archetype] >= 0.5  # a risk-taking parent's founders start out careful
    lab.alive = True
    lab.country = parent.country
    lab.archetype = SAFETY_FIRST if risky else COMMERCIAL
    lab.cash = w.founder_seed_usd
    lab.built[gov.first_grid] = w.founder_rented_mw
    lab.approved[gov.first_grid] = w.founder_rented_mw
    lab.efficiency = parent.efficiency
    lab.capability = parent.capability - 0.3
    lab.distilled = lab.capability
    lab.cap_average = lab.capability
    lab.reasoning = parent.reasoning * 0.8
    lab.safety = parent.safety + (0.3 if risky else 0.0)
    lab.talent = leaving
    lab.reputation = 1.0
    lab.founded_turn = w.turn
    # The founders know where their old lab stood: milestones below the new lab's first
    # model count as passed, with no second gamble.
    reached = sum(1 for req in w.milestone_req if req <= lab.capability)
    lab.milestone = min(reached, parent.milestone)
    lab.milestone_turn = [w.turn if m < lab.milestone else -1 for m in range(len(w.milestone_req))]
    lab.pace = parent.pace
    lab.parent = parent.index
    lab.name_index = gov.founders_used
    gov.founders_used += 1
