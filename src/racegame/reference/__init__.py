"""The reference engine: the same turn rules as ``racegame.engine``, written plainly.

The vectorised engine plays thousands of replicas at once with array expressions; that is
fast but hard to read and easy to get subtly wrong (a misaligned axis, a mask applied to
the wrong replicas). This package states the same rules the slow, obvious way: one object
per lab, grid, government, chip class and market (``world.py``), plain Python floats and
loops, one game at a time, with each phase in its own small module named after the
engine's. It uses the very same random draws (the same ``RaceRandom`` coordinates, read
for one replica), so a game played by both engines must come out the same, up to a few
ulps where sums are taken in a different order.

It exists for two jobs: the parity tests (``tests/test_parity.py``) that hold the
vectorised engine to these rules, and the baseline that benchmarks of the vectorised
engine are measured against. It is not used to play the game.

- ``reference_step(state, orders, rules, rng)`` mirrors ``engine.step`` for a one-replica
  ``State`` (converting to the per-agent world and back each call);
- ``reference_step_batch(state, orders, rules, rng)`` the same for a batch, one replica at a
  time (what ``RaceModel(engine="reference")`` uses);
- ``ReferenceGame`` keeps its world across turns, for timing whole games.
"""

from .batch import reference_step_batch
from .orders import PlainOrders, plain_orders
from .game import ReferenceGame
from .turn import Draws, Report, reference_step, step_world
from .world import World, world_from_state

__all__ = [
    "Draws", "PlainOrders", "ReferenceGame", "Report", "World", "plain_orders", "reference_step", "reference_step_batch", "step_world",
    "world_from_state",
]
