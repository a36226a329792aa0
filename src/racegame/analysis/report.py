"""The debrief report: one self-contained, printable HTML page (charts embedded as PNG).

It tells a game: how it ended (or where it stands, for a class that stopped early), the rolls
of chance that decided it and their odds, the standings, the race in charts in the game's
own colours, the story turn by turn (the news, and what each team changed: never its
unchanged plan again), room for each team's reasoning, the level's debrief questions with
room to answer, and what the same world gives in a batch: how likely this ending was or,
mid-game, how the game might go on from here.

It prints on A4: legends readable on paper, and no table, chart or question split across
pages. Every text from a level or a save is escaped: nothing in them is run or rendered.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..engine.observe import observe
from ..engine.state import CATASTROPHE
from ..colours import country_colour, lab_colour_map, palette, team_colour
from ..headless import ending, standings
from ..history import COLUMNS, file_columns
from ..lessons import game_turn
from ..reveal import chip_date_words, chip_dates, milestone_reveal
from ..narrate import odds_text, rolls
from ..printing import e, page
from ..story import by_seat, changes
from ..strategies import STRATEGIES
from .batch import play_chunk
from .summarize import pyplot

CHART_SIZE = (7.4, 3.3)  # inches: one chart across an A4 page, legends at print size
LEGEND_PT = 8.5

REPORT_CSS = """
.ending { font-size: 1.2em; padding: .7em 1em; border-radius: 6px; margin: 1em 0; }
.safe_agi { background: #e3f4e3; border-left: 6px solid var(--good); } .catastrophe { background: #fbe4e4; border-left: 6px solid var(--bad); }
.horizon, .running { background: #eef2f8; border-left: 6px solid var(--us); }
.turn { margin: .7em 0 .1em; font-weight: bold; color: var(--accent); }
ul.timeline { margin: .1em 0 .4em; } .inject { background: #fff6dc; padding: .05em .3em; border-radius: 3px; }
.decision { color: #222; } .quiet { color: #777; font-size: .9em; }
.roll-good { color: var(--good); } .roll-bad { color: var(--bad); }
"""


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _series(chronicle, field):
    """{lab id: (turns, values, name)} from a game's chronicle rows (alive turns only)."""
    out = {}
    for row in chronicle:
        for lab, name, turn, alive, value in zip(row["lab"], row["lab_name"], row["turn"], row["alive"], row[field]):
            if alive:
                turns, values, _ = out.setdefault(lab, ([], [], name))
                turns.append(game_turn(turn))
                values.append(value)
    return out


def _team_colours(model) -> dict:
    """{seat: colour} for the teams, in the order the game numbers them."""
    return {seat: team_colour(i) for i, seat in enumerate(model.teams)}


def _lab_colours(model) -> dict:
    """Each lab's colour as the game draws it: shades of its country, a team's lab in its team's colour."""
    seen = {}
    for row in model.chronicle:
        for lab, country in zip(row["lab"], row["country"]):
            seen.setdefault(lab, country)
    colours = lab_colour_map(seen.items())
    colours.update({seat: colour for seat, colour in _team_colours(model).items() if seat in colours})
    return colours


def _axes(plt, title: str, ticks, labels):
    fig, ax = plt.subplots(figsize=CHART_SIZE)
    step = max(1, len(ticks) // 8)
    ax.set_xticks(ticks[::step], [labels[t] for t in ticks[::step]], fontsize=9)
    ax.tick_params(axis="y", labelsize=9)
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(alpha=0.3)
    return fig, ax


def _legend(ax, count: int) -> None:
    ax.legend(fontsize=LEGEND_PT, ncol=min(5, max(1, count)), loc="upper center", bbox_to_anchor=(0.5, -0.14),
              frameon=False)


def charts(model) -> list[tuple[str, str, str]]:
    """(title, caption, base64 PNG) for capability, compute, cash and power, and compute by country."""
    plt = pyplot()
    rules, chronicle = model.rules, model.chronicle
    if not chronicle:
        return []
    ticks = sorted({game_turn(row["turn"][0]) for row in chronicle})
    labels = {t: f"{t}" for t in ticks}
    colours = _lab_colours(model)
    teams = set(model.teams)
    out = []
    for field, title, scale, caption in (
            ("capability", "Capability (log10 of effective training FLOP)", 1.0,
             "Each lab in the game's colours: shades of blue for American labs, of red for Chinese ones; teams' labs "
             "bold in their team's colour. The dashed line is AGI."),
            ("chips_h100e", "Compute owned (millions of H100-equivalents)", 1e-6, "Chips each lab owns, weighted by training performance."),
            ("cash_usd", "Cash (billions of dollars)", 1e-9, "Money in the bank at the end of each turn; below zero a lab is bankrupt."),
            ("power_mw", "Power drawn (GW)", 1e-3, "What each lab's chips drew from its data centres.")):
        fig, ax = _axes(plt, title, ticks, labels)
        series = _series(chronicle, field)
        for lab, (turns, values, name) in sorted(series.items(), key=lambda kv: kv[0] in teams):
            team = lab in teams
            label = f"{name} ({model.teams[lab]})" if team else name
            ax.plot(turns, np.asarray(values) * scale, label=label, color=colours.get(lab, "#888888"),
                    linewidth=2.8 if team else 1.3, zorder=3 if team else 2)
        if field == "capability":
            # What AGI took is revealed once the game is over; before, the median guess.
            if model.state.ended[0]:
                agi, what = float(model.state.milestone_req[0, -1]), "what AGI took in this game"
            else:
                view = observe(model.state, rules)
                agi, what = float(view.frontier[0] + view.agi_left[0, 1]), "AGI: today's median guess"
            ax.axhline(agi, color=palette()["agi"], linestyle="--", linewidth=1.2)
            ax.text(ticks[0], agi + 0.05, what, color=palette()["agi"], fontsize=9)
        ax.set_xlabel("turn", fontsize=9)
        _legend(ax, len(series))
        out.append((title, caption, _png(fig)))
        plt.close(fig)
    fig, ax = _axes(plt, "Compute by country (millions of H100-equivalents)", ticks, labels)
    totals = defaultdict(lambda: defaultdict(float))
    for row in chronicle:
        for country, alive, value, turn in zip(row["country"], row["alive"], row["chips_h100e"], row["turn"]):
            if alive:
                totals[country][game_turn(turn)] += value
    for country, by_turn in sorted(totals.items()):
        turns = sorted(by_turn)
        name = rules.country_names[rules.country_ids.index(country)] if country in rules.country_ids else country
        ax.plot(turns, [by_turn[t] / 1e6 for t in turns], label=name, linewidth=2.4, color=country_colour(country))
    ax.set_xlabel("turn", fontsize=9)
    _legend(ax, len(totals))
    out.append(("Compute by country", "The race between nations: every lab's compute added up by country.", _png(fig)))
    plt.close(fig)
    return out


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
    from .batch import columns_to_end
    from ..model import RaceModel
    from ..strategies import StrategyController

    game = RaceModel(level=level, rng=seed, replicas=runs, player=seat, controller=StrategyController(strategy))
    game.datacollector.collect = lambda _model: None
    return columns_to_end(game)


def _outcomes(columns) -> dict:
    n = len(columns["outcome"])
    winners = defaultdict(int)
    for w in columns["winner"]:
        winners[w or "nobody"] += 1
    return {"n": n, "catastrophe": float(np.mean(columns["outcome"] == "catastrophe")),
            "winners": {k: v / n for k, v in sorted(winners.items(), key=lambda kv: -kv[1])}}


def what_next(model, runs: int) -> dict:
    """A game stopped early: ``runs`` futures from where it stands, every team playing its plan
    as the policy the game would play (``futures.futures_of``)."""
    from ..futures import forecast_seed, futures_of

    games = futures_of(model, runs, model.rules.horizon, forecast_seed(model))
    winner, outcome = np.full(runs, -1), np.zeros(runs, dtype=np.int64)
    numbers = np.arange(runs)
    for numbers, done in games.play_out():
        winner[numbers[done]], outcome[numbers[done]] = games.state.winner[done], games.state.outcome[done]
    winner[numbers], outcome[numbers] = games.state.winner, games.state.outcome
    rules = model.rules
    winners = defaultdict(int)
    for w in winner:
        winners[rules.lab_ids[w] if w >= 0 else "nobody"] += 1
    return {"runs": runs, "catastrophe": float(np.mean(outcome == CATASTROPHE)),
            "winners": {k: v / runs for k, v in sorted(winners.items(), key=lambda kv: -kv[1])}}


def _name(model, lab: str) -> str:
    return "nobody (catastrophe, or no lab left)" if lab == "nobody" else model.lab_name(model.rules.lab_ids.index(lab))


def _ending_box(model, info) -> str:
    rules = model.rules
    country = rules.country_names[rules.country_ids.index(info["winner_country"])] if info["winner_country"] else ""
    when = f"turn {game_turn(info['agi_turn'])} ({rules.turn_date(info['agi_turn'])})" if info["agi_turn"] is not None else ""
    agi = model.lab_name(rules.lab_ids.index(info["agi_lab"])) if info["agi_lab"] else "A lab"
    played = model.state.turn
    story = {"safe_agi": f"{info['winner_name']} reached AGI safely at {when}: {country} wins the race.",
             "catastrophe": f"{agi} reached AGI at {when} without the safety to control it: catastrophe, and everybody loses.",
             "horizon": f"The last turn came; {info['winner_name'] or 'nobody'} led on points.",
             "running": f"The game was stopped after turn {played} ({rules.turn_date(max(played - 1, 0))}), before its end: "
                        "this is the story so far, and how it might go on."}[info["outcome"]]
    return f"<div class='ending {info['outcome']}'>{e(story)}</div>"


def _standings(model, info) -> str:
    colours = _lab_colours(model)
    head = "Final standings" if info["outcome"] != "running" else f"Standings after turn {model.state.turn}"
    rows = [f"<h2>{head}</h2><table><tr><th>#</th><th>Lab</th><th>Country</th><th>Capability</th><th>Compute (M H100e)</th>"
            "<th>Cash ($B)</th><th>Market share</th><th>Safety</th><th>Status</th></tr>"]
    for i, row in enumerate(standings(model), 1):
        team = f" ({e(model.teams[row['lab']])})" if row["lab"] in model.teams else ""
        rows.append(f"<tr><td>{i}</td><td><span class='swatch' style='background:{colours.get(row['lab'], '#888')}'></span>"
                    f"{e(row['name'])}{team}</td><td>{e(row['country'].upper())}</td><td class='num'>{row['capability']:.2f}</td>"
                    f"<td class='num'>{row['chips_h100e'] / 1e6:.2f}</td><td class='num'>{row['cash_usd'] / 1e9:.1f}</td>"
                    f"<td class='num'>{row['share']:.0%}</td><td class='num'>{row['safety']:.2f}</td>"
                    f"<td>{'active' if row['alive'] else 'gone'}</td></tr>")
    return "".join(rows) + "</table>"


def _milestones(model, info) -> str:
    """What each milestone took (secret during play), who passed or failed it and when."""
    if info["outcome"] == "running":
        return ""  # a game stopped early keeps its secret: it may still be continued
    rows = ["<h2>The milestones, revealed</h2><p>What each milestone took in this game was drawn at the start and "
            "hidden from every seat, which saw only the level's belief. Here is the draw, and how the race met it.</p>"
            "<table><tr><th>Milestone</th><th>Took (capability)</th><th>Passed</th><th>Failed at it</th>"
            "<th>Closest approach</th></tr>"]
    for rec in milestone_reveal(model):
        passed = ", ".join(f"{e(p['lab'])} ({e(p['date'])})" for p in rec["passed"]) or "nobody"
        failed = ", ".join(f"{e(f['lab'])}" + (f" ({e(f['date'])})" if f["date"] else "") for f in rec["failed"]) or "-"
        close = "reached" if rec["short"] <= 0 else f"{rec['closest']:.2f} ({rec['short']:.2f} short)"
        rows.append(f"<tr><td>{e(rec['name'])}</td><td class='num'>{rec['requirement']:.2f}</td><td>{passed}</td>"
                    f"<td>{failed}</td><td>{close}</td></tr>")
    rows.append("</table>")
    chips = chip_dates(model)
    if chips:
        rows.append("<p>When some chips would come was drawn too: " + "; ".join(e(chip_date_words(c)) for c in chips) + ".</p>")
    return "".join(rows)


def _rolls(model) -> str:
    labs = {model.rules.lab_ids.index(seat) for seat in model.teams if seat in model.rules.lab_ids}
    found = rolls(model.news, labs)
    if not found:
        return ""
    items = "".join(f"<li class='keep'>Turn {game_turn(n.turn)}: <span class='roll-{'good' if n.tone == 'good' else 'bad'}'>"
                    f"{e(n.text)}</span> {e(odds_text(n))}</li>" for n in found)
    return ("<h2>Rolls of chance</h2><p>Some moments were decided by a roll of the dice. Their odds, and what set "
            f"them:</p><ul>{items}</ul>")


def _story(model) -> str:
    level, rules = model.level, model.rules
    scripted = {(e_["turn"], e_["news"] or e_["title"]) for e_ in level.data["events"] if e_["turn"] >= 0}
    by_turn = defaultdict(list)
    for n in model.news:
        by_turn[n.turn].append(n)
    seats = by_seat(model.orders_log)
    prompts = defaultdict(list)
    for p in level.data["prompts"]:
        prompts[p["turn"]].append(p["text"])
    parts = ["<h2>The story of the game</h2><p class='small'>Turn by turn: the news (scripted news and the facilitator's "
             "injects marked), and what each team changed; a team that kept its plan is not repeated.</p>"]
    for t in range(model.state.turn):
        items = []
        for n in by_turn.get(t, []):
            if n.weight >= 2 or n.kind in ("event", "policy", "ending"):
                mark = ("injected by the facilitator: " if n.tone == "injected" else
                        "scripted: " if n.kind == "event" and any(n.text.startswith(text) for turn, text in scripted if turn == t) else "")
                items.append(f"<li class='{'inject' if mark else 'news'}'>{e(mark)}{e(n.text)}</li>" if mark else
                             f"<li>{e(n.text)}</li>")
        for seat, turns in seats.items():
            if t not in turns:
                continue
            entry = turns[t]
            earlier = [turn for turn in turns if turn < t]
            text = changes(turns[max(earlier)] if earlier else None, entry, rules)
            if text:
                who = model.teams.get(seat) or entry["team"] or seat
                items.append(f"<li class='decision'><b>{e(who)}</b> ({e(seat)}): {e(text)}</li>")
        for text in prompts.get(t, []):
            items.append(f"<li><i>Discussion: {e(text)}</i></li>")
        if items:
            parts.append(f"<div class='turn'>Turn {game_turn(t)} &middot; {e(rules.turn_date(t))}</div>"
                         f"<ul class='timeline'>{''.join(items)}</ul>")
    return "".join(parts)


def _lines(n: int) -> str:
    return "<div class='write'>" + "<div class='lines'></div>" * n + "</div>"


def _reasoning(model) -> str:
    if not model.teams:
        return ""
    parts = ["<h2 class='page'>Each team's reasoning</h2><p class='small'>For each team to fill in: the story above "
             "says what you did; here, why.</p>"]
    for seat, team in model.teams.items():
        colour = _team_colours(model).get(seat, "#888")
        parts.append(f"<div class='box keep' style='border-left: 6px solid {colour}'><h3>{e(team)} ({e(seat)})</h3>"
                     f"<p>What was your plan, and what made you change it?</p>{_lines(3)}"
                     f"<p>Which decision would you take back, and why?</p>{_lines(2)}</div>")
    return "".join(parts)


def render(model, runs: int = 200) -> str:
    rules, level = model.rules, model.level
    info = ending(model)
    teams = ", ".join(f"<span class='swatch' style='background:{colour}'></span>{e(model.teams[seat])} ({e(seat)})"
                      for seat, colour in _team_colours(model).items()) or "AI on every seat"
    parts = [f"<style>{REPORT_CSS}</style><h1>{e(level.title)}: debrief</h1>",
             f"<p class='meta'>Level <b>{e(level.id)}</b>, seed {model.seed}, replica {int(model.replica_ids[0])}; "
             f"{model.state.turn} turns played, {e(rules.turn_date(0))} to {e(rules.turn_date(max(0, model.state.turn - 1)))}. "
             f"Teams: {teams}. Turn numbers are the game's (the first turn is turn 1). "
             f"Written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.</p>", _ending_box(model, info)]
    if level.data["briefing"]:
        parts.append(f"<h2>The situation</h2><p>{e(level.data['briefing'])}</p>")
    if level.data["objectives"]:
        parts.append("<ul>" + "".join(f"<li>{e(o)}</li>" for o in level.data["objectives"]) + "</ul>")
    parts += [_rolls(model), _standings(model, info), _milestones(model, info), "<h2 class='page'>The race in charts</h2>"]
    for title, caption, png in charts(model):
        parts.append(f"<figure><img alt='{e(title)}' src='data:image/png;base64,{png}'><figcaption>{e(caption)}</figcaption></figure>")
    parts += [f"<div class='page'>{_story(model)}</div>", _reasoning(model)]
    if level.data["debrief"]:
        parts.append("<h2 class='page'>Debrief questions</h2>" + "".join(
            f"<div class='question'><p><b>{i}.</b> {e(q)}</p>{_lines(3)}</div>" for i, q in enumerate(level.data["debrief"], 1)))
    if runs > 0:
        parts.append(render_what_if(model, what_if(model, runs), what_next(model, runs) if info["outcome"] == "running" else None))
    parts.append("<p class='small'>Made by racegame. Capability is log10 of a model's effective training compute; "
                 "what AGI takes is drawn anew for every game. The history of every lab and turn is in the CSV "
                 "file beside this report.</p>")
    return page(f"{level.title}: debrief", "".join(parts))


def _winners_table(model, winners: dict) -> str:
    rows = "".join(f"<tr><td>{e(_name(model, lab))}</td><td class='num'>{share:.0%}</td></tr>" for lab, share in winners.items())
    return f"<table><tr><th>Winner</th><th>Share of games</th></tr>{rows}</table>"


def render_what_if(model, data, ahead=None) -> str:
    """The batch section: how likely the ending was (a finished game), or how the game might go
    on from here (``ahead``, a game stopped early), and each team's lab under fixed strategies."""
    info = ending(model)
    base = data["base"]
    parts = ["<h2 class='page'>What if?</h2>"]
    if ahead is not None:
        parts.append(f"<div class='keep'><p><b>How it might go on.</b> From where the game stands after turn {model.state.turn}, "
                     f"{ahead['runs']} futures, every team playing its plan as the game would (its advisor's drafts if it "
                     f"has them on) and chance playing out differently: a catastrophe ends {ahead['catastrophe']:.0%} of them.</p>"
                     f"{_winners_table(model, ahead['winners'])}</div>")
    if info["outcome"] == "catastrophe":
        likelihood = f"a catastrophe ended {base['catastrophe']:.0%} of them, as in this game"
    elif info["winner"] and info["outcome"] in ("safe_agi", "horizon"):
        likelihood = f"{_name(model, info['winner'])} won {base['winners'].get(info['winner'], 0.0):.0%} of them, as in this game"
    else:
        likelihood = f"a catastrophe ended {base['catastrophe']:.0%} of them"
    parts.append(f"<div class='keep'><p><b>The same world without the teams.</b> The same level and seed played {data['runs']} "
                 f"times from the start with the AI on every seat (the same starting world and scripted news; chance plays "
                 f"out differently in each): {e(likelihood)}.</p>{_winners_table(model, base['winners'])}</div>")
    if data["strategies"]:
        names = list(STRATEGIES)
        head = "".join(f"<th>{e(n.replace('_', ' '))}</th>" for n in names)
        rows = "".join(f"<tr><td>{e(model.teams.get(seat, seat))} ({e(seat)})</td>"
                       + "".join(f"<td class='num'>{table[n]:.0%}</td>" for n in names) + "</tr>"
                       for seat, table in data["strategies"].items())
        parts.append("<div class='keep'><p>Had each team's lab followed a fixed strategy from the start instead (everyone "
                     f"else AI), its chance of winning:</p><table><tr><th>Team's lab</th>{head}</tr>{rows}</table></div>")
    return "".join(parts)


def write_report(model, out, runs: int = 200) -> tuple[Path, Path]:
    """Write the HTML report and the history CSV beside it; returns both paths."""
    from .batch import write_csv
    from ..files import write_text_atomic

    out = Path(out)
    csv_path = out.with_name(out.stem + "_history.csv")
    write_text_atomic(out, render(model, runs))
    columns = {name: [] for name in COLUMNS}
    for row in model.chronicle:
        for name in COLUMNS:
            columns[name].extend(row[name])
    write_csv(csv_path, file_columns({k: np.asarray(v) for k, v in columns.items()}))
    return out, csv_path
