"""Agreements, verification and intelligence in words, for the government desk's Diplomacy
tab and the lab desk's Politics tab. Pure functions of the model and a ``GovPlan``; the
meanings follow ``engine/diplomacy.py`` and ``engine/espionage.py``."""

from __future__ import annotations

from ..engine.diplomacy import (AGREEMENTS, IN_FORCE, NONE, PAUSE, PROPOSAL_TURNS, PROPOSED, SAFETY, lift_turn, paused_alone,
                                verification)
from . import fmt

AGREEMENT_NAMES = {"pause": "pause", "safety": "safety standards"}
MOVE_FIELDS = ("pause_move", "safety_move")  # GovPlan fields, in AGREEMENTS order


def _names(rules, members) -> str:
    return ", ".join(rules.country_names[c] for c, m in enumerate(members) if m) or "nobody"


def _notice_ends(model, a: int = PAUSE) -> str:
    """The quarter agreement ``a`` ends under notice ("" if it is not a pause, or no notice is
    given: only a pause takes notice)."""
    if a != PAUSE:
        return ""
    lift = int(lift_turn(model.state)[0])
    return fmt.quarter(model.rules.turn_date(lift)) if lift >= 0 else ""


def move_options(model, g: int, a: int) -> list:
    """(text, move) choices for agreement ``a`` as government ``g`` stands towards it now."""
    s = model.state
    name = AGREEMENT_NAMES[AGREEMENTS[a]]
    status, member = int(s.treaty[0, a]), bool(s.treaty_members[0, a, g])
    if status == NONE:
        if a == PAUSE:
            return [(f"No {name}", "keep"), (f"Propose a {name}", "propose"), ("Pause your own labs alone", "alone")]
        return [(f"No {name}", "keep"), (f"Propose {name}", "propose")]
    if status == PROPOSED:
        return ([("Signed: waiting for others", "keep"), ("Withdraw your signature", "leave")] if member else
                [("Not signed yet", "keep"), ("Sign it", "sign")])
    ends = _notice_ends(model, a)
    if ends:  # notice given: nothing left to choose
        return [(f"Ending {ends} (notice given)", "keep")]
    return [("Stay in it", "keep"), ("Leave it", "leave")] if member else [("Outside it", "keep")]


def status_line(model, a: int) -> str:
    """Where agreement ``a`` stands, for anyone."""
    s, rules = model.state, model.rules
    status = int(s.treaty[0, a])
    members = s.treaty_members[0, a]
    since = fmt.quarter(rules.turn_date(int(s.treaty_since[0, a]))) if status != NONE else ""
    if status == NONE:
        return "None in force or proposed"
    if status == PROPOSED:
        return f"Proposed {since}; signed: {_names(rules, members)}"
    extra = f"; cap {float(s.treaty_cap[0]):.2f}" if a == PAUSE else ""
    alone = " alone" if a == PAUSE and paused_alone(s)[0] else ""
    ends = _notice_ends(model, a)
    if ends:
        extra += f"; {rules.country_names[int(s.pause_notice_by[0])]} gave notice: it ends {ends}"
    return f"In force since {since}: {_names(rules, members)}{alone}{extra}"


def agreements_line(model) -> str:
    """One sentence on every agreement (the lab desk's Politics tab)."""
    parts = []
    for a, key in enumerate(AGREEMENTS):
        if int(model.state.treaty[0, a]) != NONE:
            line = status_line(model, a)  # only its first letter lowered: country names keep their capitals
            parts.append(f"{AGREEMENT_NAMES[key].capitalize()}: {line[:1].lower()}{line[1:]}")
    return ". ".join(parts) + "." if parts else "No agreement between governments is in force or proposed."


def intel_strength(stock: float) -> float:
    return stock / (stock + 1.0)


def diplomacy_effects(model, plan, g: int) -> dict:
    """lever key -> (text, warn) for the Diplomacy tab."""
    s, rules = model.state, model.rules
    c = rules.at(s.turn)
    out = {}
    for a, key in enumerate(AGREEMENTS):
        move = getattr(plan, MOVE_FIELDS[a])
        line = status_line(model, a)
        if move == "propose":
            line = (f"You propose it: a cap at {float(model_frontier(model)) + c['pause_margin']:.2f} if all sign in "
                    f"{PROPOSAL_TURNS} turns" if a == PAUSE else
                    f"You propose it: regulation ≥ {c['safety_floor']:.0%} and shared safety work, once all sign")
        elif move == "alone":
            line = f"Your labs stop at {float(model_frontier(model)) + c['pause_margin']:.2f} until you leave; rivals are free"
        elif move == "sign":
            line = "You sign: it starts when every government with a lab has signed"
        elif move == "leave":
            line = _leaving(model, a, c)
        out[MOVE_FIELDS[a]] = (line, move == "leave")
    in_pause = int(s.treaty[0, PAUSE]) == IN_FORCE and bool(s.treaty_members[0, PAUSE, g])
    verify = float(verification(s, rules)[0])
    catch = min(1.0, verify + c["spy_detection"])
    if in_pause and paused_alone(s)[0]:
        out["cheat"] = ("Your pause is your own: to train past its cap, leave it", False)
    elif not in_pause:
        out["cheat"] = ("Only a member of a pause in force can cheat on it", False)
    elif plan.cheat:
        out["cheat"] = (f"Your labs ignore the cap; caught up to {catch:.0%} a turn once {c['detect_oom']:.1f} OOM over", True)
    else:
        out["cheat"] = (f"Your labs keep to the cap; a cheater is caught up to {catch:.0%} a turn", False)
    out["tracking"] = ((f"Pause verification +{c['tracking_strength']:.0%}; smuggling of your chips "
                        f"−{c['tracking_smuggling_cut']:.0%}") if plan.tracking else "No chip-location tracking", False)
    share = float(s.inspections[0, g]) if plan.inspections < 0 else min(1.0, float(plan.inspections))
    out["inspections"] = (f"{share:.0%}: pause verification +{share * c['inspection_strength']:.0%} (mutual, averaged)", False)
    stock = float(s.gov_intel[0, g])
    spend = float(s.spy_usd[0, g]) if plan.intel_usd < 0 else float(plan.intel_usd)
    then = stock * c["spy_keep"] + spend / c["spy_usd"]
    out["intel_usd"] = (f"Service strength {intel_strength(stock):.0%} now, {intel_strength(then):.0%} next turn", False)
    return out


def gives_notice(model, a: int) -> bool:
    """Leaving agreement ``a`` now would give notice rather than end it at once: a pause
    shared with others, in force, in a level with a notice period, and no notice given yet."""
    s = model.state
    return (a == PAUSE and int(s.treaty[0, a]) == IN_FORCE and not paused_alone(s)[0]
            and model.rules.at(s.turn)["pause_notice"] > 0 and not _notice_ends(model))


def _leaving(model, a: int, c) -> str:
    """What leaving agreement ``a`` does now: at once, or (a pause shared with others, under a
    notice period) once the notice runs out; nothing more if notice is already given."""
    s, rules = model.state, model.rules
    if int(s.treaty[0, a]) != IN_FORCE:
        return "You withdraw your signature"
    ends = _notice_ends(model, a)
    if ends:
        return f"Notice is already given: it ends {ends}"
    if not gives_notice(model, a):
        return "You leave: it ends"
    ends = fmt.quarter(rules.turn_date(s.turn + c["pause_notice"]))
    return f"You give notice: it binds everyone until it ends {ends}, and everyone knows when"


def model_frontier(model) -> float:
    s = model.state
    alive = s.alive[0]
    return float(s.capability[0][alive].max()) if alive.any() else float(model.rules.c["frontier0"])


def diplomacy_tips(c) -> dict:
    return {
        "pause_move": "A pause: the members' labs train no model beyond a cap set "
                      f"{c['pause_margin']:.1f} OOM above the frontier when proposed, rising {c['pause_allowance']:.3f} OOM a "
                      f"turn. It starts once every government with a lab has signed (a proposal lapses after "
                      f"{PROPOSAL_TURNS} turns) and ends when a member leaves"
                      + (f" (after {c['pause_notice']} turn{'s' * (c['pause_notice'] != 1)} of notice, which everyone "
                         "hears)" if c["pause_notice"] > 0 else "")
                      + " or a cheater is caught. A government may "
                      "also pause its own labs alone, at once: rivals are not bound and keep closing in, and it "
                      "ends when that government leaves.",
        "safety_move": f"Safety standards: the members hold safety regulation at ≥ {c['safety_floor']:.0%} and their "
                       f"labs gain {c['incident_sharing']:.0%} of the other members' safety research. It starts once every "
                       "government with a lab has signed and ends when a member leaves.",
        "cheat": "Secretly let your labs train past the pause's cap. Verification (tracking and inspections in the "
                 f"members' countries) and intelligence ({c['spy_detection']:.0%} a turn) may catch it, more surely the "
                 f"further over the cap ({c['detect_oom']:.1f} OOM over: fully). A cheater caught ends the pause, its labs "
                 f"lose {c['cheat_reputation']:.0%} of their reputation and the others grow hostile "
                 f"(+{c['cheat_tension']:.0%}).",
        "tracking": f"Chip-location tracking on the chips your country makes: it gives a pause "
                    f"{c['tracking_strength']:.0%} verification (averaged over the members) and stops "
                    f"{c['tracking_smuggling_cut']:.0%} of the smuggling of your chips.",
        "inspections": f"Inspections you accept under a pause (0-100%): full inspections give {c['inspection_strength']:.0%} "
                       "verification, averaged over the members (inspections are mutual).",
        "intel_usd": f"Your intelligence services' budget a turn. {fmt.money(c['spy_usd'])} a turn builds half of full "
                     f"strength; the stock goes stale ({1 - c['spy_keep']:.0%} a turn). Each turn the service may steal "
                     "the weights of a foreign lab ahead of your best, or the secrets of a more efficient one: up to "
                     f"{c['theft_chance']:.1%} and {c['secrets_chance']:.1%} a turn at full strength against level-1 "
                     "security, more once the target passes milestones. Some thefts are discovered, and the victim "
                     f"grows hostile (+{c['theft_tension']:.0%}).",
    }


def standing_html(model, g: int, muted: str) -> str:
    """The country's hostility, the pause's verification and its intelligence, in a few lines."""
    s, rules = model.state, model.rules
    verify = float(verification(s, rules)[0])
    lines = [f"Hostility towards rivals: <b>{float(s.tension[0, g]):.0%}</b> (discovered thefts, caught cheats).",
             f"Pause verification now: <b>{verify:.0%}</b>; intelligence stock {float(s.gov_intel[0, g]):.2f}."]
    if int(s.treaty[0, SAFETY]) == IN_FORCE or int(s.treaty[0, PAUSE]) == IN_FORCE:
        lines.append(agreements_line(model))
    return f"<font color='{muted}'>" + "<br>".join(fmt.esc(x) if "<b>" not in x else x for x in lines) + "</font>"
