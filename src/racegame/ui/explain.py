"""Words for every number on screen: what it is and how the game computes it.

Tooltips are built here from the level's own constants, so they stay true when a level
changes a rule. Each function returns short HTML for a pygame_gui tooltip.
"""

from __future__ import annotations


from ..engine.step import BINDING
from ..narrate import WHY
from . import fmt

ADVICE = {
    "none": "Nothing bound your lab last turn: it used everything it had.",
    "cash": "Spend less this turn, or raise money (Money tab): a round, state backing, a partner deal.",
    "chips": "Chip makers rationed you. Spread purchases over turns or add another chip class (Capital tab).",
    "export_controls": "Buy domestic or uncontrolled chips, lobby to loosen controls, and put research into efficiency: "
                       "efficiency research needs people more than chips, so it pays most when chips are short.",
    "power": "Build data centres, add on-site generation or a power purchase agreement (Capital tab), "
             "or stop buying chips you cannot plug in.",
    "queue": "Your new capacity waits for a grid connection. On-site generation skips the queue and a PPA "
             "connects its share when its generation is built, if the queue has not; a grid with a shorter wait "
             "connects sooner (Capital tab); lobbying for permitting speeds approvals, and fast-tracks your own "
             "projects ahead of other waiting loads.",
    "talent": "You have more chips than your researchers can use well: hire (People tab).",
}


def binding_name(code_or_name) -> str:
    name = code_or_name if isinstance(code_or_name, str) else BINDING[int(code_or_name)]
    return {"none": "nothing", "export_controls": "export controls"}.get(name, name)


def binding_tip(name: str) -> str:
    if name == "none":
        return "<b>Nothing held your lab back last turn.</b><br>" + ADVICE["none"]
    return (f"<b>Held back by {binding_name(name)}</b>: {WHY[name]}.<br><br>"
            f"The game scores each constraint by the share of compute or spending it cost your lab this turn "
            f"and names the worst one if it cost at least 10%.<br><br><b>What to do:</b> {ADVICE[name]}")


def agi_belief(model, view) -> str:
    """What anyone can infer about how far AGI is (the game's own draw stays secret)."""
    lo, mid, hi = (float(x) for x in view.agi_left[0])
    known = int(view.world_milestone[0])
    passed = f" {known} of {model.rules.n_milestones - 1} milestones before it are passed." if known else ""
    return (f"AGI probably lies about {mid:.1f} OOM beyond today's best model (10-90%: {lo:.1f}-{hi:.1f});"
            f"{passed} Each milestone passed narrows this.")


def date_tip(model) -> str:
    r = model.rules
    t = model.state.turn
    return (f"<b>{fmt.quarter(r.turn_date(t))}</b>: turn {t + 1} of {r.horizon}. This turn is {r.turn_length(t)} months.<br>"
            f"The game ends when a lab's model passes the last milestone, AGI (nobody knows what it takes: see the "
            f"capability tip), or after the last turn ({fmt.quarter(r.turn_date(r.horizon - 1))}), when the lab with the "
            "best score leads.")


def cash_tip(model, slot, view) -> str:
    c = model.rules.at(model.state.turn)
    s = model.state
    rep = model.report
    lines = [f"<b>Cash: {fmt.money(float(s.cash[0, slot]))}</b>. Money in the bank.",
             "Each turn it grows by revenue, parent funding, subsidies and financing, and falls by payroll, chip "
             "operations, the power bill and what you spend on chips, data centres, hiring and lobbying.",
             f"You may spend at most {c['max_spend_share']:.0%} of your cash in a turn: a bigger plan is scaled down. "
             "Below zero, the lab is bankrupt and leaves the game."]
    if rep is not None:
        lines.append(f"Last turn: revenue {fmt.money(float(s.revenue[0, slot]))}, running costs "
                     f"{fmt.money(float(rep.costs[0, slot]))}.")
    lines.append(f"Running costs now: about {fmt.money(float(view.burn[0, slot]))} a turn.")
    return "<br>".join(lines)


def compute_tip(model, slot, view) -> str:
    c = model.rules.at(model.state.turn)
    rep = model.report
    h100e = float(view.h100e[0, slot])
    live = float(rep.h100e_live[0, slot]) if rep is not None else None
    text = (f"<b>Compute: {fmt.count(h100e)} H100-equivalents</b>: every chip you own, weighted by its training "
            f"performance (an H100 counts 1). Chips need power: only chips in data centres with a grid connection or "
            f"on-site generation run. About {1 - c['chip_keep']:.1%} of chips retire each turn.")
    if live is not None:
        text += f"<br>Powered last turn: {fmt.count(live)} ({fmt.pct(live / h100e if h100e else 1)})."
    return text


def power_tip(model, slot, view) -> str:
    rep = model.report
    site = float(view.site_mw[0, slot])
    need = float(view.chip_mw[0, slot])
    coming = float(view.coming_mw[0, slot])
    head = (f"<b>Power: {fmt.mw(float(rep.power_mw[0, slot]))} delivered last turn</b>, of {fmt.mw(site)} usable "
            "data-centre capacity" if rep is not None else f"<b>Power: {fmt.mw(site)} of usable data-centre capacity</b>")
    text = (f"{head}; your chips need {fmt.mw(need)}.<br>"
            "Delivered is what your chips drew: no more than they need, and less when a stressed grid curtails "
            "you. Capacity counts once a data centre is built AND connected to the grid (or covered by on-site "
            "generation); red means your chips need more than that, and some sit dark.")
    text += f"<br>Coming: {fmt.mw(coming)} under construction or waiting in grid queues."
    return text


def capability_tip(model, slot, view, frontier: float | None = None) -> str:
    """``frontier``: the best rival capability as the lab sees it (fog of war), if not exact."""
    s = model.state
    front = f"Frontier now: {float(view.frontier[0]):.2f}." if frontier is None else \
        f"Frontier now, as your intelligence sees it: about {frontier:.2f}."
    return (f"<b>Capability {s.capability[0, slot]:.2f}</b>: the log10 of your best model's effective training "
            f"compute (physical FLOP of the run × algorithmic efficiency) plus a reasoning bonus. +1 means ten times "
            f"more effective compute.<br>A finished training run becomes your model if it beats the old one; if not, it "
            f"trains on, its compute kept, until it does.<br>"
            f"{front} {agi_belief(model, view)} "
            f"Your efficiency: ×{10 ** float(s.efficiency[0, slot]):.1f}; reasoning bonus {float(s.reasoning[0, slot]):.2f}.")


def safety_tip(model, slot, view) -> str:
    s, c = model.state, model.rules.at(model.state.turn)
    have, need = float(s.safety[0, slot]), float(view.safety_needed[0, slot])
    rules = model.rules
    nxt = min(int(s.milestone[0, slot]), rules.n_milestones - 1)
    return (f"<b>Safety {have:.2f}</b> (on track: {need:.2f}). The stock grows with research aimed at safety.<br>"
            f"Passing each milestone is a gamble on it: your next, {rules.milestone_names[nxt]}, needs "
            f"{float(view.next_need[0, slot]):.2f} at today's pace and lead ({float(view.pressure[0, slot]):.2f}x its calm "
            f"{float(rules.milestone_safety[nxt]):.2f}); your odds of a safe passage now: {float(view.next_odds[0, slot]):.0%}. "
            "A fast race and a close rival raise the need; slowing down lowers it.<br>"
            f"Below the on-track line, incidents get likelier (each 0.1 short multiplies the chance by "
            f"{2.718281828 ** (0.1 * c['incident_gap_factor']):.2f}). A failed passage before AGI withdraws your model; "
            "at AGI it is a catastrophe and everybody loses.")


def share_tip(model, slot) -> str:
    s = model.state
    return (f"<b>Market share {fmt.pct(float(s.share[0, slot]))}</b>: your part of all AI use last turn. Buyers "
            "weigh capability (closer to the frontier), price and reputation, and move with some inertia. "
            f"Revenue last turn: {fmt.money(float(s.revenue[0, slot]))}.")


def rank_tip(rank: int, alive: int) -> str:
    return (f"<b>Rank {rank} of {alive}</b> by capability among the labs still in the race.<br>"
            "At the horizon the winner is decided by score: capability lead, market share, cash and safety.")


def lever_tips(rules) -> dict:
    c = rules.at(0)
    return {
        "chip_budget": "Money for chips, this turn only (next turn starts from nothing, or from the advisor's draft). "
                       "Prices rise when demand outruns supply; export controls let only a smuggled share of controlled "
                       "classes through, at a premium. New chips need power to run.",
        "chip_class": "Which chip class to buy. 'Best value' buys the class with the most training performance per "
                      "dollar that you may legally buy.",
        "build_mw": f"New data-centre capacity to start this turn (a one-off: next turn starts from nothing, or from the "
                    f"advisor's draft). Costs {fmt.money(c['dc_capex'])} per MW and takes your lab's build time; "
                    "then it waits in the grid's interconnection queue unless on-site power covers it (a PPA "
                    "sets a latest date).",
        "grid": "Where to build. Grids differ in queue wait (turns), price and stress; stressed grids curtail "
                "data centres and charge more.",
        "onsite": f"Share of the new capacity powered by on-site gas turbines and batteries: {fmt.money(c['onsite_capex'])} "
                  f"per MW, ready in {int(c['onsite_turns'])} turns, no queue, but power costs ${c['onsite_price']:.0f}/MWh and "
                  "turbine makers deliver only so much per turn.",
        "ppa": f"Share backed by a power purchase agreement: {fmt.money(c['ppa_capex'])} per MW; it pays for new "
               f"generation on the grid (solar and storage, about {int(c['gen_turns'][1])} turns to build). That "
               "capacity still queues, and whatever of it the queue has not connected by then is connected when the "
               "generation comes online: worth it where the queue is longer than that. The region builds only so "
               "much a turn; what it cannot build is not contracted or charged.",
        "split": "How your powered chips are used: training makes the next model, serving earns revenue (closed "
                 "models need serving capacity), research improves efficiency, reasoning and safety. Shares always add to 100%.",
        "focus": "What your research works on: efficiency (more capability per FLOP; it needs people more than chips, "
                 "and most of it comes in rare breakthroughs, each years of work at once, so a small lab can leap), "
                 "reasoning (a direct "
                 "capability bonus) or safety (the stock that keeps AGI safe). Regulation forces a minimum share on safety.",
        "run_turns": "How many turns a training run lasts at least. Longer runs gather more compute into one model but ship "
                     "less often; a run that would not beat your model trains on until it does.",
        "open_weights": "Release your next model's weights. Open models reach every market (even where closed US models "
                        "cannot sell), earn only a tenth of the revenue, and lift every rival to near your level.",
        "price": "Your price level (1.0 = par). Higher prices earn more per user but lose share; lower prices win users.",
        "raise_round": f"Ask investors for a round (about {c['round_share']:.0%} of your valuation; dilutes). Succeeds more "
                       f"often with momentum and a frontier model. After any financing move you wait {int(c['raise_cooldown'])} turns.",
        "seek_state": f"Ask your government for {fmt.money(c['state_backing_usd'])}. State-backed champions usually get it; "
                      "others about one time in four.",
        "partner_deal": f"A cloud partner pays {c['partner_share']:.0%} of your valuation now and takes "
                        f"{c['partner_cut']:.0%} of your revenue for good.",
        "token_financing": f"Sell tokens: fast money (about {c['token_share']:.0%} of valuation, ±{c['token_volatility']:.0%}), "
                           f"but {fmt.a_pct(c['token_fine_chance'])} chance regulators fine you most of it and your reputation suffers.",
        "hire": f"Hiring spend. {fmt.money(c['hire_usd'])} adds about one unit of talent (more when your team is small). "
                "Talent lets you use many chips well and speeds research.",
        "retention": f"Retention spend (bonuses, equity). Each turn about {c['attrition']:.1%} of talent leaves; spending a "
                     f"share of payroll on retention cuts that {c['retention_effect']:.0f}× as fast, and makes founders "
                     "less likely to leave and start a rival.",
        "lobby": f"Lobbying spend. Your government acts on your goal with a chance that grows with spending "
                 f"(half of its best effect at {fmt.money(c['lobby_usd'])} from all its labs together).",
        "intel": f"Intelligence on rivals (fog-of-war games): analysts, industry contacts and espionage. Every "
                 f"{fmt.money(c['intel_usd'])} buys a unit; with none you see rivals' capability, compute, cash, safety and "
                 f"market share with a typical error of 30% (0.3 in capability), halved by one unit, a third of it with two. "
                 f"Intelligence fades by {1 - c['intel_keep']:.0%} a turn.",
        "rent": f"Compute rented abroad, for this turn only: cloud capacity in third countries at "
                f"{fmt.money(c['rent_price'] / c['dt'])} per "
                "H100-equivalent a year. It needs no chips your country's controls stop and no power at home, but "
                "you pay every turn and own nothing. Renters share what is on offer; the country that controls yours "
                "can close part of it (cloud controls), and its chip tracking finds more.",
        "lobby_goal": "What you lobby your government for: looser or tighter export controls, faster permitting "
                      "(shorter grid queues for everyone, and your own projects fast-tracked: they weigh more in "
                      "each turn's approvals, at other waiting loads' expense), deregulation, or subsidies.",
        **safety_lever_tips(c),
    }


def safety_lever_tips(c) -> dict:
    """Tips for the Safety tab's levers, with the level's numbers for each security level."""
    levels = "; ".join(f"{k + 1}: {fmt.money(c['security_cost'][k])} a turn, stops {c['security_defence'][k]:.0%} of attacks, "
                       f"research −{c['security_slowdown'][k]:.0%}, {c['security_discovery'][k]:.0%} of thefts discovered"
                       for k in range(5))
    return {
        "security": "How well your model weights and secrets are guarded, levels 1 to 5 (like RAND's SL1-SL5). You move "
                    "one level a turn towards the level you set. Foreign intelligence services try to steal the weights "
                    "of labs ahead of their own country's best, and the algorithmic secrets of more efficient labs, "
                    "more often once you pass milestones. A stolen model goes to the thief's best lab, "
                    f"{c['adaptation_oom']:.1f} OOM weaker (held to that lab's cap, if it has one); leaked secrets "
                    f"close {c['secrets_share']:.0%} of its efficiency gap to you. A discovered theft angers your government at the thief's.<br>Levels: {levels}.",
        "cap_capability": "A pause of your own: train no model beyond this capability (a run that would end above it "
                          "ships its last checkpoint below the cap; a distilled or stolen model above it is not "
                          "fielded). Slide to the right end for no cap. A pause agreement in force caps its "
                          "members' labs too (the tighter cap holds, unless your government cheats). Slowing down lowers "
                          "your pace, and a slower pace lowers the safety your next milestone needs (a fast race "
                          f"multiplies it up to ×{c['pressure_max']:g}).",
        "publish_safety": f"Share of your safety research you publish. Every other lab takes up {c['publish_uptake']:.0%} "
                          "of what you publish (the world's odds of a safe AGI rise, not only yours); you gain up to "
                          f"{c['publish_trust']:.2f} reputation a turn; rivals learn a little of your methods too (up to "
                          f"{c['publish_reveal']:.0%} of their efficiency gap to you a turn).",
        "commit_pause": "A public commitment not to pass a milestone with odds of a safe passage below "
                        f"{c['commit_odds']:.0%}. It does not stop your training runs by itself (the capability cap "
                        f"does); passing a milestone with worse odds breaks it and costs {c['broken_reputation']:.0%} "
                        "of your reputation.",
    }
