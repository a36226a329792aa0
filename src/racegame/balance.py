"""Balance: AI-vs-AI win rates, scripted strategies steering each lab, and the targets a
fair game should meet (each checked and reported)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine.state import CATASTROPHE
from .level.overrides import with_overrides
from .model import RaceModel
from .strategies import STRATEGIES, StrategyController
from .summarize import wilson


@dataclass
class Outcomes:
    games: int
    wins: np.ndarray  # winner slot per game (-1: nobody)
    country: np.ndarray  # winning country per game (-1: nobody)
    catastrophe: np.ndarray
    end_turn: np.ndarray


def play_games(level, seed: int, runs: int, player=None, strategy: str | None = None) -> Outcomes:
    controller = StrategyController(strategy) if strategy else None
    model = RaceModel(level=level, rng=seed, replicas=runs, player=player if strategy else None, controller=controller)
    model.datacollector.collect = lambda _model: None
    while model.running:
        model.step()
    s = model.state
    rows = np.arange(runs)
    country = np.where(s.winner >= 0, s.country[rows, np.maximum(s.winner, 0)], -1)
    return Outcomes(runs, s.winner.copy(), country, s.outcome == CATASTROPHE, s.end_turn + 1)


def _pct(triple) -> str:
    p, lo, hi = triple
    return f"{p:5.1%} [{lo:.1%}-{hi:.1%}]"


def report(level, seed: int = 1, runs: int = 200, labs=None) -> tuple[str, bool]:
    from .engine.params import build_rules

    rules = build_rules(level)
    lab_ids = [lab["id"] for lab in level.data["labs"] if lab["playable"]] if labs is None else list(labs)
    lines = [f"Balance of '{level.id}': {runs} games per row, seed {seed}", ""]
    checks = []

    base = play_games(level, seed, runs)
    lines.append("AI on every seat:")
    rates = {}
    for i, lab_id in enumerate(rules.lab_ids):
        wins = int((base.wins == i).sum())
        if wins or i < rules.n_level_labs:
            rates[lab_id] = wilson(wins, runs)
    for lab_id, triple in sorted(rates.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"  {lab_id:<16}{_pct(triple)}")
    for c, cid in enumerate(rules.country_ids):
        lines.append(f"  country {cid:<8}{_pct(wilson(int((base.country == c).sum()), runs))}")
    cat = wilson(int(base.catastrophe.sum()), runs)
    median = float(np.median(base.end_turn))
    lines.append(f"  catastrophe     {_pct(cat)}")
    lines.append(f"  game length     median {median:.0f} turns (10th-90th: {np.percentile(base.end_turn, 10):.0f}-{np.percentile(base.end_turn, 90):.0f})")
    top = max(rates.values(), key=lambda t: t[0])[0]
    contenders = sum(1 for t in rates.values() if t[0] >= 0.02)
    checks += [
        ("no lab wins more than half the games", top <= 0.5, f"top lab {top:.0%}"),
        ("at least four labs each win at least 2%", contenders >= 4, f"{contenders} labs"),
        ("catastrophes end 3%-35% of games", 0.03 <= cat[0] <= 0.35, f"{cat[0]:.0%}"),
        ("the median game lasts at least 12 turns", median >= 12, f"{median:.0f} turns"),
    ]

    # Catastrophes should fall when labs invest in safety.
    careful = {}
    for name, style in level.data["archetypes"].items():
        careful[f"archetypes.{name}.focus_safety"] = min(1.0, style["focus_safety"] + 0.25)
        careful[f"archetypes.{name}.risk"] = max(0.0, style["risk"] - 0.3)
    safer = play_games(with_overrides(level, careful), seed, runs)
    safer_cat = wilson(int(safer.catastrophe.sum()), runs)
    lines.append(f"  catastrophe when every AI lab puts 25 points more into safety: {_pct(safer_cat)}")
    checks.append(("catastrophes fall when labs invest in safety", safer_cat[0] < cat[0], f"{cat[0]:.0%} -> {safer_cat[0]:.0%}"))

    lines += ["", "Scripted strategies steering one lab (that lab's win rate; AI baseline first):"]
    names = list(STRATEGIES)
    lines.append(f"  {'lab':<12}{'AI':>8}" + "".join(f"{n:>18}" for n in names))
    worst_script, nothing = 0.0, 0.0
    for lab_id in lab_ids:
        slot = rules.lab_ids.index(lab_id)
        row = f"  {lab_id:<12}{(base.wins == slot).mean():>8.1%}"
        for name in names:
            out = play_games(level, seed, runs, player=lab_id, strategy=name)
            p = (out.wins == slot).mean()
            row += f"{p:>18.1%}"
            if name == "do_nothing":
                nothing = max(nothing, p)
            else:
                worst_script = max(worst_script, p)
        lines.append(row)
    checks += [
        ("no scripted strategy wins more than 70% for its lab", worst_script <= 0.7, f"best {worst_script:.0%}"),
        ("doing nothing almost never wins", nothing <= 0.02, f"at most {nothing:.1%}"),
    ]
    lines += ["", "Targets:"]
    ok = True
    for claim, holds, evidence in checks:
        ok &= holds
        lines.append(f"  [{'met' if holds else 'NOT MET'}] {claim}: {evidence}")
    return "\n".join(lines), ok
