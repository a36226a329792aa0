"""``plan_labs`` as a numba kernel: the same orders as ``lab_ai.plan_labs``, planned one
replica at a time (see ``engine/compiled/__init__.py`` for why per replica).

``lab_ai`` stays the readable statement of the AI's rules; a change there goes here too.
Only the call the model makes for its AI labs (every slot, no overrides) is compiled; a call
for chosen ``slots`` or with personality ``overrides`` (a player's advisor, scripted
strategies: one lab, rarely) goes to the numpy ``plan_labs``.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.compiled.jit import kernel
from ..engine.compiled.scalar import clip, maximum, minimum, ratio
from ..engine.compiled.timeline import best_two, rival_lead
from ..engine.diplomacy import IN_FORCE, PAUSE
from ..engine.params import ARCHETYPE_FLAGS, ARCHETYPE_NUMBERS
from . import lab_ai
from .lab_ai import NEAR_OOM, RENT_SHARE

# The personality columns the kernel reads, in this order (the positions below): the wrapper
# picks them out of the rules' tables by name, so the kernel never depends on their layout.
NUMBERS = ("capex_share", "dc_share", "onsite_share", "ppa_share", "train", "serve", "research",
           "focus_efficiency", "focus_reasoning", "focus_safety", "price_level", "raise_below_turns",
           "hire_share", "retention_share", "lobby_share", "risk", "publish_share")
(CAPEX_SHARE, DC_SHARE, ONSITE_SHARE, PPA_SHARE, TRAIN, SERVE, RESEARCH, FOCUS_EFFICIENCY,
 FOCUS_REASONING, FOCUS_SAFETY, PRICE_LEVEL, RAISE_BELOW, HIRE_SHARE, RETENTION_SHARE,
 LOBBY_SHARE, RISK, PUBLISH_SHARE) = range(len(NUMBERS))
FLAGS = ("open_weights", "seeks_state_backing", "partner_deals", "token_financing", "commits")
OPEN_WEIGHTS, SEEKS_STATE, PARTNER_DEALS, TOKEN_FINANCING, COMMITS = range(len(FLAGS))

FLOATS = ("build_mw", "onsite_mw", "ppa_mw", "train", "serve", "research", "focus_efficiency",
          "focus_reasoning", "focus_safety", "cap_capability", "security", "publish_safety",
          "rent_usd", "price_level", "hire_usd", "retention_usd", "lobby_usd")
BOOLS = ("commit_pause", "open_weights", "raise_round", "seek_state", "partner_deal", "token_financing")
INTS = ("build_grid", "run_turns", "lobby_goal")
# Rows of the kernel's stacked outputs.
(O_BUILD, O_ONSITE, O_PPA, O_TRAIN, O_SERVE, O_RESEARCH, O_FOCUS_E, O_FOCUS_R, O_FOCUS_S, O_CAP,
 O_SECURITY, O_PUBLISH, O_RENT, O_PRICE, O_HIRE, O_RETENTION, O_LOBBY) = range(len(FLOATS))
(B_COMMIT, B_OPEN, B_RAISE, B_SEEK, B_PARTNER, B_TOKEN) = range(len(BOOLS))
(I_GRID, I_RUN, I_GOAL) = range(len(INTS))


def plan_labs(view, s, rules, slots=None, capex_mult: float = 1.0, overrides: dict | None = None) -> dict:
    """AI orders for every lab slot, as ``lab_ai.plan_labs`` gives them."""
    if slots is not None or overrides:
        return lab_ai.plan_labs(view, s, rules, slots, capex_mult, overrides)
    c = rules.at(s.turn)
    R, L = s.capability.shape
    K = s.chips.shape[2]
    numbers = np.ascontiguousarray(rules.style_numbers[:, [ARCHETYPE_NUMBERS.index(n) for n in NUMBERS]])
    flags = np.ascontiguousarray(rules.style_flags[:, [ARCHETYPE_FLAGS.index(n) for n in FLAGS]])
    consts = np.array([
        c["rent_pool"] * c["rent_price"], c["dc_capex"], c["onsite_capex"], c["ppa_capex"],
        c["nominal_research"], c["automation_h100e"], c["efficiency_elasticity"], c["reasoning_elasticity"],
        c["efficiency_rate"], c["reasoning_rate"], c["reasoning_serving_cost"],
        c["talent_need"], c["talent_need_exponent"], c["hire_usd"], float(capex_mult),
        NEAR_OOM, RENT_SHARE,  # arguments, not globals: numba's cache would keep a changed value stale
    ], dtype=float)
    labour = np.concatenate([[0.0], rules.milestone_labour])
    pause_on = s.treaty[:, PAUSE] == IN_FORCE
    # C order for every array, so that one compiled kernel serves every call (the per-country
    # chip arrays come in other layouts, depending on the number of replicas).
    pause_members = np.ascontiguousarray(s.treaty_members[:, PAUSE, :])
    controlled_c = np.ascontiguousarray(view.controlled_c)
    unit_price_c = np.ascontiguousarray(view.unit_price_c)
    chip_usd = np.empty((R, L, K))
    floats = np.empty((len(FLOATS), R, L))
    bools = np.empty((len(BOOLS), R, L), dtype=np.bool_)
    ints = np.empty((len(INTS), R, L), dtype=np.int64)
    _plan(s.turn, s.archetype, s.alive, s.country, s.cash, s.capability, s.safety, s.milestone,
          s.failed_milestone, s.milestone_req, s.revenue, s.served, s.reasoning, s.efficiency,
          s.talent, s.share, s.binding, s.run_age, s.run_flop, s.chip_arrival, s.price,
          s.onsite, s.approved, s.queued, s.built, pause_on, pause_members, s.cheating,
          view.frontier, view.burn, view.payroll, view.safety_needed, view.next_left, view.next_odds,
          view.world_milestone, view.subsidy, view.h100e, view.chip_mw, view.site_mw, view.coming_mw,
          controlled_c, view.controlled_any, view.blocked_c, unit_price_c, view.queue_wait,
          view.stress, view.building_mw, view.onsite_coming_mw,
          numbers, flags, rules.style_lobby_goal.astype(np.int64), rules.chip_perf_train, rules.chip_power_mw,
          rules.grid_country, rules.lab_run_turns.astype(np.int64), c["build_turns"].astype(np.int64),
          np.asarray(c["parent_funding"], dtype=float), labour, consts,
          chip_usd, floats, bools, ints)
    plan = {"chip_usd": chip_usd}
    plan.update({name: floats[i] for i, name in enumerate(FLOATS)})
    plan.update({name: bools[i] for i, name in enumerate(BOOLS)})
    plan.update({name: ints[i] for i, name in enumerate(INTS)})
    return plan


@kernel
def _nearness(left, near_oom):
    return clip(1.0 - left / near_oom, 0.0, 1.0)


@kernel
def _plan(turn, archetype, alive, country, cash_, capability, safety, milestone,
          failed_milestone, milestone_req, revenue, served, reasoning, efficiency,
          talent, share, binding, run_age, run_flop, chip_arrival, grid_price,
          s_onsite, approved, queued, built_, pause_on, pause_members, cheating,
          frontier, burn_, payroll_, safety_needed, next_left, next_odds,
          world_milestone, subsidy, h100e, chip_mw, site_mw, coming_mw,
          controlled_c, controlled_any, blocked_c, unit_price_c, queue_wait,
          stress, building_mw, onsite_coming_mw,
          numbers, flags, lobby_goals, perf_train, power_mw,
          grid_country, lab_run_turns, build_turns, parent_funding, labour, consts,
          chip_usd, out, bout, iout):
    R, L = capability.shape
    C, K = blocked_c.shape
    N = queue_wait.shape[1]
    n_milestones = milestone_req.shape[1]
    rent_cap, dc_capex, onsite_capex, ppa_capex = consts[0], consts[1], consts[2], consts[3]
    nominal_research, automation_h100e, e_elasticity, r_elasticity = consts[4], consts[5], consts[6], consts[7]
    efficiency_rate, reasoning_rate, serving_cost = consts[8], consts[9], consts[10]
    talent_need, talent_exponent, hire_usd, capex_mult = consts[11], consts[12], consts[13], consts[14]
    near_oom, rent_share = consts[15], consts[16]
    horizon = 2.0  # usable_soon's
    # One replica's scratch: chip_mix per country, grid scores, queue clearing.
    weight = np.empty((C, K))
    c_weight = np.empty((C, K))
    any_legal = np.empty(C, dtype=np.bool_)
    any_contraband = np.empty(C, dtype=np.bool_)
    mw_legal = np.empty(C)
    mw_contra = np.empty(C)
    score = np.empty(N)
    clears = np.empty(N)
    for r in range(R):
        # chip_mix: how a lab of each country splits chip money, and the MW a dollar buys.
        for cc in range(C):
            top = 0.0
            c_top = 0.0
            al = False
            ac = False
            for k in range(K):
                available = turn >= chip_arrival[r, k]
                controlled = controlled_c[r, cc, k]
                legal = available and not blocked_c[cc, k] and not controlled
                contraband = available and controlled
                al = al or legal
                ac = ac or contraband
                per_dollar = perf_train[k] / unit_price_c[r, cc, k]
                value = (1.0 if legal else 0.0) * per_dollar
                c_value = (1.0 if contraband else 0.0) * per_dollar
                top = value if k == 0 else maximum(top, value)
                c_top = c_value if k == 0 else maximum(c_top, c_value)
                weight[cc, k] = value
                c_weight[cc, k] = c_value
            any_legal[cc] = al
            any_contraband[cc] = ac
            top = maximum(top, 1e-30)
            total = 0.0
            c_total = 0.0
            for k in range(K):
                relative = weight[cc, k] / top
                w = relative * relative
                w = w * w * w  # value^6: mostly the best class, some of the next
                weight[cc, k] = w
                total += w
                contraband = turn >= chip_arrival[r, k] and controlled_c[r, cc, k]
                cw = 1.0 if contraband and c_weight[cc, k] == c_top else 0.0
                c_weight[cc, k] = cw
                c_total += cw
            total = maximum(total, 1e-30)
            c_total = maximum(c_total, 1e-30)
            mwl = 0.0
            mwc = 0.0
            for k in range(K):
                weight[cc, k] = weight[cc, k] / total
                c_weight[cc, k] = c_weight[cc, k] / c_total
                mw = power_mw[k] / unit_price_c[r, cc, k]
                mwl += weight[cc, k] * mw
                mwc += c_weight[cc, k] * mw
            mw_legal[cc] = mwl
            mw_contra[cc] = mwc
        # choose_grid's score per grid, and usable_soon's share of a queue that clears in time.
        for n in range(N):
            score[n] = queue_wait[r, n] + grid_price[r, n] / 25.0 + 10.0 * maximum(0.0, stress[r, n] - 0.9)
            clears[n] = minimum(1.0, horizon / maximum(queue_wait[r, n], 1.0))
        best, second = best_two(alive, capability, r)  # for rival_lead

        for l in range(L):
            a = archetype[r, l]
            risk = numbers[a, RISK]
            home = country[r, l]
            cash = cash_[r, l]
            burn = burn_[r, l]
            payroll = payroll_[r, l]
            cap = capability[r, l]
            behind = frontier[r] - cap
            needed = safety_needed[r, l]
            unsafe = maximum(0.0, needed - safety[r, l])
            # milestone_left: a cautious lab plans on the 10% belief, a bold one on the median.
            mine = milestone[r, l]
            req = milestone_req[r, min(mine, n_milestones - 1)]
            if mine < world_milestone[r] or failed_milestone[r, l] >= mine:
                left = req - cap
                known_req = req
            else:
                left = next_left[r, 0 if risk < 0.5 else 1] + (frontier[r] - cap)
                known_req = 0.0
            # run_reach
            age = run_age[r, l]
            reach = 0.0
            if age >= 1:
                grown = run_flop[r, l] * (age + 1) / max(age, 1)
                outcome = math.log10(maximum(grown, 1.0)) + efficiency[r, l] + reasoning[r, l]
                reach = maximum(outcome - cap, 0.0)
            near = _nearness(left, near_oom)
            near_ahead = _nearness(left - reach, near_oom)
            want = 0.6 + 0.35 * (1.0 - risk)
            shortfall = clip((want - next_odds[r, l]) / want, 0.0, 1.0)
            worry = (1.0 - risk) * near * shortfall
            out[O_CAP, r, l] = known_req - 0.05 if known_req > 0 and worry > 0.15 else 0.0

            # Money.
            income = revenue[r, l] + parent_funding[l] + subsidy[r, l]
            net_burn = maximum(burn - income, 0.5 * burn)
            spare = maximum(cash - 4.0 * net_burn, 0.0)
            invest = numbers[a, CAPEX_SHARE] * spare * capex_mult
            invest = invest * (1.0 - 0.5 * worry)

            # usable_soon
            soon = 1.0 if build_turns[l] <= horizon + 1 else 0.0
            usable = 0.0
            for n in range(N):
                onsite = s_onsite[r, l, n] + onsite_coming_mw[r, l, n]
                connected = approved[r, l, n] + queued[r, l, n] * clears[n]
                built = built_[r, l, n] + building_mw[r, l, n] * soon
                usable += minimum(built, connected + onsite)
            load = chip_mw[r, l]
            site = site_mw[r, l]
            coming = coming_mw[r, l]
            room_mw = maximum(0.0, 1.1 * usable - load)

            # plan_chips, then no more chips than the power soon to come can run.
            dc_share = numbers[a, DC_SHARE]
            money = invest * (1.0 - 0.5 * dc_share)
            smuggle = 0.3 * risk * (1.0 if any_contraband[home] else 0.0)
            if not any_legal[home]:
                smuggle = 1.0 if any_contraband[home] else 0.0
            legal_money = money * (1.0 - smuggle)
            smuggle_money = money * smuggle
            order_mw = legal_money * mw_legal[home] + money * smuggle * mw_contra[home]
            fit = minimum(1.0, ratio(room_mw, order_mw, 1.0))
            spent = 0.0
            for k in range(K):
                usd = (legal_money * weight[home, k] + smuggle_money * c_weight[home, k]) * fit
                chip_usd[r, l, k] = usd
                spent += usd
            out[O_RENT, r, l] = minimum(rent_share * invest, rent_cap) * (1.0 if controlled_any[r, l] else 0.0)

            # Data centres: choose_grid, then build towards the capacity goal.
            grid = 0
            low = np.inf
            for n in range(N):  # np.argmin: the first NaN, else the first minimum
                value = score[n] if grid_country[n] == home else np.inf
                if value != value:
                    grid = n
                    break
                if n == 0 or value < low:
                    grid = n
                    low = value
            iout[I_GRID, r, l] = grid
            wait = queue_wait[r, grid]
            late = maximum(0.0, wait - build_turns[l])
            power_bound = 1.0 if binding[r, l] == 4 or binding[r, l] == 5 else 0.0
            onsite_share = clip(numbers[a, ONSITE_SHARE] + 0.03 * risk * late + 0.2 * power_bound, 0.0, 1.0)
            ppa_share = clip(numbers[a, PPA_SHARE] + 0.02 * maximum(0.0, wait - 6.0), 0.0, 1.0 - onsite_share)
            per_mw = dc_capex + onsite_share * onsite_capex + ppa_share * ppa_capex
            ambition = 2.0 + 2.5 * risk
            need_mw = maximum(0.0, ambition * maximum(load, site) - site - coming)
            build = minimum(invest - spent, need_mw * per_mw) / per_mw
            full = 1.0 if load > 0.8 * site else 0.0
            build = maximum(build, invest * dc_share * full / per_mw * 0.5)
            out[O_BUILD, r, l] = build
            out[O_ONSITE, r, l] = build * onsite_share
            out[O_PPA, r, l] = build * ppa_share

            # Compute split and research focus.
            serve = numbers[a, SERVE] + 0.05 * (1.0 if share[r, l] > 0.02 else 0.0)
            train = numbers[a, TRAIN] * (1.0 - 0.8 * worry)
            research = numbers[a, RESEARCH] + numbers[a, TRAIN] * 0.8 * worry
            out[O_SERVE, r, l] = serve
            out[O_TRAIN, r, l] = train
            out[O_RESEARCH, r, l] = research
            lag = ratio(unsafe, maximum(needed, 0.1), 0.0)
            focus_s = clip(numbers[a, FOCUS_SAFETY] + (1.0 - risk) * 0.3 * lag
                            + (0.2 + 0.8 * (1.0 - risk)) * near_ahead * shortfall, 0.0, 0.9)
            out[O_FOCUS_S, r, l] = focus_s
            # research_split, with research_effort for this lab's research compute.
            research_h100e = h100e[r, l] * (research / (train + serve + research))
            compute = ratio(research_h100e, nominal_research, 0.0)
            running = ratio(research_h100e, research_h100e + automation_h100e, 0.0)
            speedup = math.sqrt(1.0 + labour[milestone[r, l]] * running)
            people = math.sqrt(talent[r, l]) * (1.0 if alive[r, l] else 0.0)
            eff = compute ** e_elasticity * people * speedup
            reas = compute ** r_elasticity * people * speedup
            unserved = (1.0 - served[r, l]) * ratio(revenue[r, l], income, 0.0)
            value_e = efficiency_rate * eff * (1.0 + 0.5 * unserved) * numbers[a, FOCUS_EFFICIENCY]
            value_r = (reasoning_rate * reas / (1.0 + reasoning[r, l]) * maximum(1.0 - serving_cost * unserved, 0.0)
                       * numbers[a, FOCUS_REASONING])
            total = value_e * value_e + value_r * value_r
            share_e = value_e * value_e / total if total > 0 else 0.5
            rest = 1.0 - focus_s
            out[O_FOCUS_E, r, l] = rest * share_e
            out[O_FOCUS_R, r, l] = rest * (1.0 - share_e)

            # Run length; a lab a pause holds trains one turn at a time.
            size = h100e[r, l]
            run_turns = lab_run_turns[l] + (size > 0.8e6) + (size > 2.5e6) + (size > 8e6)
            if pause_on[r] and pause_members[r, home] and not cheating[r, home]:
                run_turns = 1
            iout[I_RUN, r, l] = min(run_turns, 5)

            # Release, price, security.
            out[O_PRICE, r, l] = numbers[a, PRICE_LEVEL] * (0.8 if behind > 0.5 else 1.0)
            bout[B_OPEN, r, l] = flags[a, OPEN_WEIGHTS] or (behind > 1.0 and risk > 0.5)
            lead = maximum(rival_lead(alive, capability, r, l, best, second), 0.0)
            security = 2 + (milestone[r, l] >= 1) + (lead > 0.2 or milestone[r, l] >= 2) + (risk < 0.3)
            out[O_SECURITY, r, l] = float(min(max(security, 1), 5))

            # Financing.
            runway = ratio(cash, net_burn + 0.25 * invest, 99.0)
            raise_below = numbers[a, RAISE_BELOW]
            bout[B_RAISE, r, l] = runway < raise_below
            bout[B_SEEK, r, l] = flags[a, SEEKS_STATE] and runway < raise_below + 2
            bout[B_PARTNER, r, l] = flags[a, PARTNER_DEALS] and runway < 2 * raise_below
            bout[B_TOKEN, r, l] = flags[a, TOKEN_FINANCING] and runway < 1.5
            bout[B_COMMIT, r, l] = flags[a, COMMITS] and alive[r, l]

            # People.
            need = talent_need * (size / 1e5) ** talent_exponent
            gap = maximum(0.0, 1.1 * need - talent[r, l])
            out[O_HIRE, r, l] = (payroll * numbers[a, HIRE_SHARE]
                                 + minimum(gap * hire_usd * (0.5 + 0.5 * talent[r, l]), 0.1 * maximum(cash, 0.0)))
            out[O_RETENTION, r, l] = payroll * numbers[a, RETENTION_SHARE]
            out[O_LOBBY, r, l] = payroll * numbers[a, LOBBY_SHARE]
            out[O_PUBLISH, r, l] = numbers[a, PUBLISH_SHARE]
            iout[I_GOAL, r, l] = lobby_goals[a]
