"""Security and espionage: labs guard their model weights; governments' intelligence
services try to take them.

Each lab runs at a security level (1 to 5, in the spirit of RAND's SL1-SL5 for model
weights): higher levels cost money each turn and slow the lab's work, and stop more
attacks. It takes a turn to move one level. Each government builds an intelligence stock by
spending on it. Every turn each government's service may steal the weights of a rival lab
ahead of its own best, or leak its algorithmic secrets: chances rise with the attacker's
intelligence and with the stakes (what the target has that the attacker lacks, and the
milestones the target has passed), and fall with the target's security. A stolen model
reaches the attacker's strongest lab after adaptation; a lab with a cap (a pause that binds
it, or its own wait below a milestone) fields none past its cap, as with distilled models:
it keeps the stolen weights, which lift it once the cap goes. Some thefts are discovered: that is
news, and the victim's government grows hostile (``tension``), which its reactions and
agreements feel.
"""

from __future__ import annotations

import numpy as np

from .diplomacy import cap_values
from .util import any_over, max_over, ratio


def security_levels(s, lab, c) -> None:
    """Move each lab one level towards the security level it ordered."""
    want = np.clip(np.rint(np.nan_to_num(np.asarray(lab.security, dtype=float), nan=1.0)), 1, 5).astype(np.int64)
    s.security = np.where(s.alive, s.security + np.sign(want - s.security), s.security)


def security_cost(s, c):
    """(R, L) what each lab's security level costs this turn."""
    return c["security_cost"][s.security - 1] * s.alive


def espionage(s, rules, rng, rep, cap_capability) -> None:
    c = rules.at(s.turn)
    cap = cap_values(cap_capability)
    t = s.turn
    R, L = s.alive.shape
    C = len(rules.country_ids)
    spend = s.spy_usd  # this turn's budgets, as policy set them
    s.gov_intel = s.gov_intel * c["spy_keep"] + spend / c["spy_usd"]
    strength = ratio(s.gov_intel, s.gov_intel + 1.0)  # (R, C): half strength at one unit
    defence = c["security_defence"][s.security - 1]  # (R, L)
    found = c["security_discovery"][s.security - 1]
    u = rng.uniform(t, "espionage", (C, L, 3))
    rows = np.arange(R)
    rep.stolen = np.full((R, C), -1, dtype=np.int64)  # which lab's model each country took
    rep.thief = np.full((R, C), -1, dtype=np.int64)  # which of its labs got it
    rep.fielded = np.zeros((R, C), dtype=bool)  # ... and fields it as its model
    rep.held_back = np.zeros((R, C), dtype=bool)  # ... would have, but its cap bars it
    rep.leaked = np.full((R, C), -1, dtype=np.int64)  # whose algorithmic secrets it took
    rep.discovered = np.zeros((R, C, L), dtype=bool)  # attacker country x victim lab
    rep.spy_spend = spend
    for a in range(C):
        mine = s.alive & (s.country == a)
        if not mine.any():
            continue
        own_best = max_over(np.where(mine, s.capability, -np.inf), 1)  # (R,)
        recipient = np.argmax(np.where(mine, s.capability, -np.inf), axis=1)
        rivals = s.alive & (s.country != a) & any_over(mine, 1)[:, None]
        stakes = 1.0 + s.milestone
        ahead = rivals & (s.capability > own_best[:, None])
        theft = ahead & (u[:, a, :, 0] < c["theft_chance"] * strength[:, a:a + 1] * (1.0 - defence) * stakes)
        eff_own = s.efficiency[rows, recipient]
        leak = rivals & (s.efficiency > eff_own[:, None]) & (u[:, a, :, 1] < c["secrets_chance"] * strength[:, a:a + 1] * (1.0 - defence) * stakes)
        # The best model taken this turn (if any) goes to the attacker's strongest lab.
        got = any_over(theft, 1)
        target = np.argmax(np.where(theft, s.capability, -np.inf), axis=1)
        stolen_cap = s.capability[rows, target] - c["adaptation_oom"]
        held = cap[rows, recipient]
        improves = got & (stolen_cap > s.capability[rows, recipient])
        better = improves & ((held <= 0) | (stolen_cap <= held))
        rep.fielded[:, a] = better
        rep.held_back[:, a] = improves & ~better
        s.capability[rows, recipient] = np.where(better, stolen_cap, s.capability[rows, recipient])
        s.distilled[rows, recipient] = np.maximum(s.distilled[rows, recipient], np.where(got, stolen_cap, -np.inf))
        rep.stolen[:, a] = np.where(got, target, -1)
        rep.thief[:, a] = np.where(got, recipient, -1)
        # Leaked secrets close part of the efficiency gap to the best leak.
        source = np.argmax(np.where(leak, s.efficiency, -np.inf), axis=1)
        leaked = any_over(leak, 1)
        gain = c["secrets_share"] * np.maximum(s.efficiency[rows, source] - eff_own, 0.0)
        s.efficiency[rows, recipient] = s.efficiency[rows, recipient] + np.where(leaked, gain, 0.0)
        rep.leaked[:, a] = np.where(leaked, source, -1)
        # Discovery: the victim's government grows hostile.
        seen = (theft | leak) & (u[:, a, :, 2] < found)
        rep.discovered[:, a, :] = seen
        victims = any_over(seen[:, :, None] & (s.country[:, :, None] == np.arange(C)), 1)  # (R, C)
        s.tension = np.minimum(1.0, s.tension + c["theft_tension"] * victims)
    s.tension = s.tension * c["tension_keep"]
