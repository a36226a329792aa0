"""What the Safety tab's levers do now: weights security, a capability cap, published
safety research and a public commitment to pause. Each line comes from the plan, the state
and the level's constants; none reads the secret milestone draw (see ``milestones.py``)."""

from __future__ import annotations

import numpy as np

from ..engine.diplomacy import IN_FORCE, PAUSE
from . import fmt
from .milestones import outlook


def pause_cap_for(model, slot: int) -> float:
    """The cap a pause agreement in force puts on this lab's country (0: none)."""
    s = model.state
    country = int(s.country[0, slot])
    bound = s.treaty[0, PAUSE] == IN_FORCE and bool(s.treaty_members[0, PAUSE, country])
    return float(s.treaty_cap[0]) if bound else 0.0


def safety_effects(session, safety_gain: float) -> dict:
    """name -> (text, warn) for the Safety tab's levers. ``safety_gain``: the lab's safety
    research a turn with this plan (what publishing would share)."""
    model = session.model
    rules, s, plan, slot = model.rules, model.state, session.plan, session.slot
    c = rules.at(s.turn)
    out = {}
    now = int(s.security[0, slot])
    want = int(min(5, max(1, round(plan.security))))
    nxt = now + int(np.sign(want - now))
    step = f"level {now}" if nxt == now else f"level {now}, {nxt} next turn"
    ahead = float(s.capability[0, slot]) >= float(session.view.frontier[0]) - 0.3
    out["security"] = (f"{step.capitalize()}: {fmt.money(c['security_cost'][nxt - 1])} a turn, stops "
                       f"{c['security_defence'][nxt - 1]:.0%}, research −{c['security_slowdown'][nxt - 1]:.0%}",
                       ahead and nxt <= 2)
    o = outlook(session, slot)
    cap = float(plan.cap_capability)
    treaty = pause_cap_for(model, slot)
    if cap <= 0:
        text = "No cap: your runs train as far as they can"
        if treaty > 0:
            text = f"No cap of your own; the pause caps you at {treaty:.2f}"
        out["cap_capability"] = (text, False)
    else:
        gap = cap - o.capability
        text = (f"Runs stop at {cap:.2f}, {gap:+.2f} OOM from your model" if gap > 0 else
                f"Paused: your model ({o.capability:.2f}) is at the cap")
        if o.index < o.total and not o.known:
            text += f"; {o.name} ~{o.req[1]:.1f}"
        out["cap_capability"] = (text, False)
    share = min(1.0, max(0.0, float(plan.publish_safety)))
    if share <= 0:
        out["publish_safety"] = ("Nothing published: your safety work helps only you", False)
    else:
        out["publish_safety"] = (f"{share:.0%}: each rival +{c['publish_uptake'] * safety_gain * share:.3f} safety a turn; "
                                 f"you +{c['publish_trust'] * share:.3f} reputation", False)
    if o.index >= o.total:
        out["commit_pause"] = ("Every milestone is passed.", False)
    else:
        promise = f"promise: ≥{c['commit_odds']:.0%}" if plan.commit_pause else "no promise made"
        out["commit_pause"] = (f"Safe odds at {o.name} now {o.odds:.0%} ({promise})",
                               bool(plan.commit_pause) and o.odds < c["commit_odds"])
    return out
