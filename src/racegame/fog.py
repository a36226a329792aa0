"""Fog of war: what one seat sees of its rivals, with noise that intelligence reduces.

Each team sees its own figures exactly and every rival's with a relative error drawn from
the run's random source (keyed by turn and observer, so every group playing the same level
and seed sees the same fog). Intelligence spending (``PlayerPlan.intel_usd``) builds a
stock that shrinks the error.
"""

from __future__ import annotations

import numpy as np

BASE_NOISE = 0.3  # standard error with no intelligence: relative, or in OOM for capability
FIGURES = ("capability", "chips_h100e", "cash_usd", "safety", "share")


def noise_level(model, observer: int) -> float:
    """The error this observer sees rivals with: halved by each unit of intelligence."""
    return BASE_NOISE / (1.0 + float(model.state.intel[0, observer]))


def fogged(model, observer: int) -> dict:
    """Per lab slot, the figures ``observer`` (a lab slot) sees: {figure: array (L,)}."""
    s, rules = model.state, model.rules
    true = {
        "capability": s.capability[0],
        "chips_h100e": s.chips[0] @ rules.chip_perf_train,
        "cash_usd": s.cash[0],
        "safety": s.safety[0],
        "share": s.share[0],
    }
    L = s.alive.shape[1]
    draws = model.draws.uniform(s.turn, "intel", (L, len(FIGURES), L))[0, observer]  # (figures, labs)
    error = np.sqrt(3.0) * noise_level(model, observer) * (2.0 * draws - 1.0)  # uniform, that standard error
    out = {}
    for f, name in enumerate(FIGURES):
        values = true[name]
        seen = values + error[f] if name == "capability" else values * np.maximum(0.0, 1.0 + error[f])
        seen[observer] = values[observer]
        out[name] = seen
    return out
