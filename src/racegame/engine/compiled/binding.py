"""Compiled twin of ``step.binding_constraint``: which constraint held each lab back most
this turn, one replica at a time (see ``compiled/__init__.py``).

The numpy phase scores seven candidates (in ``BINDING``'s order), stacks them and takes
``argmax``; here the scores are a tuple of scalars (a scratch array made the kernel five
times slower) and the argmax a running one with numpy's rules: the first maximum wins a
tie, and the first NaN wins outright (then the lab is bound by nothing, as NaN is not above
the threshold). Booleans multiplying numbers stay multiplications, as in numpy
(``NaN * False`` is NaN).
"""

from __future__ import annotations

import math

import numpy as np

from ..step import BINDING_THRESHOLD, WAITING_MW
from .jit import kernel
from .scalar import maximum, ratio


@kernel
def _binding(
    rationed_usd, chip_offer, site_mw, chip_mw, usd_per_mw, spend_scale, control_loss, talent_factor,
    waiting_mw, short_capacity, curtailed_mw, power_frac, cash, burn, threshold, waiting_floor, out,
):
    R, L = out.shape
    for r in range(R):
        for l in range(L):
            rationed = ratio(rationed_usd[r, l], chip_offer[r, l], 0.0)
            site = site_mw[r, l]
            room = maximum(site - chip_mw[r, l], 0.0)
            idle = ratio(room, site, 0.0)
            price = usd_per_mw[r, l]
            priced = math.isfinite(price)  # no chip on sale: money is not what is missing
            short_of_cash = priced and cash[r, l] < room * price
            cash_loss = maximum(1.0 - spend_scale[r, l], idle * (1.0 if short_of_cash else 0.0))
            # A lab rationed by chip makers had room for the chips it was denied: then chips bind.
            full = chip_mw[r, l] >= 0.95 * site and cash[r, l] > 2.0 * burn[r, l] and rationed <= threshold
            power_loss = maximum(1.0 - power_frac[r, l], 0.15 * (1.0 if full else 0.0))
            # Power problems are queue problems while capacity sits waiting for a grid connection.
            queue = waiting_mw[r, l] > waiting_floor and short_capacity[r, l] >= curtailed_mw[r, l]
            # Candidates 1 to 6 (cash, chips, export controls, power, queue, talent); "none" scores 0.
            losses = (cash_loss, rationed, control_loss[r, l], power_loss * (0.0 if queue else 1.0),
                      power_loss * (1.0 if queue else 0.0), 1.0 - talent_factor[r, l])
            best = 0
            top = 0.0
            i = 1
            for loss in losses:
                if loss != loss:
                    best, top = i, loss
                    break
                if loss > top:
                    best, top = i, loss
                i += 1
            out[r, l] = best if top > threshold else 0


def binding_constraint(rep, lab, power_frac, cash, burn):
    """Which constraint held each lab back most this turn (index into BINDING)."""
    out = np.empty(np.shape(power_frac), dtype=np.int64)
    _binding(
        rep.rationed, rep.chip_offer, rep.site_mw, rep.chip_mw, rep.usd_per_mw, rep.spend_scale, rep.control_loss,
        rep.talent_factor, rep.waiting_mw, rep.short_capacity, rep.curtailed_mw, power_frac, cash, burn,
        BINDING_THRESHOLD, WAITING_MW, out,
    )
    return out
