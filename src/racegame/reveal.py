"""After the game: what each milestone really took (the draw every seat only guessed at),
how close the race came to each, who passed it and when, and whose model failed at it.

Used by the end screen and the debrief report. It reads the secret draw, so nothing calls
it while a game is running.
"""

from __future__ import annotations

import numpy as np

from .engine.state import CATASTROPHE


def best_reached(model, r: int = 0) -> np.ndarray:
    """(L,) the best capability each lab's model ever had (the chronicle, then the state)."""
    s = model.state
    best = np.where(s.alive[r], s.capability[r], -np.inf)
    index = {lab: k for k, lab in enumerate(model.rules.lab_ids)}
    for row in model.chronicle:
        for lab, cap in zip(row.get("lab", []), row.get("capability", [])):
            k = index.get(lab)
            if k is not None:
                best[k] = max(best[k], float(cap))
    return best


def _failure_dates(model, name: str) -> dict:
    """{lab slot: date} of the news that a lab's model failed at milestone ``name``."""
    return {n.lab: n.date for n in model.news if n.kind == "safety" and n.lab >= 0 and f"reached {name} without" in n.text}


def milestone_reveal(model, r: int = 0) -> list[dict]:
    """One record per milestone: its drawn requirement, the best any model got to (and how far
    short that was), who passed it and when (first first), and who failed at it."""
    rules, s = model.rules, model.state
    reached = best_reached(model, r)
    frontier = float(reached.max()) if np.isfinite(reached).any() else float(rules.c["frontier0"])
    out = []
    for m, name in enumerate(rules.milestone_names):
        req = float(s.milestone_req[r, m])
        turns = s.milestone_turn[r, :, m]
        passed = sorted((int(turns[k]), k) for k in np.flatnonzero(turns >= 0))
        failures = _failure_dates(model, name)
        failed = set(failures) | {int(k) for k in np.flatnonzero(s.failed_milestone[r] == m)}
        if m == rules.n_milestones - 1 and int(s.outcome[r]) == CATASTROPHE and int(s.agi_lab[r]) >= 0:
            failures[int(s.agi_lab[r])] = rules.turn_date(int(s.end_turn[r]))  # AGI reached unsafely: the catastrophe
            failed.add(int(s.agi_lab[r]))
        failed = sorted(failed)
        out.append({
            "index": m, "name": name, "requirement": req, "closest": frontier, "short": max(req - frontier, 0.0),
            "passed": [{"slot": k, "lab": model.lab_name(k, r), "turn": t, "date": rules.turn_date(t)} for t, k in passed],
            "failed": [{"slot": k, "lab": model.lab_name(k, r), "date": failures.get(k, "")} for k in failed],
        })
    return out


def lab_standing(record: dict, slot: int, reached: float, when=str) -> str:
    """One lab's relation to one milestone, in words (``when`` formats a date)."""
    mine = next((p for p in record["passed"] if p["slot"] == slot), None)
    if mine is not None:
        return f"passed {when(mine['date'])}"
    failed = next((f for f in record["failed"] if f["slot"] == slot), None)
    if failed is not None:
        return f"failed {when(failed['date'])}" if failed["date"] else "failed"
    return f"best {reached:.2f}, {record['requirement'] - reached:.2f} short"


def chip_dates(model, r: int = 0) -> list[dict]:
    """One record per chip class whose date each game draws: when it came in this game (or
    would have, after the game ended), against the middle of the level's range."""
    rules, s = model.rules, model.state
    out = []
    for k in np.flatnonzero(rules.chip_arrival_shape > 0):
        turn = int(s.chip_arrival[r, k])
        beyond = turn > rules.horizon
        out.append({
            "name": rules.chip_names[k], "maker": rules.country_names[int(rules.chip_producer[k])],
            "date": "" if beyond else rules.turn_date(turn), "median": rules.turn_date(int(rules.chip_available[k])),
            "came": turn <= int(s.turn) and not beyond,
        })
    return out


def chip_date_words(record: dict, when=str) -> str:
    """A drawn chip date in words (``when`` formats a date)."""
    if record["came"]:
        how = f"came {when(record['date'])}"
    elif record["date"]:
        how = f"would have come {when(record['date'])}"
    else:
        how = "would not have come before the horizon"
    return f"{record['name']} ({record['maker']}): {how}; the middle of the range was {when(record['median'])}"
