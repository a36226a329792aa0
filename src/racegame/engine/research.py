"""Compute, training runs, the scaling law, research, and open-weights diffusion.

Capability is the log10 of a model's effective training compute: physical FLOP of the run
times algorithmic efficiency (also a log10), plus a reasoning bonus. So capability grows
with log compute (the biggest clusters lead) unless efficiency gains intervene.

Research has three programmes, each with diminishing returns to focus: efficiency
(architectures, data, recipes: it needs people more than compute), reasoning (post-training
at scale: it needs compute) and safety. Output grows with research compute and research
labour: the lab's people, plus the automated researchers its own model provides once it
has passed the timeline's milestones (they run on compute, so a compute-starved lab gets
only part of that help: the loop by which leads can snowball). Safety work also taxes
training: evaluations and safety training take part of the run.

Efficiency research is lumpy: part of its output comes as steady progress, part in rare
breakthroughs (an architecture, a recipe) of drawn size. A breakthrough's odds and mean size
keep each lab's expected pace unchanged; what is luck is when, and to whom, a leap comes,
and a leap can carry a small lab past a bigger one.

Publications spill efficiency towards the most efficient lab, open weights faster; and
anyone can fine-tune or distil the best open model, which takes time, compute and people.

A government may pool its labs' compute (where its level's ``pool_max`` allows): its other
labs give that share of their powered compute to one lab, its state champion or else its
most capable, which trains and experiments on it while the pool lasts.
"""

from __future__ import annotations

import numpy as np

from .diplomacy import cap_values, labs_paused
from .timeline import checkpoint_draws, labour_multiplier
from .util import any_over, by_country, masked_max, ratio


def normalised(a, b, c_, default):
    a, b, c_ = (np.maximum(np.nan_to_num(x), 0.0) for x in (a, b, c_))
    total = a + b + c_
    empty = total <= 0
    total = np.where(empty, 1.0, total)
    return (np.where(empty, default[0], a / total), np.where(empty, default[1], b / total), np.where(empty, default[2], c_ / total))


def focus_shares(lab, s, rules):
    """Research focus after regulation: a regulated lab must spend part of it on safety."""
    fe, fr, fs = normalised(lab.focus_efficiency, lab.focus_reasoning, lab.focus_safety, (0.4, 0.4, 0.2))
    floor = 0.5 * by_country(s.regulation, s.country)
    lift = np.maximum(0.0, floor - fs)
    keep = ratio(1.0 - fs - lift, 1.0 - fs, fill=0.0)
    return fe * keep, fr * keep, fs + lift


def focus_gain(share, k):
    """Output of a research programme with ``share`` of the focus: share ** k, k < 1."""
    return np.exp(k * np.log(np.maximum(share, 1e-300))) * (share > 0)


def powered_compute(s, powered_mw, rules):
    """(training, inference) H100-equivalents that get power, (R, L) each. The most
    efficient classes are powered first, so a lab short of power leaves its oldest chips
    dark. A loop over chip classes: each step works on (R, L) slices, which is far cheaper
    than cumulative sums over a short last axis."""
    order = np.argsort(-(rules.chip_perf_train / rules.chip_power_mw), kind="stable")
    remaining = powered_mw.copy()
    train = np.zeros_like(powered_mw)
    infer = np.zeros_like(powered_mw)
    for k in order:
        load = s.chips[:, :, k] * rules.chip_power_mw[k]
        share = np.clip(ratio(remaining, load, fill=0.0), 0.0, 1.0)
        lit = s.chips[:, :, k] * share
        train += lit * rules.chip_perf_train[k]
        infer += lit * rules.chip_perf_infer[k]
        remaining = remaining - load * share
    return train, infer


def pool_recipient(s, rules, c: int) -> tuple[np.ndarray, np.ndarray]:
    """(R,) the lab country c's compute pool feeds, its state-backed champion (the most capable,
    if several) or else its most capable lab, and (R,) whether c has a living lab at all."""
    mine = s.alive & (s.country == c)
    champions = mine & rules.lab_state_backed[None, :]
    pick = np.where(any_over(champions, 1)[:, None], champions, mine)
    return np.argmax(np.where(pick, s.capability, -np.inf), axis=1), any_over(mine, 1)


def pool_compute(s, rules, live_train):
    """National compute pools: each country's other labs give its pool's share of their
    powered compute to the pool's lab (its people then train and experiment on it). Returns
    the compute each lab works with and what it gave (-) or got (+), (R, L) each."""
    pooled = np.zeros_like(live_train)
    for c in np.flatnonzero(rules.gov_pool_max > 0):  # a loop over countries, not replicas
        share = s.pool[:, c]
        if not (share > 0).any():
            continue
        to, has = pool_recipient(s, rules, c)
        rows = np.arange(len(to))
        givers = s.alive & (s.country == c)
        givers[rows, to] = False
        give = live_train * (share * has)[:, None] * givers
        pooled -= give
        pooled[rows, to] += give.sum(axis=1)
    return live_train + pooled, pooled


def compute(s, lab, rules, rep):
    """FLOP and H100-equivalents the lab can use this turn, by purpose."""
    c = rules.at(s.turn)
    h100e_train = s.chips @ rules.chip_perf_train
    live_train, live_infer = powered_compute(s, rep.power_mw, rules)
    live_train, rep.pooled_h100e = pool_compute(s, rules, live_train)
    # Compute rented abroad works alongside the lab's own (and needs people to use it).
    live_train = live_train + rep.rented_h100e
    live_infer = live_infer + rep.rented_h100e
    need = c["talent_need"] * ((h100e_train + rep.rented_h100e) / 1e5) ** c["talent_need_exponent"]
    talent_factor = np.minimum(1.0, ratio(s.talent, need, fill=1.0))
    # Security procedures (air gaps, compartments, vetting) slow every part of the work.
    procedures = 1.0 - c["security_slowdown"][s.security - 1]
    flops = live_train * c["flop_per_h100e"] * c["utilisation"] * c["training_scale"] * talent_factor * procedures * s.edge * s.alive
    train, serve, research = normalised(lab.train, lab.serve, lab.research, (0.5, 0.35, 0.15))
    drag = 1.0 - by_country(s.regulation, s.country) * c["regulation_drag"]
    # The alignment tax: evaluations and safety training take part of every run.
    _, _, fs = focus_shares(lab, s, rules)
    tax = 1.0 - c["alignment_tax"] * fs
    rep.h100e = h100e_train
    rep.h100e_live = live_train
    rep.compute_flops = flops
    rep.talent_factor = talent_factor
    # A frontier run trains in one place: the largest site, plus part of the others.
    sites = rep.sites
    biggest = sites[:, :, 0].copy()
    for n in range(1, sites.shape[2]):
        np.maximum(biggest, sites[:, :, n], out=biggest)
    largest = ratio(biggest, rep.site_mw, fill=1.0)
    concentration = largest + (1.0 - largest) * c["multi_site"]
    rep.concentration = concentration
    rep.training_flop = flops * c["seconds_per_turn"] * train * drag * concentration * tax
    rep.research_h100e = live_train * talent_factor * procedures * research * s.alive
    rep.serve_h100e = live_infer * serve * s.alive


def run_reach(s, slots=slice(None)):
    """(R, S) OOM by which the run in training would raise the lab's model if it ended next
    turn (its compute so far and one more turn's, at today's algorithms, before the run's
    noise; 0 for a run not yet a turn old): how far ahead of its released model a lab must
    look for its next passage."""
    age = s.run_age[:, slots]
    grown = s.run_flop[:, slots] * (age + 1) / np.maximum(age, 1)
    outcome = np.log10(np.maximum(grown, 1.0)) + s.efficiency[:, slots] + s.reasoning[:, slots]
    return np.where(age >= 1, np.maximum(outcome - s.capability[:, slots], 0.0), 0.0)


def train_models(s, lab, rules, rng, rep) -> None:
    """Runs accumulate compute; a finished run becomes the lab's model if it is better. One
    that is not keeps training, its compute kept, and is looked at again next turn (a fresh
    evaluation, noise and all); only a cap that the run has reached ends it unreleased. A run
    a pause stops ends on its line; one the lab's own cap stops, at its last checkpoint below
    it (up to ``run_noise`` below)."""
    c = rules.at(s.turn)
    s.run_flop += rep.training_flop
    s.run_age += s.alive
    length = np.clip(np.asarray(lab.run_turns, dtype=np.int64), 1, 8)
    rep.run_length = length
    done = s.alive & (s.run_age >= length)
    u = rng.uniform(s.turn, "training", (s.alive.shape[1],))
    noise = (2.0 * u - 1.0) * np.sqrt(3.0) * c["run_noise"]
    outcome = np.log10(np.maximum(s.run_flop, 1.0)) + s.efficiency + s.reasoning + noise
    # A lab that caps its capability (a pause, or an agreement) trains no model beyond it.
    cap = cap_values(lab.cap_capability)
    capped = (cap > 0) & (outcome >= cap)
    # A run a pause stops ends on the pause's line: its members' labs are held level there,
    # and what their compute could train beyond it separates them at AGI (timeline._agi).
    # A run the lab's own cap stops ends at its last checkpoint below it.
    on_line = labs_paused(s) & (cap == s.treaty_cap[:, None])
    below = cap - c["run_noise"] * checkpoint_draws(rng, s.turn, s.alive.shape[1])[:, 0]
    outcome = np.where(capped, np.where(on_line, cap, below), outcome)
    better = done & (outcome > s.capability)
    ended = better | (done & capped)
    rep.released = better
    rep.run_kept = done & ~ended
    rep.run_flop_done = np.where(ended, s.run_flop, 0.0)
    rep.run_outcome = np.where(done, outcome, np.nan)
    s.capability = np.where(better, outcome, s.capability)
    s.model_open = np.where(better, lab.open_weights, s.model_open)
    s.run_flop = np.where(ended, 0.0, s.run_flop)
    s.run_age = s.run_age * ~ended


def research_effort(s, rules, research_h100e, c):
    """Per lab (R, L): output of each research programme at full focus (efficiency,
    reasoning, safety) and the speed-up automation gives the lab's people.

    Each programme grows with research compute at its own elasticity (efficiency least,
    reasoning most) and with the square root of research labour; automated researchers
    add labour, half of it at ``automation_h100e`` of research compute."""
    compute = ratio(research_h100e, c["nominal_research"])
    running = ratio(research_h100e, research_h100e + c["automation_h100e"])
    extra = labour_multiplier(s, rules) * running
    speedup = np.sqrt(1.0 + extra)
    people = np.sqrt(s.talent) * s.alive
    efficiency = compute ** c["efficiency_elasticity"] * people * speedup
    reasoning = compute ** c["reasoning_elasticity"] * people * speedup
    safety = compute ** c["safety_elasticity"] * np.sqrt(s.talent * (1.0 + c["safety_automation"] * extra)) * s.alive
    return efficiency, reasoning, safety, speedup


def breakthroughs(s, c, rng, rep):
    """(R, L) this turn's multiplier on each lab's efficiency output, 1 on average: a share of
    the output is steady, the rest comes only in a turn with a breakthrough, then scaled so
    the mean is kept. A breakthrough's size is exponential, capped at ``breakthrough_max_years``
    of output; at the baseline's odds (about 15% of years) most bring several years of the
    lab's efficiency work at once (up to six), since they must carry the years between them."""
    share, chance = c["breakthrough_share"], c["breakthrough_chance"]
    u = rng.uniform(s.turn, "breakthrough", (s.alive.shape[1], 2))
    hit = s.alive & (u[..., 0] < chance)
    rep.breakthrough = hit
    if chance <= 0.0:
        return np.full(s.alive.shape, 1.0 - share)
    cap = chance * c["breakthrough_cap_turns"]  # the cap, in units of the size's mean
    size = np.minimum(-np.log(np.maximum(u[..., 1], 1e-300)), cap) / (chance * -np.expm1(-cap))
    return (1.0 - share) + share * size * hit


def do_research(s, lab, rules, rep, rng) -> None:
    c = rules.at(s.turn)
    efficiency, reasoning, safety, speedup = research_effort(s, rules, rep.research_h100e, c)
    fe, fr, fs = focus_shares(lab, s, rules)
    k = c["focus_exponent"]
    gain = c["efficiency_rate"] * focus_gain(fe, k) * efficiency * breakthroughs(s, c, rng, rep)
    # Each OOM is harder than the last: a lab's own gains shrink as its algorithms near the
    # ceiling, which no lab passes (an automated research team in a long pause would otherwise
    # compound several OOM a year without end).
    ceiling = c["efficiency_ceiling"]
    headroom = np.maximum(0.0, 1.0 - (s.efficiency / ceiling) ** 4)
    gain = np.minimum(gain * headroom, np.maximum(ceiling - s.efficiency, 0.0))
    rep.efficiency_gain = gain
    # Publications spill over towards the most efficient lab; open weights spill faster.
    leader = masked_max(s.efficiency, s.alive, 0.0)
    open_leader = masked_max(s.efficiency, s.alive & s.model_open, -np.inf)
    behind = np.maximum(0.0, leader[:, None] - s.efficiency)
    behind_open = np.maximum(0.0, np.where(np.isfinite(open_leader), open_leader, 0.0)[:, None] - s.efficiency)
    behind_open = np.where(np.isfinite(open_leader)[:, None], behind_open, 0.0)
    moved = s.efficiency + gain + (c["spillover"] * behind + c["open_diffusion"] * behind_open) * s.alive
    s.efficiency = np.minimum(moved, np.maximum(s.efficiency, ceiling))  # spillovers stop at the ceiling too
    # Fast followers: published recipes and distilled reasoning traces close part of the gap
    # to the best reasoning (the leader is found before anyone's reasoning moves); absorbing
    # them takes the lab's own research (none without research compute).
    behind_r = np.maximum(0.0, masked_max(s.reasoning, s.alive, 0.0)[:, None] - s.reasoning)
    s.reasoning = (s.reasoning + c["reasoning_rate"] * focus_gain(fr, k) * reasoning / (1.0 + s.reasoning)
                   + c["reasoning_spillover"] * behind_r * np.minimum(reasoning, 1.0) * s.alive)
    rep.safety_gain = c["safety_rate"] * focus_gain(fs, k) * safety
    s.safety = s.safety + rep.safety_gain
    rep.focus_safety = fs
    rep.effort = efficiency
    rep.speedup = speedup


def open_diffusion(s, rules, rep, cap_capability) -> None:
    """Open weights released by last turn can be fine-tuned or distilled: each lab closes
    part of the way to a little below the best open model each turn, faster with more
    compute and people; its capability is the better of its own model and that one.

    A lab with a cap (``cap_capability`` > 0: a pause it is bound by, or its own wait below
    a milestone its safety is not ready for) fields no distilled model beyond it, as it
    trains none: it keeps its own model, and what it has absorbed stays in ``distilled`` and
    lifts it once the cap goes."""
    c = rules.at(s.turn)
    best_open = s.open_best  # the best open model as of the end of last turn (0: none)
    target = np.where(best_open[:, None] > 0, best_open[:, None] - c["distill_gap"] / np.sqrt(np.maximum(s.talent, 0.05)), 0.0)
    compute = ratio(rep.h100e_live, rep.h100e_live + c["distill_h100e"])
    rate = 1.0 - np.exp(-c["distill_rate"] * compute * np.minimum(s.talent, 1.5))
    s.distilled = np.where(s.alive, s.distilled + rate * np.maximum(target - s.distilled, 0.0), s.distilled)
    cap = cap_values(cap_capability)
    lifted = s.alive & (s.distilled > s.capability) & ((cap <= 0) | (s.distilled <= cap))
    s.capability = np.where(lifted, s.distilled, s.capability)
    rep.lifted = lifted
    rep.best_open = best_open
    s.open_best = masked_max(s.capability, s.alive & s.model_open, 0.0)
