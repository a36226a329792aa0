"""The simulation core: pure numpy, no front-end libraries.

``step(state, orders, rules, rng) -> (state, report)`` resolves one turn for any number of
replicas; ``observe`` derives what seats see; ``build_rules`` and ``initial_state`` set up a
level.
"""

from .observe import View, observe
from .orders import Orders, hold_orders
from .params import Rules, build_rules
from .rng import RaceRandom
from .setup import initial_state
from .state import OUTCOMES, State
from .step import BINDING, TurnReport, step

__all__ = [
    "BINDING", "OUTCOMES", "Orders", "RaceRandom", "Rules", "State", "TurnReport", "View",
    "build_rules", "hold_orders", "initial_state", "observe", "step",
]
