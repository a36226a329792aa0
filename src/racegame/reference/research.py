"""Compute, training runs, research and open-weights diffusion, plainly.

Capability is the log10 of a model's effective training compute: physical FLOP of the run
times algorithmic efficiency (also a log10), plus a reasoning bonus. Research has three
programmes (efficiency, reasoning, safety) that need compute in different degrees, and
efficiency comes partly in breakthroughs of drawn size; safety work taxes training; open
weights can be fine-tuned and distilled, which takes time.
"""

from __future__ import annotations

import math

from .diplomacy import on_pause_line
from .plain import INF, clip, finite, ratio


def normalised(a: float, b: float, c_: float, default) -> tuple:
    """Three shares that sum to one; ``default`` when nothing usable was asked for."""
    a, b, c_ = (max(finite(x), 0.0) for x in (a, b, c_))
    total = a + b + c_
    if total <= 0:
        return default
    return a / total, b / total, c_ / total


def focus_shares(w, lab, order) -> tuple:
    """Research focus after regulation: a regulated lab must spend part of it on safety."""
    fe, fr, fs = normalised(order.focus_efficiency, order.focus_reasoning, order.focus_safety, (0.4, 0.4, 0.2))
    floor = 0.5 * w.govs[lab.country].regulation
    lift = max(0.0, floor - fs)
    keep = ratio(1.0 - fs - lift, 1.0 - fs, fill=0.0)
    return fe * keep, fr * keep, fs + lift


def powered_chips(w, lab, powered_mw: float) -> list:
    """Chips that get power: the most efficient classes are powered first, so a lab short
    of power leaves its oldest chips dark."""
    running = [0.0] * len(w.chips)
    before = 0.0  # MW taken by the better classes
    for chip in w.chips_by_efficiency:
        k = chip.index
        load = lab.chips[k] * chip.power_mw
        share = clip(ratio(powered_mw - before, load, fill=0.0), 0.0, 1.0)
        running[k] = lab.chips[k] * share
        before = before + load
    return running


def pool_recipient(w, gov):
    """The lab ``gov``'s compute pool feeds: its state-backed champion (the most capable, if
    several), else its most capable lab; None if it has no living lab. Ties go to the first."""
    mine = [lab for lab in w.labs if lab.alive and lab.country == gov.index]
    champions = [lab for lab in mine if lab.state_backed]
    pick = champions or mine
    best = None
    for lab in pick:
        if best is None or lab.capability > best.capability:
            best = lab
    return best


def pool_compute(w, powered: list, rep) -> list:
    """National compute pools: each government's other labs give its pool's share of their
    powered compute to the pool's lab. Returns the compute each lab works with."""
    rep.pooled_h100e = [0.0] * len(w.labs)
    for gov in w.govs:
        if gov.pool_max <= 0 or gov.pool <= 0:
            continue
        to = pool_recipient(w, gov)
        if to is None:
            continue
        for lab in w.labs:
            if lab.alive and lab.country == gov.index and lab is not to:
                give = powered[lab.index] * gov.pool
                rep.pooled_h100e[lab.index] -= give
                rep.pooled_h100e[to.index] += give
    return [p + g for p, g in zip(powered, rep.pooled_h100e)]


def compute(w, lab_orders, rep) -> None:
    """FLOP and H100-equivalents each lab can use this turn, by purpose."""
    c = w.c
    L = len(w.labs)
    for name in ("h100e", "h100e_live", "compute_flops", "talent_factor", "concentration", "training_flop",
                 "research_h100e", "serve_h100e"):
        setattr(rep, name, [0.0] * L)
    running_by_lab = [powered_chips(w, lab, rep.power_mw[lab.index]) for lab in w.labs]
    powered = [sum(n * chip.perf_train for n, chip in zip(running, w.chips)) for running in running_by_lab]
    powered = pool_compute(w, powered, rep)
    for lab, order in zip(w.labs, lab_orders):
        i = lab.index
        h100e = sum(n * chip.perf_train for n, chip in zip(lab.chips, w.chips))
        running = running_by_lab[i]
        # Compute rented abroad works alongside the lab's own (and needs people to use it).
        live_train = powered[i] + rep.rented_h100e[i]
        live_infer = sum(n * chip.perf_infer for n, chip in zip(running, w.chips)) + rep.rented_h100e[i]
        need = c["talent_need"] * ((h100e + rep.rented_h100e[i]) / 1e5) ** c["talent_need_exponent"]
        talent_factor = min(1.0, ratio(lab.talent, need, fill=1.0))
        # Security procedures slow every part of the work.
        procedures = 1.0 - c["security_slowdown"][lab.security - 1]
        flops = live_train * c["flop_per_h100e"] * c["utilisation"] * c["training_scale"] * talent_factor * procedures * lab.edge * lab.alive
        train, serve, research = normalised(order.train, order.serve, order.research, (0.5, 0.35, 0.15))
        drag = 1.0 - w.govs[lab.country].regulation * c["regulation_drag"]
        # The alignment tax: evaluations and safety training take part of every run.
        tax = 1.0 - c["alignment_tax"] * focus_shares(w, lab, order)[2]
        # A frontier run trains in one place: the largest site, plus part of the others.
        sites = []
        for built, approved, onsite in zip(lab.built, lab.approved, lab.onsite):
            conn = min(built, approved)
            sites.append(conn + min(built - conn, onsite))
        largest = ratio(max(sites), sum(sites), fill=1.0)
        concentration = largest + (1.0 - largest) * c["multi_site"]
        rep.h100e[i] = h100e
        rep.h100e_live[i] = live_train
        rep.compute_flops[i] = flops
        rep.talent_factor[i] = talent_factor
        rep.concentration[i] = concentration
        rep.training_flop[i] = flops * c["seconds_per_turn"] * train * drag * concentration * tax
        rep.research_h100e[i] = live_train * talent_factor * procedures * research * lab.alive
        rep.serve_h100e[i] = live_infer * serve * lab.alive


def train_models(w, lab_orders, draws, rep) -> None:
    """Runs accumulate compute; a finished run becomes the lab's model if it is better, or
    keeps training to be looked at again next turn; a run that reached a cap ends."""
    c = w.c
    u = draws.uniform(w.turn, "training", (len(w.labs),))
    below = draws.uniform(w.turn, "checkpoint", (2, len(w.labs)))[0]
    L = len(w.labs)
    rep.released = [False] * L
    rep.run_length = [0] * L
    rep.run_flop_done = [0.0] * L
    rep.run_outcome = [math.nan] * L
    rep.run_kept = [False] * L
    for lab, order in zip(w.labs, lab_orders):
        i = lab.index
        lab.run_flop += rep.training_flop[i]
        lab.run_age += lab.alive
        length = min(max(order.run_turns, 1), 8)
        rep.run_length[i] = length
        if not (lab.alive and lab.run_age >= length):
            continue
        noise = (2.0 * u[i] - 1.0) * math.sqrt(3.0) * c["run_noise"]
        outcome = math.log10(max(lab.run_flop, 1.0)) + lab.efficiency + lab.reasoning + noise
        # A lab that caps its capability (a pause, or an agreement) trains no model beyond it.
        cap = finite(order.cap_capability, posinf=0.0)
        capped = cap > 0 and outcome >= cap
        if capped:  # on a pause's line; below the lab's own cap, at its last checkpoint
            outcome = cap if on_pause_line(w, lab, cap) else cap - c["run_noise"] * below[i]
        rep.run_outcome[i] = outcome
        better = outcome > lab.capability
        if not (better or capped):
            rep.run_kept[i] = True  # it trains on, its compute kept
            continue
        rep.run_flop_done[i] = lab.run_flop
        if better:
            rep.released[i] = True
            lab.capability = outcome
            lab.model_open = order.open_weights
        lab.run_flop = 0.0
        lab.run_age = 0


def research_effort(w, lab, research_h100e: float) -> tuple:
    """(efficiency, reasoning, safety, speed-up): each research programme's output at full
    focus, from research compute (at its own elasticity) and labour; automated researchers
    (from the lab's milestones) add labour, but they run on compute."""
    c = w.c
    compute = ratio(research_h100e, c["nominal_research"])
    running = ratio(research_h100e, research_h100e + c["automation_h100e"])
    multiplier = w.rules.milestone_labour[lab.milestone - 1] if lab.milestone > 0 else 0.0
    extra = multiplier * running
    speedup = math.sqrt(1.0 + extra)
    people = math.sqrt(lab.talent) * lab.alive
    efficiency = compute ** c["efficiency_elasticity"] * people * speedup
    reasoning = compute ** c["reasoning_elasticity"] * people * speedup
    safety = compute ** c["safety_elasticity"] * math.sqrt(lab.talent * (1.0 + c["safety_automation"] * extra)) * lab.alive
    return efficiency, reasoning, safety, speedup


def breakthrough(lab, u, c) -> tuple:
    """(multiplier on the lab's efficiency output this turn, whether it broke through): a
    share of the output is steady, the rest comes only with a breakthrough, of exponential
    size capped at a few years of output, scaled so that the mean multiplier is 1."""
    share, chance = c["breakthrough_share"], c["breakthrough_chance"]
    hit = lab.alive and u[0] < chance
    if chance <= 0.0:
        return 1.0 - share, hit
    cap = chance * c["breakthrough_cap_turns"]
    size = min(-math.log(max(u[1], 1e-300)), cap) / (chance * -math.expm1(-cap))
    return (1.0 - share) + (share * size if hit else 0.0), hit


def do_research(w, lab_orders, draws, rep) -> None:
    c = w.c
    u = draws.uniform(w.turn, "breakthrough", (len(w.labs), 2))
    rep.breakthrough = [False] * len(w.labs)
    rep.efficiency_gain = [0.0] * len(w.labs)
    # Publications spill over towards the most efficient lab and open weights spill faster;
    # both leaders are found before anyone's efficiency moves this turn.
    living = [lab for lab in w.labs if lab.alive]
    leader = max((lab.efficiency for lab in living), default=0.0)
    open_leader = max((lab.efficiency for lab in living if lab.model_open), default=-INF)
    best_reasoning = max((lab.reasoning for lab in living), default=0.0)
    rep.focus_safety = [0.0] * len(w.labs)
    rep.effort = [0.0] * len(w.labs)
    rep.speedup = [1.0] * len(w.labs)
    rep.safety_gain = [0.0] * len(w.labs)
    k = c["focus_exponent"]
    for lab, order in zip(w.labs, lab_orders):
        i = lab.index
        efficiency, reasoning, safety, speedup = research_effort(w, lab, rep.research_h100e[i])
        fe, fr, fs = focus_shares(w, lab, order)
        # Diminishing returns to focus: no single research area dominates.
        lumps, rep.breakthrough[i] = breakthrough(lab, u[i], c)
        gain = c["efficiency_rate"] * fe ** k * efficiency * lumps
        # Each OOM is harder than the last, and no lab passes the ceiling.
        ceiling = c["efficiency_ceiling"]
        gain = min(gain * max(0.0, 1.0 - (lab.efficiency / ceiling) ** 4), max(ceiling - lab.efficiency, 0.0))
        rep.efficiency_gain[i] = gain
        behind = max(0.0, leader - lab.efficiency)
        behind_open = max(0.0, open_leader - lab.efficiency) if open_leader > -INF else 0.0
        moved = lab.efficiency + gain + (c["spillover"] * behind + c["open_diffusion"] * behind_open) * lab.alive
        lab.efficiency = min(moved, max(lab.efficiency, ceiling))  # spillovers stop at the ceiling too
        lab.reasoning = (lab.reasoning + c["reasoning_rate"] * fr ** k * reasoning / (1.0 + lab.reasoning)
                         + c["reasoning_spillover"] * max(0.0, best_reasoning - lab.reasoning) * min(reasoning, 1.0) * lab.alive)
        rep.safety_gain[i] = c["safety_rate"] * fs ** k * safety
        lab.safety = lab.safety + rep.safety_gain[i]
        rep.focus_safety[i] = fs
        rep.effort[i] = efficiency
        rep.speedup[i] = speedup


def open_diffusion(w, lab_orders, rep) -> None:
    """Open weights released by last turn can be fine-tuned or distilled: each lab closes
    part of the way to a little below the best open model, faster with more compute and
    people; its capability is the better of its own model and that one. A capped lab (a
    pause it is bound by, or its own wait below a milestone) fields no distilled model
    beyond its cap, as it trains none: it keeps its own until the cap goes."""
    c = w.c
    best_open = w.open_best
    rep.lifted = [False] * len(w.labs)
    for lab in w.labs:
        if not lab.alive:
            continue
        target = best_open - c["distill_gap"] / math.sqrt(max(lab.talent, 0.05)) if best_open > 0 else 0.0
        compute = ratio(rep.h100e_live[lab.index], rep.h100e_live[lab.index] + c["distill_h100e"])
        rate = 1.0 - math.exp(-c["distill_rate"] * compute * min(lab.talent, 1.5))
        lab.distilled = lab.distilled + rate * max(target - lab.distilled, 0.0)
        cap = finite(lab_orders[lab.index].cap_capability, posinf=0.0)
        if lab.distilled > lab.capability and (cap <= 0 or lab.distilled <= cap):
            lab.capability = lab.distilled
            rep.lifted[lab.index] = True
    rep.best_open = best_open
    w.open_best = max((lab.capability for lab in w.labs if lab.alive and lab.model_open), default=0.0)
