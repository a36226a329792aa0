"""The second validation layer: references resolve and numbers make sense together."""

from __future__ import annotations

from .fields import did_you_mean
from .schema import GENERATION_KINDS

GOV_EFFECTS = {"export_tier", "enforcement", "subsidy", "permitting", "regulation", "retaliation", "mega_project", "steal_model"}
LAB_EFFECTS = {"algo_breakthrough", "talent", "cash", "incident"}


def _ref(problems, path, value, options, what):
    if value not in options:
        known = ", ".join(sorted(options)) or "none"
        problems.append(f"{path}: '{value}' is not a known {what}{did_you_mean(value, options)}; known: {known}")
        return False
    return True


def check_meaning(data: dict, problems: list[str]) -> None:
    govs = {g["id"]: g for g in data["governments"]}
    grids = {g["id"]: g for g in data["grids"]}
    chips = {c["id"]: c for c in data["chips"]}
    labs = {lab["id"]: lab for lab in data["labs"]}

    clash = (set(govs) & set(labs)) | (set(grids) & set(labs)) | (set(govs) & set(grids))
    for name in sorted(clash):
        problems.append(f"id '{name}' is used by more than one of governments, grids and labs; ids must be unique")

    for i, gov in enumerate(data["governments"]):
        for j, target in enumerate(gov["controls_target"]):
            path = f"governments[{i}] ('{gov['id']}').controls_target[{j}]"
            if _ref(problems, path, target, govs, "government") and target == gov["id"]:
                problems.append(f"{path}: a government cannot control exports to itself")

    for i, market in enumerate(data["markets"]):
        for key in market["access"]:
            _ref(problems, f"markets[{i}] ('{market['id']}').access.{key}", key, govs, "government")
    if sum(market["usd_per_year"] for market in data["markets"]) <= 0:
        problems.append("markets: the usd_per_year of all markets must add up to more than 0 (market growth is measured against it)")

    supply = {p["id"]: p for p in data["supply"]}
    for i, item in enumerate(data["supply"]):
        path = f"supply[{i}] ('{item['id']}')"
        _ref(problems, f"{path}.country", item["country"], govs, "government")
        if item["substitute"]:
            if _ref(problems, f"{path}.substitute", item["substitute"], supply, "supply input") and item["substitute"] == item["id"]:
                problems.append(f"{path}.substitute: an input cannot substitute for itself")

    for i, chip in enumerate(data["chips"]):
        path = f"chips[{i}] ('{chip['id']}')"
        _ref(problems, f"{path}.producer", chip["producer"], govs, "government")
        for key in chip["inputs"]:
            _ref(problems, f"{path}.inputs.{key}", key, supply, "supply input")
        if not any(chip["inputs"].values()) and chip["supply_per_turn"] <= 0:
            problems.append(f"{path}: expected inputs (supply input id = units per chip) or supply_per_turn above 0")

    for i, grid in enumerate(data["grids"]):
        path = f"grids[{i}] ('{grid['id']}')"
        _ref(problems, f"{path}.country", grid["country"], govs, "government")
        if grid["demand_mw"] > 1.5 * grid["capacity_mw"]:
            problems.append(f"{path}.demand_mw: {grid['demand_mw']:g} is more than 1.5x capacity_mw ({grid['capacity_mw']:g}); expected a grid that can run")

        for kind in grid["build_mix"]:
            _ref(problems, f"{path}.build_mix.{kind}", kind, GENERATION_KINDS, "generation kind")
        if grid["build_mix"] and sum(grid["build_mix"].values()) <= 0:
            problems.append(f"{path}.build_mix: shares must add up to more than 0")

    for i, lab in enumerate(data["labs"]):
        path = f"labs[{i}] ('{lab['id']}')"
        country_ok = _ref(problems, f"{path}.country", lab["country"], govs, "government")
        for key in lab["chips"]:
            if _ref(problems, f"{path}.chips.{key}", key, chips, "chip class") and country_ok:
                chip = chips[key]
                if chip["domestic_only"] and chip["producer"] != lab["country"]:
                    problems.append(f"{path}.chips.{key}: '{key}' is sold only in '{chip['producer']}', not to a '{lab['country']}' lab")
        for j, site in enumerate(lab["data_centres"]):
            spath = f"{path}.data_centres[{j}].grid"
            if _ref(problems, spath, site["grid"], grids, "grid") and country_ok:
                if grids[site["grid"]]["country"] != lab["country"]:
                    problems.append(f"{spath}: grid '{site['grid']}' is in '{grids[site['grid']]['country']}'; a lab builds only in its own country ('{lab['country']}')")
        build_turns = max(1, -(-data["rules"]["power"]["dc_build_months"] // data["time"]["months_per_turn"]))
        build_turns = max(1, int(-(-build_turns // lab["build_speed"])))
        seen_turns = set()
        for j, item in enumerate(lab["construction"]):
            cpath = f"{path}.construction[{j}]"
            if _ref(problems, f"{cpath}.grid", item["grid"], grids, "grid") and country_ok and grids[item["grid"]]["country"] != lab["country"]:
                problems.append(f"{cpath}.grid: grid '{item['grid']}' is not in the lab's country ('{lab['country']}')")
            if item["turns"] >= build_turns:
                problems.append(f"{cpath}.turns: {item['turns']} is not less than the lab's build time ({build_turns} turns); expected 1..{build_turns - 1}")
            if item["turns"] in seen_turns:
                problems.append(f"{cpath}.turns: another project of this lab also finishes on turn {item['turns']}; merge them or pick another turn")
            seen_turns.add(item["turns"])
        if country_ok and not any(g["country"] == lab["country"] for g in data["grids"]):
            problems.append(f"{path}.country: no grid in '{lab['country']}'; every lab's country needs at least one grid")

    seen_stages = set()
    for i, stage in enumerate(data["time"]["stages"]):
        if stage["from_turn"] in seen_stages:
            problems.append(f"time.stages[{i}].from_turn: another stage also starts on turn {stage['from_turn']}")
        seen_stages.add(stage["from_turn"])

    for key, names in data["founders"]["names"].items():
        _ref(problems, f"founders.names.{key}", key, govs, "government")

    for i, role in enumerate(data["roles"]):
        _ref(problems, f"roles[{i}] ('{role['seat']}').seat", role["seat"], set(labs) | set(govs), "lab or government")
    for i, prompt in enumerate(data["prompts"]):
        if prompt["turn"] >= data["time"]["horizon_turns"]:
            problems.append(f"prompts[{i}].turn: {prompt['turn']} is after the last turn ({data['time']['horizon_turns'] - 1})")

    horizon = data["time"]["horizon_turns"]
    for i, event in enumerate(data["events"]):
        path = f"events[{i}] ('{event['id']}')"
        effect, target = event["effect"], event["target"]
        if event["turn"] >= horizon:
            problems.append(f"{path}.turn: {event['turn']} is after the last turn ({horizon - 1})")
        if event["turn"] < 0 and event["probability"] == 0 and not event["on_demand"]:
            problems.append(f"{path}: a random event (turn = -1) needs a probability above 0, a turn, or on_demand = true")
        if event["first_turn"] > event["last_turn"]:
            problems.append(f"{path}.first_turn: {event['first_turn']} is after last_turn ({event['last_turn']})")
        if effect in ("chip_supply", "chip_price"):
            _ref(problems, f"{path}.target", target, chips, "chip class")
        elif effect == "supply_capacity":
            _ref(problems, f"{path}.target", target, supply, "supply input")
        elif effect == "grid_capacity":
            _ref(problems, f"{path}.target", target, grids, "grid")
        elif effect in GOV_EFFECTS:
            _ref(problems, f"{path}.target", target, govs, "government")
        elif effect in LAB_EFFECTS:
            _ref(problems, f"{path}.target", target, set(labs) | set(govs), "lab or country")
        elif effect == "market" and target:
            _ref(problems, f"{path}.target", target, {m["id"] for m in data["markets"]}, "market")
        if effect == "export_tier" and not 0 <= event["amount"] <= 3:
            problems.append(f"{path}.amount: an export tier is 0..3, got {event['amount']:g}")
        if effect in ("enforcement", "regulation") and not 0 <= event["amount"] <= 1:
            problems.append(f"{path}.amount: the {effect} level is 0..1, got {event['amount']:g}")
        if effect == "steal_model" and not 0 <= event["amount"] <= 1:
            problems.append(f"{path}.amount: the chance a theft is discovered is 0..1, got {event['amount']:g}")
        if effect in ("chip_supply", "chip_price", "market", "permitting", "supply_capacity") and event["amount"] <= 0:
            problems.append(f"{path}.amount: a {effect} multiplier must be above 0, got {event['amount']:g}")
        if effect == "grid_capacity" and event["amount"] <= -1:
            problems.append(f"{path}.amount: a grid cannot lose more than all of its capacity (amount > -1), got {event['amount']:g}")

    for name, style in data["archetypes"].items():
        if style["train"] + style["serve"] + style["research"] <= 0:
            problems.append(f"archetypes.{name}: train + serve + research must be above 0")
        if style["focus_efficiency"] + style["focus_reasoning"] + style["focus_safety"] <= 0:
            problems.append(f"archetypes.{name}: the three focus_ shares must add up to more than 0")
