"""What the screens say about the game: lever effects, the turn summary, ledger rows.

Pure functions of the session (model, plan, view); they return plain text, HTML for
pygame_gui text boxes, or rows of values. Nothing here draws or changes the game.
"""

from __future__ import annotations

import html
import math

import numpy as np

from ..engine.diplomacy import lift_turn, pause_binds
from ..engine.power import fast_track
from ..engine.research import normalised, research_effort, run_reach
from ..engine.step import BINDING
from ..level.schema import LOBBY_GOALS
from . import fmt
from .explain import ADVICE, binding_name
from .safety_facts import safety_effects
from ..narrate import WHY, odds_words, pooled_to


def _html(text: str) -> str:
    return html.escape(str(text), quote=False)

LOBBY_WORDS = {
    "none": "No lobbying goal",
    "loosen_controls": "Loosen export controls",
    "tighten_controls": "Tighten export controls",
    "permitting": "Faster grid permitting",
    "deregulate": "Lighter safety regulation",
    "subsidy": "AI subsidies",
}


def _effort(session, research_share: float) -> tuple[float, float, float]:
    """Output of the player's lab's efficiency, reasoning and safety research at full focus
    with this research share, by the engine's own formula (automated researchers included)."""
    model = session.model
    rules, s, v, slot = model.rules, model.state, session.view, session.slot
    c = rules.at(s.turn)
    h100e = float(v.h100e[0, slot])
    rep = model.report
    live = float(rep.h100e_live[0, slot]) if rep is not None else h100e
    talent = float(s.talent[0, slot])
    need = c["talent_need"] * (h100e / 1e5) ** c["talent_need_exponent"]
    factor = min(1.0, talent / need) if need > 0 else 1.0
    research = np.zeros_like(s.talent)
    research[0, slot] = live * factor * research_share
    efficiency, reasoning, safety, _ = research_effort(s, rules, research, c)
    return float(efficiency[0, slot]), float(reasoning[0, slot]), float(safety[0, slot])


def _pooled_words(model, rep, slot: int) -> str:
    """Last turn's national compute pool as it touched this lab: what it got or gave."""
    if rep is None or getattr(rep, "pooled_h100e", None) is None:
        return ""
    pooled = float(rep.pooled_h100e[0, slot])
    if pooled > 0:
        return f" (+{fmt.count(pooled)} H100e your government pools in you)"
    if pooled < 0:  # a giver: its country's pool fed one of its other labs
        to = pooled_to(rep, model.state, 0, int(model.state.country[0, slot]))
        return f" ({fmt.count(-pooled)} H100e of yours pooled in {model.lab_name(to)})"
    return ""


def _pause_timing(s, country: int, run_turns: int) -> str:
    """Under a pause, what a run's length means for the turn the cap lifts: a run that reaches
    the cap ends there, and when it lifts the labs on one-turn runs ship at once (the compute
    overhang of the pause goes to whoever ships first; AI labs it holds keep one-turn runs)."""
    if not pause_binds(s)[0, country]:
        return ""
    lift = int(lift_turn(s)[0])
    if lift >= 0:  # a member gave notice: everyone knows when it lifts (said first: the line is short)
        turns = lift - s.turn
        text = f"Pause lifts {'this turn' if turns == 0 else f'in {turns} turn' + 's' * (turns != 1)} (notice): "
        if run_turns > 1:
            return text + f"yours ships {run_turns - 1} turn{'s' * (run_turns != 2)} after it. "
        return text + "your 1-turn run ships then. "
    text = f"Pause cap {float(s.treaty_cap[0]):.2f}: "
    if run_turns > 1:
        return text + f"yours may ship {run_turns - 1} turn{'s' * (run_turns != 2)} after it lifts; held AI rivals' 1-turn runs ship at once. "
    return text + "your 1-turn run ships the turn it lifts. "


def lever_effects(session, pv: dict) -> dict:
    """name -> (text, warn) for every lever, from the plan and its preview."""
    model = session.model
    rules, s, v, slot = model.rules, model.state, session.view, session.slot
    c = rules.at(s.turn)
    plan = session.plan
    rep = model.report
    out = {}
    country = int(s.country[0, slot])

    chips = pv["chips"]
    if plan.chip_budget_usd <= 0:
        out["chip_budget"] = ("No chips this turn.", False)
    else:
        free = float(v.site_mw[0, slot] - v.chip_mw[0, slot])
        text = f"~{fmt.count(sum(chips.values()))} chips = {fmt.count(pv['chips_h100e'])} H100e; need {fmt.mw(pv['chips_mw'])}"
        warn = pv["chips_mw"] > max(free, 0.0) + float(v.coming_mw[0, slot])
        text += f" (free: {fmt.mw(max(free, 0.0))})"
        out["chip_budget"] = (text, warn)
    if plan.rent_usd > 0:
        wanted = plan.rent_usd / c["rent_price"]
        out["rent"] = (f"~{fmt.count(wanted)} H100e wanted; {fmt.count(c['rent_pool'])} on offer, shared",
                       wanted > c["rent_pool"])
    else:
        out["rent"] = ("No compute rented this turn.", False)
    controlled = set(pv["controlled_classes"])
    mix = plan.chip_mix or {}
    chosen = [k for k in mix if mix[k] > 0]
    if not chosen:
        names = [rules.chip_names[rules.chip_ids.index(k)] for k in chips] or ["the best value you may buy"]
        out["chip_class"] = (f"Best value now: {', '.join(names)}", False)
    else:
        parts = []
        for k in chosen:
            i = rules.chip_ids.index(k) if k in rules.chip_ids else None
            if i is None:
                continue
            price = float(v.unit_price[0, slot, i])
            name = rules.chip_names[i].split(' (')[0].replace("-class", "")
            parts.append(f"{name} ${price / 1e3:.0f}k ×{rules.chip_perf_train[i]:.2g}" if len(chosen) == 1 else name)
        hit = controlled & set(chosen)
        leak = float(v.leak[0, rules.chip_ids.index(next(iter(hit)))]) if hit else 0.0
        text = ("Mix: " if len(parts) > 1 else "") + ", ".join(parts) + (f"; controlled: ~{leak:.0%} gets through" if hit else "")
        out["chip_class"] = (text, bool(hit))

    grid = rules.grid_ids.index(plan.build_grid) if plan.build_grid in rules.grid_ids else None
    if grid is None or rules.grid_country[grid] != country:
        grid = int(np.flatnonzero(rules.grid_country == country)[0])
    wait = float(v.queue_wait[0, grid])
    build_turns = int(rules.at(s.turn)["build_turns"][slot])
    weight = fast_track_weight(plan, c)
    if plan.build_mw <= 0:
        out["build_mw"] = ("No new data centres this turn.", False)
    else:
        connected = f"on the grid in ~{fmt.turns(wait)}" if wait < fmt.NO_APPROVALS else "no grid connections approved now"
        if weight > 1.0 + 1e-9 and wait < fmt.NO_APPROVALS:  # its MW weigh more in the approvals
            connected = f"grid in ~{fmt.turns(max(wait / weight, 1.0))}, fast-tracked"
        text = f"{fmt.money(plan.build_mw * c['dc_capex'])}: built by {fmt.quarter(rules.turn_date(pv['build_ready_turn']))}; {connected}"
        out["build_mw"] = (text, wait > build_turns + 1 and plan.onsite_share + plan.ppa_share < 0.5)
    out["grid"] = (f"{fmt.queue(wait).capitalize()} · ${float(s.price[0, grid]):.0f}/MWh · stress {float(v.stress[0, grid]):.0%}",
                   float(v.stress[0, grid]) > 1.0)
    onsite = plan.build_mw * min(max(plan.onsite_share, 0.0), 1.0)
    ppa = plan.build_mw * min(max(plan.ppa_share, 0.0), 1.0 - min(max(plan.onsite_share, 0.0), 1.0))
    out["onsite"] = ((f"{fmt.mw(onsite)} on site: {fmt.money(onsite * c['onsite_capex'])}, powered from "
                      f"{fmt.quarter(rules.turn_date(pv['onsite_ready_turn']))}, no queue") if onsite > 0 else
                     "No on-site generation: new capacity waits for the grid.", False)
    ppa_turn = fmt.quarter(rules.turn_date(s.turn + int(c["gen_turns"][1])))
    out["ppa"] = ((f"{fmt.mw(ppa)} connected by {ppa_turn} at the latest: {fmt.money(ppa * c['ppa_capex'])}") if ppa > 0 else
                  "No PPA: new capacity waits in the queue.", False)

    train, serve, research = (float(x) for x in normalised(plan.train, plan.serve, plan.research, (0.5, 0.35, 0.15)))
    h100e = float(v.h100e[0, slot])
    if rep is not None:
        flops = float(rep.compute_flops[0, slot])
    else:
        flops = h100e * c["flop_per_h100e"] * c["utilisation"] * c["training_scale"]
    out["train"] = (f"{fmt.pct(train)}: ~{fmt.flop(flops * c['seconds_per_turn'] * train)} a turn into your training run"
                    + _pooled_words(model, rep, slot), False)
    # The caveat matters only when serving is thin: a closed model earns only what it can serve.
    thin = serve < 0.15 and not plan.open_weights
    out["serve"] = (f"{fmt.pct(serve)}: {fmt.count(h100e * serve)} H100e serve customers"
                    + ("; a closed model earns only what it serves" if thin else ""),
                    serve < 0.15 and not plan.open_weights)
    effort, reasoning_effort, safety_effort = _effort(session, research)
    out["research"] = (f"{fmt.pct(research)}: {fmt.count(h100e * research)} H100e on experiments · research effort {effort:.2f}", False)

    fe, fr, fs = (float(x) for x in normalised(plan.focus_efficiency, plan.focus_reasoning, plan.focus_safety, (0.4, 0.4, 0.2)))
    floor = 0.5 * float(s.regulation[0, country])
    lift = max(0.0, floor - fs)
    keep = (1.0 - fs - lift) / (1.0 - fs) if fs < 1.0 else 0.0
    fe, fr, fs = fe * keep, fr * keep, fs + lift
    k = c["focus_exponent"]
    gain = c["efficiency_rate"] * fe ** k * effort
    out["focus_efficiency"] = (f"{fmt.pct(fe)}: efficiency +{(10 ** gain - 1) * 100:.1f}% a turn", False)
    out["focus_reasoning"] = (f"{fmt.pct(fr)}: capability +{c['reasoning_rate'] * fr ** k * reasoning_effort / (1 + float(s.reasoning[0, slot])):.3f} a turn", False)
    need_rate = float(v.safety_needed[0, slot]) - float(s.safety[0, slot])
    text = f"{fmt.pct(fs)}: safety +{c['safety_rate'] * fs ** k * safety_effort:.3f} a turn"
    if floor > 0:
        text += f" (regulation requires ≥ {floor:.0%})"
    out["focus_safety"] = (text, need_rate > 0)
    out.update(safety_effects(session, c["safety_rate"] * fs ** k * safety_effort))

    age = int(s.run_age[0, slot])
    n = max(1, int(plan.run_turns))
    left = max(1, n - age)
    text = (f"Current run: {age} turn{'s' * (age != 1)} in, {fmt.flop(float(s.run_flop[0, slot]))} so far; "
            f"finishes {fmt.quarter(rules.turn_date(s.turn + left - 1))}")
    # Under a pause the timing at its lifting matters most, so it comes first.
    out["run_turns"] = (_pause_timing(s, country, n) + text, n > 1 and bool(pause_binds(s)[0, country]))
    out["open_weights"] = (("Next model open: every market, ~10% of the revenue, and rivals catch up to near it."
                            if plan.open_weights else "Next model closed: full revenue where you may sell."), False)
    out["price"] = (f"×{plan.price_level:.2f}: buyers' preference ×{plan.price_level ** -c['price_weight']:.2f}, "
                    f"revenue per user ×{plan.price_level:.2f}", False)

    value = float(rep.valuation[0, slot]) if rep is not None else None
    cooldown = int(s.raise_cooldown[0, slot])
    frontier = float(v.frontier[0])
    if cooldown > 0:
        wait_text = f"Not before {cooldown} more turn{'s' * (cooldown != 1)} (after a financing move)."
        for name in ("raise_round", "seek_state", "token_financing"):
            out[name] = (wait_text, True)
    else:
        gap = float(s.capability[0, slot]) - frontier
        chance = min(0.95, max(0.05, c["round_chance"] + 0.5 * float(s.momentum[0, slot]) + 0.3 * gap
                                + 0.2 * (float(s.reputation[0, slot]) - 1.0)))
        size = f"about {fmt.money(value * c['round_share'])}" if value else "a share of your valuation"
        out["raise_round"] = (f"{chance:.0%} chance of {size}; investors take {c['round_share']:.0%}", False)
        backing = 0.25 + 0.6 * float(rules.lab_state_backed[slot])
        out["seek_state"] = (f"{backing:.0%} chance of {fmt.money(c['state_backing_usd'])}"
                             + (" (only if you do not raise a round)" if plan.raise_round else ""), plan.raise_round)
        proceeds = f"~{fmt.money(value * c['token_share'])}" if value else f"~{c['token_share']:.0%} of valuation"
        out["token_financing"] = ("Not tried: a round or state backing comes first this turn"
                                  if plan.raise_round or plan.seek_state else
                                  f"{proceeds} ±{c['token_volatility']:.0%}; {c['token_fine_chance']:.0%} risk of a fine",
                                  plan.raise_round or plan.seek_state)
    pshare = float(s.partner_share[0, slot])
    if int(s.partner_cooldown[0, slot]) > 0:
        out["partner_deal"] = (f"Not before {int(s.partner_cooldown[0, slot])} more turns.", True)
    elif pshare >= 0.6:
        out["partner_deal"] = ("Partners already take 60% of your revenue: no more deals.", True)
    else:
        now = f"~{fmt.money(value * c['partner_share'])} now" if value else "a payment now"
        out["partner_deal"] = (f"{now}; partners take {pshare:.0%}, then {pshare + c['partner_cut']:.0%} of revenue", False)

    talent = float(s.talent[0, slot])
    need = c["talent_need"] * (h100e / 1e5) ** c["talent_need_exponent"]
    gain_t = plan.hire_usd / (c["hire_usd"] * (0.5 + 0.5 * talent)) if plan.hire_usd > 0 else 0.0
    out["hire"] = (f"+{gain_t:.2f} talent (now {talent:.2f}; your chips need {need:.2f})", talent + gain_t < need)
    payroll = talent * c["salary"]
    kept = max(0.0, 1.0 - c["retention_effect"] * (plan.retention_usd / payroll if payroll > 0 else 0.0))
    out["retention"] = (f"Talent leaving: {c['attrition'] * kept:.1%} a turn (with no retention {c['attrition']:.1%})", kept > 0.9)
    goal = plan.lobby_goal if plan.lobby_goal in LOBBY_GOALS else "none"
    if goal == "none" or plan.lobby_usd <= 0:
        out["lobby"] = ("No lobbying this turn." if plan.lobby_usd <= 0 else "Pick a goal, or the money is wasted.",
                        plan.lobby_usd > 0 and goal == "none")
    else:
        share = plan.lobby_usd / (plan.lobby_usd + c["lobby_usd"])
        out["lobby"] = (f"~{c['lobby_effect'] * share:.0%} chance a turn that the {rules.country_names[country]} government acts",
                        False)
    out["lobby_goal"] = (_lobby_ask(goal, model, country, weight), False)
    if getattr(session, "fog", False):
        from ..fog import BASE_NOISE

        stock = float(s.intel[0, slot])
        later = stock * c["intel_keep"] + max(plan.intel_usd, 0.0) / c["intel_usd"]
        now, then = BASE_NOISE / (1.0 + stock), BASE_NOISE / (1.0 + later)
        out["intel"] = (f"Rivals seen with a typical error of {now:.0%} now; {then:.0%} next turn", then > now + 1e-6)
    return out


# The plan's levers in words, for notes about what the player set and what the advisor drafted.
LEVER_WORDS = {
    "chip_budget_usd": "chip budget", "chip_mix": "chip class", "build_mw": "new data centres", "build_grid": "grid region",
    "onsite_share": "on-site generation", "ppa_share": "power purchase agreement", "train": "compute split",
    "serve": "compute split", "research": "compute split", "focus_efficiency": "research focus",
    "focus_reasoning": "research focus", "focus_safety": "research focus", "run_turns": "training run length",
    "open_weights": "open weights", "price_level": "price level", "raise_round": "funding round",
    "seek_state": "state backing", "partner_deal": "cloud-partner deal", "token_financing": "token financing",
    "hire_usd": "hiring", "retention_usd": "retention", "lobby_usd": "lobbying", "lobby_goal": "lobbying goal",
    "intel_usd": "intelligence", "security": "security level", "cap_capability": "capability cap",
    "publish_safety": "published safety research", "commit_pause": "pause commitment", "rent_usd": "compute rented abroad",
}


def lever_words(names) -> list[str]:
    """Lever names in words, each once, in the panel's order."""
    return list(dict.fromkeys(LEVER_WORDS[n] for n in names if n in LEVER_WORDS))


def advisor_note(session) -> tuple[str, str]:
    """(one line, tooltip HTML) about the advisor's last draft and the levers the player set."""
    controller = getattr(session, "controller", None)
    plan = session.plan
    mine = lever_words(plan.mine)
    drafted = lever_words(getattr(controller, "drafted", []))
    parts = []
    if drafted:
        parts.append(f"Advisor changed {len(drafted)} lever{'s' * (len(drafted) != 1)}")
    if mine:
        parts.append(f"{len(mine)} yours, kept")
    if not parts:
        line = ("Advisor drafts the levers you leave alone" if session.advisor_drafts else
                "Plan carries over; purchases are one-off")
    else:
        line = " · ".join(parts)
    tip = ["<b>Your levers and the advisor</b>",
           "A lever you move is yours (its name turns blue, marked 'yours'): the advisor never changes it. "
           "With 'Advisor drafts each turn' on, the advisor sets every other lever at the start of each turn; off, "
           "your plan carries over as it stands. Purchases (chips, new data centres) and financing moves are for one "
           "turn only: afterwards they are back to nothing, or to the advisor's draft."]
    if drafted:
        tip.append("<b>The advisor's last draft changed:</b> " + ", ".join(drafted) + ".")
    if mine:
        tip.append("<b>Yours, kept as you set them:</b> " + ", ".join(mine) + ". 'Release' hands them back.")
    return line, "<br><br>".join(tip)


def fast_track_weight(plan, c) -> float:
    """The weight the plan's lobbying gives the lab's queued MW in its grids' approvals (the
    engine's ``fast_track``): 1 unless it lobbies for permitting."""
    return float(fast_track(max(plan.lobby_usd, 0.0), c)) if plan.lobby_goal == "permitting" else 1.0


def _lobby_ask(goal: str, model, country: int, weight: float = 1.0) -> str:
    """What a lobbying goal asks the government for, against the policy in force (``weight``:
    the fast track the lobbying buys the lab's own projects, for permitting)."""
    s = model.state
    track = f"your MW ×{weight:.2f} in the queue" if weight > 1.0 + 1e-9 else "a fast track for you"
    return {
        "none": "No goal: lobbying money does nothing",
        "loosen_controls": f"Asks for a lower export tier (now {int(s.export_tier[0, country])})",
        "tighten_controls": f"Asks for a higher export tier (now {int(s.export_tier[0, country])})",
        "permitting": f"Faster permits (now ×{float(s.permitting[0, country]):.1f}); {track}",
        "deregulate": f"Asks for lighter safety regulation (now {float(s.regulation[0, country]):.0%})",
        "subsidy": f"Asks for AI subsidies (now {fmt.money(float(s.subsidy[0, country]))} {fmt.rate_unit(model.rules)})",
    }[goal]


def policy_line(model, country: int) -> str:
    s = model.state
    return (f"export tier {int(s.export_tier[0, country])}, permitting ×{float(s.permitting[0, country]):.1f}, "
            f"regulation {float(s.regulation[0, country]):.0%}, subsidy "
            f"{fmt.money(float(s.subsidy[0, country]))}{fmt.rate_unit(model.rules, short=True)}")


def spend_summary(session, pv: dict) -> dict:
    model = session.model
    c = model.rules.at(model.state.turn)
    cash = pv["cash_usd"]
    allowed = c["max_spend_share"] * max(cash, 0.0)
    return {
        "spend": pv["spend_usd"],
        "allowed": allowed,
        "fraction": pv["spend_usd"] / allowed if allowed > 0 else (0.0 if pv["spend_usd"] <= 0 else 2.0),
        "affordable": pv["affordable"],
        "scale": pv["spend_scale"],
        "running": pv["running_costs_usd"],
    }


# -- the turn summary -------------------------------------------------------------------------------
def _row(columns: dict, lab: str) -> dict | None:
    for i, name in enumerate(columns["lab"]):
        if name == lab:
            return {k: v[i] for k, v in columns.items()}
    return None


def _delta(before, after, key, form, signed_form=None):
    a = float(after[key])
    if before is None:
        return form(a)
    b = float(before[key])
    d = a - b
    change = (signed_form or (lambda x: form(x)))(d)
    return f"{form(b)} to {form(a)} ({change})"


def turn_summary(session) -> dict:
    """The report on the turn just played: headline, binding constraint, HTML body."""
    model = session.model
    rules, s, rep = model.rules, model.state, model.report
    slot = session.slot
    me = rules.lab_ids[slot]
    history = session.history()
    after = _row(history[-1], me)
    before = _row(history[-2], me) if len(history) >= 2 else None
    turn = s.turn - 1
    date = rules.turn_date(turn)
    code = int(s.binding[0, slot])
    binding = BINDING[code]
    acc = "#f2b84b"
    good, bad, muted = "#4cc38a", "#ef6a5a", "#8aa0b4"
    lines = []

    def li(text):
        lines.append(f"• {text}")

    # The level's prompt for this turn: the tutorial's next step, or a scenario's question to think about.
    prompts = [p["text"] for p in model.level.data.get("prompts", []) if p["turn"] == turn]
    if prompts:
        head = "TUTORIAL · YOUR NEXT STEP" if model.level.id == "tutorial" else "THINK ABOUT"
        lines.append(f"<font color='{acc}'><b>{head}</b></font>")
        lines += [f"<b>{_html(text)}</b>" for text in prompts]
        lines.append("")
    lines.append(f"<font color='{acc}'><b>YOUR LAB: {fmt.esc(model.lab_name(slot).upper())}</b></font>")
    if after is None or not s.alive[0, slot]:
        li(f"<font color='{bad}'><b>Your lab ran out of money and shut down.</b></font>")
    else:
        released = bool(rep.released[0, slot])
        cap_line = _delta(before, after, "capability", lambda x: f"{x:.2f}", lambda d: f"{d:+.2f}")
        scored = float(rep.run_outcome[0, slot])
        if released:
            how = "open weights" if s.model_open[0, slot] else "a closed model"
            cap_line += f": <font color='{good}'>your training run finished and you released {how}</font>"
        elif bool(rep.lifted[0, slot]):
            cap_line += ": lifted by the best open-weights model"
        elif bool(rep.run_kept[0, slot]):
            short = float(s.capability[0, slot]) - scored
            cap_line += (f": <font color='{bad}'>your training run reached its planned length, but its model ({scored:.2f}) "
                         f"would not beat the one you have</font>. It keeps training, nothing thrown away, and is looked at "
                         f"again next turn ({fmt.flop(float(s.run_flop[0, slot]))} in so far; about {fmt.count(10 ** short)}× "
                         "more effective compute needed): more powered chips or efficiency research get it there sooner")
        elif math.isfinite(scored):
            cap_line += (f": your training run reached the training cap you are held to ({scored:.2f}), so it ends without "
                         "a better model, and a new one starts")
        else:
            age = int(s.run_age[0, slot])
            cap_line += f": training run continues ({age} turn{'s' * (age != 1)} in, {fmt.flop(float(s.run_flop[0, slot]))}"
            reach = float(run_reach(s)[0, slot])
            cap_line += (f"; it would give about {float(s.capability[0, slot]) + reach:.2f} if it ended next turn)" if reach > 0
                         else "; not yet past your model)")
        li(f"<b>Capability</b> {cap_line}")
        cash_line = _delta(before, after, "cash_usd", fmt.money, lambda d: fmt.money(d, signed=True))
        parts = [f"revenue {fmt.money(float(s.revenue[0, slot]), True)}",
                 f"running costs {fmt.money(-float(rep.costs[0, slot]), True)}",
                 f"chips {fmt.money(-float(rep.chip_spend[0, slot]), True)}"]
        funding = float(rules.lab_parent_funding[slot]) + float(rep.subsidy[0, slot])
        if funding > 0:
            parts.insert(1, f"parent funding and subsidies {fmt.money(funding, True)}")
        if before is not None:
            other = float(after["cash_usd"]) - float(before["cash_usd"]) - float(s.revenue[0, slot]) - funding \
                + float(rep.costs[0, slot]) + float(rep.chip_spend[0, slot])
            if abs(other) > 1e6:
                parts.append(f"everything else (building, people, lobbying, financing, national projects) "
                             f"{fmt.money(other, True)}")
        li(f"<b>Cash</b> {cash_line}: " + ", ".join(parts))
        if float(rep.spend_scale[0, slot]) < 0.999:
            li(f"<font color='{bad}'>Your plan cost more than you may spend in a turn: it was cut to "
               f"{float(rep.spend_scale[0, slot]):.0%}.</font>")
        bought = float((rep.chips_bought[0, slot] * rules.chip_perf_train).sum())
        comp = _delta(before, after, "chips_h100e", fmt.count, lambda d: fmt.count(d, signed=True))
        li(f"<b>Compute</b> {comp} H100e ({fmt.count(bought)} bought; powered {fmt.pct(float(rep.power_frac[0, slot]))})"
           + html.escape(_pooled_words(model, rep, slot)))
        li(f"<b>Power</b> {fmt.mw(float(rep.power_mw[0, slot]))} delivered; chips need {fmt.mw(float(rep.chip_mw[0, slot]))}; "
           f"usable capacity {fmt.mw(float(rep.site_mw[0, slot]))}")
        share = _delta(before, after, "share", fmt.pct, lambda d: fmt.pct(d, 1, True))
        safety = _delta(before, after, "safety", lambda x: f"{x:.2f}", lambda d: f"{d:+.2f}")
        li(f"<b>Market share</b> {share} · <b>Safety</b> {safety} (on track: {float(session.view.safety_needed[0, slot]):.2f})")
        for n in [n for n in model.news if n.turn == turn and n.lab == slot and n.kind not in ("release", "ending")]:
            colour = bad if n.tone == "bad" or n.kind == "safety" or "fine" in n.text else good
            odds = f" (the chance was {odds_words(n.chance)}: {n.why})" if n.chance >= 0 else ""
            li(f"<font color='{colour}'>{fmt.esc(n.text)}</font>{fmt.esc(odds)}")
    lines.append("")
    if binding == "none":
        lines.append(f"<font color='{good}'><b>NOTHING HELD YOU BACK</b></font> — you used everything you had.")
    else:
        lines.append(f"<font color='{bad}'><b>HELD BACK BY {binding_name(binding).upper()}</b></font> — {WHY[binding]}.")
        lines.append(f"<font color='{muted}'>What to do: {ADVICE[binding]}</font>")
    lines.append("")

    movers = []
    for lab in history[-1]["lab"]:
        if lab == me:
            continue
        a, b = _row(history[-1], lab), (_row(history[-2], lab) if len(history) >= 2 else None)
        if a is None or not a["alive"]:
            continue
        d = float(a["capability"]) - (float(b["capability"]) if b else float(a["capability"]))
        movers.append((d, a["lab_name"], float(a["capability"]), a["binding"]))
    movers.sort(reverse=True)
    lines.append(f"<font color='{acc}'><b>RIVALS</b></font>")
    for d, name, cap, why in movers[:3]:
        if d > 0.005:
            li(f"{fmt.esc(name)}: capability {cap:.2f} ({d:+.2f})" + (f", held back by {binding_name(why)}" if why != "none" else ""))
    news = [n for n in model.news if n.turn == turn]
    rival_news = [n for n in news if n.kind in ("release", "money", "people", "safety") and n.lab != slot and n.lab >= 0]
    for n in sorted(rival_news, key=lambda n: -n.weight)[:5]:
        li(fmt.esc(n.text))
    if not movers or (movers[0][0] <= 0.005 and not rival_news):
        li(f"<font color='{muted}'>No rival made a big move.</font>")
    lines.append("")
    lines.append(f"<font color='{acc}'><b>GOVERNMENTS AND THE WORLD</b></font>")
    world = [n for n in news if n.kind in ("policy", "event", "ending")]
    for n in sorted(world, key=lambda n: -n.weight)[:6]:
        li(fmt.esc(n.text))
    if not world:
        li(f"<font color='{muted}'>No change in policy; no major events.</font>")
    return {"title": f"{fmt.quarter(date)} report", "binding": binding, "html": "<br>".join(lines),
            "released": bool(rep.released[0, slot]), "incident": bool(rep.incident[0, slot])}


# -- the ledger ----------------------------------------------------------------------------------------
def lab_rows(session) -> list[dict]:
    """A row per lab. In a fog-of-war game a rival's figures are the team's estimates, and
    what its intelligence does not cover is None (shown as ?)."""
    model = session.model
    rules, s, v = model.rules, model.state, session.view
    seen = session.seen() if hasattr(session, "seen") else None
    rows = []
    for slot in range(rules.n_labs):
        if not (s.alive[0, slot] or s.founded_turn[0, slot] >= 0 or slot < rules.n_level_labs):
            continue
        alive = bool(s.alive[0, slot])
        row = {
            "slot": slot,
            "you": slot == session.slot,
            "name": model.lab_name(slot) + ("" if alive else " (gone)"),
            "country": rules.country_ids[int(s.country[0, slot])].upper(),
            "capability": float(s.capability[0, slot]) if alive else float("-inf"),
            "compute": float(v.h100e[0, slot]),
            "power": float(v.site_mw[0, slot]),
            "cash": float(s.cash[0, slot]) if alive else 0.0,
            "revenue": float(s.revenue[0, slot]),
            "share": float(s.share[0, slot]),
            "safety": float(s.safety[0, slot]),
            "talent": float(s.talent[0, slot]),
            "open": "open" if s.model_open[0, slot] else "closed",
            "binding": binding_name(int(s.binding[0, slot])) if alive else "bankrupt",
        }
        if seen is not None and alive and not session.exact(slot):
            row.update(capability=float(seen["capability"][slot]), compute=float(seen["chips_h100e"][slot]),
                       cash=float(seen["cash_usd"][slot]), safety=float(seen["safety"][slot]), share=float(seen["share"][slot]),
                       power=None, revenue=None, talent=None, binding="unknown")
            row["name"] += " ≈"
        rows.append(row)
    return rows


def government_rows(session) -> list[dict]:
    model = session.model
    rules, s, v = model.rules, model.state, session.view
    rows = []
    for g, (cid, name) in enumerate(zip(rules.country_ids, rules.country_names)):
        rows.append({
            "name": name,
            "tier": int(s.export_tier[0, g]),
            "enforcement": float(s.enforcement[0, g]),
            "subsidy": float(s.subsidy[0, g]),
            "permitting": float(s.permitting[0, g]),
            "regulation": float(s.regulation[0, g]),
            "pool": float(s.pool[0, g]),
            "share": float(v.compute_share[0, g]),
            "project": "started" if s.mega_started[0, g] else "–",
            "ban": "yes" if s.retaliation[0, g] else "no",
        })
    return rows


def grid_rows(session) -> list[dict]:
    model = session.model
    rules, s, v = model.rules, model.state, session.view
    rows = []
    for n, name in enumerate(rules.grid_names):
        rows.append({
            "name": name,
            "country": rules.country_ids[int(rules.grid_country[n])].upper(),
            "capacity": float(s.capacity[0, n]),
            "demand": float(s.demand[0, n]),
            "stress": float(v.stress[0, n]),
            "price": float(s.price[0, n]),
            "curtail": float(s.curtail[0, n]),
            "wait": float(v.queue_wait[0, n]),
            "pipeline": float(v.pipeline_mw[0, n]),
            "yours": _yours(session, n),
        })
    return rows


def _yours(session, grid: int) -> float:
    """MW built on a grid by the player's lab, or by a government team's country's labs."""
    s, rules = session.model.state, session.model.rules
    if session.slot is not None:
        return float(s.built[0, session.slot, grid])
    home = getattr(session, "home_country", None)
    if home is None:
        return 0.0
    mine = s.country[0] == rules.country_ids.index(home)
    return float(s.built[0, mine, grid].sum())
