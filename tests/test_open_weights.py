"""Open weights: a lab closes on the best open model by fine-tuning and distilling it, but a
capped lab (a pause it is bound by, or its own wait below a milestone its safety is not ready
for) fields no distilled model past its cap, as it trains none; what it absorbed lifts it once
the cap goes."""

from __future__ import annotations

import numpy as np
import pytest

from racegame.engine import compiled, research
from racegame.engine.params import build_rules
from racegame.engine.setup import initial_state
from racegame.engine.step import TurnReport
from racegame.level.loader import load_level

ENGINES = [research.open_diffusion]
if compiled.available():
    from racegame.engine.compiled.training import open_diffusion as compiled_open_diffusion

    ENGINES.append(compiled_open_diffusion)


def _world():
    """A baseline start where an open model 2 OOM past everyone is out, and every lab has
    already absorbed most of it."""
    level = load_level("baseline")
    rules = build_rules(level)
    s = initial_state(level, rules, 2)
    s.open_best = np.full(2, s.capability.max() + 2.0)
    s.distilled = s.capability + 1.5
    rep = TurnReport(s.turn)
    rep.h100e_live = np.full(s.capability.shape, 1e6)
    return s, rules, rep


@pytest.mark.parametrize("open_diffusion", ENGINES)
def test_a_capped_lab_fields_nothing_past_its_cap(open_diffusion):
    s, rules, rep = _world()
    start = s.capability.copy()
    cap = np.zeros_like(start)
    cap[0, 0] = start[0, 0] + 0.5  # replica 0, lab 0: capped half an OOM up
    cap[1, 0] = np.inf  # replica 1: inf means no cap, as for training
    free = _world()[0]
    open_diffusion(free, rules, _world()[2], np.zeros_like(start))
    open_diffusion(s, rules, rep, cap)
    assert s.capability[0, 0] == pytest.approx(cap[0, 0])
    assert rep.lifted[0, 0]
    assert np.allclose(s.capability[:, 1:], free.capability[:, 1:]) and np.allclose(s.capability[1], free.capability[1])
    assert (free.capability[0, 0] > cap[0, 0]) and np.allclose(s.distilled, free.distilled)  # it still learns
    # The cap gone (the pause over), what it absorbed lifts it.
    open_diffusion(s, rules, rep, np.zeros_like(start))
    assert s.capability[0, 0] > cap[0, 0]


@pytest.mark.parametrize("open_diffusion", ENGINES)
@pytest.mark.parametrize("cap", [np.nan, -np.inf, -1.0, 0.0])
def test_nan_zero_or_negative_caps_mean_no_cap(open_diffusion, cap):
    s, rules, rep = _world()
    free, _, free_rep = _world()
    open_diffusion(free, rules, free_rep, np.zeros_like(s.capability))
    open_diffusion(s, rules, rep, np.full_like(s.capability, cap))
    assert np.array_equal(s.capability, free.capability)
