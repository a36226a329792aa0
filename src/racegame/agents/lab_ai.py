"""AI strategies for labs: one rulebook, six personalities (level data, ``[archetypes]``).

``plan_lab`` returns one lab's orders as arrays over replicas. Personalities differ in
numbers, and the numbers show in play: a rapid builder pours cash into clusters with
on-site turbines, a safety-first lab slows down as it nears the threshold, an efficiency
innovator under export controls turns its research to efficiency, and so on.
"""

from __future__ import annotations

import numpy as np

from ..engine.params import ARCHETYPE_FLAGS, ARCHETYPE_NUMBERS
from ..engine.util import ratio


class Style:
    """A lab's personality numbers, per replica (founded labs differ between replicas)."""

    def __init__(self, rules, archetype: np.ndarray):
        self._numbers = rules.style_numbers[archetype]  # (R, P)
        self._flags = rules.style_flags[archetype]
        self.lobby_goal = rules.style_lobby_goal[archetype]

    def __getattr__(self, name):
        if name in ARCHETYPE_NUMBERS:
            return self._numbers[:, ARCHETYPE_NUMBERS.index(name)]
        if name in ARCHETYPE_FLAGS:
            return self._flags[:, ARCHETYPE_FLAGS.index(name)]
        raise AttributeError(name)


def choose_grid(view, s, rules, slot):
    """The lab's best place to build: short queue, cheap power, some headroom."""
    wait = view.queue_wait
    score = wait + s.price / 25.0 + 10.0 * np.maximum(0.0, view.stress - 0.9)
    home = rules.grid_country[None, :] == s.country[:, slot][:, None]
    return np.argmin(np.where(home, score, np.inf), axis=1)


def plan_chips(view, s, rules, slot, money, style):
    """Spread chip money over the classes the lab may buy, favouring value for money (a
    smooth split, so demand does not lurch between classes), and let the bolder labs try to
    smuggle some controlled chips."""
    available = s.turn >= rules.chip_available
    price = view.unit_price[:, slot, :]
    legal = available[None, :] & ~view.blocked[:, slot, :] & ~view.controlled[:, slot, :]
    value = np.where(legal, rules.chip_perf_train[None, :] / price, 0.0)
    weight = (value / np.maximum(value.max(axis=1, keepdims=True), 1e-30)) ** 6
    weight = weight / np.maximum(weight.sum(axis=1, keepdims=True), 1e-30)
    contraband = available[None, :] & view.controlled[:, slot, :]
    c_value = np.where(contraband, rules.chip_perf_train[None, :] / price, 0.0)
    c_weight = np.where(c_value == c_value.max(axis=1, keepdims=True), contraband, False).astype(float)
    c_weight = c_weight / np.maximum(c_weight.sum(axis=1, keepdims=True), 1e-30)
    smuggle = np.where(contraband.any(axis=1), 0.3 * style.risk, 0.0)
    smuggle = np.where(legal.any(axis=1), smuggle, np.where(contraband.any(axis=1), 1.0, 0.0))
    return money[:, None] * ((1.0 - smuggle)[:, None] * weight + smuggle[:, None] * c_weight)


def chip_mw_per_usd(view, rules, slot, usd):
    """MW of load that a chip order adds."""
    units = usd / np.maximum(view.unit_price[:, slot, :], 1.0)
    return (units * rules.chip_power_mw[None, :]).sum(axis=1)


def usable_soon(view, s, rules, slot, horizon: float = 2.0):
    """Capacity the lab can expect to run within ``horizon`` turns, per grid then summed:
    a site counts once built (or about to be) and connected (or powered on site)."""
    N = len(rules.grid_ids)
    one_hot = s.dc_ring_grid[:, slot, :, None] == np.arange(N)
    building = (s.dc_ring_mw[:, slot, :, None] * one_hot).sum(axis=1)
    o_hot = s.onsite_ring_grid[:, slot, :, None] == np.arange(N)
    onsite = s.onsite[:, slot, :] + (s.onsite_ring_mw[:, slot, :, None] * o_hot).sum(axis=1)
    clears = np.minimum(1.0, horizon / np.maximum(view.queue_wait, 1.0))
    connected = s.approved[:, slot, :] + s.queued[:, slot, :] * clears
    built = s.built[:, slot, :] + building * (rules.lab_build_turns[slot] <= horizon + 1)
    return np.minimum(built, connected + onsite).sum(axis=1)


def plan_lab(view, s, rules, slot: int, capex_mult: float = 1.0) -> dict:
    """One lab's AI orders as a dict of LabOrders field -> (R,) array (chip_usd: (R, K))."""
    c = rules.c
    style = Style(rules, s.archetype[:, slot])
    cash = s.cash[:, slot]
    burn = view.burn[:, slot]
    payroll = view.payroll[:, slot]
    cap = s.capability[:, slot]
    frontier = view.frontier
    behind = frontier - cap
    needed = view.safety_needed[:, slot]
    near_agi = np.clip(1.0 - (c["agi_capability"] - cap) / 1.5, 0.0, 1.0)

    # Money: keep a reserve of a few turns of running costs, invest a share of the rest.
    reserve = 3.0 * burn
    spare = np.maximum(cash - reserve, 0.0)
    invest = style.capex_share * spare * capex_mult
    # Cautious labs close to AGI without the safety to match hold back their spending.
    unsafe = np.maximum(0.0, needed - s.safety[:, slot])
    invest = invest * (1.0 - (1.0 - style.risk) * near_agi * np.minimum(1.0, 2.0 * unsafe))

    # Chips fill the power the lab will have soon; chips without power are money wasted.
    load, site, coming = view.chip_mw[:, slot], view.site_mw[:, slot], view.coming_mw[:, slot]
    room_mw = np.maximum(0.0, 1.1 * usable_soon(view, s, rules, slot) - load)
    chip_budget = invest * (1.0 - 0.5 * style.dc_share)
    chip_usd = plan_chips(view, s, rules, slot, chip_budget, style)
    per_usd = chip_mw_per_usd(view, rules, slot, chip_usd) / np.maximum(chip_budget, 1.0)
    affordable = ratio(room_mw, per_usd, fill=np.inf)
    chip_usd = chip_usd * np.minimum(1.0, ratio(affordable, chip_budget, fill=1.0))[:, None]

    # Data centres take years: build ahead towards a capacity goal that grows with ambition.
    grid = choose_grid(view, s, rules, slot)
    wait = view.queue_wait[np.arange(len(grid)), grid]
    late = np.maximum(0.0, wait - float(rules.lab_build_turns[slot]))
    power_bound = np.isin(s.binding[:, slot], (4, 5))
    # Long queues push the bold towards on-site generation, everyone towards PPAs.
    onsite_share = np.clip(style.onsite_share + 0.03 * style.risk * late + 0.2 * power_bound, 0.0, 1.0)
    ppa_share = np.clip(style.ppa_share + 0.02 * np.maximum(0.0, wait - 6.0), 0.0, 1.0 - onsite_share)
    per_mw = c["dc_capex"] + onsite_share * c["onsite_capex"] + ppa_share * c["ppa_capex"]
    ambition = 1.5 + 2.5 * style.risk
    goal = ambition * np.maximum(load, site)
    need_mw = np.maximum(0.0, goal - site - coming)
    build = np.minimum(invest - chip_usd.sum(axis=1), need_mw * per_mw) / per_mw
    build = np.maximum(build, invest * style.dc_share * (load > 0.8 * site) / per_mw * 0.5)

    # Compute split: serve more when customers go unserved; research more when behind on safety.
    train, serve, research = style.train.copy(), style.serve.copy(), style.research.copy()
    short_serving = s.share[:, slot] > 0.02
    serve = serve + 0.05 * short_serving
    focus_e, focus_r, focus_s = style.focus_efficiency.copy(), style.focus_reasoning.copy(), style.focus_safety.copy()
    # Necessity breeds invention: denied chips, a lab turns its research to efficiency.
    squeezed = view.controlled[:, slot, :].any(axis=1)
    focus_e = focus_e + 0.15 * squeezed
    focus_r = np.maximum(0.05, focus_r - 0.15 * squeezed)
    # Safety catches up when it lags, harder for cautious labs and near the threshold.
    lag = ratio(unsafe, np.maximum(needed, 0.1))
    focus_s = focus_s + (1.0 - style.risk) * (0.3 * lag + 0.5 * near_agi)

    # Runs lengthen as clusters grow: the next cluster is further away than the next quarter.
    size = view.h100e[:, slot]
    run_turns = rules.lab_run_turns[slot] + (size > 1e6) + (size > 3e6) + (size > 8e6)

    # Release and price: far behind, undercut; the open-weights personalities stay open.
    price = style.price_level * np.where(behind > 0.5, 0.8, 1.0)
    open_weights = style.open_weights | ((behind > 1.0) & (style.risk > 0.5))

    # Financing: raise before the money runs out.
    runway = ratio(cash, burn + 0.25 * invest, fill=99.0)
    short = runway < style.raise_below_turns
    raise_round = short
    seek_state = style.seeks_state_backing & (runway < style.raise_below_turns + 2)
    partner = style.partner_deals & (runway < 2 * style.raise_below_turns)
    token = style.token_financing & (runway < 1.5)

    # People: hire harder when talent binds.
    need = c["talent_need"] * (view.h100e[:, slot] / 1e5) ** c["talent_need_exponent"]
    talent = s.talent[:, slot]
    gap = np.maximum(0.0, 1.1 * need - talent)
    hire = payroll * style.hire_share + np.minimum(gap * c["hire_usd"] * (0.5 + 0.5 * talent), 0.1 * np.maximum(cash, 0.0))
    return {
        "chip_usd": chip_usd,
        "build_mw": build,
        "build_grid": grid,
        "onsite_mw": build * onsite_share,
        "ppa_mw": build * ppa_share,
        "train": train,
        "serve": serve,
        "research": research,
        "focus_efficiency": focus_e,
        "focus_reasoning": focus_r,
        "focus_safety": focus_s,
        "run_turns": np.minimum(run_turns, 5),
        "open_weights": open_weights,
        "price_level": price,
        "raise_round": raise_round,
        "seek_state": seek_state,
        "partner_deal": partner,
        "token_financing": token,
        "hire_usd": hire,
        "retention_usd": payroll * style.retention_share,
        "lobby_usd": payroll * style.lobby_share,
        "lobby_goal": style.lobby_goal,
    }
