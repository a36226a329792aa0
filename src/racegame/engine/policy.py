"""Governments' orders take effect; national compute projects start."""

from __future__ import annotations

import numpy as np

from .util import max_over


MAX_SUBSIDY = 1e13  # USD per turn: beyond any real budget, and far from overflow


def project_weights(s, rules, c: int) -> np.ndarray:
    """(R, L) weights for who leads country c's national project: a state-backed champion
    most likely, otherwise the capable and those who lobbied for it."""
    mine = s.alive & (s.country == c)
    best = max_over(np.where(mine, s.capability, -np.inf))[:, None]
    lobbying = 1.0 + s.lobby_usd / rules.at(s.turn)["lobby_usd"]
    champion = 1.0 + 9.0 * rules.lab_state_backed[None, :]
    return np.where(mine, np.exp(3.0 * np.minimum(s.capability - best, 0.0)) * lobbying * champion, 0.0)


def apply_policy(s, govs, rules, rng, rep) -> None:
    old_tier = s.export_tier.copy()
    s.export_tier = np.clip(np.rint(np.nan_to_num(np.asarray(govs.export_tier, dtype=float))), 0, 3).astype(np.int64)
    s.enforcement = np.clip(np.nan_to_num(govs.enforcement), 0.0, 1.0)
    s.subsidy = np.clip(np.nan_to_num(govs.subsidy), 0.0, MAX_SUBSIDY)
    s.permitting = np.clip(np.nan_to_num(govs.permitting, nan=1.0), 0.1, 10.0)
    s.regulation = np.clip(np.nan_to_num(govs.regulation), 0.0, 1.0)
    s.pool = np.clip(np.nan_to_num(np.asarray(govs.pool, dtype=float)), 0.0, rules.gov_pool_max[None, :])
    s.retaliation = np.asarray(govs.retaliation, dtype=bool).copy()
    s.spy_usd = np.clip(np.nan_to_num(np.asarray(govs.intel_usd, dtype=float), posinf=0.0), 0.0, MAX_SUBSIDY)
    s.reaction_wait = np.maximum(np.asarray(govs.reaction_wait, dtype=np.int64), 0)
    has_project = (rules.mega_mw > 0) | (rules.mega_usd > 0)
    start = np.asarray(govs.start_mega, dtype=bool) & ~s.mega_started & has_project[None, :]
    s.mega_started |= start
    rep.tier_change = s.export_tier - old_tier
    rep.mega_start = start
    rep.mega_lab = np.full(start.shape, -1, dtype=np.int64)
    rep.mega_mw = np.zeros(s.alive.shape)
    R = s.alive.shape[0]
    rows_all = np.arange(R)
    u = rng.uniform(s.turn, "mega", (len(rules.country_ids),))
    for c in np.flatnonzero(start.any(axis=0)):  # a loop over countries, not replicas
        weight = project_weights(s, rules, c)
        total = weight.sum(axis=1)
        # A draw among the country's labs, in proportion to their weights.
        lab = np.argmax(np.cumsum(weight, axis=1) > (u[:, c] * total)[:, None], axis=1)
        rows = rows_all[start[:, c] & (total > 0)]
        cols = lab[rows]
        s.cash[rows, cols] += rules.mega_usd[c]
        rep.mega_mw[rows, cols] += rules.mega_mw[c]
        rep.mega_lab[rows, c] = cols
