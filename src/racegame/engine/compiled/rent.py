"""Compute rented abroad (``chips.rent_abroad``) as a numba kernel, one replica at a time.

Same rules, same order of operations: each country's share of third-country clouds left
open to it (a product over the countries whose controls cover it, in index order), what
each lab reaches with its money, and one fill for the shared pool (the lab sum added
pairwise, as ``sum`` adds it).
"""

from __future__ import annotations

import numpy as np

from .jit import kernel
from .scalar import minimum, pairwise_sum, ratio


@kernel
def _rent_abroad(alive, country, tracking, export_tier, rent_usd, cloud_controls, controls, tracking_cut,
                 rent_price, rent_pool, rented, spend):
    R, L = alive.shape
    C = export_tier.shape[1]
    shut = np.empty(C)  # one replica's scratch, reused
    open_c = np.empty(C)
    reach = np.empty(L)
    for r in range(R):
        # Controls in force close part of the clouds: know-your-customer rules, and tracking
        # that finds part of what those miss.
        for p in range(C):
            shut[p] = 1.0 - (1.0 - cloud_controls[p]) * (1.0 - tracking_cut * tracking[r, p])
        for c in range(C):
            product = 1.0
            for p in range(C):
                product = product * (1.0 - shut[p] if controls[p, c] and export_tier[r, p] >= 1 else 1.0)
            open_c[c] = product
        for l in range(L):
            reach[l] = rent_usd[r, l] / rent_price * open_c[country[r, l]] * alive[r, l]
        # Renters share the pool in proportion to what they want.
        fill = minimum(1.0, ratio(rent_pool, pairwise_sum(reach), 1.0))
        for l in range(L):
            rented[r, l] = reach[l] * fill
            spend[r, l] = rented[r, l] * rent_price


def rent_abroad(s, rent_usd, rules, rep) -> np.ndarray:
    """Compute rented abroad for this turn (R, L) with ``rent_usd``; returns money spent."""
    c = rules.at(s.turn)
    rented = np.empty(s.alive.shape)
    spend = np.empty(s.alive.shape)
    _rent_abroad(s.alive, s.country, s.tracking, s.export_tier, rent_usd, rules.cloud_controls, rules.controls,
                 float(c["tracking_smuggling_cut"]), float(c["rent_price"]), float(c["rent_pool"]), rented, spend)
    rep.rented_h100e = rented
    rep.rent_spend = spend
    return spend
