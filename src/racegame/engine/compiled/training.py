"""Compiled twins of ``engine.research.train_models`` and ``engine.research.open_diffusion``,
one replica at a time (see ``compiled/__init__.py``).

The effects match the numpy phases' exactly, in place or not: ``train_models`` adds this
turn's compute and age to the runs in place (``s.run_flop += ...``, ``s.run_age += ...``),
then assigns fresh arrays for them; ``open_diffusion`` reports the incoming ``s.open_best``
array itself as ``rep.best_open`` and assigns a fresh one. Everything else is a fresh array.
"""

from __future__ import annotations

import math

import numpy as np

from ..diplomacy import cap_values, labs_paused
from ..timeline import checkpoint_draws
from .jit import kernel
from .scalar import maximum, minimum, ratio


# -- train_models ---------------------------------------------------------------------------
@kernel
def _train_models(training_flop, alive, run_turns, u, below, on_line, efficiency, reasoning, cap_capability,
                  open_weights, capability, model_open, run_noise,
                  run_flop, run_age,
                  run_length, released, run_kept, run_flop_done, run_outcome,
                  new_capability, new_model_open, new_run_flop, new_run_age):
    R, L = alive.shape
    sqrt3 = math.sqrt(3.0)
    for r in range(R):
        for l in range(L):
            # The run accumulates compute and age (in place, as the numpy phase's +=).
            flop = run_flop[r, l] + training_flop[r, l]
            run_flop[r, l] = flop
            age = run_age[r, l] + (1 if alive[r, l] else 0)
            run_age[r, l] = age
            length = min(max(run_turns[r, l], 1), 8)
            run_length[r, l] = length
            done = alive[r, l] and age >= length
            # Only a finished run is evaluated (the logarithm is most of the kernel's work):
            # the numpy phase's outcome of any other run goes unused, and NaN keeps it from
            # counting as capped or better.
            outcome = np.nan
            if done:
                noise = (2.0 * u[r, l] - 1.0) * sqrt3 * run_noise
                outcome = math.log10(maximum(flop, 1.0)) + efficiency[r, l] + reasoning[r, l] + noise
            # A cap (a pause, or an agreement; diplomacy.cap_values: > 0): no model beyond it.
            cap = cap_capability[r, l]
            capped = cap > 0.0 and outcome >= cap
            if capped:  # on a pause's line; below the lab's own cap, at its last checkpoint
                outcome = cap if on_line[r, l] else cap - run_noise * below[r, l]
            better = done and outcome > capability[r, l]
            ended = better or capped
            released[r, l] = better
            run_kept[r, l] = done and not ended
            run_flop_done[r, l] = flop if ended else 0.0
            run_outcome[r, l] = outcome
            new_capability[r, l] = outcome if better else capability[r, l]
            new_model_open[r, l] = open_weights[r, l] if better else model_open[r, l]
            new_run_flop[r, l] = 0.0 if ended else flop
            new_run_age[r, l] = 0 if ended else age


def train_models(s, lab, rules, rng, rep) -> None:
    """research.train_models, compiled."""
    c = rules.at(s.turn)
    R, L = s.alive.shape
    u = rng.uniform(s.turn, "training", (L,))
    below = np.ascontiguousarray(checkpoint_draws(rng, s.turn, L)[:, 0])
    cap = cap_values(lab.cap_capability)
    on_line = labs_paused(s) & (cap == s.treaty_cap[:, None])  # as numpy
    run_length = np.empty((R, L), dtype=np.int64)
    flags = [np.empty((R, L), dtype=np.bool_) for _ in range(2)]  # released, run_kept
    floats = [np.empty((R, L)) for _ in range(3)]  # run_flop_done, run_outcome, capability
    model_open = np.empty((R, L), dtype=np.result_type(lab.open_weights, s.model_open))
    run_flop = np.empty((R, L))
    run_age = np.empty((R, L), dtype=s.run_age.dtype)
    _train_models(rep.training_flop, s.alive, np.asarray(lab.run_turns, dtype=np.int64), u, below, on_line,
                  s.efficiency, s.reasoning, cap, lab.open_weights,
                  s.capability, s.model_open, float(c["run_noise"]),
                  s.run_flop, s.run_age,
                  run_length, *flags, *floats, model_open, run_flop, run_age)
    rep.run_length = run_length
    rep.released, rep.run_kept = flags
    rep.run_flop_done, rep.run_outcome, s.capability = floats
    s.model_open = model_open
    s.run_flop = run_flop
    s.run_age = run_age


# -- open_diffusion -------------------------------------------------------------------------
@kernel
def _open_diffusion(open_best, talent, h100e_live, alive, model_open, distilled, capability, cap_capability,
                    distill_gap, distill_h100e, distill_rate,
                    new_distilled, new_capability, lifted, new_open_best):
    R, L = alive.shape
    for r in range(R):
        best_open = open_best[r]  # the best open model as of the end of last turn (0: none)
        best = -np.inf
        any_open = False
        for l in range(L):
            t = talent[r, l]
            target = best_open - distill_gap / math.sqrt(maximum(t, 0.05)) if best_open > 0 else 0.0
            live = h100e_live[r, l]
            compute = ratio(live, live + distill_h100e, 0.0)
            rate = 1.0 - math.exp(-distill_rate * compute * minimum(t, 1.5))
            d = distilled[r, l]
            if alive[r, l]:
                d = d + rate * maximum(target - d, 0.0)
            new_distilled[r, l] = d
            # A capped lab (diplomacy.cap_values: > 0) fields no distilled model beyond its cap.
            limit = cap_capability[r, l]
            fits = limit <= 0.0 or d <= limit
            lift = alive[r, l] and d > capability[r, l] and fits
            lifted[r, l] = lift
            cap = d if lift else capability[r, l]
            new_capability[r, l] = cap
            # masked_max over the living open models (NaN wins, as with np.maximum).
            if alive[r, l] and model_open[r, l]:
                any_open = True
                best = maximum(best, cap)
        new_open_best[r] = best if any_open else 0.0


def open_diffusion(s, rules, rep, cap_capability) -> None:
    """research.open_diffusion, compiled."""
    c = rules.at(s.turn)
    R, L = s.alive.shape
    floats = [np.empty((R, L)) for _ in range(2)]  # distilled, capability
    lifted = np.empty((R, L), dtype=np.bool_)
    open_best = np.empty(R)
    _open_diffusion(s.open_best, s.talent, rep.h100e_live, s.alive, s.model_open, s.distilled, s.capability,
                    cap_values(cap_capability),
                    float(c["distill_gap"]), float(c["distill_h100e"]), float(c["distill_rate"]),
                    *floats, lifted, open_best)
    s.distilled, s.capability = floats
    rep.lifted = lifted
    rep.best_open = s.open_best  # the incoming array itself, as the numpy phase reports it
    s.open_best = open_best
