"""The debrief report: one self-contained, printable HTML file (charts embedded as PNG) with
the story of a game, its charts, its ending, the level's debrief questions, and what the
same level and seed give in a batch, so a class sees how likely its outcome was.

Every text from a level or save is escaped: nothing in them is ever run or rendered as HTML.
"""

from __future__ import annotations

import base64
import html
import io
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .engine.observe import observe
from .batch import play_chunk
from .headless import ending, standings
from .history import COLUMNS
from .strategies import STRATEGIES
from .summarize import pyplot

CSS = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 2em auto; max-width: 60em; color: #1b1f24; line-height: 1.45; }
h1 { font-size: 1.8em; margin-bottom: .2em; } h2 { border-bottom: 2px solid #2f6fb0; padding-bottom: .2em; margin-top: 1.8em; }
.meta { color: #555; } .ending { font-size: 1.25em; padding: .8em 1em; border-radius: 6px; margin: 1em 0; }
.safe_agi { background: #e3f4e3; border-left: 6px solid #2e8b3d; } .catastrophe { background: #fbe4e4; border-left: 6px solid #b3261e; }
.horizon, .running { background: #eef2f8; border-left: 6px solid #2f6fb0; }
table { border-collapse: collapse; margin: .8em 0; font-size: .92em; } th, td { padding: .3em .7em; border-bottom: 1px solid #ddd; text-align: left; }
th { background: #f2f4f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.turn { margin: .6em 0 .2em; font-weight: bold; color: #2f6fb0; } .inject { background: #fff6dc; padding: .1em .4em; border-radius: 3px; }
.decision { color: #333; } .news { color: #444; } ul.timeline { margin-top: .2em; }
img { max-width: 100%; border: 1px solid #ddd; margin: .5em 0; } .charts { display: grid; grid-template-columns: 1fr 1fr; gap: .5em; }
ol.questions li { margin-bottom: .6em; } .small { font-size: .85em; color: #555; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } .charts { grid-template-columns: 1fr 1fr; } img { page-break-inside: avoid; } }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _series(chronicle, field):
    """{lab name: (turns, values)} from a game's chronicle rows (alive turns only)."""
    out = defaultdict(lambda: ([], []))
    for row in chronicle:
        for name, turn, alive, value in zip(row["lab_name"], row["turn"], row["alive"], row[field]):
            if alive:
                out[name][0].append(turn)
                out[name][1].append(value)
    return out


def charts(model) -> list[tuple[str, str]]:
    """(title, base64 PNG) for capability, compute, power and cash."""
    plt = pyplot()

    rules, chronicle = model.rules, model.chronicle
    if not chronicle:
        return []
    ticks = sorted({row["turn"][0] for row in chronicle})
    step = max(1, len(ticks) // 6)
    labels = {t: rules.turn_date(t) for t in ticks}
    out = []
    for field, title, scale, unit in (("capability", "Capability (log10 effective FLOP)", 1.0, ""),
                                       ("chips_h100e", "Compute owned (millions of H100-equivalents)", 1e-6, ""),
                                       ("power_mw", "Power drawn (GW)", 1e-3, ""),
                                       ("cash_usd", "Cash (billions of dollars)", 1e-9, "")):
        fig, ax = plt.subplots(figsize=(6.2, 3.6))
        for name, (turns, values) in sorted(_series(chronicle, field).items()):
            team = any(name == model.lab_name(lab.slot) and lab.controller is not None for lab in model.labs)
            ax.plot(turns, np.asarray(values) * scale, label=name, linewidth=2.6 if team else 1.3)
        if field == "capability":
            # What AGI took is revealed once the game is over; before, the median guess.
            if model.state.ended[0]:
                agi, what = float(model.state.milestone_req[0, -1]), "what AGI took in this game"
            else:
                view = observe(model.state, rules)
                agi, what = float(view.frontier[0] + view.agi_left[0, 1]), "AGI: today's median guess"
            ax.axhline(agi, color="#b3261e", linestyle="--", linewidth=1)
            ax.text(ticks[0], agi + 0.05, what, color="#b3261e", fontsize=8)
        ax.set_xticks(ticks[::step], [labels[t] for t in ticks[::step]], fontsize=8, rotation=25)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=6.5, ncol=2)
        ax.grid(alpha=0.3)
        out.append((title, _png(fig)))
        plt.close(fig)
    # Compute by country: the race between nations.
    fig, ax = plt.subplots(figsize=(6.2, 3.6))
    totals = defaultdict(lambda: defaultdict(float))
    for row in chronicle:
        for country, alive, value, turn in zip(row["country"], row["alive"], row["chips_h100e"], row["turn"]):
            if alive:
                totals[country][turn] += value
    for country, by_turn in sorted(totals.items()):
        turns = sorted(by_turn)
        name = rules.country_names[rules.country_ids.index(country)] if country in rules.country_ids else country
        ax.plot(turns, [by_turn[t] / 1e6 for t in turns], label=name, linewidth=2)
    ax.set_xticks(ticks[::step], [labels[t] for t in ticks[::step]], fontsize=8, rotation=25)
    ax.set_title("Compute by country (millions of H100-equivalents)", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    out.append(("Compute by country", _png(fig)))
    plt.close(fig)
    return out


def describe_decision(entry, rules) -> str:
    """One line for a team's orders in a turn."""
    o = entry["orders"]
    if entry["kind"] == "government":
        parts = [f"export tier {int(o['export_tier'])}", f"enforcement {o['enforcement']:.0%}",
                 f"subsidies ${o['subsidy'] / 1e9:.1f}B", f"permitting x{o['permitting']:.2f}", f"regulation {o['regulation']:.0%}"]
        if o.get("start_mega"):
            parts.append("launched the national project")
        if o.get("retaliation"):
            parts.append("mineral ban in force")
        return ", ".join(parts)
    chips = sum(o["chip_usd"])
    total = o["train"] + o["serve"] + o["research"] or 1.0
    focus = o["focus_efficiency"] + o["focus_reasoning"] + o["focus_safety"] or 1.0
    parts = [f"chips ${chips / 1e9:.1f}B", f"built {o['build_mw']:.0f} MW in {rules.grid_names[int(o['build_grid'])]}"
             if o["build_mw"] > 0 else "no new data centres",
             f"split train/serve/research {o['train'] / total:.0%}/{o['serve'] / total:.0%}/{o['research'] / total:.0%}",
             f"safety focus {o['focus_safety'] / focus:.0%}", "open weights" if o["open_weights"] else "closed"]
    moves = [name.replace("_", " ") for name in ("raise_round", "seek_state", "partner_deal", "token_financing") if o[name]]
    if moves:
        parts.append(", ".join(moves))
    return "; ".join(parts)


def what_if(model, runs: int) -> dict:
    """The same level and seed as a batch: AI on every seat, then each team's lab seat
    following each scripted strategy in turn."""
    level, seed = model.level, model.seed
    base = play_chunk(level, seed, 0, runs)
    out = {"runs": runs, "base": _outcomes(base), "strategies": {}}
    lab_teams = [seat for seat in model.teams if seat in model.rules.lab_ids]
    for seat in lab_teams:
        rows = {}
        for name in STRATEGIES:
            columns = _play_with_strategy(level, seed, runs, seat, name)
            rows[name] = float(np.mean(columns["winner"] == seat))
        out["strategies"][seat] = rows
    return out


def _play_with_strategy(level, seed, runs, seat, strategy):
    from .batch import summary_columns
    from .model import RaceModel
    from .strategies import StrategyController

    game = RaceModel(level=level, rng=seed, replicas=runs, player=seat, controller=StrategyController(strategy))
    game.datacollector.collect = lambda _model: None
    while game.running:
        game.step()
    return summary_columns(game)


def _outcomes(columns) -> dict:
    n = len(columns["outcome"])
    winners = defaultdict(int)
    for w in columns["winner"]:
        winners[w or "nobody"] += 1
    return {"n": n, "catastrophe": float(np.mean(columns["outcome"] == "catastrophe")),
            "winners": {k: v / n for k, v in sorted(winners.items(), key=lambda kv: -kv[1])}}


def render(model, runs: int = 200) -> str:
    rules, level = model.rules, model.level
    info = ending(model)
    table = standings(model)
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{_e(level.title)}: debrief</title>",
             f"<style>{CSS}</style></head><body>"]
    parts.append(f"<h1>{_e(level.title)}: debrief</h1>")
    teams = ", ".join(f"{_e(name)} ({_e(seat)})" for seat, name in model.teams.items()) or "AI on every seat"
    parts.append(f"<p class='meta'>Level <b>{_e(level.id)}</b>, seed {model.seed}, replica {int(model.replica_ids[0])}; "
                 f"{model.state.turn} turns from {_e(rules.turn_date(0))} to {_e(rules.turn_date(max(0, model.state.turn - 1)))}. "
                 f"Teams: {teams}. Generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.</p>")
    country = rules.country_names[rules.country_ids.index(info["winner_country"])] if info["winner_country"] else ""
    when = f"{rules.turn_date(info['agi_turn'])} (turn {info['agi_turn'] + 1})" if info["agi_turn"] is not None else ""
    story = {"safe_agi": f"{info['winner_name']} reached AGI safely in {when}: {country} wins the race.",
             "catastrophe": f"{model.lab_name(rules.lab_ids.index(info['agi_lab'])) if info['agi_lab'] else 'A lab'} reached AGI "
                            f"in {when} without the safety to control it: catastrophe, and everybody loses.",
             "horizon": f"The horizon was reached; {info['winner_name'] or 'nobody'} led on points.",
             "running": "The game was stopped before its end."}[info["outcome"]]
    parts.append(f"<div class='ending {info['outcome']}'>{_e(story)}</div>")
    if level.data["briefing"]:
        parts.append(f"<h2>The situation</h2><p>{_e(level.data['briefing'])}</p>")
    if level.data["objectives"]:
        parts.append("<ul>" + "".join(f"<li>{_e(o)}</li>" for o in level.data["objectives"]) + "</ul>")

    parts.append("<h2>Final standings</h2><table><tr><th>#</th><th>Lab</th><th>Country</th><th>Capability</th>"
                 "<th>Compute (M H100e)</th><th>Cash ($B)</th><th>Market share</th><th>Safety</th><th>Status</th></tr>")
    for i, row in enumerate(table, 1):
        parts.append(f"<tr><td>{i}</td><td>{_e(row['name'])}</td><td>{_e(row['country'])}</td><td class='num'>{row['capability']:.2f}</td>"
                     f"<td class='num'>{row['chips_h100e'] / 1e6:.2f}</td><td class='num'>{row['cash_usd'] / 1e9:.1f}</td>"
                     f"<td class='num'>{row['share']:.0%}</td><td class='num'>{row['safety']:.2f}</td><td>{'active' if row['alive'] else 'gone'}</td></tr>")
    parts.append("</table>")

    parts.append("<h2>Charts</h2><div class='charts'>")
    for title, png in charts(model):
        parts.append(f"<img alt='{_e(title)}' src='data:image/png;base64,{png}'>")
    parts.append("</div>")

    parts.append("<h2>The story of the game</h2>")
    injects = {e["turn"]: e for e in level.data["events"] if e["turn"] >= 0}
    by_turn = defaultdict(list)
    for n in model.news:
        by_turn[n.turn].append(n)
    decisions = defaultdict(list)
    for entry in model.orders_log:
        decisions[entry["turn"]].append(entry)
    prompts = {p["turn"]: p["text"] for p in level.data["prompts"]}
    for t in range(model.state.turn):
        items = []
        scripted = {i["title"] or i["id"] for t_, i in injects.items() if t_ == t}
        for n in by_turn.get(t, []):
            if n.weight >= 2 or n.kind in ("event", "policy", "ending"):
                cls = "inject" if n.kind == "event" and any(title and title in n.text for title in scripted) or (n.kind == "event" and t in injects) else "news"
                items.append(f"<li class='{cls}'>{_e(n.text)}</li>")
        for entry in decisions.get(t, []):
            who = entry["team"] or entry["seat"]
            items.append(f"<li class='decision'><b>{_e(who)}</b> ({_e(entry['seat'])}): {_e(describe_decision(entry, rules))}</li>")
        if t in prompts:
            items.append(f"<li><i>Discussion: {_e(prompts[t])}</i></li>")
        if items:
            parts.append(f"<div class='turn'>Turn {t + 1} &middot; {_e(rules.turn_date(t))}</div><ul class='timeline'>{''.join(items)}</ul>")

    if level.data["debrief"]:
        parts.append("<h2>Debrief questions</h2><ol class='questions'>" + "".join(f"<li>{_e(q)}</li>" for q in level.data["debrief"]) + "</ol>")

    if runs > 0:
        parts.append(render_what_if(model, what_if(model, runs)))
    parts.append("<p class='small'>Made by racegame. Capability is log10 of a model's effective training compute; "
                 "what AGI takes is drawn anew for every game. The history of every lab and turn is in the CSV file beside this report.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render_what_if(model, data) -> str:
    rules = model.rules
    info = ending(model)
    base = data["base"]
    mine = info["winner"] if info["outcome"] == "safe_agi" or info["outcome"] == "horizon" else None
    if info["outcome"] == "catastrophe":
        likelihood = f"a catastrophe ended {base['catastrophe']:.0%} of them"
    elif mine:
        likelihood = f"{model.lab_name(rules.lab_ids.index(mine))} won {base['winners'].get(mine, 0.0):.0%} of them"
    else:
        likelihood = "none of them match this game's ending"
    parts = [f"<h2>What if?</h2><p>The same level and seed, played {data['runs']} times with the AI on every seat "
             f"(the same starting world and the same random events each time, different AI luck): {_e(likelihood)}.</p>",
             "<table><tr><th>Winner</th><th>Share of games</th></tr>"]
    for lab, share in base["winners"].items():
        name = "nobody (catastrophe)" if lab == "nobody" else model.lab_name(rules.lab_ids.index(lab))
        parts.append(f"<tr><td>{_e(name)}</td><td class='num'>{share:.0%}</td></tr>")
    parts.append("</table>")
    if data["strategies"]:
        parts.append("<p>Had each team's lab followed a fixed strategy instead (everyone else AI), its chance of winning:</p>")
        names = list(STRATEGIES)
        parts.append("<table><tr><th>Team's lab</th>" + "".join(f"<th>{_e(n.replace('_', ' '))}</th>" for n in names) + "</tr>")
        for seat, rows in data["strategies"].items():
            parts.append(f"<tr><td>{_e(model.teams.get(seat, seat))} ({_e(seat)})</td>" + "".join(f"<td class='num'>{rows[n]:.0%}</td>" for n in names) + "</tr>")
        parts.append("</table>")
    return "".join(parts)


def write_report(model, out, runs: int = 200) -> tuple[Path, Path]:
    """Write the HTML report and the history CSV beside it; returns both paths."""
    from .batch import write_csv
    from .saves import write_text_atomic

    out = Path(out)
    csv_path = out.with_name(out.stem + "_history.csv")
    write_text_atomic(out, render(model, runs))
    columns = {name: [] for name in COLUMNS}
    for row in model.chronicle:
        for name in COLUMNS:
            columns[name].extend(row[name])
    write_csv(csv_path, {k: np.asarray(v) for k, v in columns.items()})
    return out, csv_path
