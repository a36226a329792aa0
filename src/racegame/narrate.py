"""News: what happened in a turn, in words, for one replica (the game a person watches)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine.state import CATASTROPHE, HORIZON, SAFE_AGI
from .engine.step import BINDING
from .level.schema import ACTIONS

WHY = {
    "cash": "spending was cut to what it could pay",
    "chips": "chip makers could not deliver all it ordered",
    "export_controls": "export controls keep the best chips out of reach",
    "power": "its data centres are full or curtailed: it needs power",
    "queue": "new capacity is waiting in the grid's interconnection queue",
    "talent": "it has more chips than its researchers can use well",
}


@dataclass
class News:
    turn: int
    date: str
    kind: str  # release, event, policy, money, people, safety, ending
    text: str
    lab: int = -1
    weight: int = 1  # how important, for summaries


def explain_binding(code: int) -> str:
    name = BINDING[int(code)]
    return "nothing held it back" if name == "none" else f"{name.replace('_', ' ')}: {WHY[name]}"


def turn_news(model, before, orders, report, after, replica: int = 0, fired=None) -> list[News]:
    rules = model.rules
    r = replica
    t = before.turn
    date = rules.turn_date(t)
    out: list[News] = []

    def name(slot):
        return model.lab_name(int(slot), r)

    for e in np.flatnonzero(report.events[r]):
        text = rules.event_news[e] or rules.event_titles[e]
        lab = report.event_lab[r, e]
        if lab >= 0:
            text = f"{text} ({name(lab)})"
        out.append(News(t, date, "event", text, int(lab), 2))
    for c in range(len(rules.country_ids)):
        change = int(report.tier_change[r, c])
        if change:
            verb = "tightens" if change > 0 else "loosens"
            out.append(News(t, date, "policy", f"{rules.country_names[c]} {verb} export controls to tier {int(after.export_tier[r, c])}.", -1, 3))
        if report.mega_start[r, c]:
            lab = report.mega_lab[r, c]
            who = f", led by {name(lab)}" if lab >= 0 else ""
            out.append(News(t, date, "policy", f"{rules.country_names[c]} launches a national compute project{who}.", int(lab), 3))
        if after.retaliation[r, c] and not before.retaliation[r, c]:
            out.append(News(t, date, "policy", f"{rules.country_names[c]} bans critical-mineral exports in retaliation.", -1, 3))
        if after.regulation[r, c] > before.regulation[r, c] + 1e-9:
            out.append(News(t, date, "policy", f"{rules.country_names[c]} tightens AI safety regulation ({after.regulation[r, c]:.0%}).", -1, 1))
        if after.subsidy[r, c] > before.subsidy[r, c] + 1e-6:
            out.append(News(t, date, "policy", f"{rules.country_names[c]} raises AI subsidies to ${after.subsidy[r, c] / 1e9:.1f}B a quarter.", -1, 1))
    L = after.alive.shape[1]
    best_before = np.where(before.alive[r], before.capability[r], -np.inf).max()
    best_after = np.where(after.alive[r], after.capability[r], -np.inf).max()
    for slot in range(L):
        if report.released[r, slot]:
            how = "open weights" if after.model_open[r, slot] else "a closed model"
            # A release that takes the lead is headline news; the rest is routine.
            leads = best_after > best_before and after.capability[r, slot] == best_after
            text = f"{name(slot)} releases {how}: capability {after.capability[r, slot]:.2f}" + (", the best in the world." if leads else ".")
            out.append(News(t, date, "release", text, slot, 3 if leads else 1))
        if report.founded[r, slot]:
            parent = int(after.parent[r, slot])
            out.append(News(t, date, "people", f"Founders leave {name(parent)} and start {name(slot)}.", slot, 3))
        if report.bankrupt[r, slot]:
            out.append(News(t, date, "money", f"{name(slot)} runs out of money and shuts down.", slot, 3))
        if report.incident[r, slot]:
            out.append(News(t, date, "safety", f"Safety incident at {name(slot)}; trust falls and regulators stir.", slot, 2))
        for m in range(int(before.milestone[r, slot]), int(after.milestone[r, slot])):
            if m == rules.n_milestones - 1:
                continue  # AGI is the ending's news
            speed = rules.milestone_labour[m]
            out.append(News(t, date, "milestone", f"{name(slot)}'s model passes a milestone: {rules.milestone_names[m]}. "
                            f"Its automated researchers can now add up to {speed:g} times its own research labour.", slot, 4))
        failed = int(report.failed[r, slot])
        if failed >= 0:
            out.append(News(t, date, "safety", f"{name(slot)}'s model reached {rules.milestone_names[failed]} without the safety "
                            f"for it (odds were {report.passage_odds[r, slot]:.0%}): a serious alignment failure. The model is "
                            "withdrawn and regulators step in.", slot, 4))
        if report.raised[r, slot] == 1:
            out.append(News(t, date, "money", f"{name(slot)} closes a funding round.", slot, 1))
        if report.backed[r, slot]:
            out.append(News(t, date, "money", f"{name(slot)} wins state backing.", slot, 1))
        if report.partnered[r, slot]:
            out.append(News(t, date, "money", f"{name(slot)} signs a cloud-partner deal.", slot, 1))
        if report.token[r, slot] == -1:
            out.append(News(t, date, "money", f"Regulators fine {name(slot)} over its token financing.", slot, 2))
    # Espionage is news only when discovered.
    for a in range(len(rules.country_ids)):
        for slot in np.flatnonzero(report.discovered[r, a]):
            what = "model weights" if report.stolen[r, a] == slot else "algorithmic secrets"
            out.append(News(t, date, "security", f"{rules.country_names[a]}'s intelligence services are caught taking "
                            f"{name(slot)}'s {what}. {rules.country_names[int(after.country[r, slot])]} is furious.", int(slot), 4))
    if fired is not None:
        for q in np.flatnonzero(fired[r]):
            g = rules.reaction_gov[q]
            action = ACTIONS[rules.reaction_then[q]].replace("_", " ")
            out.append(News(t, date, "policy", f"{rules.country_names[g]} decides to {action}.", -1, 1))
    outcome = int(after.outcome[r])
    if outcome != int(before.outcome[r]):
        lab = int(after.agi_lab[r])
        odds = f" (the odds of a safe passage were {report.safe_chance[r]:.0%})" if np.isfinite(report.safe_chance[r]) else ""
        if outcome == SAFE_AGI:
            text = f"{name(lab)} reaches AGI, and it is safe{odds}: {rules.country_names[int(after.country[r, lab])]} wins the race."
        elif outcome == CATASTROPHE:
            text = f"{name(lab)} reaches AGI without the safety to control it{odds}. Catastrophe: everybody loses."
        elif outcome == HORIZON:
            w = int(after.winner[r])
            text = f"The horizon is reached. {name(w)} leads on points." if w >= 0 else "The horizon is reached with no lab standing."
        else:
            text = "The game ends."
        out.append(News(t, date, "ending", text, lab if outcome != HORIZON else int(after.winner[r]), 5))
    return out
