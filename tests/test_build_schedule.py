"""Builds ordered in turns that come due together are all delivered.

In the baseline turns are 3 months long to turn 19, then 6: a lead time counted in turns
shrinks as the game goes on (a data centre takes 6 turns when started in turn 15, 5 in turn
16), so orders placed in consecutive turns can fall due in the same turn. Every MW whose
capital was paid must still be built: a later order adds to a delivery slot on the same
grid, and one on another grid arrives a turn later, on its own grid (``power.schedule``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from racegame.engine import power
from racegame.engine.step import VECTORISED
from racegame.model import RaceModel
from racegame.reference import power as reference_power

LAB = 0  # meridian: US, three grids at home (texas, virginia, southeast)
SEED = 3
TEXAS, VIRGINIA = 0, 1


# -- games driven through the engine ------------------------------------------------------
def play(orders_by_turn: dict, until: int, seed: int = SEED):
    """A one-replica baseline game with the AI deciding, except that lab ``LAB`` starts no
    data centre, on-site generation or PPA but those in ``orders_by_turn`` ({turn: {field:
    value}}, fields of LabOrders). Returns the state after each turn (index t: after turn t
    was resolved) and the national projects that lab got in each turn."""
    model = RaceModel("baseline", rng=seed, replicas=1)
    after, mega = [], []
    while model.state.turn <= until:
        assert model.running, f"seed {seed}: the game ended in turn {model.state.turn}, pick another seed"
        turn = model.state.turn
        _, orders = model.decide()
        mine = {"build_mw": 0.0, "onsite_mw": 0.0, "ppa_mw": 0.0} | orders_by_turn.get(turn, {})
        orders.labs.set_column(LAB, mine)
        model.resolve(orders)
        after.append(model.state.copy())
        mega.append(float(model.report.mega_mw[0, LAB]))
    assert after[-1].alive[0, LAB]
    assert not any(mega), "a national project went to the lab: the figures below would not add up"
    return after


def built(state, grid=None) -> float:
    by_grid = state.built[0, LAB]
    return float(by_grid.sum() if grid is None else by_grid[grid])


def onsite(state, grid) -> float:
    return float(state.onsite[0, LAB, grid])


def ring(state, name) -> tuple:
    """The lab's MW and grids in ring ``name`` (dc, onsite, ppa), by slot."""
    return getattr(state, f"{name}_ring_mw")[0, LAB].copy(), getattr(state, f"{name}_ring_grid")[0, LAB].copy()


def test_the_baseline_leads_shrink_as_assumed():
    """The scenarios below rely on these leads (turn: turns to build)."""
    rules = RaceModel("baseline", rng=SEED, replicas=1).rules
    assert [int(rules.at(t)["build_turns"][LAB]) for t in (15, 16, 17, 18)] == [6, 5, 5, 4]
    assert [int(rules.at(t)["onsite_turns"]) for t in (18, 19)] == [3, 2]
    assert [int(rules.at(t)["gen_turns"][1]) for t in (15, 16)] == [8, 7]


def test_a_build_is_not_erased_by_no_build_next_turn():
    """(a) A build ordered in turn 15 (due in 21) is not undone by ordering none in turn 16
    (also due in 21): its MW are built in turn 21, on its grid."""
    states = play({15: {"build_mw": 300.0, "build_grid": VIRGINIA}}, until=22)
    mw, grid = ring(states[15], "dc")
    slot = 21 % len(mw)
    assert mw.sum() == mw[slot] == pytest.approx(300.0) and grid[slot] == VIRGINIA
    mw16, grid16 = ring(states[16], "dc")
    assert np.array_equal(mw16, mw) and grid16[slot] == VIRGINIA  # still there after turn 16
    assert built(states[20]) == built(states[14])  # nothing else was on its way
    assert built(states[21], VIRGINIA) - built(states[20], VIRGINIA) == pytest.approx(300.0)
    assert built(states[21]) - built(states[20]) == pytest.approx(300.0)
    assert ring(states[21], "dc")[0].sum() == 0.0


def test_orders_due_together_on_one_grid_add_up():
    """(b) Builds from turns 15 and 16 (both due in 21) on the same grid arrive together,
    both; so do on-site generation from turns 18 and 19 (both due in 21)."""
    states = play({15: {"build_mw": 300.0, "build_grid": TEXAS},
                   16: {"build_mw": 200.0, "build_grid": TEXAS},
                   18: {"onsite_mw": 40.0, "build_grid": TEXAS},
                   19: {"onsite_mw": 30.0, "build_grid": TEXAS}}, until=22)
    mw, grid = ring(states[16], "dc")
    assert mw[21 % len(mw)] == pytest.approx(500.0) and grid[21 % len(mw)] == TEXAS
    assert built(states[20]) == built(states[14])
    assert built(states[21], TEXAS) - built(states[20], TEXAS) == pytest.approx(500.0)
    assert built(states[22]) == built(states[21])
    o_mw, _ = ring(states[18], "onsite")
    got18 = o_mw.sum()
    assert got18 > 0  # turbine makers' supply may fill part of an order
    got = ring(states[19], "onsite")[0].sum()
    assert got > got18
    assert onsite(states[20], TEXAS) == onsite(states[17], TEXAS)
    assert onsite(states[21], TEXAS) - onsite(states[20], TEXAS) == pytest.approx(got)


def test_orders_due_together_on_other_grids_come_a_turn_apart():
    """(c) Builds from turns 15 and 16 (both due in 21) on different grids: the first is
    built in turn 21 on its grid, the second in turn 22 on its own. On-site generation from
    turns 18 and 19 likewise (21, then 22), and a PPA's load connection from turns 15 and 16
    (both due in 23): each keeps its grid, the second a turn later."""
    states = play({15: {"build_mw": 300.0, "build_grid": TEXAS, "ppa_mw": 100.0},
                   16: {"build_mw": 200.0, "build_grid": VIRGINIA, "ppa_mw": 80.0},
                   18: {"onsite_mw": 40.0, "build_grid": TEXAS},
                   19: {"onsite_mw": 30.0, "build_grid": VIRGINIA}}, until=22)
    mw, grid = ring(states[16], "dc")
    B = len(mw)
    assert (mw[21 % B], grid[21 % B]) == (pytest.approx(300.0), TEXAS)
    assert (mw[22 % B], grid[22 % B]) == (pytest.approx(200.0), VIRGINIA)
    assert built(states[20]) == built(states[14])
    assert built(states[21], TEXAS) - built(states[20], TEXAS) == pytest.approx(300.0)
    assert built(states[21], VIRGINIA) == built(states[20], VIRGINIA)
    assert built(states[22], VIRGINIA) - built(states[21], VIRGINIA) == pytest.approx(200.0)
    assert built(states[22], TEXAS) == built(states[21], TEXAS)

    got18 = ring(states[18], "onsite")[0].sum()
    o_mw, o_grid = ring(states[19], "onsite")
    O = len(o_mw)
    got19 = o_mw[22 % O]
    assert got18 > 0 and got19 > 0 and o_mw[21 % O] == got18
    assert (o_grid[21 % O], o_grid[22 % O]) == (TEXAS, VIRGINIA)
    assert onsite(states[21], TEXAS) - onsite(states[20], TEXAS) == pytest.approx(got18)
    assert onsite(states[21], VIRGINIA) == onsite(states[20], VIRGINIA)
    assert onsite(states[22], VIRGINIA) - onsite(states[21], VIRGINIA) == pytest.approx(got19)

    p15, g15 = ring(states[15], "ppa")
    S = len(p15)
    assert p15[23 % S] > 0 and g15[23 % S] == TEXAS
    p16, g16 = ring(states[16], "ppa")
    assert p16[23 % S] == p15[23 % S] and g16[23 % S] == TEXAS
    assert p16[24 % S] > 0 and g16[24 % S] == VIRGINIA


# -- the rule itself, the same in the three engines -------------------------------------------
def numpy_schedule(ring_mw, ring_grid, slot, mw, grid, now):
    power.schedule(ring_mw, ring_grid, slot, mw, grid, now)


def reference_schedule(ring_mw, ring_grid, slot, mw, grid, now):
    for r in range(mw.shape[0]):
        for l in range(mw.shape[1]):
            lab_mw, lab_grid = ring_mw[r, l].tolist(), ring_grid[r, l].tolist()
            reference_power.schedule(lab_mw, lab_grid, int(np.broadcast_to(slot, mw.shape[1:])[l]), float(mw[r, l]),
                                     int(grid[r, l]), now)
            ring_mw[r, l], ring_grid[r, l] = lab_mw, lab_grid


def compiled_schedule(ring_mw, ring_grid, slot, mw, grid, now):
    pytest.importorskip("numba")
    import numba

    from racegame.engine.compiled.power import _schedule

    @numba.njit
    def run(ring_mw, ring_grid, slot, mw, grid, now):
        for r in range(mw.shape[0]):
            for l in range(mw.shape[1]):
                _schedule(ring_mw, ring_grid, r, l, slot[l], mw[r, l], grid[r, l], now)

    run(ring_mw, ring_grid, np.broadcast_to(slot, mw.shape[1:]).astype(np.int64).copy(), mw, grid, now)


ENGINES = [numpy_schedule, reference_schedule, compiled_schedule]


def one(ring_mw, ring_grid, slot, mw, grid, now, schedule):
    """Schedule into a single lab's ring (lists) with one engine; returns (MW, grids)."""
    ring_mw = np.array([[ring_mw]], dtype=float)
    ring_grid = np.array([[ring_grid]], dtype=np.int64)
    schedule(ring_mw, ring_grid, slot, np.array([[mw]], dtype=float), np.array([[grid]], dtype=np.int64), now)
    return ring_mw[0, 0].tolist(), ring_grid[0, 0].tolist()


@pytest.mark.parametrize("schedule", ENGINES, ids=["numpy", "reference", "compiled"])
def test_the_rule_slot_by_slot(schedule):
    # Into an empty slot: the order's MW and grid.
    assert one([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], 2, 5.0, 3, 0, schedule) == ([0, 0, 5, 0, 0], [0, 0, 3, 0, 0])
    # Same grid: added.
    assert one([0, 0, 4, 0, 0], [0, 0, 3, 0, 0], 2, 5.0, 3, 0, schedule) == ([0, 0, 9, 0, 0], [0, 0, 3, 0, 0])
    # Another grid: a slot later; two slots later when that one is taken by a third grid;
    # onto a slot of its own grid, added there.
    assert one([0, 0, 4, 0, 0], [0, 0, 1, 0, 0], 2, 5.0, 3, 0, schedule) == ([0, 0, 4, 5, 0], [0, 0, 1, 3, 0])
    assert one([0, 0, 4, 6, 0], [0, 0, 1, 2, 0], 2, 5.0, 3, 0, schedule) == ([0, 0, 4, 6, 5], [0, 0, 1, 2, 3])
    assert one([0, 0, 4, 6, 0], [0, 0, 1, 3, 0], 2, 5.0, 3, 0, schedule) == ([0, 0, 4, 11, 0], [0, 0, 1, 3, 0])
    # Wrapping round the ring, but never onto the slot delivered this turn: with none free,
    # joined to the last one tried, which keeps its grid.
    assert one([7, 0, 0, 4, 6], [2, 0, 0, 1, 2], 3, 5.0, 3, 2, schedule) == ([7, 5, 0, 4, 6], [2, 3, 0, 1, 2])
    assert one([7, 0, 0, 4, 6], [2, 0, 0, 1, 2], 3, 5.0, 3, 1, schedule) == ([12, 0, 0, 4, 6], [2, 0, 0, 1, 2])
    # An order of nothing changes nothing, not even the grid of an empty slot.
    assert one([0, 0, 4, 0, 0], [0, 0, 1, 0, 0], 2, 0.0, 3, 0, schedule) == ([0, 0, 4, 0, 0], [0, 0, 1, 0, 0])
    assert one([0, 0, 0, 0, 0], [0, 0, 1, 0, 0], 2, 0.0, 3, 0, schedule) == ([0, 0, 0, 0, 0], [0, 0, 1, 0, 0])


def test_the_three_engines_schedule_alike():
    """Random rings crowded with other grids' MW, per-lab slots: the same MW and grids,
    bit for bit."""
    rng = np.random.default_rng(7)
    R, L, S, N = 200, 6, 7, 3
    for now in range(S):
        ring_mw = np.where(rng.random((R, L, S)) < 0.5, rng.uniform(1, 1000, (R, L, S)), 0.0)
        ring_mw[:, :, now] = 0.0  # delivered before anything is scheduled
        ring_grid = rng.integers(0, N, (R, L, S))
        slot = (now + rng.integers(1, S, L)) % S
        mw = np.where(rng.random((R, L)) < 0.8, rng.uniform(1, 1000, (R, L)), 0.0)
        grid = rng.integers(0, N, (R, L))
        results = []
        for schedule in ENGINES:
            m, g = ring_mw.copy(), ring_grid.copy()
            schedule(m, g, slot, mw, grid, now)
            results.append((m, g))
        want_mw, want_grid = results[0]
        for got_mw, got_grid in results[1:]:
            assert np.array_equal(got_mw, want_mw) and np.array_equal(got_grid, want_grid)
        # Nothing is lost, nothing lands on the slot being delivered, and every slot still
        # holding MW holds them on one grid only (checked by construction above).
        assert np.allclose(want_mw.sum(axis=2), ring_mw.sum(axis=2) + mw, rtol=1e-12)
        assert not want_mw[:, :, now].any()


# -- conservation over a whole batch -------------------------------------------------------
def test_capital_paid_means_mw_built():
    """(d) A hundred AI-only baseline games played to the end: for every lab, the MW of data
    centres, on-site generation and PPAs it ordered (and got, and paid for; the level's
    pipeline counted as ordered before the start) equal those delivered plus those still on
    their way plus those written off when it went bankrupt; and only a bankrupt lab writes
    any off."""
    model = RaceModel("baseline", rng=1, replicas=100)
    R, L = model.state.alive.shape
    books = {key: np.zeros((R, L)) for key in
             ("dc_delivered", "onsite_delivered", "ppa_online", "written_off", "went_bankrupt")}
    for name in ("dc", "onsite", "ppa"):  # the level's pipeline at the start counts as ordered
        books[f"{name}_ordered"] = getattr(model.state, f"{name}_ring_mw").sum(axis=2)
    crowded = [0]  # orders due in a slot already holding MW
    playing = [None]  # the games still running when this turn began

    def construction(s, lab, rules, rep):
        live = playing[0] = ~s.ended[:, None]
        t, B = s.turn, s.dc_ring_mw.shape[2]
        slot = (t + rules.at(t)["build_turns"]) % B
        held = np.take_along_axis(s.dc_ring_mw, np.broadcast_to(slot, (R, L))[:, :, None], axis=2)[:, :, 0]
        built_before, onsite_before = s.built.sum(axis=2), s.onsite.sum(axis=2)
        capital = VECTORISED.construction(s, lab, rules, rep)
        crowded[0] += int(((held > 0) & (lab.build_mw + rep.mega_mw > 0) & live).sum())
        books["dc_ordered"] += np.where(live, lab.build_mw + rep.mega_mw, 0.0)
        books["dc_delivered"] += np.where(live, s.built.sum(axis=2) - built_before, 0.0)
        books["onsite_ordered"] += np.where(live, lab.onsite_mw * rep.onsite_fill, 0.0)
        books["onsite_delivered"] += np.where(live, s.onsite.sum(axis=2) - onsite_before, 0.0)
        return capital

    def grids_and_power(s, grid_orders, rules, rep, priority):
        live = ~s.ended[:, None]
        online = s.ppa_ring_mw[:, :, s.turn % s.ppa_ring_mw.shape[2]].copy()
        out = VECTORISED.grids_and_power(s, grid_orders, rules, rep, priority)
        books["ppa_ordered"] += np.where(live, rep.ppa_spend / rules.at(s.turn)["ppa_capex"], 0.0)
        books["ppa_online"] += np.where(live, online, 0.0)
        return out

    def finance(s, lab, rules, rng, rep, extra):
        # A game can end earlier in the turn (a lab passes AGI) and still settle its money:
        # a lab going bankrupt then writes off what it had on the way.
        live = playing[0]
        on_the_way = s.dc_ring_mw.sum(axis=2) + s.onsite_ring_mw.sum(axis=2) + s.ppa_ring_mw.sum(axis=2)
        VECTORISED.finance(s, lab, rules, rng, rep, extra)
        left = s.dc_ring_mw.sum(axis=2) + s.onsite_ring_mw.sum(axis=2) + s.ppa_ring_mw.sum(axis=2)
        books["written_off"] += np.where(live, on_the_way - left, 0.0)
        books["went_bankrupt"] += np.where(live, rep.bankrupt, 0.0)

    model.kit = replace(model.kit, phases=replace(VECTORISED, construction=construction, grids_and_power=grids_and_power,
                                                  finance=finance))
    while model.running:
        model.step()
    s = model.state
    assert s.ended.all()
    assert crowded[0] > 100  # the batch did schedule builds into crowded slots
    assert (books["dc_ordered"] > 0).sum() > R * 5 and (books["onsite_ordered"] > 0).any() and (books["ppa_ordered"] > 0).any()

    written_off = books["written_off"]
    assert not written_off[books["went_bankrupt"] == 0].any()
    rings = {name: getattr(s, f"{name}_ring_mw").sum(axis=2) for name in ("dc", "onsite", "ppa")}
    for name, delivered in (("dc", "dc_delivered"), ("onsite", "onsite_delivered"), ("ppa", "ppa_online")):
        ordered = books[f"{name}_ordered"]
        accounted = books[delivered] + rings[name]
        kept = books["went_bankrupt"] == 0
        np.testing.assert_allclose(accounted[kept], ordered[kept], rtol=1e-9, atol=1e-6, err_msg=name)
    total_ordered = sum(books[f"{n}_ordered"] for n in ("dc", "onsite", "ppa"))
    total_accounted = books["dc_delivered"] + books["onsite_delivered"] + books["ppa_online"] + sum(rings.values()) + written_off
    np.testing.assert_allclose(total_accounted, total_ordered, rtol=1e-9, atol=1e-6)
