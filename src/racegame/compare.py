"""Several groups' games of one scenario side by side: ``racegame compare SAVE... --out FILE``.

Groups in a room who enter the same seed play the same world; what differs is what their
teams chose. The page sets their games next to each other: how each ended (or where it
stands), each team's seat in each game, the capability race of every group's team labs on
one chart, each country's compute in each game, and turn by turn what each group's teams
changed. Saves of different levels or seeds can be compared too; the page says so.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path


from .analysis.report import LEGEND_PT, _axes, _png
from .analysis.summarize import pyplot
from .colours import country_colour, team_colour
from .headless import ending, standings
from .lessons import game_turn
from .printing import e, page
from .story import by_seat, changes

LINESTYLES = ("-", "--", ":", "-.")


def _group_name(path: Path, model) -> str:
    """A group by its save's name (its teams are listed beside it)."""
    return path.stem


def _ending_text(model) -> str:
    info = ending(model)
    rules = model.rules
    if info["outcome"] == "safe_agi":
        return f"{info['winner_name']} reached AGI safely at turn {game_turn(info['agi_turn'])}"
    if info["outcome"] == "catastrophe":
        who = model.lab_name(rules.lab_ids.index(info["agi_lab"])) if info["agi_lab"] else "a lab"
        return f"catastrophe: {who} reached AGI unsafely at turn {game_turn(info['agi_turn'])}"
    if info["outcome"] == "horizon":
        return f"the last turn came; {info['winner_name'] or 'nobody'} led on points"
    return f"still running after turn {model.state.turn}"


def _overview(games) -> str:
    rows = []
    for i, (name, model) in enumerate(games):
        places = {row["lab"]: (n, row) for n, row in enumerate(standings(model), 1)}
        seats = []
        for seat, team in model.teams.items():
            if seat in places:
                n, row = places[seat]
                seats.append(f"{e(team)}: {e(row['name'])} #{n}, capability {row['capability']:.2f}, safety {row['safety']:.2f}"
                             + ("" if row["alive"] else " (gone)"))
            else:
                share = dict(zip(model.rules.country_ids, _shares(model)))
                seats.append(f"{e(team)}: {e(seat.upper())} government, {share.get(seat, 0):.0%} of world compute")
        rows.append(f"<tr><td><span class='swatch' style='background:{team_colour(i)}'></span>{e(name)}</td>"
                    f"<td class='num'>{model.seed}</td><td class='num'>{model.state.turn}</td><td>{e(_ending_text(model))}</td>"
                    f"<td>{'<br>'.join(seats) or 'no teams'}</td></tr>")
    return ("<table><tr><th>Group</th><th>Seed</th><th>Turns</th><th>How it ended</th><th>The teams</th></tr>"
            + "".join(rows) + "</table>")


def _shares(model) -> list[float]:
    s, rules = model.state, model.rules
    h100e = (s.chips[0] * rules.chip_perf_train).sum(axis=1) * s.alive[0]
    total = max(float(h100e.sum()), 1.0)
    return [float(h100e[s.country[0] == c].sum()) / total for c in range(len(rules.country_ids))]


def _charts(games) -> list[tuple[str, str, str]]:
    plt = pyplot()
    last = max(model.state.turn for _, model in games)
    ticks = list(range(1, last + 1))
    labels = {t: str(t) for t in ticks}
    out = []
    fig, ax = _axes(plt, "Capability of the teams' labs, group by group", ticks, labels)
    for i, (name, model) in enumerate(games):
        style = LINESTYLES[i % len(LINESTYLES)]
        for k, (seat, team) in enumerate(model.teams.items()):
            if seat not in model.rules.lab_ids:
                continue
            turns, values = [], []
            for row in model.chronicle:
                for lab, alive, cap, turn in zip(row["lab"], row["alive"], row["capability"], row["turn"]):
                    if lab == seat and alive:
                        turns.append(game_turn(turn))
                        values.append(cap)
            ax.plot(turns, values, color=team_colour(i), linestyle=LINESTYLES[k % len(LINESTYLES)] if len(games) == 1 else style,
                    linewidth=2.4, label=f"{name}: {team}")
    # What AGI took in the first group's game (every group of a class plays the same draw).
    agi = float(games[0][1].state.milestone_req[0, -1])
    ax.axhline(agi, color="#a78bfa", linestyle="--", linewidth=1)
    ax.set_xlabel("turn", fontsize=9)
    ax.legend(fontsize=LEGEND_PT, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    out.append(("Capability", "Each group in its own colour; the dashed line is what AGI took in this world.", _png(fig)))
    plt.close(fig)
    fig, ax = _axes(plt, "Compute by country, group by group (millions of H100-equivalents)", ticks, labels)
    for i, (name, model) in enumerate(games):
        totals = defaultdict(lambda: defaultdict(float))
        for row in model.chronicle:
            for country, alive, value, turn in zip(row["country"], row["alive"], row["chips_h100e"], row["turn"]):
                if alive:
                    totals[country][game_turn(turn)] += value
        for country, by_turn in sorted(totals.items()):
            turns = sorted(by_turn)
            ax.plot(turns, [by_turn[t] / 1e6 for t in turns], color=country_colour(country),
                    linestyle=LINESTYLES[i % len(LINESTYLES)], linewidth=2, label=f"{name}: {country.upper()}")
    ax.set_xlabel("turn", fontsize=9)
    ax.legend(fontsize=LEGEND_PT, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    out.append(("Compute by country", "Countries in their colours; each group a line style (solid, dashed, dotted...).",
                _png(fig)))
    plt.close(fig)
    return out


def _decisions(games) -> str:
    """Turn by turn, what each group's teams changed (a row per turn, a column per group)."""
    last = max(model.state.turn for _, model in games)
    logs = [(name, model, by_seat(model.orders_log)) for name, model in games]
    head = "".join(f"<th><span class='swatch' style='background:{team_colour(i)}'></span>{e(name)}</th>"
                   for i, (name, _) in enumerate(games))
    rows = []
    for t in range(last):
        cells = []
        for name, model, log in logs:
            items = []
            for seat, turns in log.items():
                if t in turns:
                    earlier = [x for x in turns if x < t]
                    text = changes(turns[max(earlier)] if earlier else None, turns[t], model.rules)
                    if text:
                        items.append(f"<b>{e(model.teams.get(seat, seat))}</b>: {e(text)}")
            cells.append("<td>" + ("<br>".join(items) or "<span class='small'>no change</span>") + "</td>")
        rows.append(f"<tr><td class='num'>Turn {game_turn(t)}</td>{''.join(cells)}</tr>")
    return f"<table class='small'><tr><th>Turn</th>{head}</tr>{''.join(rows)}</table>"


def render(paths) -> tuple[str, str]:
    """The page, and a note when the games are not of one level and seed."""
    from .saves import load_game

    games = []
    for path in paths:
        model = load_game(path)
        games.append((_group_name(Path(path), model), model))
    worlds = {(model.level.id, model.seed) for _, model in games}
    note = "" if len(worlds) == 1 else ("These games are not all of one level and seed: their worlds differ, not only "
                                        "their teams' choices.")
    level = games[0][1].level
    parts = [f"<h1>{e(level.title)}: {len(games)} games side by side</h1>",
             f"<p class='meta'>Level <b>{e(level.id)}</b>. Turn numbers are the game's (the first turn is turn 1).</p>"]
    if note:
        parts.append(f"<p class='box'><b>Note.</b> {e(note)}</p>")
    else:
        parts.append(f"<p>Every game here is seed {games[0][1].seed}: the same world and scripted news; what differs is "
                     "what the teams chose, and how chance fell after that.</p>")
    parts.append("<h2>How each game went</h2>" + _overview(games))
    parts.append("<h2 class='page'>The race</h2>")
    for title, caption, png in _charts(games):
        parts.append(f"<figure><img alt='{e(title)}' src='data:image/png;base64,{png}'><figcaption>{e(caption)}</figcaption></figure>")
    parts.append("<h2 class='page'>What the teams changed, turn by turn</h2>" + _decisions(games))
    return page(f"{level.title}: games compared", "".join(parts)), note


def write_comparison(paths, out) -> tuple[Path, str]:
    from .files import write_text_atomic

    text, note = render(paths)
    out = Path(out)
    write_text_atomic(out, text)
    return out, note


__all__ = ["render", "write_comparison"]
