"""One turn: ``step(state, orders, rules, rng) -> (new_state, report)``.

Pure: the input state and orders are not modified. Every random draw comes from ``rng``
(a ``RaceRandom``) keyed by turn, so the same inputs always give the same turn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from . import chips, diplomacy, economy, espionage, events, people, policy, power, research, safety, timeline
from .orders import LAB_ORDER_FLAGS, Orders, rules_first_grid as first_grid
from .util import clean_amount, ratio

BINDING_THRESHOLD = 0.1  # a constraint "binds" when it costs the lab at least this share
WAITING_MW = 1e-6  # capacity waiting below a watt is rounding, not a queue
BINDING = ("none", "cash", "chips", "export_controls", "power", "queue", "talent")


class TurnReport:
    """What happened in a turn and why, as arrays over replicas (filled by the phases)."""

    def __init__(self, turn: int):
        self.turn = turn

    def __repr__(self):
        return f"TurnReport(turn={self.turn}, fields={sorted(k for k in vars(self) if k != 'turn')})"


def sanitise(lab, s, rules):
    """Clip what no controller may ask for, and scale spending to what the lab can pay."""
    c = rules.at(s.turn)
    alive = s.alive
    lab = replace(lab)
    for name in ("chip_usd", "build_mw", "onsite_mw", "ppa_mw", "hire_usd", "retention_usd", "lobby_usd", "intel_usd", "rent_usd"):
        value = clean_amount(getattr(lab, name))
        value *= alive[:, :, None] if value.ndim == 3 else alive
        setattr(lab, name, value)
    lab.ppa_mw = np.minimum(lab.ppa_mw, lab.build_mw)
    grid = np.clip(np.asarray(lab.build_grid, dtype=np.int64), 0, len(rules.grid_ids) - 1)
    home = rules.grid_country[grid] == s.country
    # Orders of labs that are not alive are ignored, and canonical, so that a batch (where a
    # lab may be alive in one replica only) and a lone replica record the same state.
    lab.build_grid = np.where(home & alive, grid, first_grid(rules)[s.country])
    lab.lobby_goal = np.where(alive, np.clip(np.asarray(lab.lobby_goal, dtype=np.int64), 0, 5), 0)
    for name in LAB_ORDER_FLAGS:
        setattr(lab, name, np.asarray(getattr(lab, name), dtype=bool) & alive)

    capital = lab.build_mw * c["dc_capex"] + lab.onsite_mw * c["onsite_capex"] + lab.ppa_mw * c["ppa_capex"]
    wanted = (np.einsum("rlk->rl", lab.chip_usd) + capital + lab.hire_usd + lab.retention_usd + lab.lobby_usd + lab.intel_usd
              + lab.rent_usd)
    budget = c["max_spend_share"] * np.maximum(s.cash, 0.0)
    scale = np.minimum(1.0, ratio(budget, wanted, fill=1.0))
    for name in ("build_mw", "onsite_mw", "ppa_mw", "hire_usd", "retention_usd", "lobby_usd", "intel_usd", "rent_usd"):
        setattr(lab, name, getattr(lab, name) * scale)
    lab.chip_usd = lab.chip_usd * scale[:, :, None]
    return lab, scale, wanted


def merge(old, new, keep_old):
    """Per replica: ``old`` where ``keep_old``, else ``new`` (turn from ``new``)."""
    out = new.copy()
    for name, arr in out.arrays():
        mask = keep_old.reshape((-1,) + (1,) * (arr.ndim - 1))
        setattr(out, name, np.where(mask, getattr(old, name), arr))
    return out


def binding_constraint(rep, lab, power_frac, cash, burn):
    """Which constraint held each lab back most this turn (index into BINDING).

    Each candidate is scored by the share of compute or spending it cost. Sites that are
    full while the lab has money to grow count as a power problem too: a sensible lab stops
    buying chips it cannot plug in, and that is power binding, not a lack of chips. Powered
    capacity left idle because the lab could not pay to fill it is cash binding.
    """
    rationed = ratio(rep.rationed, rep.chip_offer)
    room = np.maximum(rep.site_mw - rep.chip_mw, 0.0)
    idle = ratio(room, rep.site_mw)
    priced = np.isfinite(rep.usd_per_mw)  # no chip on sale: money is not what is missing
    short_of_cash = priced & (cash < room * np.where(priced, rep.usd_per_mw, 0.0))
    cash_loss = np.maximum(1.0 - rep.spend_scale, idle * short_of_cash)
    # A lab rationed by chip makers had room for the chips it was denied: then chips bind.
    full = (rep.chip_mw >= 0.95 * rep.site_mw) & (cash > 2.0 * burn) & (rationed <= BINDING_THRESHOLD)
    power_loss = np.maximum(1.0 - power_frac, 0.15 * full)
    losses = np.stack(
        [
            np.zeros_like(power_frac),
            cash_loss,
            rationed,
            rep.control_loss,
            power_loss,
            np.zeros_like(power_frac),
            1.0 - rep.talent_factor,
        ],
        axis=-1,
    )
    # Power problems are queue problems while capacity sits waiting for a grid connection.
    queue = (rep.waiting_mw > WAITING_MW) & (rep.short_capacity >= rep.curtailed_mw)
    losses[..., 5] = losses[..., 4] * queue
    losses[..., 4] = losses[..., 4] * ~queue
    best = np.argmax(losses, axis=-1)
    return np.where(np.take_along_axis(losses, best[..., None], axis=-1)[..., 0] > BINDING_THRESHOLD, best, 0)


@dataclass(frozen=True)
class Phases:
    """The phases of a turn, by name. The vectorised engine uses the numpy ones below; the
    compiled engine (``engine.compiled``) swaps in kernels with the same signature and the
    same effects, checked by ``tests/test_compiled.py``."""

    fire_events: Callable = events.fire_events
    apply_policy: Callable = policy.apply_policy
    agreements: Callable = diplomacy.agreements
    sanitise: Callable = sanitise
    pause_caps: Callable = diplomacy.pause_caps
    chip_market: Callable = chips.chip_market
    rent_abroad: Callable = chips.rent_abroad
    construction: Callable = power.construction
    grids_and_power: Callable = power.grids_and_power
    compute: Callable = research.compute
    train_models: Callable = research.train_models
    do_research: Callable = research.do_research
    share_safety: Callable = diplomacy.share_safety
    open_diffusion: Callable = research.open_diffusion
    espionage: Callable = espionage.espionage
    passages: Callable = timeline.passages
    catch_cheats: Callable = diplomacy.catch_cheats
    revenue: Callable = economy.revenue
    talent: Callable = people.talent
    finance: Callable = economy.finance
    incidents: Callable = safety.incidents
    endings: Callable = safety.endings
    binding_constraint: Callable = binding_constraint


VECTORISED = Phases()


def step(state, orders: Orders, rules, rng, inplace: bool = False, phases: Phases = VECTORISED):
    """Resolve one turn. With ``inplace`` the input state is consumed (updated and returned)
    instead of copied: batches use it to save a full copy of every array each turn. A state
    holding finished games is always copied, so they can stay as they ended. ``phases``: the
    numpy phases, or the compiled engine's kernels in their place."""
    p = phases
    inplace = inplace and not state.ended.any()
    s = state if inplace else state.copy()
    rep = TurnReport(state.turn)
    govs = replace(orders.govs, **{k: np.array(v, copy=True) for k, v in vars(orders.govs).items()})

    events.lift_expired(s)
    p.fire_events(s, govs, rules, rng, rep, orders.injects)
    p.apply_policy(s, govs, rules, rng, rep)
    p.agreements(s, govs, rules, rng, rep)

    lab, scale, wanted = p.sanitise(orders.labs, s, rules)
    rep.spend_scale = np.where(wanted > 0, scale, 1.0)
    espionage.security_levels(s, lab, rules.at(s.turn))
    lab.cap_capability = p.pause_caps(s, lab, rules)
    chip_spend = p.chip_market(s, lab.chip_usd, rules, rep)
    rent_spend = p.rent_abroad(s, lab.rent_usd, rules, rep)
    capital = p.construction(s, lab, rules, rep)
    s.cash = s.cash - chip_spend - rent_spend - capital
    power_frac, chip_mw, _ = p.grids_and_power(s, orders.grids, rules, rep, power.queue_priority(s, lab, rules))

    before = s.capability.copy()
    p.compute(s, lab, rules, rep)
    p.train_models(s, lab, rules, rng, rep)
    p.do_research(s, lab, rules, rep, rng)
    p.share_safety(s, lab, rules, rep, rep.safety_gain)
    p.open_diffusion(s, rules, rep, lab.cap_capability)
    p.espionage(s, rules, rng, rep, lab.cap_capability)
    p.passages(s, rules, rng, rep)
    diplomacy.broken_commitments(s, lab, rules, rep)
    p.catch_cheats(s, rules, rng, rep)

    p.revenue(s, lab, rules, rep)
    p.talent(s, lab, rules, rng, rep)
    extra = lab.hire_usd + lab.retention_usd + lab.lobby_usd + lab.intel_usd
    p.finance(s, lab, rules, rng, rep, extra)
    s.lobby_usd = lab.lobby_usd
    # Intelligence builds up and goes stale: a stock in units of the reference spend.
    c = rules.at(s.turn)
    s.intel = s.intel * c["intel_keep"] + lab.intel_usd / c["intel_usd"]
    s.lobby_goal = lab.lobby_goal

    p.incidents(s, rules, rng, rep)
    s.cap_average = s.cap_average + c["smoothing"] * (s.capability - s.cap_average)
    s.momentum = s.capability - s.cap_average
    timeline.update_pace(s, before, c)
    p.endings(s, rules, rng, rep)

    rep.power_frac = power_frac
    rep.binding = p.binding_constraint(rep, lab, power_frac, s.cash, rep.costs)
    rep.binding = rep.binding * (s.alive | rep.bankrupt)
    s.binding = rep.binding
    if not inplace and state.ended.any():  # finished games stay as they ended
        s = merge(state, s, state.ended)
    turn = rep.turn
    s.turn = turn + 1
    return s, rep
