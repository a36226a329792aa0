"""Balance: AI-vs-AI win rates, scripted strategies steering each lab, what each lever of a
lab does to its chances, and the targets a fair game should meet (each checked and reported).

Every comparison is paired: the same seeds with and without the change, so a difference is
the change's, not the dice's; intervals are 95%.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass

import numpy as np

from ..engine.diplomacy import PAUSE
from ..engine.state import CATASTROPHE
from ..level.overrides import with_overrides
from ..model import RaceModel
from ..strategies import HUMAN_LIKE, STRATEGIES, LeverController, StrategyController
from .summarize import wilson


@dataclass
class Outcomes:
    games: int
    wins: np.ndarray  # winner slot per game (-1: nobody)
    country: np.ndarray  # winning country per game (-1: nobody)
    catastrophe: np.ndarray
    end_turn: np.ndarray
    pause_ended: np.ndarray  # the last turn (numbered from 1) a pause ended in each game, -1: none
    pause_leaver: np.ndarray  # the country whose leaving ended it (-1: none, or a cheater caught)

    def after_pause(self, turns: int = 2) -> np.ndarray:
        """(games,) the game ended within ``turns`` turns of a pause ending."""
        return (self.pause_ended >= 1) & (self.end_turn - self.pause_ended <= turns)


def play_games(level, seed: int, runs: int, player=None, strategy=None, difficulty: str = "normal") -> Outcomes:
    """``strategy``: a strategy's name, or any controller object (see ``LeverController``)."""
    controller = StrategyController(strategy) if isinstance(strategy, str) else strategy
    model = RaceModel(level=level, rng=seed, replicas=runs, player=player if controller is not None else None,
                      controller=controller, difficulty=difficulty)
    model.datacollector.collect = lambda _model: None
    out = Outcomes(runs, np.full(runs, -1), np.full(runs, -1), np.zeros(runs, dtype=bool), np.zeros(runs, dtype=np.int64),
                   np.full(runs, -1, dtype=np.int64), np.full(runs, -1, dtype=np.int64))
    games = np.arange(runs)
    for games, done in model.play_out():
        ended = model.report.treaty_ended[:, PAUSE]
        left = model.report.treaty_left[:, PAUSE, :]
        out.pause_ended[games] = np.where(ended, model.state.turn, out.pause_ended[games])
        out.pause_leaver[games] = np.where(ended, np.where(left.any(axis=1), np.argmax(left, axis=1), -1), out.pause_leaver[games])
        _settle(out, model.state, games, done)
    _settle(out, model.state, games, np.ones(len(games), dtype=bool))
    return out


def _settle(out: Outcomes, s, games, mask) -> None:
    """Record how the games ``mask`` picks among the model's replicas ended."""
    out.wins[games[mask]] = s.winner[mask]
    out.country[games[mask]] = s.winner_country[mask]
    out.catastrophe[games[mask]] = s.outcome[mask] == CATASTROPHE
    out.end_turn[games[mask]] = s.end_turn[mask] + 1


def play_all(jobs, workers: int = 1, progress=None) -> list[Outcomes]:
    """Outcomes of ``jobs`` (each ``(level, seed, runs, keyword arguments of play_games)``), in
    order. With ``workers`` > 1 they play in that many processes; every game is seeded, so
    the outcomes are the same either way. ``progress(done, total)`` is told after each job."""
    if workers <= 1 or len(jobs) < 2:
        results = (_play(job) for job in jobs)
        return _counted(results, len(jobs), progress)
    # 'spawn' keeps workers clean (no forked threads), as the batch runner does.
    with multiprocessing.get_context("spawn").Pool(min(workers, len(jobs))) as pool:
        return _counted(pool.imap(_play, jobs), len(jobs), progress)


def _play(job) -> Outcomes:
    level, seed, runs, kwargs = job
    return play_games(level, seed, runs, **kwargs)


def _counted(results, total: int, progress) -> list:
    out = []
    for outcome in results:
        out.append(outcome)
        if progress:
            progress(len(out), total)
    return out


def _pct(triple) -> str:
    p, lo, hi = triple
    return f"{p:5.1%} [{lo:.1%}-{hi:.1%}]"


def paired_difference(a, b) -> tuple[float, float, float]:
    """Mean of b - a over paired games (0/1 outcomes), with a 95% normal interval."""
    d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    half = 1.96 * d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else float("nan")
    return float(d.mean()), float(d.mean() - half), float(d.mean() + half)


def report(level, seed: int = 1, runs: int = 200, labs=None, verdicts: dict | None = None,
           workers: int = 1, progress=None) -> tuple[str, bool]:
    """The balance report and whether every target is met; ``verdicts``, if given, is filled
    with each target -> met. Its games play on ``workers`` processes (the same report)."""
    from ..engine.params import build_rules

    rules = build_rules(level)
    lab_ids = [lab["id"] for lab in level.data["labs"] if lab["playable"]] if labs is None else list(labs)
    lines = [f"Balance of '{level.id}': {runs} games per row, seed {seed}", ""]
    checks = []
    # Every batch of games the report needs, played at once (in parallel with workers): the
    # AI on every seat, every AI lab more careful, and each scripted strategy for each lab.
    careful = {}
    for name, style in level.data["archetypes"].items():
        careful[f"archetypes.{name}.focus_safety"] = min(1.0, style["focus_safety"] + 0.15)
        careful[f"archetypes.{name}.risk"] = max(0.0, style["risk"] - 0.3)
    names = list(STRATEGIES)
    jobs = [(level, seed, runs, {}), (with_overrides(level, careful), seed, runs, {})]
    jobs += [(level, seed, runs, {"player": lab_id, "strategy": name}) for lab_id in lab_ids for name in names]
    base, safer, *played = play_all(jobs, workers, progress)
    scripted = iter(played)  # lab by lab, strategy by strategy, as the jobs were listed
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
    lines.append("  won within two turns of a pause ending: " + pause_endings(base, rules))
    top = max(rates.values(), key=lambda t: t[0])[0]
    contenders = sum(1 for t in rates.values() if t[0] >= 0.02)
    archetypes = {}
    for i, lab in enumerate(level.data["labs"]):
        archetypes[lab["archetype"]] = archetypes.get(lab["archetype"], 0) + int((base.wins == i).sum())
    weakest = min(archetypes.items(), key=lambda kv: kv[1])
    decided = base.country >= 0
    cn = rules.country_ids.index("cn") if "cn" in rules.country_ids else -1
    china = float(np.mean(base.country[decided] == cn)) if decided.any() and cn >= 0 else 0.0
    checks += [
        ("no lab wins more than 45% of games", top <= 0.45, f"top lab {top:.0%}"),
        ("at least six labs each win at least 2%", contenders >= 6, f"{contenders} labs"),
        ("every archetype wins at least 2% of games under AI play", weakest[1] / runs >= 0.02,
         f"the weakest, {weakest[0].replace('_', ' ')}, {weakest[1] / runs:.1%}"),
        ("Chinese labs win 8-45% of decided games", 0.08 <= china <= 0.45, f"{china:.0%} of {decided.sum()} decided"),
        ("catastrophes end 3%-35% of games", 0.03 <= cat[0] <= 0.35, f"{cat[0]:.0%}"),
        ("the median game lasts at least 12 turns", median >= 12, f"{median:.0f} turns"),
    ]

    # Caution should buy safety: more careful AI labs, fewer catastrophes.
    change = paired_difference(base.catastrophe, safer.catastrophe)
    lines.append(f"  catastrophe when every AI lab is more careful: {change[0]:+.1%} [{change[1]:+.1%}, {change[2]:+.1%}]")
    checks.append(("catastrophes fall when AI labs are more careful", change[2] < 0, f"{change[0]:+.1%}"))

    lines += ["", "Scripted strategies steering one lab (that lab's win rate; AI baseline first):"]
    lines.append(f"  {'lab':<12}{'AI':>8}" + "".join(f"{n:>18}" for n in names))
    worst_script, nothing = 0.0, 0.0
    idle = []  # doing nothing's wins: (lab, wins, of them within two turns of a pause ending)
    for lab_id in lab_ids:
        slot = rules.lab_ids.index(lab_id)
        row = f"  {lab_id:<12}{(base.wins == slot).mean():>8.1%}"
        for name in names:
            out = next(scripted)
            p = (out.wins == slot).mean()
            row += f"{p:>18.1%}"
            if name == "do_nothing":
                nothing = max(nothing, p)
                won = out.wins == slot
                if won.any():
                    idle.append(f"{lab_id} {int(won.sum())} ({int((won & out.after_pause()).sum())})")
            else:
                worst_script = max(worst_script, p)
        lines.append(row)
    if idle:
        lines.append("  doing nothing's wins (within two turns of a pause ending): " + ", ".join(idle))
    checks += [
        ("no scripted strategy wins more than 70% for its lab", worst_script <= 0.7, f"best {worst_script:.0%}"),
        ("doing nothing never wins", nothing == 0.0, f"at most {nothing:.1%}"),
    ]
    return _with_checks(lines, checks, verdicts)


def pause_endings(out: Outcomes, rules) -> str:
    """Per country: its wins, how many came within two turns of a pause ending, and whose
    leaving ended that pause (what an upset at a pause's end rests on)."""
    parts = []
    near = out.after_pause()
    for c, cid in enumerate(rules.country_ids):
        won = out.country == c
        if not won.any():
            continue
        left = [int((won & near & (out.pause_leaver == g)).sum()) for g in range(len(rules.country_ids))]
        by = [f"{rules.country_ids[g]} left {n}" for g, n in enumerate(left) if n]
        parts.append(f"{cid} {int((won & near).sum())} of {int(won.sum())}" + (f" ({', '.join(by)})" if by else ""))
    return "; ".join(parts) or "no wins"


def _with_checks(lines, checks, verdicts=None) -> tuple[str, bool]:
    lines += ["", "Targets:"]
    ok = True
    for claim, holds, evidence in checks:
        ok &= bool(holds)
        if verdicts is not None:
            verdicts[claim] = bool(holds)
        lines.append(f"  [{'met' if holds else 'NOT MET'}] {claim}: {evidence}")
    return "\n".join(lines), ok


# -- what each lever does ----------------------------------------------------------------
# A lever's two settings: the AI's personality numbers and flags to override, and orders to
# set after the AI has drafted its plan (for levers no personality number holds, and for the
# power levers, which a player sets exactly: the AI's own shares lean on its situation).
LEVERS = {
    "capital spending": ({"capex_share": 0.25}, {"capex_share": 0.95}),
    "data centres vs chips": ({"dc_share": 0.05}, {"dc_share": 0.6}),
    "on-site generation": ({}, {}, {"onsite_share": 0.0}, {"onsite_share": 0.7}),
    "power purchase agreements": ({}, {}, {"ppa_share": 0.0}, {"ppa_share": 0.6}),
    "training share": ({"train": 0.3}, {"train": 0.75}),
    "research share": ({"research": 0.05}, {"research": 0.4}),
    "safety focus": ({"focus_safety": 0.02}, {"focus_safety": 0.45}),
    "efficiency focus": ({"focus_efficiency": 0.1}, {"focus_efficiency": 0.9}),
    "price level": ({"price_level": 0.6}, {"price_level": 1.6}),
    "fundraising": ({"raise_below_turns": 0}, {"raise_below_turns": 12}),
    "hiring and retention": ({"hire_share": 0.0, "retention_share": 0.0}, {"hire_share": 0.2, "retention_share": 0.2}),
    "lobbying": ({"lobby_share": 0.0}, {"lobby_share": 0.15}),
    "caution (pause when unready)": ({"risk": 1.0}, {"risk": 0.0}),
    "publish safety research": ({"publish_share": 0.0}, {"publish_share": 0.8}),
    "open weights": ({"open_weights": False}, {"open_weights": True}),
    "run length": ({}, {}, {"run_turns": -2}, {"run_turns": 2}),
    "security level": ({}, {}, {"security": 1}, {"security": 5}),
}


def _settings(lever):
    spec = LEVERS[lever]
    low, high = spec[0], spec[1]
    low_orders, high_orders = (spec[2], spec[3]) if len(spec) > 2 else ({}, {})
    return (low, low_orders), (high, high_orders)


def _lever_jobs(level, seed: int, runs: int, lab_id: str) -> list:
    """The games steering ``lab_id``: its AI default, each lever's (low, high) settings in
    ``LEVERS`` order, and a human-like plan, all on the same seeds (``play_all`` jobs)."""
    steer = [LeverController()] + [LeverController(*setting) for lever in LEVERS for setting in _settings(lever)]
    return [(level, seed, runs, {"player": lab_id, "strategy": s}) for s in steer + ["human_like"]]


def levers_report(level, seed: int = 1, runs: int = 200, labs=("meridian", "colossus", "polymath", "keel", "tempo", "abyss"),
                  progress=None, verdicts: dict | None = None, workers: int = 1) -> tuple[str, bool]:
    """What each lever does for each of ``labs``, a human-like plan, and the difficulty
    settings, against the targets. Its games play on ``workers`` processes (the same report);
    ``progress(done, total)`` is told after each batch of games."""
    from ..engine.params import build_rules

    rules = build_rules(level)
    jobs = [job for lab_id in labs for job in _lever_jobs(level, seed, runs, lab_id)]
    jobs += [(level, seed, runs, {"player": labs[0], "strategy": "human_like", "difficulty": d}) for d in ("easy", "hard")]
    results = play_all(jobs, workers, progress)
    per_lab = len(jobs[:-2]) // len(labs)
    lines = [f"What each lever does: '{level.id}', {runs} games per setting, seed {seed}; each lab steered by its own "
             "AI with one lever moved (win and catastrophe rates against the AI default, same seeds, 95% intervals)", ""]
    checks = []
    moved_somewhere = {lever: False for lever in LEVERS}
    shares = {}
    human_beats = {}
    for n, lab_id in enumerate(labs):
        slot = rules.lab_ids.index(lab_id)
        default, *settings, human = results[n * per_lab:(n + 1) * per_lab]
        effects = {lever: (settings[2 * i], settings[2 * i + 1]) for i, lever in enumerate(LEVERS)}
        won = default.wins == slot
        lines.append(f"{lab_id} ({level.data['labs'][slot]['archetype'].replace('_', ' ')}): AI default wins "
                     f"{won.mean():.1%}, catastrophe {default.catastrophe.mean():.1%}")
        spread = {}
        for lever, (low, high) in effects.items():
            cells = []
            size = 0.0
            for label, outcome in (("low", low), ("high", high)):
                dw = paired_difference(won, outcome.wins == slot)
                dc = paired_difference(default.catastrophe, outcome.catastrophe)
                size = max(size, abs(dw[0]))
                if dw[1] > 0 or dw[2] < 0 or dc[1] > 0 or dc[2] < 0:
                    moved_somewhere[lever] = True
                cells.append(f"{label}: win {dw[0]:+.1%} [{dw[1]:+.1%},{dw[2]:+.1%}] cat {dc[0]:+.1%}")
            spread[lever] = size
            lines.append(f"  {lever:<30} " + "   ".join(cells))
        total = sum(spread.values())
        biggest = max(spread, key=spread.get)
        shares[lab_id] = (biggest, spread[biggest] / total if total > 0 else 0.0)
        gain = paired_difference(won, human.wins == slot)
        human_beats[lab_id] = gain
        lines.append(f"  largest lever: {biggest} ({shares[lab_id][1]:.0%} of the spread); a human-like plan: win "
                     f"{gain[0]:+.1%} [{gain[1]:+.1%}, {gain[2]:+.1%}]")
        lines.append("")
    unmoved = [lever for lever, moved in moved_somewhere.items() if not moved]
    worst = max(shares.items(), key=lambda kv: kv[1][1])
    checks += [
        ("every lever has a measurable effect for some lab", not unmoved, "all do" if not unmoved else f"not: {', '.join(unmoved)}"),
        ("no lever accounts for more than about a third of a lab's spread", worst[1][1] <= 0.36,
         f"largest: {worst[1][0]} for {worst[0]}, {worst[1][1]:.0%}"),
        ("a sensible, human-like plan beats the AI default for every lab", all(g[0] > 0 for g in human_beats.values()),
         ", ".join(f"{lab} {g[0]:+.1%}" for lab, g in human_beats.items())),
    ]

    # Difficulty: the same human-like plan on easy, normal (played above) and hard.
    lab_id = labs[0]
    slot = rules.lab_ids.index(lab_id)
    played = {"easy": results[-2], "normal": results[per_lab - 1], "hard": results[-1]}
    rates = {d: float((out.wins == slot).mean()) for d, out in played.items()}
    lines.append(f"Difficulty, {lab_id} with a human-like plan: easy {rates['easy']:.1%}, normal {rates['normal']:.1%}, "
                 f"hard {rates['hard']:.1%}")
    checks.append(("easy, normal and hard move a player's win rate by at least 5 points a step",
                   rates["easy"] - rates["normal"] >= 0.05 and rates["normal"] - rates["hard"] >= 0.05,
                   f"{rates['easy']:.0%} / {rates['normal']:.0%} / {rates['hard']:.0%}"))
    return _with_checks(lines, checks, verdicts)


__all__ = ["HUMAN_LIKE", "LEVERS", "LeverController", "levers_report", "play_all", "play_games", "report"]
