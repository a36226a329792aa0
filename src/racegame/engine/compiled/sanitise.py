"""Compiled twin of ``step.sanitise``: clean each lab's orders and scale its spending to what
it can pay, one replica at a time (see ``compiled/__init__.py``).

Orders come from controllers and may hold anything: NaN, infinities, negatives, indices out
of range. The kernel writes new arrays, so the caller's orders are untouched. Conversions of
dtype stay in numpy in the wrapper (free for arrays already of the right type), and so do
the six flags (one ``&`` each). The chip spend is added up in ``np.einsum``'s order
(``einsum_sum``), so ``wanted`` and the scale match the numpy phase to the bit.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ..orders import LAB_ORDER_FLAGS, rules_first_grid
from .jit import inline, kernel
from .scalar import einsum_sum, maximum, minimum, ratio

# The (R, L) amounts, cleaned and scaled like chip_usd (R, L, K).
AMOUNTS = ("build_mw", "onsite_mw", "ppa_mw", "hire_usd", "retention_usd", "lobby_usd", "intel_usd", "rent_usd")


@inline
def _clean(x, alive):
    """util.clean_amount (NaN, infinities and negatives become 0) times ``alive`` (the dead
    spend nothing; a multiplication, as in numpy)."""
    return (x if x > 0.0 and x != math.inf else 0.0) * (1.0 if alive else 0.0)


@kernel
def _sanitise(
    # state
    alive, country, cash,
    # orders
    chip_usd, build_mw, onsite_mw, ppa_mw, hire_usd, retention_usd, lobby_usd, intel_usd, rent_usd,
    build_grid, lobby_goal,
    # rules
    grid_country, first_grid, dc_capex, onsite_capex, ppa_capex, max_spend_share,
    # outputs: cleaned orders
    chip_out, build_out, onsite_out, ppa_out, hire_out, retention_out, lobby_out, intel_out, rent_out,
    grid_out, goal_out,
    # outputs: returned
    scale_out, wanted_out,
):
    R, L, K = chip_out.shape
    n_grids = grid_country.shape[0]
    chip_rows = chip_out.reshape(R * L, K)  # the same memory, one row per (replica, lab)
    for r in range(R):
        for l in range(L):
            live = alive[r, l]
            for k in range(K):
                chip_out[r, l, k] = _clean(chip_usd[r, l, k], live)
            build = _clean(build_mw[r, l], live)
            onsite = _clean(onsite_mw[r, l], live)
            ppa = _clean(ppa_mw[r, l], live)
            ppa = minimum(ppa, build)  # a PPA backs new capacity, no more
            hire = _clean(hire_usd[r, l], live)
            retention = _clean(retention_usd[r, l], live)
            lobby = _clean(lobby_usd[r, l], live)
            intel = _clean(intel_usd[r, l], live)
            rent = _clean(rent_usd[r, l], live)

            # Sites go on a home grid; the dead's orders are canonical (see the numpy phase).
            grid = min(max(build_grid[r, l], 0), n_grids - 1)
            home = grid_country[grid] == country[r, l]
            grid_out[r, l] = grid if home and live else first_grid[country[r, l]]
            goal_out[r, l] = min(max(lobby_goal[r, l], 0), 5) if live else 0

            capital = build * dc_capex + onsite * onsite_capex + ppa * ppa_capex
            wanted = einsum_sum(chip_rows, r * L + l) + capital + hire + retention + lobby + intel + rent
            budget = max_spend_share * maximum(cash[r, l], 0.0)
            scale = minimum(1.0, ratio(budget, wanted, 1.0))
            scale_out[r, l] = scale
            wanted_out[r, l] = wanted
            build_out[r, l] = build * scale
            onsite_out[r, l] = onsite * scale
            ppa_out[r, l] = ppa * scale
            hire_out[r, l] = hire * scale
            retention_out[r, l] = retention * scale
            lobby_out[r, l] = lobby * scale
            intel_out[r, l] = intel * scale
            rent_out[r, l] = rent * scale
            for k in range(K):
                chip_out[r, l, k] = chip_out[r, l, k] * scale


def sanitise(lab, s, rules):
    """Clip what no controller may ask for, and scale spending to what the lab can pay."""
    c = rules.at(s.turn)
    alive = s.alive
    shape = alive.shape

    def order(name, dtype, extra=()):
        """An order as a read-only array of the labs' shape (broadcast like numpy's ``where``
        does), so the kernel neither writes into the caller's orders nor reads past them."""
        return np.broadcast_to(np.asarray(getattr(lab, name), dtype=dtype), shape + extra)

    chip_usd = order("chip_usd", float, (len(rules.chip_ids),))
    out = {name: np.empty(shape) for name in AMOUNTS}
    out["chip_usd"] = np.empty(chip_usd.shape)
    out["build_grid"] = np.empty(shape, dtype=np.int64)
    out["lobby_goal"] = np.empty(shape, dtype=np.int64)
    scale, wanted = np.empty(shape), np.empty(shape)
    _sanitise(
        alive, s.country, s.cash,
        chip_usd, *(order(name, float) for name in AMOUNTS),
        order("build_grid", np.int64), order("lobby_goal", np.int64),
        rules.grid_country, rules_first_grid(rules), float(c["dc_capex"]), float(c["onsite_capex"]),
        float(c["ppa_capex"]), float(c["max_spend_share"]),
        out["chip_usd"], *(out[name] for name in AMOUNTS), out["build_grid"], out["lobby_goal"],
        scale, wanted,
    )
    for name in LAB_ORDER_FLAGS:
        out[name] = np.asarray(getattr(lab, name), dtype=bool) & alive
    return replace(lab, **out), scale, wanted
