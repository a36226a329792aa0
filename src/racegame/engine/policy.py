"""Governments' orders take effect; national compute projects start."""

from __future__ import annotations

import numpy as np


def apply_policy(s, govs, rules, rep) -> None:
    old_tier = s.export_tier.copy()
    s.export_tier = np.clip(np.rint(govs.export_tier), 0, 3).astype(np.int64)
    s.enforcement = np.clip(np.nan_to_num(govs.enforcement), 0.0, 1.0)
    s.subsidy = np.maximum(np.nan_to_num(govs.subsidy), 0.0)
    s.permitting = np.clip(np.nan_to_num(govs.permitting, nan=1.0), 0.1, 10.0)
    s.regulation = np.clip(np.nan_to_num(govs.regulation), 0.0, 1.0)
    s.retaliation = np.asarray(govs.retaliation, dtype=bool).copy()
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
    for c in np.flatnonzero(start.any(axis=0)):  # a loop over countries, not replicas
        mine = s.alive & (s.country == c)
        # The project goes to the country's state-backed champion, else its most capable lab.
        score = np.where(mine, s.capability + 100.0 * rules.lab_state_backed[None, :], -np.inf)
        lab = np.argmax(score, axis=1)
        rows = rows_all[start[:, c] & mine.any(axis=1)]
        cols = lab[rows]
        s.cash[rows, cols] += rules.mega_usd[c]
        rep.mega_mw[rows, cols] += rules.mega_mw[c]
        rep.mega_lab[rows, c] = cols
