"""Open weights: a lab closes on the best open model by fine-tuning and distilling it, but a
capped lab (a pause it is bound by, or its own wait below a milestone its safety is not ready
for) fields no distilled or stolen model past its cap, as it trains none: it keeps its own
model, and what it absorbed or took lifts it once the cap goes."""

from __future__ import annotations

import numpy as np
import pytest

from racegame.engine import compiled, espionage, research
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
    assert s.capability[0, 0] == start[0, 0] and not rep.lifted[0, 0]
    assert np.allclose(s.capability[:, 1:], free.capability[:, 1:]) and np.allclose(s.capability[1], free.capability[1])
    assert (free.capability[0, 0] > cap[0, 0]) and np.allclose(s.distilled, free.distilled)  # it still learns
    # A distilled model under the cap is fielded; the cap gone (the pause over), all of it.
    higher = cap.copy()
    higher[0, 0] = s.distilled[0, 0] + 1.0
    open_diffusion(s, rules, rep, higher)
    assert rep.lifted[0, 0] and start[0, 0] < s.capability[0, 0] < higher[0, 0]
    open_diffusion(s, rules, rep, np.zeros_like(start))
    assert s.capability[0, 0] == s.distilled[0, 0]


@pytest.mark.parametrize("open_diffusion", ENGINES)
@pytest.mark.parametrize("cap", [np.nan, -np.inf, -1.0, 0.0])
def test_nan_zero_or_negative_caps_mean_no_cap(open_diffusion, cap):
    s, rules, rep = _world()
    free, _, free_rep = _world()
    open_diffusion(free, rules, free_rep, np.zeros_like(s.capability))
    open_diffusion(s, rules, rep, np.full_like(s.capability, cap))
    assert np.array_equal(s.capability, free.capability)


def test_labs_held_by_one_line_do_not_stand_on_one_capability():
    """A run a cap stops ends at its last checkpoint below the cap, and a withdrawn model
    falls to a checkpoint below the milestone: each lab's own, within the run noise. Were
    runs stopped exactly on a line, every lab a pause or a milestone holds would stand on
    one capability and the chart's lines would merge."""
    from racegame.engine.rng import RaceRandom
    from racegame.engine.orders import hold_orders
    from racegame.engine.timeline import passages

    level = load_level("baseline")
    rules = build_rules(level)
    c = rules.at(0)
    s = initial_state(level, rules, 50)
    lab = hold_orders(s, rules).labs
    line = float(s.capability.max()) + 0.3
    lab.cap_capability = np.full(s.capability.shape, line)
    lab.run_turns = np.ones(s.capability.shape, dtype=np.int64)
    rep = TurnReport(s.turn)
    rep.training_flop = np.full(s.capability.shape, 1e30)  # every run would overshoot the line
    research.train_models(s, lab, rules, RaceRandom(3, np.arange(50)), rep)
    held = s.capability[s.alive]
    assert rep.released[s.alive].all()
    assert ((held < line) & (held >= line - c["run_noise"])).all()
    assert len(np.unique(held)) == held.size
    # Every lab crossing the first milestone with no safety fails it: each lands on its own.
    s.capability = np.where(s.alive, s.milestone_req[:, :1] + 0.01, s.capability)
    s.safety[:] = 0.0
    rep.compute_flops = np.ones(s.capability.shape)
    passages(s, rules, RaceRandom(3, np.arange(50)), rep)
    failed = rep.failed == 0
    fell = (s.milestone_req[:, :1] - s.capability)[failed]
    assert failed.sum() > 100
    assert ((fell > c["withdraw_oom"]) & (fell <= c["withdraw_oom"] + c["run_noise"])).all()
    assert len(np.unique(np.round(s.capability[failed], 12))) == failed.sum()


def test_a_pause_holds_its_members_labs_on_its_line():
    """A run a pause stops ends on the pause's line: its members' labs stand level there, and
    what their compute could train beyond it separates them at AGI (not a draw of where each
    stopped, which would let a lab coasting on an old fleet win)."""
    from racegame.engine.diplomacy import IN_FORCE, PAUSE, pause_caps
    from racegame.engine.orders import hold_orders
    from racegame.engine.rng import RaceRandom

    level = load_level("baseline")
    rules = build_rules(level)
    s = initial_state(level, rules, 20)
    line = float(s.capability.max()) + 0.3
    s.treaty[:, PAUSE] = IN_FORCE
    s.treaty_members[:, PAUSE, :] = True
    s.treaty_cap[:] = line
    lab = hold_orders(s, rules).labs
    lab.cap_capability = pause_caps(s, lab, rules)
    lab.run_turns = np.ones(s.capability.shape, dtype=np.int64)
    rep = TurnReport(s.turn)
    rep.training_flop = np.full(s.capability.shape, 1e30)
    research.train_models(s, lab, rules, RaceRandom(3, np.arange(20)), rep)
    assert (s.capability[s.alive] == line).all()


class _Certain:
    """Draws of nought: every attack a government's services try succeeds (and is seen)."""

    def __init__(self, replicas: int | None):
        self.replicas = replicas

    def uniform(self, turn, stream, shape):
        return np.zeros(shape if self.replicas is None else (self.replicas, *shape))


def _steal_with_reference(s, rules, rep, cap):
    from types import SimpleNamespace

    from racegame.reference import espionage as reference_espionage
    from racegame.reference.world import world_from_state

    w = world_from_state(s, rules)
    orders = [SimpleNamespace(cap_capability=x) for x in cap[0]]
    reference_espionage.espionage(w, orders, _Certain(None), SimpleNamespace())
    s.capability[0] = [lab.capability for lab in w.labs]
    s.distilled[0] = [lab.distilled for lab in w.labs]


def _steal_with(engine):
    def run(s, rules, rep, cap):
        engine(s, rules, _Certain(s.capability.shape[0]), rep, cap)

    return run


THIEVES = [_steal_with_reference, _steal_with(espionage.espionage)]
if compiled.available():
    from racegame.engine.compiled.espionage import espionage as compiled_espionage

    THIEVES.append(_steal_with(compiled_espionage))


@pytest.mark.parametrize("steal", THIEVES)
def test_a_capped_lab_fields_no_stolen_model_past_its_cap(steal):
    """A stolen model is held to the receiving lab's cap as a distilled one is: the lab keeps
    its own model and the stolen weights, which lift it once the cap goes."""
    level = load_level("baseline")
    rules = build_rules(level)

    def world():
        s = initial_state(level, rules, 1)
        s.gov_intel[:] = 1e6
        s.security[:] = 1
        return s, TurnReport(s.turn)

    s, rep = world()
    cn = rules.country_ids.index("cn")
    theirs = s.alive[0] & (s.country[0] == cn)
    thief = int(np.argmax(np.where(theirs, s.capability[0], -np.inf)))
    taken = s.capability[0][s.alive[0] & ~theirs].max() - rules.at(0)["adaptation_oom"]
    assert taken > s.capability[0, thief] + 0.1  # a model worth stealing is out there
    free = s.capability.copy()
    steal(s, rules, rep, np.zeros_like(free))
    assert s.capability[0, thief] == pytest.approx(taken) and s.distilled[0, thief] == pytest.approx(taken)

    s, rep = world()
    cap = np.zeros_like(free)
    cap[0, thief] = free[0, thief] + 0.1  # a pause's line, or its own wait, below the stolen model
    steal(s, rules, rep, cap)
    assert s.capability[0, thief] == free[0, thief]
    assert s.distilled[0, thief] == pytest.approx(taken)  # kept, for when the cap goes

    s, rep = world()
    cap[0, thief] = taken + 0.1  # a cap above it: fielded
    steal(s, rules, rep, cap)
    assert s.capability[0, thief] == pytest.approx(taken)
