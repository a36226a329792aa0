"""News: what happened in a turn, in words, for one replica (the game a person watches).

Chance decided some of it. A news item about a roll (whether an AGI is safe, a funding
round, state backing) carries the odds the roll had and why, so the end screen and the
debrief report can say how likely what happened was.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine.diplomacy import PAUSE, paused_alone
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
    chance: float = -1.0  # a roll's odds of the good outcome (-1: not a roll)
    why: str = ""  # what set those odds
    tone: str = ""  # "good" or "bad" for the lab it is about, when that is not obvious


def _finite(x) -> bool:
    return bool(np.isfinite(x))


def explain_binding(code: int) -> str:
    name = BINDING[int(code)]
    return "nothing held it back" if name == "none" else f"{name.replace('_', ' ')}: {WHY[name]}"


def odds_words(p: float) -> str:
    """A chance in words that never rounds a roll that failed to a certainty, or one that came
    off to nothing: "over 99%" and "under 1%" at the ends."""
    p = float(p)
    if p >= 0.995:
        return "over 99%"
    if p < 0.005:
        return "under 1%"
    return f"{p:.0%}"


def pooled_to(report, state, r: int, c: int) -> int:
    """The lab of country ``c`` that its compute pool fed in ``report``'s turn (-1: none)."""
    got = np.where(state.country[r] == c, report.pooled_h100e[r], 0.0)
    return int(np.argmax(got)) if (got > 0).any() else -1


def pool_news(model, report, before, after, r: int, c: int, t: int, date: str) -> list[News]:
    """A national compute pool that starts, changes or ends this turn."""
    was, now = float(before.pool[r, c]), float(after.pool[r, c])
    if abs(now - was) < 1e-9:
        return []
    country = model.rules.country_names[c]
    if now <= 0:
        return [News(t, date, "policy", f"{country} ends its compute pool: its labs keep their own compute again.", -1, 2)]
    to = pooled_to(report, after, r, c)
    whom = f" behind {model.lab_name(to, r)}" if to >= 0 else ""
    verb = "pools" if was <= 0 else "now pools"
    return [News(t, date, "policy", f"{country} {verb} {now:.0%} of its other labs' compute{whom}.", to, 3 if was <= 0 else 1)]


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
        out += pool_news(model, report, before, after, r, c, t, date)
    out += chip_news(rules, before, r)
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
        if report.breakthrough[r, slot]:
            gain = float(report.efficiency_gain[r, slot])
            times = f"{10 ** gain:,.0f}" if gain >= 2 else f"{10 ** gain:.1f}"
            chance = float(rules.at(t)["breakthrough_chance"])
            why = (f"efficiency research breaks through in about {chance:.0%} of a lab's turns; "
                   f"each brings up to {rules.c['breakthrough_max_years']:g} years of its usual progress at once")
            out.append(News(t, date, "research", f"{name(slot)}'s researchers make a breakthrough: its algorithms get "
                            f"{times} times as efficient.", slot, 2 if gain >= 0.3 else 1, chance, why, "good"))
        for m in range(int(before.milestone[r, slot]), int(after.milestone[r, slot])):
            if m == rules.n_milestones - 1:
                continue  # AGI is the ending's news
            speed = rules.milestone_labour[m]
            adds = "as much again as" if speed == 1 else f"up to {speed:g} times"
            out.append(News(t, date, "milestone", f"{name(slot)}'s model passes a milestone: {rules.milestone_names[m]}. "
                            f"Its automated researchers can now add {adds} its own research labour.", slot, 4))
        failed = int(report.failed[r, slot])
        if failed >= 0:
            out.append(News(t, date, "safety", f"{name(slot)}'s model reached {rules.milestone_names[failed]} without the safety "
                            f"for it (odds were {odds_words(report.passage_odds[r, slot])}): a serious alignment failure. The model is "
                            "withdrawn and regulators step in.", slot, 4))
        if report.raised[r, slot]:
            chance = float(report.round_chance[r, slot])
            why = (f"investors weigh momentum ({before.momentum[r, slot]:+.2f}), the distance to the frontier "
                   f"({after.capability[r, slot] - report.frontier[r]:+.2f}) and reputation ({before.reputation[r, slot]:.2f})")
            if report.raised[r, slot] == 1:
                out.append(News(t, date, "money", f"{name(slot)} closes a funding round.", slot, 1, chance, why, "good"))
            else:
                out.append(News(t, date, "money", f"{name(slot)} tries to raise a round; investors say no.", slot, 1,
                                chance, why, "bad"))
        if _finite(report.backing_chance[r, slot]):
            chance = float(report.backing_chance[r, slot])
            why = "a state champion usually gets it" if rules.lab_state_backed[slot] else "governments back few labs that are not their champions"
            if report.backed[r, slot]:
                out.append(News(t, date, "money", f"{name(slot)} wins state backing.", slot, 1, chance, why, "good"))
            else:
                out.append(News(t, date, "money", f"{name(slot)} asks for state backing and is turned down.", slot, 1,
                                chance, why, "bad"))
        if report.partnered[r, slot]:
            out.append(News(t, date, "money", f"{name(slot)} signs a cloud-partner deal.", slot, 1))
        if report.token[r, slot] == -1:
            out.append(News(t, date, "money", f"Regulators fine {name(slot)} over its token financing.", slot, 2))
    # Espionage is news only when discovered.
    for a in range(len(rules.country_ids)):
        for slot in np.flatnonzero(report.discovered[r, a]):
            if report.stolen[r, a] == slot:
                thief = int(report.thief[r, a])
                if thief < 0:
                    gain = ""
                elif report.fielded[r, a]:
                    gain = f" {name(thief)} now runs a copy."
                elif report.held_back[r, a]:
                    gain = (f" {name(thief)} keeps the weights but holds them back: a pause, or its own wait below a "
                            "milestone, caps its model.")
                else:
                    gain = f" {name(thief)} already has as good a model of its own."
                what = f"the weights of {name(slot)}'s best model.{gain}"
            else:
                what = f"{name(slot)}'s algorithmic secrets."
            out.append(News(t, date, "security", f"{rules.country_names[a]}'s intelligence services are caught stealing "
                            f"{what} {rules.country_names[int(after.country[r, slot])]} is furious.", int(slot), 4))
    out += diplomacy_news(model, before, report, after, r)
    if fired is not None:
        for q in np.flatnonzero(fired[r]):
            g = rules.reaction_gov[q]
            action = ACTIONS[rules.reaction_then[q]].replace("_", " ")
            out.append(News(t, date, "policy", f"{rules.country_names[g]} decides to {action}.", -1, 1))
    outcome = int(after.outcome[r])
    if outcome != int(before.outcome[r]):
        lab = int(after.agi_lab[r])
        chance, why = -1.0, ""
        if outcome in (SAFE_AGI, CATASTROPHE):
            chance = float(report.safe_chance[r])
            need = float(report.passage_need[r, lab])
            why = (f"{name(lab)}'s safety stock was {after.safety[r, lab]:.2f} against the {need:.2f} this passage needed "
                   f"(more in a fast, close race); the odds are even at exactly the need and move most of the way "
                   f"with each {rules.c['passage_spread']:.2f} more or less")
        if outcome == SAFE_AGI:
            text = f"{name(lab)} reaches AGI, and it is safe: {rules.country_names[int(after.country[r, lab])]} wins the race."
        elif outcome == CATASTROPHE:
            text = f"{name(lab)} reaches AGI without the safety to control it. Catastrophe: everybody loses."
        elif outcome == HORIZON:
            w = int(after.winner[r])
            text = f"The horizon is reached. {name(w)} leads on points." if w >= 0 else "The horizon is reached with no lab standing."
        else:
            text = "The game ends."
        out.append(News(t, date, "ending", text, lab if outcome != HORIZON else int(after.winner[r]), 5, chance, why,
                        "good" if outcome == SAFE_AGI else "bad" if outcome == CATASTROPHE else ""))
    return out


def chip_news(rules, before, r: int) -> list[News]:
    """A new chip class on sale this turn; one whose date each game draws says how it came."""
    t = before.turn
    out = []
    for k in np.flatnonzero(before.chip_arrival[r] == t) if t > 0 else ():
        maker = rules.country_names[int(rules.chip_producer[k])]
        text = (f"New chips on sale: {rules.chip_names[k]}, made in {maker}, {rules.chip_perf_train[k]:g} H100s of "
                "training performance each.")
        why = ""
        if rules.chip_arrival_shape[k] > 0:
            median = int(rules.chip_available[k])
            when = "right on" if t == median else "earlier than" if t < median else "later than"
            why = (f"nobody knew when they would come: each game draws the date, and this one came {when} the "
                   f"middle of the range ({rules.turn_date(median)})")
        out.append(News(t, rules.turn_date(t), "chips", text, -1, 3 if why else 1, -1.0, why))
    return out


AGREEMENT_WORDS = ("a pause on frontier training", "common safety standards")


def diplomacy_news(model, before, report, after, r: int) -> list[News]:
    """Agreements proposed, in force, lapsed or ended; cheats caught; labs' public
    commitments made and broken. Undiscovered cheating and thefts are secrets, not news."""
    rules = model.rules
    t = before.turn
    date = rules.turn_date(t)
    out: list[News] = []
    countries = rules.country_names

    def who(members) -> str:
        names = [countries[c] for c in np.flatnonzero(members)]
        return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]

    started = getattr(report, "treaty_started", None)
    ended = getattr(report, "treaty_ended", None)
    caught = int(np.asarray(getattr(report, "caught", np.full(r + 1, -1)))[r])
    for a, what in enumerate(AGREEMENT_WORDS):
        was, now = int(before.treaty[r, a]), int(after.treaty[r, a])
        if was == 0 and now == 1:
            out.append(News(t, date, "policy", f"{who(after.treaty_members[r, a])} proposes {what}; it needs every "
                            "government with a lab to sign.", -1, 3))
        if started is not None and started[r, a]:
            cap = f" Training is capped at capability {after.treaty_cap[r]:.2f}." if a == 0 else ""
            if a == PAUSE and paused_alone(after)[r]:
                out.append(News(t, date, "policy", f"{who(after.treaty_members[r, a])} pauses its own labs alone, "
                                f"without waiting for rivals to sign.{cap}", -1, 4))
            else:
                out.append(News(t, date, "policy", f"{what[0].upper() + what[1:]} comes into force between "
                                f"{who(after.treaty_members[r, a])}.{cap}", -1, 4))
        if was == 1 and now == 0 and not (ended is not None and ended[r, a]):
            out.append(News(t, date, "policy", f"The proposal for {what} lapses without every signature.", -1, 2))
        if ended is not None and ended[r, a] and not (a == 0 and caught >= 0):
            gone = report.treaty_left[r, a]  # set with treaty_ended by both engines
            verb = "leaves" if gone.sum() == 1 else "leave"
            quitter = f"{who(gone)} {verb}" if gone.any() else "A member leaves"
            out.append(News(t, date, "policy", f"{quitter} {what}, which ends.", -1, 4))
    notice = int(np.asarray(getattr(report, "notice_given", np.full(r + 1, -1)))[r])
    if notice >= 0:
        k = int(after.pause_notice[r])
        when = "next turn" if k == 1 else f"in {k} turns"
        out.append(News(t, date, "policy", f"{countries[notice]} gives notice that it leaves the pause, which ends "
                        f"{when}; until then its cap binds every member.", -1, 4))
    if caught >= 0:
        out.append(News(t, date, "security", f"{countries[caught]} is caught letting its labs past the pause's cap. The "
                        "pause collapses; its labs lose trust and the other members are furious.", -1, 5))
    broke = getattr(report, "broke_commitment", None)
    for slot in range(after.alive.shape[1]):
        name = model.lab_name(int(slot), r)
        if after.committed[r, slot] and not before.committed[r, slot] and after.alive[r, slot]:
            out.append(News(t, date, "safety", f"{name} commits publicly to pause rather than pass a milestone without "
                            "good odds of doing it safely.", int(slot), 2))
        if broke is not None and broke[r, slot]:
            out.append(News(t, date, "safety", f"{name} breaks its public commitment to pause: it passed a milestone "
                            f"with odds of {odds_words(report.passage_odds[r, slot])}. Its reputation suffers.", int(slot), 3))
    return out


def rolls(news, labs=None) -> list[News]:
    """The news items that were rolls of chance (about ``labs``, a set of slots, if given; an
    AGI roll always counts: it decides the game for everyone), the AGI roll first."""
    found = [n for n in news if n.chance >= 0 and (labs is None or n.lab in labs or n.kind == "ending")]
    return sorted(found, key=lambda n: (n.kind != "ending", n.turn))


def odds_text(n: News) -> str:
    """A roll's odds and why, as a sentence: "It had an 89% chance: ..."."""
    if n.kind == "ending":
        return f"The chance that this AGI would be safe was {odds_words(n.chance)}: {n.why}."
    return f"The chance was {odds_words(n.chance)}: {n.why}."
