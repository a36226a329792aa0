"""A whole game by the reference rules, its per-agent world kept from turn to turn.

This is what a benchmark times against the vectorised engine: orders go in each turn and
the world changes in place; arrays are made only when someone asks for ``state``.
"""

from __future__ import annotations

from ..engine.params import build_rules
from ..engine.rng import RaceRandom
from ..engine.setup import initial_state
from ..level.loader import Level, load_level
from .orders import PlainOrders, plain_orders
from .turn import Draws, Report, step_world
from .world import World


class ReferenceGame:
    """A whole game by the reference rules: one replica of a level and seed, its own
    per-agent world kept across turns (no conversion to arrays between turns).

    ``play(orders)`` resolves a turn from engine ``Orders`` (one replica) or ``PlainOrders``;
    ``state`` converts the world to an engine ``State`` on demand.
    """

    def __init__(self, level="baseline", seed: int = 0, replica: int = 0, player=None, difficulty: str = "normal"):
        self.level = level if isinstance(level, Level) else load_level(level)
        self.rules = build_rules(self.level)
        self.seed, self.replica = int(seed), int(replica)
        self.draws = Draws(RaceRandom(self.seed, [self.replica]))
        self._template = initial_state(self.level, self.rules, 1, player, difficulty, self.draws.rng)
        self.world = World(self.rules).load(self._template)
        self.report = None

    @property
    def turn(self) -> int:
        return self.world.turn

    @property
    def running(self) -> bool:
        return not self.world.ended and self.world.turn < self.rules.horizon

    @property
    def state(self):
        return self.world.to_state(self._template)

    def play(self, orders) -> Report:
        if not isinstance(orders, PlainOrders):
            orders = plain_orders(orders)
        self.report = step_world(self.world, orders, self.draws)
        return self.report

    def run(self, orders_for, turns: int | None = None) -> "ReferenceGame":
        """Play until the game ends (or ``turns`` turns); ``orders_for(game)`` gives each turn's orders."""
        limit = self.rules.horizon if turns is None else min(self.world.turn + int(turns), self.rules.horizon)
        while not self.world.ended and self.world.turn < limit:
            self.play(orders_for(self))
        return self
