"""One replica's orders as plain per-seat records.

Orders arrive as the engine's arrays. Integer and flag fields are read with the same
casts the engine applies (``np.asarray(x, dtype=np.int64)`` truncates a float grid index
the way the engine does), so odd orders mean the same thing to both engines. Nothing is
clipped or cleaned here: that is the turn's job (``turn.sanitise``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LAB_FLOATS = (
    "build_mw", "onsite_mw", "ppa_mw", "train", "serve", "research", "focus_efficiency", "focus_reasoning",
    "focus_safety", "price_level", "hire_usd", "retention_usd", "lobby_usd", "intel_usd", "cap_capability", "security",
    "publish_safety", "rent_usd",
)
LAB_INTS = ("build_grid", "run_turns", "lobby_goal")
LAB_FLAGS = ("open_weights", "raise_round", "seek_state", "partner_deal", "token_financing", "commit_pause")
GOV_FLOATS = ("export_tier", "enforcement", "subsidy", "permitting", "regulation", "pool", "intel_usd", "inspections",
              "propose")
GOV_FLAGS = ("start_mega", "retaliation", "tracking", "cheat")
GOV_PER_AGREEMENT = ("sign", "leave")  # (C, A) flags


class LabOrder:
    """One lab's orders: the fields of ``engine.orders.LabOrders`` as plain values."""

    __slots__ = ("chip_usd",) + LAB_FLOATS + LAB_INTS + LAB_FLAGS

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values[name])

    def copy(self) -> "LabOrder":
        out = LabOrder(**{name: getattr(self, name) for name in self.__slots__})
        out.chip_usd = list(self.chip_usd)
        return out


class GovOrder:
    __slots__ = GOV_FLOATS + GOV_FLAGS + GOV_PER_AGREEMENT

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values[name])


class GridOrder:
    __slots__ = ("invest", "approvals")

    def __init__(self, invest, approvals):
        self.invest = invest  # MW to start: gas, solar with storage, nuclear
        self.approvals = approvals


@dataclass
class PlainOrders:
    labs: list
    govs: list
    grids: list
    reaction_wait: list  # per reaction rule, as the governments set it
    injects: list | None = None  # per event: a facilitator makes it happen this turn


def _row(arr, replica, dtype=None):
    return np.asarray(arr, dtype=dtype)[replica].tolist()


def plain_orders(orders, replica: int = 0) -> PlainOrders:
    """Per-seat records of one replica of engine ``Orders``."""
    lab = orders.labs
    columns = {name: _row(getattr(lab, name), replica, float) for name in LAB_FLOATS}
    columns.update({name: _row(getattr(lab, name), replica, np.int64) for name in LAB_INTS})
    columns.update({name: _row(getattr(lab, name), replica, bool) for name in LAB_FLAGS})
    columns["chip_usd"] = _row(lab.chip_usd, replica, float)
    labs = [LabOrder(**{name: col[i] for name, col in columns.items()}) for i in range(len(columns["build_mw"]))]

    gov = orders.govs
    g_columns = {name: _row(getattr(gov, name), replica, float) for name in GOV_FLOATS}
    g_columns.update({name: _row(getattr(gov, name), replica, bool) for name in GOV_FLAGS + GOV_PER_AGREEMENT})
    govs = [GovOrder(**{name: col[i] for name, col in g_columns.items()}) for i in range(len(g_columns["subsidy"]))]

    grid = orders.grids
    invest = _row(grid.invest, replica, float)
    approvals = _row(grid.approvals, replica, float)
    grids = [GridOrder(invest[n], approvals[n]) for n in range(len(approvals))]
    injects = None if orders.injects is None else _row(orders.injects, replica, bool)
    return PlainOrders(labs=labs, govs=govs, grids=grids, reaction_wait=_row(gov.reaction_wait, replica, np.int64), injects=injects)
