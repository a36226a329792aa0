"""``plan_government`` and ``plan_grid`` with their per-replica arithmetic in numba kernels:
the same orders and the same result as ``gov_ai.plan_government`` and
``grid_ai.plan_grid`` (see ``engine/compiled/__init__.py`` for why per replica).

``gov_ai`` and ``grid_ai`` stay the readable statement of the rules; a change there goes
here too. The level's reaction rules are data, so they are dispatched in Python as in
``gov_ai``, by its own ``condition`` and ``act``, and so are the moves that lobbying wins;
the kernel does the rest of a government's turn in one pass per replica: the lobbying odds,
intelligence spending, diplomacy (``plan_diplomacy``, with ``milestone_near`` and
``verification`` for the one lab and the one treaty it needs) and the compute pool.

Sums over labs and countries are added in numpy's pairwise order (``pairwise_sum``); a
boolean multiplying a number stays a multiplication (``x * mask`` is NaN for an infinite
``x``); the folds over countries keep ``util.max_over``'s NaN propagation; ``jit.kernel``'s
``error_model="numpy"`` makes a division by zero give inf or NaN, as in numpy, instead of
raising.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.compiled.jit import kernel
from ..engine.compiled.scalar import beats, clip, maximum, minimum, pairwise_sum, ratio
from ..engine.diplomacy import ALONE, IN_FORCE, NONE, PAUSE, SAFETY
from ..level.schema import LOBBY_GOALS
from .gov_ai import (DIPLOMACY_ORDERS, LOBBY_ACTION, POOL_TRAIL, RESUME_SHARE, _rivals, act, government_draws,
                     keep_without_labs, react)
from .lab_ai import NEAR_OOM

LOBBIED = np.array([i for i, goal in enumerate(LOBBY_GOALS) if goal in LOBBY_ACTION], dtype=np.int64)


def plan_government(view, s, rules, g: int, orders, rng) -> np.ndarray:
    """Write government g's orders (they start as its current policy). Returns the
    (R, Q) mask of its reactions that fired, for the news."""
    R = s.alive.shape[0]
    Q = len(rules.reaction_gov)
    u, u_diplomacy = government_draws(rng, s.turn, g, rules)
    fired = react(view, s, rules, g, orders, u)  # the level's rules are data: gov_ai dispatches them
    c = rules.at(s.turn)
    o = orders.govs
    consts = np.array([
        c["lobby_effect"], c["lobby_usd"], rules.spy_usd0[g] * c["turn_scale"],
        rules.gov_cooperation[g], rules.gov_restraint[g], rules.gov_temptation[g], rules.gov_pool_max[g],
        rules.c["tracking_strength"], rules.c["inspection_strength"],  # verification reads rules.c
        NEAR_OOM, RESUME_SHARE, POOL_TRAIL,  # arguments, not globals: numba's cache would keep a changed value stale
    ], dtype=float)
    codes = np.array([Q, NONE, IN_FORCE, PAUSE, SAFETY, ALONE], dtype=np.int64)
    spy_rivals = rules.controls[g] | rules.controls[:, g]  # the intelligence services' rivals: no fallback
    lobbied = np.empty((len(LOBBIED), R), dtype=np.bool_)
    before = {name: getattr(o, name)[:, g].copy() for name in DIPLOMACY_ORDERS}
    _plan_government(g, s.alive, s.country, s.capability, s.lobby_usd, s.lobby_goal, s.milestone,
                     s.failed_milestone, s.milestone_req, s.tension, s.alarm, s.treaty, s.treaty_members,
                     s.enforcement, s.tracking, s.inspections,
                     view.frontier, view.best_by_country, view.milestone_by_country, view.next_left,
                     view.next_odds, view.world_milestone,
                     u, np.ascontiguousarray(u_diplomacy), LOBBIED, spy_rivals, _rivals(rules, g), consts, codes,
                     lobbied, o.intel_usd, o.propose, o.sign, o.leave, o.inspections, o.cheat, o.tracking, o.pool)
    # As in gov_ai.plan_diplomacy: a replica where the country has no lab left keeps its orders.
    keep_without_labs(o, g, before, (s.alive & (s.country == g)).any(axis=1))
    # The moves the labs' lobbying won, after the reactions as in gov_ai (both may move the
    # export tier, and its bounds make the order matter). The kernel ran first: it writes none
    # of the levers ``act`` moves, and reads none of them.
    for j, i in enumerate(LOBBIED):
        act(orders, g, *LOBBY_ACTION[LOBBY_GOALS[i]], lobbied[j])
    if rules.gov_hold_tier[g]:  # a what-if study holds the tier fixed
        o.export_tier[:, g] = s.export_tier[:, g]
    return fired


def plan_grid(view, s, rules, n: int, orders) -> None:
    """Grid operator n's orders, as ``grid_ai.plan_grid`` writes them."""
    c = rules.at(s.turn)
    reserve = rules.grid_reserve_target[n]
    growth = (1.0 + rules.grid_demand_growth_per_year[n]) ** (rules.gen_months[0] / 12.0)
    _plan_grid(n, s.demand, s.built, s.approved, s.queued, s.capacity, s.outage, view.pipeline_mw,
               growth, 1.0 + reserve, 1.0 + 0.5 * reserve, rules.grid_invest_appetite[n],
               rules.grid_mix[n], np.maximum(rules.gen_credit, 0.1), c["approvals"][n],
               orders.grids.invest, orders.grids.approvals)


@kernel
def _plan_government(g, alive, country, capability, lobby_usd, lobby_goal, milestone, failed_milestone,
                     milestone_req, tension, alarm, treaty, treaty_members, enforcement, s_tracking,
                     s_inspections, frontier, best_by_country, milestone_by_country, next_left, next_odds,
                     world_milestone, u, du, lobbied_goals, spy_rivals, rivals, consts, codes,
                     lobbied, intel_usd, propose, sign, leave, inspections, cheat, tracking, pool):
    R, L = capability.shape
    C = best_by_country.shape[1]
    n_milestones = milestone_req.shape[1]
    G = lobbied_goals.shape[0]
    lobby_effect, lobby_usd_c, spy_base = consts[0], consts[1], consts[2]
    coop, restraint, temptation, pool_max = consts[3], consts[4], consts[5], consts[6]
    tracking_strength, inspection_strength = consts[7], consts[8]
    near_oom, resume_share, pool_trail = consts[9], consts[10], consts[11]
    Q, none, in_force_code, pause, safety, alone_code = codes[0], codes[1], codes[2], codes[3], codes[4], codes[5]
    # plan_diplomacy does nothing at all when the country has no living lab in any replica.
    diplomacy = False
    for r in range(R):
        for l in range(L):
            if alive[r, l] and country[r, l] == g:
                diplomacy = True
                break
        if diplomacy:
            break
    spent = np.empty((G, L))  # one replica's terms of each sum, in numpy's order
    per_member = np.empty(C)
    for r in range(R):
        # One pass over the labs: the country's living labs, its best (np.argmax: the first
        # maximum, or the first NaN), and the lobbying money by goal.
        labs = 0
        best = 0
        top = -np.inf
        for l in range(L):
            mine = alive[r, l] and country[r, l] == g
            if mine:
                labs += 1
            x = capability[r, l] if mine else -np.inf
            if l == 0 or beats(x, top):
                best = l
                top = x
            usd = lobby_usd[r, l] * (1.0 if mine else 0.0)
            for j in range(G):
                spent[j, l] = usd * (1.0 if lobby_goal[r, l] == lobbied_goals[j] else 0.0)

        # Lobbying: more money, better odds of the move the labs ask for.
        for j in range(G):
            spend = pairwise_sum(spent[j])
            chance = lobby_effect * ratio(spend, spend + lobby_usd_c, 0.0)
            lobbied[j, r] = u[r, Q + lobbied_goals[j]] < chance

        # Intelligence services: more effort when the country lags, more as rivals pass milestones.
        own_best = best_by_country[r, g]
        lag = maximum(frontier[r] - own_best, 0.0) if math.isfinite(own_best) else 0.0
        spy_milestone = milestone_by_country[r, 0] if spy_rivals[0] else 0
        for k in range(1, C):
            spy_milestone = max(spy_milestone, milestone_by_country[r, k] if spy_rivals[k] else 0)
        intel_usd[r, g] = spy_base * (1.0 + lag) * (1.0 + spy_milestone)

        # The race as this government sees it (plan_diplomacy and plan_pool).
        rival_best = best_by_country[r, 0] if rivals[0] else -np.inf
        rival_milestone = milestone_by_country[r, 0] if rivals[0] else 0
        for k in range(1, C):
            rival_best = maximum(rival_best, best_by_country[r, k] if rivals[k] else -np.inf)
            rival_milestone = max(rival_milestone, milestone_by_country[r, k] if rivals[k] else 0)
        both = math.isfinite(own_best) and math.isfinite(rival_best)
        lead = own_best - rival_best if both else 0.0  # < 0: trailing

        if diplomacy:
            own_odds = next_odds[r, best] if labs > 0 else 1.0
            near = 0.0
            if labs > 0:  # milestone_near for the leading lab, on the 10% belief
                cap = capability[r, best]
                m = milestone[r, best]
                known = m < world_milestone[r] or failed_milestone[r, best] >= m
                left = milestone_req[r, min(m, n_milestones - 1)] - cap if known else next_left[r, 0] + (frontier[r] - cap)
                near = clip(1.0 - left / near_oom, 0.0, 1.0)
            unready = (1.0 - own_odds) * clip(1.0 - abs(lead) / 1.0, 0.0, 1.0) * near
            trailing = clip(-lead, 0.0, 1.0) * (1.0 if rival_milestone >= 1 else 0.0)
            motive = maximum(maximum(alarm[r], unready), trailing)
            calm = 1.0 - tension[r, g]
            free = treaty[r, pause] == none
            member = treaty_members[r, pause, g]
            p = propose[r, g]
            if free and du[r, 0] < coop * motive * calm:
                p = pause + 1
            if p == 0 and treaty[r, safety] == none and du[r, 1] < coop * alarm[r] * calm:
                p = safety + 1
            sign[r, g, pause] = member or du[r, 2] < coop * (motive + 0.3 * alarm[r]) * calm * 2.0
            sign[r, g, safety] = treaty_members[r, safety, g] or du[r, 2] < coop * (alarm[r] + 0.3) * calm * 2.0
            ready = own_odds > 0.8 and lead >= 0.0
            affords = restraint > 0 and lead >= restraint and not ready
            if free and affords and du[r, 4] < coop * maximum(alarm[r], 1.0 - own_odds) * calm * 2.0 and p != pause + 1:
                p = alone_code
            propose[r, g] = p
            in_force = treaty[r, pause] == in_force_code
            members = 0
            for k in range(C):
                if treaty_members[r, pause, k]:
                    members += 1
            alone_now = in_force and members == 1 and member
            squeezed = alone_now and lead < resume_share * restraint
            leave[r, g, pause] = in_force and member and (ready or tension[r, g] > 0.7 or squeezed)
            inspections[r, g] = coop if member or p == pause + 1 else 0.0
            # verification: tracking and inspections averaged over the pause's members
            verified = 0.0
            if members > 0:
                for k in range(C):
                    per_country = (tracking_strength * (1.0 if s_tracking[r, k] else 0.0)
                                   + inspection_strength * s_inspections[r, k])
                    per_member[k] = per_country * (1.0 if treaty_members[r, pause, k] else 0.0)
                verified = pairwise_sum(per_member) / max(members, 1)
            cheat[r, g] = (in_force and member and not alone_now and lead < 0.0 and verified < 0.4
                           and du[r, 3] < temptation)
            tracking[r, g] = tracking[r, g] or enforcement[r, g] > 0.7 or member

        if pool_max > 0:  # a government that may pool backs one lab while its best trails
            behind = both and rival_best - own_best >= pool_trail
            pool[r, g] = pool_max if behind and labs >= 2 else 0.0


@kernel
def _plan_grid(n, demand, built, approved, queued, capacity, outage, pipeline_mw, growth, reserve,
               half_reserve, appetite, mix, credit, approvals_cap, invest, approvals):
    R, L = built.shape[0], built.shape[1]
    rows = np.empty((3, L))  # one replica's terms of the sums over labs, in numpy's order
    for r in range(R):
        for l in range(L):  # one pass over the labs' (strided) MW
            rows[0, l] = minimum(built[r, l, n], approved[r, l, n])
            rows[1, l] = queued[r, l, n]
            rows[2, l] = approved[r, l, n]
        labs_load = pairwise_sum(rows[0]) + pairwise_sum(rows[1]) * 0.5
        target = (demand[r, n] * growth + labs_load) * reserve
        shortfall = maximum(0.0, target - capacity[r, n] - pipeline_mw[r, n])
        for k in range(mix.shape[0]):
            invest[r, n, k] = appetite * shortfall * mix[k] / credit[k]
        # New connections fit in the headroom: firm capacity, with what is being built, less a
        # half reserve, less everything already connected or promised.
        firm = capacity[r, n] * (1.0 - outage[r, n]) + pipeline_mw[r, n]
        committed = demand[r, n] + pairwise_sum(rows[2])
        approvals[r, n] = clip(firm / half_reserve - committed, 0.0, approvals_cap)
