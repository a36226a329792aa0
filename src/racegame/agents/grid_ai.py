"""Grid operators: build generation towards their reserve target, and connect new loads only
as far as the generation they have and are building can serve them with a reserve."""

from __future__ import annotations

import numpy as np


def plan_grid(view, s, rules, n: int, orders) -> None:
    c = rules.at(s.turn)
    demand_later = s.demand[:, n] * (1.0 + rules.grid_demand_growth_per_year[n]) ** (rules.gen_months[0] / 12.0)
    labs_load = np.minimum(s.built[:, :, n], s.approved[:, :, n]).sum(axis=1) + s.queued[:, :, n].sum(axis=1) * 0.5
    target = (demand_later + labs_load) * (1.0 + rules.grid_reserve_target[n])
    shortfall = np.maximum(0.0, target - s.capacity[:, n] - view.pipeline_mw[:, n])
    orders.grids.invest[:, n, :] = rules.grid_invest_appetite[n] * shortfall[:, None] * rules.grid_mix[n][None, :] / np.maximum(rules.gen_credit[None, :], 0.1)
    # New connections fit in the headroom: firm capacity, with what is being built, less a
    # half reserve, less everything already connected or promised.
    firm = s.capacity[:, n] * (1.0 - s.outage[:, n]) + view.pipeline_mw[:, n]
    committed = s.demand[:, n] + s.approved[:, :, n].sum(axis=1)
    headroom = firm / (1.0 + 0.5 * rules.grid_reserve_target[n]) - committed
    orders.grids.approvals[:, n] = np.clip(headroom, 0.0, c["approvals"][n])
