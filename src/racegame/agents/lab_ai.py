"""AI strategies for labs: one rulebook, six personalities (level data, ``[archetypes]``).

``plan_labs`` returns orders for a set of lab slots as arrays over (replicas, slots): the
rules are the same for every lab and every column is computed independently, so planning
one lab alone or all AI labs at once gives the same orders. Personalities differ in
numbers, and the numbers show in play: a rapid builder pours cash into clusters with
on-site turbines, a safety-first lab slows down as it nears the threshold, an efficiency
innovator under export controls turns its research to efficiency, and so on.
"""

from __future__ import annotations

import numpy as np

from ..engine.params import ARCHETYPE_FLAGS, ARCHETYPE_NUMBERS
from ..engine.chips import per_lab
from ..engine.diplomacy import labs_paused
from ..engine.research import research_effort, run_reach
from ..engine.timeline import rival_lead as timeline_lead
from ..engine.util import any_over, by_country, max_over, ratio


RENT_SHARE = 0.3  # of its investable money, for a lab under export controls


class Style:
    """Personality numbers per (replica, slot): founded labs differ between replicas.
    ``overrides`` replaces some numbers or flags (scripted strategies use this).

    Each number is looked up for the labs' archetypes when first read, then kept: a plan
    reads about half of them, and one (R, S) gather each is far cheaper than gathering
    every number into an (R, S, P) block."""

    def __init__(self, rules, archetype: np.ndarray, overrides: dict | None = None):
        self._rules, self._archetype = rules, archetype
        self.lobby_goal = rules.style_lobby_goal[archetype]
        for name in overrides or {}:
            if name not in ARCHETYPE_NUMBERS and name not in ARCHETYPE_FLAGS:
                raise ValueError(f"unknown personality setting {name!r}")
        self._overrides = overrides or {}

    def __getattr__(self, name):
        if name in ARCHETYPE_NUMBERS:
            table, dtype = self._rules.style_numbers[:, ARCHETYPE_NUMBERS.index(name)], float
        elif name in ARCHETYPE_FLAGS:
            table, dtype = self._rules.style_flags[:, ARCHETYPE_FLAGS.index(name)], bool
        else:
            raise AttributeError(name)
        value = table[self._archetype]
        if name in self._overrides:
            value = np.broadcast_to(np.asarray(self._overrides[name], dtype=dtype), value.shape).copy()
        setattr(self, name, value)  # later reads find the attribute and skip __getattr__
        return value


def choose_grid(view, s, rules, slots):
    """Each lab's best place to build, (R, S): short queue, cheap power, some headroom."""
    score = view.queue_wait + s.price / 25.0 + 10.0 * np.maximum(0.0, view.stress - 0.9)  # (R, N)
    home = rules.grid_country[None, None, :] == s.country[:, slots][:, :, None]
    return np.argmin(np.where(home, score[:, None, :], np.inf), axis=2)


def chip_mix(view, s, rules):
    """Per (replica, country, class): how a lab of each country splits chip money, legally
    and (for a smuggling share) on controlled classes, and the MW each dollar of either mix
    buys. A buyer's options depend only on its country, so this is done per country."""
    available = (s.turn >= s.chip_arrival)[:, None, :]
    controlled = view.controlled_c
    legal = available & ~view.blocked_c[None, :, :] & ~controlled
    value = legal * (rules.chip_perf_train[None, None, :] / view.unit_price_c)
    relative = value / np.maximum(max_over(value), 1e-30)[..., None]
    weight = relative * relative
    weight = weight * weight * weight  # value^6: mostly the best class, some of the next
    weight = weight / np.maximum(np.einsum("rck->rc", weight), 1e-30)[..., None]
    contraband = available & controlled
    c_value = contraband * (rules.chip_perf_train[None, None, :] / view.unit_price_c)
    c_weight = (contraband & (c_value == max_over(c_value)[..., None])).astype(float)
    c_weight = c_weight / np.maximum(np.einsum("rck->rc", c_weight), 1e-30)[..., None]
    mw = rules.chip_power_mw[None, None, :] / view.unit_price_c
    return weight, c_weight, any_over(legal, 2), any_over(contraband, 2), np.einsum("rck,rck->rc", weight, mw), np.einsum("rck,rck->rc", c_weight, mw)


def plan_chips(view, s, rules, slots, money, style):
    """Spread chip money over the classes a lab may buy, favouring value for money (a smooth
    split, so demand does not lurch between classes), and let the bolder labs try to smuggle
    some controlled chips. Returns (R, S, K) dollars and the MW per dollar of the order."""
    weight, c_weight, any_legal, any_contraband, mw_legal, mw_contra = chip_mix(view, s, rules)
    country = s.country[:, slots]
    any_legal = by_country(any_legal, country)
    any_contraband = by_country(any_contraband, country)
    smuggle = 0.3 * style.risk * any_contraband
    smuggle = np.where(any_legal, smuggle, any_contraband.astype(float))
    legal_money = money * (1.0 - smuggle)
    usd = legal_money[..., None] * per_lab(weight, country) + (money * smuggle)[..., None] * per_lab(c_weight, country)
    mw = legal_money * by_country(mw_legal, country) + money * smuggle * by_country(mw_contra, country)
    return usd, mw


def usable_soon(view, s, rules, slots, horizon: float = 2.0):
    """Capacity each lab can expect to run within ``horizon`` turns, (R, S): per grid, a site
    counts once built (or about to be) and connected (or powered on site)."""
    building = view.building_mw[:, slots, :]
    onsite = s.onsite[:, slots, :] + view.onsite_coming_mw[:, slots, :]
    clears = np.minimum(1.0, horizon / np.maximum(view.queue_wait, 1.0))[:, None, :]
    connected = s.approved[:, slots, :] + s.queued[:, slots, :] * clears
    soon = (rules.at(s.turn)["build_turns"][slots] <= horizon + 1)[None, :, None]
    built = s.built[:, slots, :] + building * soon
    return np.einsum("rsn->rs", np.minimum(built, connected + onsite))


NEAR_OOM = 0.8  # a milestone believed within this many OOM is "near": a year of progress or less


def milestone_left(view, s, rules, slots, cautious):
    """(left, known_req) per lab: OOM from its released model to its next milestone, and
    where that milestone is if the lab knows (0 if not).

    Nobody knows where a milestone is: the cautious (``cautious``, per lab) plan on the 10%
    belief (it may be close), the bold on the median. A milestone someone has already passed
    is known, and so is one the lab itself failed to pass."""
    cap = s.capability[:, slots]
    mine = s.milestone[:, slots]
    rows = np.arange(cap.shape[0])[:, None]
    known = (mine < view.world_milestone[:, None]) | (s.failed_milestone[:, slots] >= mine)
    req = s.milestone_req[rows, np.minimum(mine, rules.n_milestones - 1)]
    believed = np.where(cautious, view.next_left[:, :1], view.next_left[:, 1:2]) + (view.frontier[:, None] - cap)
    return np.where(known, req - cap, believed), np.where(known, req, 0.0)


def nearness(left):
    """How close a milestone ``left`` OOM away is: 1 within reach now, 0 at least NEAR_OOM away."""
    return np.clip(1.0 - left / NEAR_OOM, 0.0, 1.0)


def milestone_near(view, s, rules, slots, cautious):
    """(near, known_req) per lab: ``nearness`` of its next milestone, and ``milestone_left``'s
    known requirement."""
    left, known_req = milestone_left(view, s, rules, slots, cautious)
    return nearness(left), known_req


def passage_shortfall(view, slots, style):
    """How far each lab's odds of a safe passage fall short of what it wants (1: no chance)."""
    want = 0.6 + 0.35 * (1.0 - style.risk)
    return np.clip((want - view.next_odds[:, slots]) / want, 0.0, 1.0)


def research_split(view, s, rules, slots, style, research_share, rest):
    """(efficiency, reasoning) focus: each programme's expected return in this lab's situation,
    tilted by its personality, then split as the diminishing returns make best (shares in
    proportion to the squared returns for returns that grow as the square root of focus).

    Reasoning research needs compute, efficiency research mostly people, so a lab starved
    of compute gets more from efficiency. A lab that cannot serve all its buyers gains
    revenue from efficiency (cheaper serving) and loses it to reasoning (longer thinking)."""
    c = rules.at(s.turn)
    research_h100e = view.h100e[:, slots] * research_share
    eff, reas, _, _ = research_effort(s, rules, _spread(research_h100e, s, slots), c)
    eff, reas = eff[:, slots], reas[:, slots]
    income = s.revenue[:, slots] + c["parent_funding"][slots][None, :] + view.subsidy[:, slots]
    revenue_weight = ratio(s.revenue[:, slots], income)
    unserved = (1.0 - s.served[:, slots]) * revenue_weight
    value_e = c["efficiency_rate"] * eff * (1.0 + 0.5 * unserved) * style.focus_efficiency
    value_r = c["reasoning_rate"] * reas / (1.0 + s.reasoning[:, slots]) * np.maximum(1.0 - c["reasoning_serving_cost"] * unserved, 0.0) * style.focus_reasoning
    total = value_e * value_e + value_r * value_r
    share_e = np.where(total > 0, ratio(value_e * value_e, total), 0.5)
    return rest * share_e, rest * (1.0 - share_e)


def _spread(values, s, slots):
    """(R, S) values for ``slots`` placed in an (R, L) array (zeros elsewhere)."""
    out = np.zeros_like(s.capability)
    out[:, slots] = values
    return out


def plan_labs(view, s, rules, slots=None, capex_mult: float = 1.0, overrides: dict | None = None) -> dict:
    """AI orders for lab ``slots`` (None: every slot, using cheap slices rather than copies):
    LabOrders field -> (R, S) array (chip_usd: (R, S, K))."""
    slots = slice(None) if slots is None else np.asarray(slots, dtype=np.int64)
    c = rules.at(s.turn)
    style = Style(rules, s.archetype[:, slots], overrides)
    cash = s.cash[:, slots]
    burn = view.burn[:, slots]
    payroll = view.payroll[:, slots]
    cap = s.capability[:, slots]
    behind = view.frontier[:, None] - cap
    needed = view.safety_needed[:, slots]
    unsafe = np.maximum(0.0, needed - s.safety[:, slots])
    # How near the next milestone is (a cautious lab plans on the 10% belief, a bold one on
    # the median) from the released model, and from where the run in training will land:
    # safety is prepared for that model too (a long run late in the race lands several OOM higher).
    left, known_req = milestone_left(view, s, rules, slots, style.risk < 0.5)
    near, near_ahead = nearness(left), nearness(left - run_reach(s, slots))
    shortfall = passage_shortfall(view, slots, style)
    worry = (1.0 - style.risk) * near * shortfall  # a cautious lab about to cross unprepared
    # Knowing where the line is, a worried lab pauses just below it until its safety is ready.
    pause_below = np.where((known_req > 0) & (worry > 0.15), known_req - 0.05, 0.0)

    # Money: keep a reserve of a few turns of net running costs (after revenue and a parent's
    # or government's steady money), invest a share of the rest.
    income = s.revenue[:, slots] + c["parent_funding"][slots][None, :] + view.subsidy[:, slots]
    net_burn = np.maximum(burn - income, 0.5 * burn)
    spare = np.maximum(cash - 4.0 * net_burn, 0.0)
    invest = style.capex_share * spare * capex_mult
    # Cautious labs about to pass a milestone without the safety for it slow their build-up.
    invest = invest * (1.0 - 0.5 * worry)

    # Chips fill the power the lab will have soon; chips without power are money wasted.
    load, site, coming = view.chip_mw[:, slots], view.site_mw[:, slots], view.coming_mw[:, slots]
    room_mw = np.maximum(0.0, 1.1 * usable_soon(view, s, rules, slots) - load)
    chip_budget = invest * (1.0 - 0.5 * style.dc_share)
    chip_usd, chip_mw = plan_chips(view, s, rules, slots, chip_budget, style)
    chip_usd = chip_usd * np.minimum(1.0, ratio(room_mw, chip_mw, fill=1.0))[..., None]
    # A lab under export controls rents compute abroad with part of its money: dear (it
    # works for one turn only) but it needs no chips the controls stop and no power at home.
    # It asks for no more than the whole offer abroad (renters share it).
    rent = np.minimum(RENT_SHARE * invest, c["rent_pool"] * c["rent_price"]) * view.controlled_any[:, slots]

    # Data centres take years: build ahead towards a capacity goal that grows with ambition.
    grid = choose_grid(view, s, rules, slots)
    wait = np.take_along_axis(view.queue_wait, grid, axis=1)
    late = np.maximum(0.0, wait - c["build_turns"][slots][None, :])
    binding = s.binding[:, slots]
    power_bound = (binding == 4) | (binding == 5)
    # Long queues push the bold towards on-site generation, everyone towards PPAs.
    onsite_share = np.clip(style.onsite_share + 0.03 * style.risk * late + 0.2 * power_bound, 0.0, 1.0)
    ppa_share = np.clip(style.ppa_share + 0.02 * np.maximum(0.0, wait - 6.0), 0.0, 1.0 - onsite_share)
    per_mw = c["dc_capex"] + onsite_share * c["onsite_capex"] + ppa_share * c["ppa_capex"]
    ambition = 2.0 + 2.5 * style.risk
    need_mw = np.maximum(0.0, ambition * np.maximum(load, site) - site - coming)
    build = np.minimum(invest - np.einsum("rsk->rs", chip_usd), need_mw * per_mw) / per_mw
    build = np.maximum(build, invest * style.dc_share * (load > 0.8 * site) / per_mw * 0.5)

    # Compute split: serve more with customers to keep. A worried lab pauses: training
    # compute moves to research, where its focus turns to safety.
    serve = style.serve + 0.05 * (s.share[:, slots] > 0.02)
    train = style.train * (1.0 - 0.8 * worry)
    research = style.research + style.train * 0.8 * worry
    # Safety catches up when it lags, harder for cautious labs and before a passage (that
    # the run in training may bring: training itself slows only as the released model nears).
    lag = ratio(unsafe, np.maximum(needed, 0.1))
    focus_s = np.clip(style.focus_safety + (1.0 - style.risk) * 0.3 * lag + (0.2 + 0.8 * (1.0 - style.risk)) * near_ahead * shortfall, 0.0, 0.9)
    # The rest of the research goes where it pays in this lab's situation.
    focus_e, focus_r = research_split(view, s, rules, slots, style, research / (train + serve + research), 1.0 - focus_s)

    # Runs lengthen as clusters grow: the next cluster is further away than the next quarter.
    size = view.h100e[:, slots]
    run_turns = rules.lab_run_turns[slots][None, :] + (size > 0.8e6) + (size > 2.5e6) + (size > 8e6)
    # A lab a pause holds trains one turn at a time: a longer run would only end at the cap
    # too, and a one-turn run ships the turn the cap lifts, whenever that comes, instead of
    # leaving the lift to whichever rival happens to be on a shorter run.
    run_turns = np.where(labs_paused(s)[:, slots], 1, run_turns)

    # Release and price: far behind, undercut; the open-weights personalities stay open.
    price = style.price_level * np.where(behind > 0.5, 0.8, 1.0)
    open_weights = style.open_weights | ((behind > 1.0) & (style.risk > 0.5))

    # Security: guard the weights harder once they are worth stealing (a lead, milestones).
    lead = np.maximum(timeline_lead(s)[:, slots], 0.0)
    security = np.clip(2 + (s.milestone[:, slots] >= 1) + ((lead > 0.2) | (s.milestone[:, slots] >= 2)) + (style.risk < 0.3), 1, 5)

    # Financing: raise before the money runs out.
    runway = ratio(cash, net_burn + 0.25 * invest, fill=99.0)
    raise_round = runway < style.raise_below_turns
    seek_state = style.seeks_state_backing & (runway < style.raise_below_turns + 2)
    partner = style.partner_deals & (runway < 2 * style.raise_below_turns)
    token = style.token_financing & (runway < 1.5)

    # People: hire towards the talent the cluster needs.
    need = c["talent_need"] * (size / 1e5) ** c["talent_need_exponent"]
    talent = s.talent[:, slots]
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
        "cap_capability": pause_below,
        "security": security.astype(float),
        "publish_safety": style.publish_share,
        "rent_usd": rent,
        "commit_pause": style.commits & s.alive[:, slots],
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


def resplit_power(plan: dict, onsite=None, ppa=None) -> None:
    """Re-split a drafted plan's new capacity (``build_mw``) between on-site generation, PPAs
    and the grid queue, as a player's plan gives them: ``onsite`` and ``ppa`` are shares of
    it (None keeps the draft's own), the PPA share at most what on-site generation leaves."""
    build = plan["build_mw"]
    onsite = _share(plan["onsite_mw"], build) if onsite is None else np.clip(onsite, 0.0, 1.0)
    ppa = _share(plan["ppa_mw"], build) if ppa is None else ppa
    plan["onsite_mw"] = build * onsite
    plan["ppa_mw"] = build * np.clip(ppa, 0.0, 1.0 - onsite)


def _share(part, whole):
    return np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), 0.0)
