"""The compiled engine: the vectorised engine with each phase of the turn (``step.Phases``;
five small steps stay numpy) replaced by a numba kernel that works one replica at a time (an
optional extra: ``pip install racegame[fast]``); ``observe``, ``rng`` and ``limits`` here
and ``agents/*_compiled.py`` do the same for the view, the random source, the range check
and the AI.

Why per replica: the vectorised phases put the replica axis first and a short axis (labs,
chip classes, grids) last, so numpy runs its inner loops a few elements at a time and makes a
temporary array per operation. A kernel keeps one replica's few kilobytes in cache and does
the whole phase in one pass; what is left is the arithmetic (exp, log and pow, one value at a
time), so a batch plays about 2.3 times faster, not ten (docs/PERFORMANCE.md). Each kernel
module here has the numpy phase's signature and the same effects on the state and the turn
report; ``tests/test_compiled.py`` checks every one against the numpy phase on states taken
from real games. The numpy phases stay the readable statement of the rules (with the
reference engine beside them); a rule change goes into the numpy phase, the reference engine
and the kernel together.
"""

from __future__ import annotations

import importlib
from dataclasses import replace

from ..step import VECTORISED, Phases

# Phase name -> module in this package holding a function of the same name.
KERNELS: dict[str, str] = {
    "fire_events": "events",
    "apply_policy": "policy",
    "agreements": "diplomacy",
    "sanitise": "sanitise",
    "pause_caps": "diplomacy",
    "chip_market": "chips",
    "rent_abroad": "rent",
    "construction": "power",
    "grids_and_power": "power",
    "compute": "research",
    "train_models": "training",
    "do_research": "research",
    "share_safety": "diplomacy",
    "open_diffusion": "training",
    "espionage": "espionage",
    "passages": "timeline",
    "catch_cheats": "diplomacy",
    "revenue": "economy",
    "talent": "people",
    "finance": "economy",
    "incidents": "safety",
    "endings": "safety",
    "binding_constraint": "binding",
}

INSTALL_HINT = "the compiled engine needs numba: pip install 'racegame[fast]' (or use the vectorised engine)"


def available() -> bool:
    """Whether numba can be imported here."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def phases() -> Phases:
    """The vectorised engine's phases with every compiled kernel in place."""
    if not available():
        raise ImportError(INSTALL_HINT)
    kernels = {name: getattr(importlib.import_module(f"{__name__}.{module}"), name) for name, module in KERNELS.items()}
    return replace(VECTORISED, **kernels)
