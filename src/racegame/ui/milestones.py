"""The milestone ladder as one lab sees it during play: what is next, where it probably
lies, what passing it brings (faster research) and what it takes (safety).

The game's own draw of each requirement is secret (``State.milestone_req``). A lab knows a
requirement only once some lab has passed that milestone, or its own model failed it;
otherwise it sees the level's belief (``View.next_left``: quantiles of the distance from
today's best model to the next milestone), placed on the frontier as this lab sees it (its
intelligence's estimate in a fog-of-war game). Nothing here reads an unknown requirement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..engine.research import run_reach
from . import fmt


@dataclass
class Outlook:
    total: int  # milestones on the ladder (the last is AGI)
    index: int  # the lab's next milestone (== total when none is left)
    name: str
    known: str  # why the requirement is known ("" if only believed)
    req: tuple  # (10%, 50%, 90%) capability the next milestone takes; all equal when known
    capability: float
    safety: float
    need: float  # safety a passage would need now
    calm: float  # what it would need in a calm race
    pressure: float
    odds: float  # chance a passage now would be safe
    speedup: float  # research speed-up automation gives the lab now
    speedup_next: float  # ... once it passes the next milestone (at last turn's research compute)
    labour_next: float  # labour automated researchers add after the next milestone
    passed: list = field(default_factory=list)  # (name, date) of the milestones it passed
    failed: str = ""  # the last milestone its model failed to pass
    landing: float = math.nan  # the run in training's model if it ended next turn (nan: a run just started)

    @property
    def to_go(self) -> tuple:
        """(10%, 50%, 90%) OOM from the lab's model to the next milestone (0 when there)."""
        return tuple(max(r - self.capability, 0.0) for r in self.req)


def seen_frontier(session) -> float:
    """The best living model as this seat sees it: exact, or its estimate under fog."""
    model = session.model
    s = model.state
    seen = session.seen() if callable(getattr(session, "seen", None)) else None
    if seen is None:
        return float(session.view.frontier[0])
    caps = np.where(s.alive[0], np.asarray(seen["capability"], dtype=float), -np.inf)
    return float(caps.max()) if np.isfinite(caps).any() else float(session.view.frontier[0])


def outlook(session, slot: int | None = None) -> Outlook:
    model = session.model
    rules, s, view = model.rules, model.state, session.view
    slot = session.slot if slot is None else slot
    c = rules.at(s.turn)
    T = rules.n_milestones
    m = int(s.milestone[0, slot])
    nxt = min(m, T - 1)
    cap = float(s.capability[0, slot])
    if m < int(view.world_milestone[0]):
        known = "another lab passed it"
    elif int(s.failed_milestone[0, slot]) >= m:
        known = "your model reached it and failed"
    else:
        known = ""
    if m >= T:
        req = (cap, cap, cap)
    elif known:
        req = (float(s.milestone_req[0, m]),) * 3  # public knowledge now, not the secret draw
    else:
        front = seen_frontier(session)
        req = tuple(front + float(x) for x in view.next_left[0])
    rep = model.report
    # Last turn's research compute (before the first turn: what the plan would put into research).
    research = (float(rep.research_h100e[0, slot]) if rep is not None else
                float(view.h100e[0, slot]) * max(float(getattr(session.plan, "research", 0.0)), 0.0))
    running = research / (research + c["automation_h100e"]) if research > 0 else 0.0
    labour_next = float(rules.milestone_labour[nxt]) if m < T else 0.0
    now = float(rep.speedup[0, slot]) if rep is not None else 1.0
    passed = [(rules.milestone_names[k], fmt.quarter(rules.turn_date(int(s.milestone_turn[0, slot, k]))))
              for k in range(min(m, T))]
    failed = int(s.failed_milestone[0, slot])
    landing = cap + float(run_reach(s)[0, slot]) if int(s.run_age[0, slot]) >= 1 else math.nan
    return Outlook(
        total=T, index=m, name=rules.milestone_names[nxt] if m < T else "", known=known, req=req, capability=cap,
        safety=float(s.safety[0, slot]), need=float(view.next_need[0, slot]), calm=float(rules.milestone_safety[nxt]),
        pressure=float(view.pressure[0, slot]), odds=float(view.next_odds[0, slot]), speedup=now,
        speedup_next=math.sqrt(1.0 + labour_next * running), labour_next=labour_next, passed=passed,
        failed=rules.milestone_names[failed] if failed >= 0 else "", landing=landing)


def outlook_html(o: Outlook, muted: str, bad: str, good: str) -> str:
    """A few lines for the desk's milestone box."""
    if o.index >= o.total:
        return f"<font color='{muted}'>Every milestone is passed.</font>"
    lo, mid, hi = o.req
    head = f"<b>Next: {fmt.esc(o.name)}</b> ({o.index + 1} of {o.total})"
    if o.known:
        where = f"Needs capability <b>{mid:.2f}</b> (known: {o.known}); yours {o.capability:.2f}"
    else:
        where = f"Needs capability ~<b>{mid:.1f}</b> (10-90%: {lo:.1f}-{hi:.1f}); yours {o.capability:.2f}"
    speed = (f"Research speed-up ×{o.speedup:.2f} now, ×{o.speedup_next:.2f} once passed "
             f"(automated researchers: +{o.labour_next:g}× labour)")
    colour = good if o.safety >= o.need else bad
    safety = (f"Safe passage needs safety <b>{o.need:.2f}</b> now; you have "
              f"<font color='{colour}'><b>{o.safety:.2f}</b></font>: odds <b>{o.odds:.0%}</b>")
    lines = [head, where]
    if math.isfinite(o.landing):
        if o.landing > o.capability:
            # Past the line it may be (the 10% belief, or the known requirement) with poor odds: a warning.
            risky = o.landing >= lo and o.odds < 0.5
            value = f"<font color='{bad}'><b>~{o.landing:.2f}</b></font>" if risky else f"~{o.landing:.2f}"
            lines.append(f"Run in training: {value} if it ended next turn")
        else:
            lines.append("Run in training: not yet past your model")
    lines += [speed, safety]
    if o.passed:
        lines.append("Passed: " + ", ".join(f"{fmt.esc(n)} ({d})" for n, d in o.passed))
    return f"<font color='{muted}'>" + "<br>".join(lines) + "</font>"


def outlook_tip(o: Outlook, rules) -> str:
    """What the milestone box means, with the level's numbers."""
    c = rules.c
    ladder = ", ".join(f"{fmt.esc(n)} (+{g:g} OOM, labour +{lab:g}×, calm safety {need:g})" for n, g, lab, need in
                       zip(rules.milestone_names, rules.milestone_gap, rules.milestone_labour, rules.milestone_safety))
    text = ("<b>Milestones</b>: a ladder to AGI, the last rung. What each takes is drawn anew for every game and "
            "nobody knows it: you see the level's belief (10%, median, 90%) of where the next one lies, measured "
            "from today's best model. A requirement becomes known once any lab passes it, or your own model "
            "reaches it and fails.<br><br>"
            f"The ladder (median gap above the rung before): {ladder}.<br><br>"
            "Passing a milestone gives your lab automated researchers: they add to your researchers' labour (the "
            "speed-up is the square root of 1 + that, at full research compute). Each passage is a gamble on your "
            f"safety stock: the odds are even when safety equals the need and move most of the way with each "
            f"{c['passage_spread']:.2f} more or less. A fast pace and a close rival multiply the calm need "
            f"(×{c['pressure_min']:g} to ×{c['pressure_max']:g}; now ×{o.pressure:.2f}).<br><br>"
            "The run in training: the model it would give if it ended next turn (its compute so far and one more "
            "turn's, at today's algorithms; a run's luck moves it a little). A run several turns long can land "
            "well past your model, and past a milestone: prepare your safety for where it lands. Red: it may reach "
            "the next milestone (past the 10% belief, or the known requirement) with odds under one half.")
    if o.failed:
        text += f"<br><br>Your model failed at {fmt.esc(o.failed)}: it was withdrawn just below it."
    return text
