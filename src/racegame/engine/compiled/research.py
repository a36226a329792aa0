"""Compiled twins of ``engine.research.compute`` and ``engine.research.do_research`` (with
what they call: powered_compute, pool_compute, focus_shares, research_effort,
breakthroughs), one replica at a time.

The wrappers read the per-turn constants, make the same random draw as the numpy phase and
hand plain arrays to the kernels; the kernels keep the numpy phase's order of operations.
Every result is a fresh array (the numpy phase assigns new arrays too, so nothing that
still holds an old one sees it change).
"""

from __future__ import annotations

import math

import numpy as np

from .jit import kernel
from .scalar import maximum, minimum, nan_to_num, pairwise_sum, ratio


@kernel
def _clean(x):
    """np.maximum(np.nan_to_num(x), 0.0) for one element."""
    return maximum(nan_to_num(x), 0.0)


@kernel
def _normalised(a, b, c_, da, db, dc):
    """research.normalised for one lab."""
    a, b, c_ = _clean(a), _clean(b), _clean(c_)
    total = a + b + c_
    if total <= 0.0:
        return da, db, dc
    return a / total, b / total, c_ / total


@kernel
def _focus_shares(fe0, fr0, fs0, regulation):
    """research.focus_shares for one lab (``regulation``: its country's)."""
    fe, fr, fs = _normalised(fe0, fr0, fs0, 0.4, 0.4, 0.2)
    floor = 0.5 * regulation
    lift = maximum(0.0, floor - fs)
    keep = ratio(1.0 - fs - lift, 1.0 - fs, 0.0)
    return fe * keep, fr * keep, fs + lift


@kernel
def _focus_gain(share, k):
    """research.focus_gain for one element."""
    return math.exp(k * math.log(maximum(share, 1e-300))) * (1.0 if share > 0.0 else 0.0)


# -- compute ----------------------------------------------------------------------------
@kernel
def _compute_kernel(chips, power_mw, rented, talent, security, edge, alive, country, capability,
                    regulation, pool, lab_train, lab_serve, lab_research, lab_fe, lab_fr, lab_fs,
                    sites, site_mw,
                    perf_train, perf_infer, chip_power_mw, order, state_backed, pool_countries,
                    talent_need, talent_need_exponent, security_slowdown, flop_per_h100e, utilisation,
                    training_scale, regulation_drag, alignment_tax, multi_site, seconds_per_turn,
                    h100e, pooled, h100e_live, compute_flops, talent_factor, concentration,
                    training_flop, research_h100e, serve_h100e):
    R, L, K = chips.shape
    N = sites.shape[2]
    live_train = np.empty(L)
    live_infer = np.empty(L)
    give = np.empty(L)
    for r in range(R):
        for l in range(L):
            # H100-equivalents owned (in class order, where numpy's matrix product sums
            # in an order of its own: they agree to rounding).
            total = 0.0
            for k in range(K):
                total += chips[r, l, k] * perf_train[k]
            h100e[r, l] = total
            # powered_compute: the most efficient classes take the power first.
            remaining = power_mw[r, l]
            train = 0.0
            infer = 0.0
            for k in order:
                if chips[r, l, k] == 0.0:
                    continue  # no load, nothing lit: the numpy step adds zeros (chip power is finite)
                load = chips[r, l, k] * chip_power_mw[k]
                share = minimum(maximum(ratio(remaining, load, 0.0), 0.0), 1.0)
                lit = chips[r, l, k] * share
                train += lit * perf_train[k]
                infer += lit * perf_infer[k]
                remaining = remaining - load * share
            live_train[l] = train
            live_infer[l] = infer
            pooled[r, l] = 0.0

        # pool_compute: each pooling country's other labs give its share to one lab.
        for c in pool_countries:
            # pool_recipient: the most capable state-backed lab, else the most capable
            # (argmax semantics: the first of equals, and a NaN wins).
            any_champion = False
            has = False
            for l in range(L):
                if alive[r, l] and country[r, l] == c:
                    has = True
                    any_champion = any_champion or state_backed[l]
            to = 0
            best = -np.inf
            for l in range(L):
                pick = alive[r, l] and country[r, l] == c and (state_backed[l] or not any_champion)
                value = capability[r, l] if pick else -np.inf
                if value != value:
                    to = l
                    break
                if value > best:
                    best = value
                    to = l
            share = pool[r, c] * (1.0 if has else 0.0)
            for l in range(L):
                giver = alive[r, l] and country[r, l] == c and l != to
                give[l] = live_train[l] * share * (1.0 if giver else 0.0)
                pooled[r, l] -= give[l]
            pooled[r, to] += pairwise_sum(give)

        for l in range(L):
            # Compute rented abroad works alongside the lab's own (and needs people).
            train = live_train[l] + pooled[r, l] + rented[r, l]
            infer = live_infer[l] + rented[r, l]
            need = talent_need * ((h100e[r, l] + rented[r, l]) / 1e5) ** talent_need_exponent
            factor = minimum(1.0, ratio(talent[r, l], need, 1.0))
            step = security[r, l] - 1
            if step < 0:  # numpy's index -1 is the last level
                step += security_slowdown.shape[0]
            procedures = 1.0 - security_slowdown[step]
            living = 1.0 if alive[r, l] else 0.0
            flops = (train * flop_per_h100e * utilisation * training_scale * factor * procedures
                     * edge[r, l] * living)
            share_train, share_serve, share_research = _normalised(
                lab_train[r, l], lab_serve[r, l], lab_research[r, l], 0.5, 0.35, 0.15)
            reg = regulation[r, country[r, l]]
            drag = 1.0 - reg * regulation_drag
            fs = _focus_shares(lab_fe[r, l], lab_fr[r, l], lab_fs[r, l], reg)[2]
            tax = 1.0 - alignment_tax * fs
            # A frontier run trains in one place: the largest site, plus part of the others.
            biggest = sites[r, l, 0]
            for n in range(1, N):
                biggest = maximum(biggest, sites[r, l, n])
            largest = ratio(biggest, site_mw[r, l], 1.0)
            conc = largest + (1.0 - largest) * multi_site
            h100e_live[r, l] = train
            compute_flops[r, l] = flops
            talent_factor[r, l] = factor
            concentration[r, l] = conc
            training_flop[r, l] = flops * seconds_per_turn * share_train * drag * conc * tax
            research_h100e[r, l] = train * factor * procedures * share_research * living
            serve_h100e[r, l] = infer * share_serve * living


def _lab_field(x) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float64)


def compute(s, lab, rules, rep):
    """FLOP and H100-equivalents the lab can use this turn, by purpose."""
    c = rules.at(s.turn)
    R, L = s.alive.shape
    order = np.argsort(-(rules.chip_perf_train / rules.chip_power_mw), kind="stable")
    # The numpy phase skips a pooling country only when no replica pools: the same here.
    pool_countries = np.array([k for k in np.flatnonzero(rules.gov_pool_max > 0) if (s.pool[:, k] > 0).any()], dtype=np.int64)
    out = [np.empty((R, L)) for _ in range(9)]
    _compute_kernel(
        s.chips, _lab_field(rep.power_mw), _lab_field(rep.rented_h100e), s.talent, s.security, s.edge, s.alive,
        s.country, s.capability, s.regulation, s.pool,
        _lab_field(lab.train), _lab_field(lab.serve), _lab_field(lab.research),
        _lab_field(lab.focus_efficiency), _lab_field(lab.focus_reasoning), _lab_field(lab.focus_safety),
        np.ascontiguousarray(rep.sites, dtype=np.float64), _lab_field(rep.site_mw),
        rules.chip_perf_train, rules.chip_perf_infer, rules.chip_power_mw, order.astype(np.int64),
        np.asarray(rules.lab_state_backed, dtype=np.bool_), pool_countries,
        float(c["talent_need"]), float(c["talent_need_exponent"]), np.asarray(c["security_slowdown"], dtype=np.float64),
        float(c["flop_per_h100e"]), float(c["utilisation"]), float(c["training_scale"]), float(c["regulation_drag"]),
        float(c["alignment_tax"]), float(c["multi_site"]), float(c["seconds_per_turn"]),
        *out)
    (rep.h100e, rep.pooled_h100e, rep.h100e_live, rep.compute_flops, rep.talent_factor, rep.concentration,
     rep.training_flop, rep.research_h100e, rep.serve_h100e) = out


# -- do_research --------------------------------------------------------------------------
@kernel
def _research_kernel(research_h100e, talent, alive, milestone, country, regulation, efficiency,
                     reasoning, safety, model_open, lab_fe, lab_fr, lab_fs, u, labour,
                     nominal_research, automation_h100e, efficiency_elasticity, reasoning_elasticity,
                     safety_elasticity, safety_automation, share, chance, cap, size_scale,
                     focus_exponent, efficiency_rate, ceiling, spillover, open_diffusion,
                     reasoning_rate, reasoning_spillover, safety_rate,
                     new_efficiency, new_reasoning, new_safety, breakthrough, efficiency_gain,
                     safety_gain, focus_safety, effort, speedup_out):
    R, L = alive.shape
    k = focus_exponent
    for r in range(R):
        # The leaders are found before anyone's efficiency or reasoning moves (masked_max).
        any_alive = False
        any_open = False
        best = -np.inf
        best_open = -np.inf
        best_r = -np.inf
        for l in range(L):
            if alive[r, l]:
                any_alive = True
                best = maximum(best, efficiency[r, l])
                best_r = maximum(best_r, reasoning[r, l])
                if model_open[r, l]:
                    any_open = True
                    best_open = maximum(best_open, efficiency[r, l])
        leader = best if any_alive else 0.0
        open_leader = best_open if any_open else -np.inf
        open_known = abs(open_leader) < np.inf  # finite (NaN is not)
        leader_r = best_r if any_alive else 0.0

        for l in range(L):
            living = 1.0 if alive[r, l] else 0.0
            # research_effort
            rh = research_h100e[r, l]
            compute = ratio(rh, nominal_research, 0.0)
            running = ratio(rh, rh + automation_h100e, 0.0)
            extra = labour[milestone[r, l]] * running
            speedup = np.sqrt(1.0 + extra)
            people = np.sqrt(talent[r, l]) * living
            eff_effort = compute ** efficiency_elasticity * people * speedup
            reas_effort = compute ** reasoning_elasticity * people * speedup
            safe_effort = compute ** safety_elasticity * np.sqrt(talent[r, l] * (1.0 + safety_automation * extra)) * living
            fe, fr, fs = _focus_shares(lab_fe[r, l], lab_fr[r, l], lab_fs[r, l], regulation[r, country[r, l]])

            # breakthroughs: a steady share, and the rest in a drawn leap when one comes.
            hit = alive[r, l] and u[r, l, 0] < chance
            breakthrough[r, l] = hit
            if chance <= 0.0:
                lumps = 1.0 - share
            else:
                size = minimum(-math.log(maximum(u[r, l, 1], 1e-300)), cap) / size_scale
                lumps = (1.0 - share) + share * size * (1.0 if hit else 0.0)
            gain = efficiency_rate * _focus_gain(fe, k) * eff_effort * lumps
            # Each OOM is harder than the last, and no lab passes the ceiling.
            e = efficiency[r, l]
            headroom = maximum(0.0, 1.0 - (e / ceiling) ** 4.0)
            gain = minimum(gain * headroom, maximum(ceiling - e, 0.0))
            efficiency_gain[r, l] = gain
            # Spillovers towards the most efficient lab, faster from open weights.
            behind = maximum(0.0, leader - e)
            if open_known:
                behind_open = maximum(0.0, open_leader - e)
            else:
                behind_open = 0.0
            moved = e + gain + (spillover * behind + open_diffusion * behind_open) * living
            new_efficiency[r, l] = minimum(moved, maximum(e, ceiling))
            # Fast followers close part of the gap to the best reasoning.
            q = reasoning[r, l]
            behind_r = maximum(0.0, leader_r - q)
            new_reasoning[r, l] = (q + reasoning_rate * _focus_gain(fr, k) * reas_effort / (1.0 + q)
                                   + reasoning_spillover * behind_r * minimum(reas_effort, 1.0) * living)
            sg = safety_rate * _focus_gain(fs, k) * safe_effort
            safety_gain[r, l] = sg
            new_safety[r, l] = safety[r, l] + sg
            focus_safety[r, l] = fs
            effort[r, l] = eff_effort
            speedup_out[r, l] = speedup


def do_research(s, lab, rules, rep, rng) -> None:
    c = rules.at(s.turn)
    R, L = s.alive.shape
    share, chance = c["breakthrough_share"], c["breakthrough_chance"]
    u = rng.uniform(s.turn, "breakthrough", (L, 2))
    cap = chance * c["breakthrough_cap_turns"]  # the cap, in units of the size's mean
    size_scale = 1.0 if chance <= 0.0 else chance * -np.expm1(-cap)
    labour = np.concatenate([[0.0], rules.milestone_labour])  # timeline.labour_multiplier's table
    floats = [np.empty((R, L)) for _ in range(3)]
    breakthrough = np.empty((R, L), dtype=np.bool_)
    report = [np.empty((R, L)) for _ in range(5)]
    _research_kernel(
        _lab_field(rep.research_h100e), s.talent, s.alive, s.milestone, s.country, s.regulation, s.efficiency,
        s.reasoning, s.safety, s.model_open,
        _lab_field(lab.focus_efficiency), _lab_field(lab.focus_reasoning), _lab_field(lab.focus_safety),
        np.ascontiguousarray(u, dtype=np.float64), labour,
        float(c["nominal_research"]), float(c["automation_h100e"]), float(c["efficiency_elasticity"]),
        float(c["reasoning_elasticity"]), float(c["safety_elasticity"]), float(c["safety_automation"]),
        float(share), float(chance), float(cap), float(size_scale),
        float(c["focus_exponent"]), float(c["efficiency_rate"]), float(c["efficiency_ceiling"]),
        float(c["spillover"]), float(c["open_diffusion"]), float(c["reasoning_rate"]),
        float(c["reasoning_spillover"]), float(c["safety_rate"]),
        *floats, breakthrough, *report)
    s.efficiency, s.reasoning, s.safety = floats
    rep.breakthrough = breakthrough
    rep.efficiency_gain, rep.safety_gain, rep.focus_safety, rep.effort, rep.speedup = report
