"""What teams decided, in words: a whole turn's orders, or only what changed since the turn
before (the debrief report, the facilitator's view of the teams and comparisons tell the
story by its changes, not by repeating each team's unchanged plan every turn).

Orders are as the model logs them (``RaceModel.orders_log``: plain JSON values per seat).
"""

from __future__ import annotations

import numpy as np

from .engine.diplomacy import ALONE

LAB_MOVES = ("raise_round", "seek_state", "partner_deal", "token_financing")


def _money(x: float) -> str:
    return f"${x / 1e9:.1f}B" if abs(x) >= 1e8 else f"${x / 1e6:.0f}M" if abs(x) >= 1e6 else "$0"


def _lab_items(o: dict, rules) -> dict:
    """A lab's orders as {item: (what, value)}: the things a reader compares from turn to turn.
    Purchases and financing moves (``ONE_OFF``) are news whenever they happen."""
    total = (o["train"] + o["serve"] + o["research"]) or 1.0
    focus = (o["focus_efficiency"] + o["focus_reasoning"] + o["focus_safety"]) or 1.0
    chips = float(sum(o["chip_usd"]))
    items = {
        "split": ("train/serve/research", f"{o['train'] / total:.0%}/{o['serve'] / total:.0%}/{o['research'] / total:.0%}"),
        "safety": ("research on safety", f"{o['focus_safety'] / focus:.0%}"),
        "efficiency": ("research on efficiency", f"{o['focus_efficiency'] / focus:.0%}"),
        "run": ("training runs of", f"{int(o['run_turns'])} turn{'s' * (int(o['run_turns']) != 1)}"),
        "release": ("next model", "open weights" if o["open_weights"] else "closed"),
        "price": ("price", f"×{o['price_level']:.2f}"),
    }
    if chips > 0:
        items["chips"] = ("bought chips for", _money(chips))
    if o["build_mw"] > 0:
        items["build"] = ("started", f"{o['build_mw']:.0f} MW of data centres in {rules.grid_names[int(o['build_grid'])]}")
    moves = [name.replace("_", " ") for name in LAB_MOVES if o[name]]
    if moves:
        items["money"] = ("tried", ", ".join(moves))
    if "security" in o:  # logs from before these levers lack them
        items["security"] = ("weights security", f"level {int(round(o['security']))}")
        items["cap"] = ("capability cap", f"{o['cap_capability']:.2f}" if o["cap_capability"] > 0 else "none")
        items["publish"] = ("safety research published", f"{o['publish_safety']:.0%}")
        items["commit"] = ("pause commitment", "made" if o["commit_pause"] else "none")
    return items


def _gov_items(o: dict) -> dict:
    items = {"tier": ("export tier", f"{int(o['export_tier'])}"), "enforcement": ("enforcement", f"{o['enforcement']:.0%}"),
             "subsidy": ("subsidies", f"{_money(o['subsidy'])} a turn"), "permitting": ("permitting", f"×{o['permitting']:.2f}"),
             "regulation": ("regulation", f"{o['regulation']:.0%}"),
             "ban": ("mineral ban", "in force" if o.get("retaliation") else "none")}
    if o.get("pool", 0) > 0:  # logs from before compute pools lack it
        items["pool"] = ("compute pooled in the champion", f"{o['pool']:.0%} of the other labs'")
    if o.get("start_mega"):
        items["project"] = ("national project", "launched")
    if "tracking" in o:  # logs from before diplomacy lack it
        items["tracking"] = ("chip tracking", "on" if o["tracking"] else "off")
        items["inspections"] = ("inspections accepted", f"{o['inspections']:.0%}")
        items["intel"] = ("intelligence", f"{_money(o['intel_usd'])} a turn")
        items["cheat"] = ("cheating on the pause", "yes" if o["cheat"] else "no")
        names = ("a pause", "safety standards", "a pause of its own labs alone")
        if 0 < int(o.get("propose", 0)) <= len(names):
            items["proposed"] = ("proposed", names[int(o["propose"]) - 1])
        left = [names[a] for a, gone in enumerate(o.get("leave") or []) if gone and a < len(names)]
        if left:
            items["left"] = ("left", " and ".join(left))
    return items


ONE_OFF_ITEMS = ("chips", "build", "money", "project", "proposed", "left")


def items(entry: dict, rules) -> dict:
    return _gov_items(entry["orders"]) if entry["kind"] == "government" else _lab_items(entry["orders"], rules)


def describe(entry: dict, rules) -> str:
    """One line for a seat's whole orders in a turn."""
    return "; ".join(f"{what} {value}" for what, value in items(entry, rules).values())


def changes(before: dict | None, now: dict, rules) -> str:
    """What a seat changed since ``before`` (its previous turn's entry), in words; "" if nothing.
    A government is compared with the policy in force when it decided, where the log has it."""
    if now["kind"] == "government" and "in_force" in now:
        before = {"kind": "government", "orders": {**now["in_force"], "start_mega": False}}
    if before is None:
        return describe(now, rules)
    old = items(before, rules)
    out = []
    for key, (what, value) in items(now, rules).items():
        if key in ONE_OFF_ITEMS:
            out.append(f"{what} {value}")
        elif key not in old or old[key][1] != value:
            out.append(f"{what} {value}" + (f" (was {old[key][1]})" if key in old else ""))
    return "; ".join(out)


def by_seat(orders_log) -> dict:
    """{seat: {turn: entry}} from a model's orders log."""
    out: dict = {}
    for entry in orders_log:
        out.setdefault(entry["seat"], {})[entry["turn"]] = entry
    return out


def plan_entry(model, seat: str, plan) -> dict:
    """A seat's plan as it stands now, as an orders-log entry (for describing it)."""
    rules = model.rules
    if seat in rules.country_ids:
        orders = {"export_tier": plan.export_tier, "enforcement": plan.enforcement, "subsidy": plan.subsidy_usd,
                  "permitting": plan.permitting, "regulation": plan.regulation, "pool": plan.pool, "start_mega": plan.start_mega,
                  "retaliation": plan.retaliation}
        g = rules.country_ids.index(seat)
        s = model.state
        moves = (plan.pause_move, plan.safety_move)
        orders.update(tracking=plan.tracking, cheat=plan.cheat,
                      inspections=float(s.inspections[0, g]) if plan.inspections < 0 else plan.inspections,
                      intel_usd=float(s.spy_usd[0, g]) if plan.intel_usd < 0 else plan.intel_usd,
                      propose=ALONE if moves[0] == "alone" else next((a + 1 for a, m in enumerate(moves) if m == "propose"), 0),
                      leave=[m == "leave" for m in moves])
        return {"turn": model.state.turn, "seat": seat, "kind": "government", "orders": orders}
    from .engine.observe import observe
    from .player import order_values

    slot = rules.lab_ids.index(seat)
    view = model.view if model.view is not None and model.view.turn == model.state.turn else observe(model.state, rules)
    values = order_values(plan, view, model.state, rules, slot)
    orders = {k: (np.asarray(v).tolist() if np.ndim(v) else np.asarray(v).item()) for k, v in values.items()}
    return {"turn": model.state.turn, "seat": seat, "kind": "lab", "orders": orders}
