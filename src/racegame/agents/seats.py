"""The Mesa agents: labs, governments and energy grids.

Agents are the decision-makers and the names people see. Each decides its own orders
(arrays over replicas) from the turn's ``View``: AI agents through the strategies in this
package, a seat taken by a person or a script through its ``controller``.
"""

from __future__ import annotations

import mesa
import numpy as np

from ..engine.step import BINDING
from .lab_ai import plan_labs


def _out(model, values):
    """A figure for reporting: a plain number for one game, the array for a batch."""
    values = np.asarray(values)
    return values[0].item() if model.replicas == 1 else values.copy()


class Lab(mesa.Agent):
    """An AI lab. ``slot`` is its column in the state arrays."""

    def __init__(self, model, slot: int, controller=None):
        super().__init__(model)
        self.slot = slot
        self.controller = controller

    def decide(self, view, orders) -> None:
        if self.controller is not None:
            self.controller.decide(self, view, orders)
            return
        plan = plan_labs(view, self.model.state, self.model.rules, [self.slot], self.model.ai_capex)
        orders.labs.set_columns([self.slot], plan)

    # -- what people see -------------------------------------------------
    @property
    def lab_id(self) -> str:
        return self.model.rules.lab_ids[self.slot]

    @property
    def name(self) -> str:
        return self.model.lab_name(self.slot)

    @property
    def country(self) -> str:
        return self.model.rules.country_ids[int(self.model.state.country[0, self.slot])]

    @property
    def kind(self) -> str:
        return "lab"

    @property
    def is_player(self) -> bool:
        return self.controller is not None

    def _state(self, name):
        return _out(self.model, getattr(self.model.state, name)[:, self.slot])

    @property
    def alive(self):
        return self._state("alive")

    @property
    def capability(self):
        return self._state("capability")

    @property
    def cash_usd(self):
        return self._state("cash")

    @property
    def safety(self):
        return self._state("safety")

    @property
    def efficiency(self):
        return self._state("efficiency")

    @property
    def talent(self):
        return self._state("talent")

    @property
    def share(self):
        return self._state("share")

    @property
    def revenue_usd(self):
        return self._state("revenue")

    @property
    def chips_h100e(self):
        s, r = self.model.state, self.model.rules
        return _out(self.model, (s.chips[:, self.slot, :] * r.chip_perf_train).sum(axis=1))

    @property
    def binding(self):
        codes = self.model.state.binding[:, self.slot]
        return BINDING[int(codes[0])] if self.model.replicas == 1 else codes.copy()


class Government(mesa.Agent):
    """A country's government: export controls, subsidies, permitting, regulation."""

    def __init__(self, model, index: int, controller=None):
        super().__init__(model)
        self.index = index
        self.controller = controller
        self.fired = None

    def decide(self, view, orders) -> None:
        if self.controller is not None:
            self.controller.decide(self, view, orders)
            return
        self.fired = self.model.kit.plan_government(view, self.model.state, self.model.rules, self.index, orders, self.model.draws)

    @property
    def name(self) -> str:
        return self.model.rules.country_names[self.index]

    @property
    def kind(self) -> str:
        return "government"

    @property
    def export_tier(self):
        return _out(self.model, self.model.state.export_tier[:, self.index])

    @property
    def regulation(self):
        return _out(self.model, self.model.state.regulation[:, self.index])

    @property
    def subsidy_usd(self):
        return _out(self.model, self.model.state.subsidy[:, self.index])


class EnergyGrid(mesa.Agent):
    """A grid region's operator: new generation, interconnection approvals."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    def decide(self, view, orders) -> None:
        self.model.kit.plan_grid(view, self.model.state, self.model.rules, self.index, orders)

    @property
    def name(self) -> str:
        return self.model.rules.grid_names[self.index]

    @property
    def kind(self) -> str:
        return "grid"

    @property
    def price_usd_per_mwh(self):
        return _out(self.model, self.model.state.price[:, self.index])

    @property
    def capacity_mw(self):
        return _out(self.model, self.model.state.capacity[:, self.index])

    @property
    def curtail(self):
        return _out(self.model, self.model.state.curtail[:, self.index])
