"""Playing a whole game without a screen, and telling what happened and why."""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext

import numpy as np

from .engine.safety import scores
from .engine.state import CATASTROPHE, HORIZON, OUTCOMES, SAFE_AGI
from .history import HistoryWriter, turn_columns
from .model import RaceModel


def play(model: RaceModel, history_path=None) -> RaceModel:
    """Step ``model`` to its end (or turn limit), optionally streaming history rows."""
    writer = HistoryWriter(history_path) if history_path else None
    with writer or nullcontext():  # the file appears whole, or not at all if the game fails
        if writer and model.chronicle:
            for columns in model.chronicle:  # a loaded game: its earlier turns first
                writer.add({k: np.asarray(v) for k, v in columns.items()})
        while model.running:
            model.step()
            if writer:
                writer.add(turn_columns(model, model.report))
    return model


def standings(model, replica: int = 0) -> list[dict]:
    s, rules = model.state, model.rules
    r = replica
    rows = []
    for slot in range(rules.n_labs):
        if not (s.alive[r, slot] or s.founded_turn[r, slot] >= 0 or slot < rules.n_level_labs):
            continue
        rows.append({
            "lab": rules.lab_ids[slot],
            "name": model.lab_name(slot, r),
            "country": rules.country_ids[int(s.country[r, slot])],
            "alive": bool(s.alive[r, slot]),
            "capability": float(s.capability[r, slot]),
            "chips_h100e": float((s.chips[r, slot] * rules.chip_perf_train).sum()),
            "cash_usd": float(s.cash[r, slot]),
            "share": float(s.share[r, slot]),
            "safety": float(s.safety[r, slot]),
            "founded_turn": int(s.founded_turn[r, slot]),
        })
    rows.sort(key=lambda row: (row["alive"], row["capability"]), reverse=True)
    return rows


def main_constraints(model) -> dict:
    """Each lab's most frequent binding constraint over the game (one watched game)."""
    counts: dict[str, Counter] = {}
    for columns in model.chronicle:
        for lab, alive, why in zip(columns["lab"], columns["alive"], columns["binding"]):
            if alive:
                counts.setdefault(lab, Counter())[why] += 1
    return {lab: c.most_common(1)[0][0] for lab, c in counts.items()}


def ending(model, replica: int = 0) -> dict:
    s, rules = model.state, model.rules
    r = replica
    outcome = int(s.outcome[r])
    winner = int(s.winner[r])
    agi = int(s.agi_lab[r])
    frontier = float(np.where(s.alive[r], s.capability[r], -np.inf).max()) if s.alive[r].any() else None
    country_points = {}
    if outcome == HORIZON:
        points = scores(s.subset([r]), rules)[0]
        for slot in np.flatnonzero(s.alive[r]):
            cid = rules.country_ids[int(s.country[r, slot])]
            country_points[cid] = max(country_points.get(cid, -np.inf), float(points[slot]))
    return {
        "outcome": OUTCOMES[outcome],
        "winner": rules.lab_ids[winner] if winner >= 0 else None,
        "winner_name": model.lab_name(winner, r) if winner >= 0 else None,
        "winner_country": rules.country_ids[int(s.country[r, winner])] if winner >= 0 else None,
        "agi_lab": rules.lab_ids[agi] if agi >= 0 else None,
        "agi_turn": int(s.end_turn[r]) if outcome in (SAFE_AGI, CATASTROPHE) else None,
        "agi_date": rules.turn_date(int(s.end_turn[r])) if outcome in (SAFE_AGI, CATASTROPHE) else None,
        "end_turn": int(s.end_turn[r]) if outcome else None,
        # What this game's milestones took (secret until the end) and where the race got to.
        "milestones": [{"id": mid, "name": rules.milestone_names[m], "capability": float(s.milestone_req[r, m]),
                        "first_passed_turn": int(s.milestone_turn[r, :, m][s.milestone_turn[r, :, m] >= 0].min())
                        if (s.milestone_turn[r, :, m] >= 0).any() else None}
                       for m, mid in enumerate(rules.milestone_ids)],
        "frontier": frontier,
        "country_points": country_points,
    }


def summary(model) -> dict:
    """What ``racegame run --json`` prints. Turn numbers are the game's, from 1 (as in batch
    files, history files and ``levels --json``); ``ending()`` keeps the state's indexes."""
    end = ending(model)

    def number(turn):
        return None if turn is None or turn < 0 else turn + 1

    end = {**end, "agi_turn": number(end["agi_turn"]), "end_turn": number(end["end_turn"]),
           "milestones": [{**m, "first_passed_turn": number(m["first_passed_turn"])} for m in end["milestones"]]}
    return {
        "level": model.level.id,
        "seed": model.seed,
        "replica": int(model.replica_ids[0]),
        "turns_played": model.state.turn,
        "last_date": model.rules.turn_date(max(model.state.turn - 1, 0)),
        "ending": end,
        "standings": [{**row, "founded_turn": number(row["founded_turn"])} for row in standings(model)],
        "constraints": main_constraints(model),
        "key_events": [{**vars(n), "turn": number(n.turn)} for n in model.news if n.weight >= 2],
    }


def _money(x: float) -> str:
    return f"${x / 1e9:,.1f}B"


def summary_text(model, max_events: int = 18) -> str:
    info = summary(model)
    end = ending(model)
    lines = [f"{model.level.title} ({model.level.id}), seed {model.seed}, replica {info['replica']}: "
             f"{info['turns_played']} turns, {model.rules.turn_date(0)} to {info['last_date']}", ""]
    if end["outcome"] == "safe_agi":
        lines.append(f"ENDING: {end['winner_name']} reached AGI safely in {model.rules.turn_date(end['agi_turn'])} "
                     f"(turn {end['agi_turn'] + 1}); {model.rules.country_names[model.rules.country_ids.index(end['winner_country'])]} wins.")
    elif end["outcome"] == "catastrophe":
        lines.append(f"ENDING: catastrophe. {model.lab_name(model.rules.lab_ids.index(end['agi_lab']))} reached AGI "
                     f"in {model.rules.turn_date(end['agi_turn'])} (turn {end['agi_turn'] + 1}) without the safety to control it. Everybody loses.")
    elif end["outcome"] == "horizon":
        lines.append(f"ENDING: the horizon. Nobody reached AGI by {model.rules.turn_date(model.rules.horizon)}; "
                     f"{end['winner_name'] or 'nobody'} leads on points.")
        if end["country_points"]:
            lines.append("Points by country (its best lab): " + ", ".join(
                f"{model.rules.country_names[model.rules.country_ids.index(cid)]} {p:.2f}"
                for cid, p in sorted(end["country_points"].items(), key=lambda kv: -kv[1])))
    else:
        lines.append("The game is still running (stopped by --turns).")
    if end["outcome"] != "running":
        lines += ["", "What the milestones took in this game (capability) and when the first lab passed each:"]
        last = len(end["milestones"]) - 1
        for k, m in enumerate(end["milestones"]):
            when = model.rules.turn_date(m["first_passed_turn"]) if m["first_passed_turn"] is not None else "not reached"
            if k == last and end["outcome"] == "catastrophe":
                when = f"reached unsafely {model.rules.turn_date(end['agi_turn'])}"
            lines.append(f"  {m['name']:<28}{m['capability']:>7.2f}   {when}")
        if end["outcome"] == "horizon" and end["frontier"] is not None:
            short = end["milestones"][-1]["capability"] - end["frontier"]
            lines.append(f"  The best model ended {short:.2f} OOM short of AGI.")
    lines += ["", f"{'':3}{'lab':<22}{'country':<8}{'capability':>11}{'compute':>12}{'cash':>11}{'share':>7}{'safety':>7}  held back most by"]
    for i, row in enumerate(info["standings"], 1):
        status = "" if row["alive"] else " (gone)"
        why = info["constraints"].get(row["lab"], "none")
        lines.append(f"{i:<3}{row['name'][:21] + status:<22}{row['country']:<8}{row['capability']:>11.2f}"
                     f"{row['chips_h100e'] / 1e6:>10.2f}M {_money(row['cash_usd']):>10}{row['share']:>7.0%}{row['safety']:>7.2f}  {why}")
    indexed = list(enumerate(info["key_events"]))
    chosen = sorted(indexed, key=lambda item: (-item[1]["weight"], item[1]["turn"]))[:max_events]
    if chosen:
        lines += ["", "Key events:"]
        for _, n in sorted(chosen):
            lines.append(f"  {n['date']}  {n['text']}")
    lines += ["", "Capability is log10 of a model's effective training FLOP; what AGI takes is drawn anew for every "
              "game and kept secret until the end. Compute is in H100-equivalents."]
    return "\n".join(lines)

