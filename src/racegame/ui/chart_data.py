"""The race as chart series, from the game's chronicle (one row of columns per turn)."""

from __future__ import annotations

from ..engine.observe import observe
from . import fmt
from .charts import Band, ChartData, Series
from .theme import blend, lab_colours, palette, team_colour


def _me(session) -> str | None:
    """The lab the chart is drawn for (None: a government's or the whole room's view)."""
    slot = getattr(session, "slot", None)
    return None if slot is None else session.model.rules.lab_ids[slot]


def _x_labels(dates: list[str]) -> list:
    n = len(dates)
    if n == 0:
        return []
    # First, middle and last; with few points the middle one would crowd the last.
    picks = sorted({0, n // 2, n - 1}) if n >= 5 else sorted({0, n - 1})
    return [(i, fmt.quarter(dates[i])) for i in picks]


def _dates(history, rules) -> list[str]:
    """The date each history row describes: rows hold end-of-turn stocks, i.e. the state at
    the start of the next turn (the first row is the state before the first turn)."""
    return [rules.turn_date(int(row["turn"][0]) + 1) if row["turn"] else "" for row in history]


def capability_chart(session) -> ChartData:
    model = session.model
    rules = model.rules
    history = session.history()
    p = palette()
    labs: dict[str, dict] = {}
    for i, row in enumerate(history):
        for lab, country, cap, alive in zip(row["lab"], row["country"], row["capability"], row["alive"]):
            entry = labs.setdefault(lab, {"country": country, "values": [None] * len(history)})
            if alive:
                entry["values"][i] = float(cap)
    me = _me(session)
    # Labs drawn boldly: yours; a government's own labs; the teams' labs on the projector.
    marked = session.highlights() if me is None and hasattr(session, "highlights") else {}
    colours = dict(zip(labs, lab_colours([e["country"] for e in labs.values()])))
    series = []
    team_legend = []
    for lab, entry in labs.items():
        if lab == me:
            continue
        if lab in marked:
            index, label = marked[lab]
            colour = team_colour(index) if index is not None else colours[lab]
            series.append(Series(entry["values"], colour, 3 if index is not None else 2, label or lab))
            if index is not None:
                team_legend.append((colour, label))
        else:
            series.append(Series(entry["values"], blend(colours[lab], p.chart_bg, 0.25), 1, lab))
    if me in labs:
        series.append(Series(labs[me]["values"], p.accent, 3, "You"))
    values = [v for s in series for v in s.values if v is not None]
    lo = min(values) - 0.15 if values else 26.0
    hi = max(values) + 0.35 if values else 27.0
    hi = max(hi, lo + 1.2)
    # Nobody knows where AGI is: the line is the median of what anyone can infer today.
    view = observe(model.state, rules)
    agi = float(view.frontier[0] + view.agi_left[0, 1])
    if agi - hi < 0.6:
        hi = max(hi, agi + 0.1)
    legend = ([(p.accent, "You")] if me is not None else team_legend) + [(p.us, "US"), (p.cn, "China")]
    refs = [(agi, p.agi, f"AGI? {agi:.1f}")]
    if hi < agi:
        legend.append((p.agi, f"AGI ~{agi:.1f}"))
    note = "" if len(history) > 1 else "End a turn to start the race chart"
    return ChartData(steps=len(history), series=series, refs=refs, y_min=lo, y_max=hi, x_labels=_x_labels(_dates(history, rules)),
                     y_format=lambda v: f"{v:.1f}", legend=legend, note=note)


def compute_shares(session) -> dict:
    """Share of the world's AI compute per country, and the player's, per history row."""
    model = session.model
    rules = model.rules
    history = session.history()
    me = _me(session)
    out = {cid: [] for cid in rules.country_ids}
    out["you"] = []
    for row in history:
        turn = int(row["turn"][0]) + 1 if row["turn"] else 0
        other = rules.other_compute(turn)
        totals = {cid: 0.0 for cid in rules.country_ids}
        mine = 0.0
        for lab, country, h, alive in zip(row["lab"], row["country"], row["chips_h100e"], row["alive"]):
            if alive:
                totals[country] = totals.get(country, 0.0) + float(h)
                if lab == me:
                    mine = float(h)
        world = sum(totals.values()) + other
        for cid in rules.country_ids:
            out[cid].append(totals[cid] / world if world > 0 else 0.0)
        out["you"].append(mine / world if world > 0 else 0.0)
    return out


def share_chart(session) -> ChartData:
    rules = session.model.rules
    p = palette()
    shares = compute_shares(session)
    history = session.history()
    series, legend = [], []
    for cid, name in zip(rules.country_ids, rules.country_names):
        colour = {"us": p.us, "cn": p.cn}.get(cid, p.muted)
        series.append(Series(shares[cid], colour, 2, name))
        legend.append((colour, {"us": "US", "cn": "China"}.get(cid, name)))
    if _me(session) is not None:
        series.append(Series(shares["you"], p.accent, 2, "You", dashed=True))
        legend.append((p.accent, "You"))
    top = max([v for s in series for v in s.values] + [0.1])
    return ChartData(steps=len(history), series=series, y_min=0.0, y_max=min(1.0, top * 1.15 + 0.02),
                     x_labels=_x_labels(_dates(history, rules)), y_format=lambda v: f"{v * 100:.0f}%", legend=legend,
                     note="" if len(history) > 1 else "End a turn to start the chart")


def billions(v: float) -> str:
    """An axis value in billions of dollars, short: "-$500M", "$0", "$2.5B", "$300B"."""
    a = abs(v)
    body = f"{a:.0f}B" if a >= 10 else f"{a:.2f}".rstrip("0").rstrip(".") + "B" if a >= 1 else f"{a * 1e3:.0f}M"
    return ("-" if v < 0 and a * 1e3 >= 0.5 else "") + "$" + ("0" if a * 1e3 < 0.5 else body)


def cash_chart(session) -> ChartData:
    rules = session.model.rules
    p = palette()
    history = session.history()
    me = _me(session)
    if me is None:
        return labs_cash_chart(session)
    cash, revenue = [], []
    for k, row in enumerate(history):
        value = rev = None
        for lab, c, r, alive in zip(row["lab"], row["cash_usd"], row["revenue_usd"], row["alive"]):
            if lab == me and alive:
                value, rev = float(c) / 1e9, revenue_rate(rules, row, float(r)) / 1e9
        cash.append(value)
        revenue.append(rev if k > 0 else None)
    series = [Series(revenue, blend(p.revenue, p.chart_bg, 0.2), 1, "Revenue", bars=True), Series(cash, p.cash, 3, "Cash")]
    values = [v for v in cash + revenue if v is not None]
    return ChartData(steps=len(history), series=series, y_min=min(0.0, min(values) if values else 0.0),
                     x_labels=_x_labels(_dates(history, rules)), y_format=billions,
                     legend=[(p.cash, "Cash"), (p.revenue, f"Revenue {fmt.rate_unit(rules)}")],
                     note="" if len(history) > 1 else "End a turn to start the chart")


def revenue_rate(rules, row, revenue: float) -> float:
    """A turn's revenue as a rate per turn of the level's first length (a quarter), the scale
    the engine pays standing amounts by: turns of half a year from 2030 would otherwise show
    revenue doubling overnight."""
    return revenue / _turn_scale(rules, row)


def _turn_scale(rules, row) -> float:
    """How many first-stage turns the history row's turn is worth (``turn_scale``)."""
    return rules.at(int(row["turn"][0]) if len(row["turn"]) else 0)["turn_scale"]


def cash_groups(session) -> list[tuple[str, object, set]]:
    """(label, colour, lab ids) whose cash a chart without a lab of its own follows: a
    government's labs together, or each team's lab on the projector and end screens."""
    p = palette()
    rules, s = session.model.rules, session.model.state
    home = getattr(session, "home_country", None)
    if home is not None:
        c = rules.country_ids.index(home)
        labs = {rules.lab_ids[k] for k in range(rules.n_labs) if s.country[0, k] == c}
        return [(f"{rules.country_names[c]} labs", p.cash, labs)]
    marked = session.highlights() if hasattr(session, "highlights") else {}
    groups = [(label, team_colour(index), {lab}) for lab, (index, label) in marked.items() if index is not None]
    if groups:
        return groups
    return [(name, {"us": p.us, "cn": p.cn}.get(cid, p.muted),
             {rules.lab_ids[k] for k in range(rules.n_labs) if s.country[0, k] == c})
            for c, (cid, name) in enumerate(zip(rules.country_ids, rules.country_names))]


def labs_cash_chart(session) -> ChartData:
    """Cash of a group of labs (or of each team's lab), in $B."""
    rules = session.model.rules
    history = session.history()
    series, legend = [], []
    for label, colour, labs in cash_groups(session):
        values = []
        for row in history:
            total = [float(c) for lab, c, alive in zip(row["lab"], row["cash_usd"], row["alive"]) if lab in labs and alive]
            values.append(sum(total) / 1e9 if total else None)
        series.append(Series(values, colour, 3, label))
        legend.append((colour, label))
    values = [v for s in series for v in s.values if v is not None]
    return ChartData(steps=len(history), series=series, y_min=min(0.0, min(values) if values else 0.0),
                     x_labels=_x_labels(_dates(history, rules)), y_format=billions,
                     legend=legend[:4], note="" if len(history) > 1 else "End a turn to start the chart")


def chart_tip(kind: str, session, index: int) -> str:
    history = session.history()
    if not 0 <= index < len(history):
        return ""
    row = history[index]
    rules = session.model.rules
    me = _me(session)
    when = f"Start of {fmt.quarter(_dates([row], rules)[0])}"
    if kind == "capability":
        ranked = sorted(((float(c), n, lab) for lab, n, c, a in zip(row["lab"], row["lab_name"], row["capability"], row["alive"]) if a),
                        reverse=True)
        lines = [f"<b>{when}</b>: best model capability"]
        for k, (cap, name, lab) in enumerate(ranked[:5], 1):
            tag = " (you)" if lab == me else ""
            lines.append(f"{k}. {fmt.esc(name)}{tag}: {cap:.2f}")
        mine = next(((k, cap) for k, (cap, _, lab) in enumerate(ranked, 1) if lab == me), None)
        if mine and mine[0] > 5:
            lines.append(f"{mine[0]}. you: {mine[1]:.2f}")
        lines.append("The AGI line is today's median guess: what AGI takes is unknown until someone gets there. "
                     "Capability is the log10 of effective training compute.")
        if getattr(session, "fogged", False):
            lines.append("<i>Fog of war: rivals' figures are what your intelligence reported at the time.</i>")
        return "<br>".join(lines)
    if kind == "share":
        shares = compute_shares(session)
        parts = [f"{fmt.esc(name)}: {fmt.pct(shares[cid][index])}" for cid, name in zip(rules.country_ids, rules.country_names)]
        mine = f"<br>Your lab: {fmt.pct(shares['you'][index], 1)}" if me is not None else ""
        return (f"<b>{when}</b>: share of the world's AI compute (chips in H100-equivalents, including labs outside the "
                f"game)<br>{'<br>'.join(parts)}{mine}")
    if kind == "cash" and me is None:
        data = labs_cash_chart(session)
        parts = [f"{fmt.esc(label)}: {fmt.money(series.values[index] * 1e9)}" for series in data.series for label in [series.label]
                 if index < len(series.values) and series.values[index] is not None]
        return f"<b>{when}</b>: cash<br>" + "<br>".join(parts) if parts else ""
    if kind == "cash":
        for lab, c, r, alive in zip(row["lab"], row["cash_usd"], row["revenue_usd"], row["alive"]):
            if lab == me:
                text = f"<b>{when}</b>: cash {fmt.money(float(c))}"
                if index > 0:
                    text += f"<br>Revenue that turn: {fmt.money(float(r))}"
                    if _turn_scale(rules, row) != 1.0:
                        text += f" ({fmt.money(revenue_rate(rules, row, float(r)))} {fmt.rate_unit(rules)})"
                return text + "<br>Cash after revenue, funding, costs and spending."
    return ""


def futures_chart(forecast, figure: str, title_you: str = "You") -> ChartData:
    """Percentile bands (5-95, 25-75) and the median of one figure over the futures' turns."""
    p = palette()
    bands = forecast.bands.get(figure, {})
    n = len(forecast.dates)
    if not bands or n == 0:
        return ChartData(steps=0, note="No futures: the game is over")
    colour = {"capability": p.accent, "cash_usd": p.cash, "compute_share": p.us, "safety": p.good, "frontier": p.agi}[figure]
    scale = 1e-9 if figure == "cash_usd" else 1.0
    def sc(values):
        return [v * scale for v in values]
    data = ChartData(
        steps=n,
        bands=[Band(sc(bands[5]), sc(bands[95]), (*colour[:3], 45)), Band(sc(bands[25]), sc(bands[75]), (*colour[:3], 90))],
        series=[Series(sc(bands[50]), colour, 3, "median")],
        x_labels=_x_labels(forecast.dates),
        legend=[((*colour[:3],), "median"), ((*colour[:3],), "50% / 90% of futures")],
    )
    if figure == "capability" and "frontier" in forecast.bands:
        data.series.append(Series(forecast.bands["frontier"][50], p.agi, 1, "frontier", dashed=True))
        data.legend = [(p.accent, f"{title_you} (median)"), (p.agi, "frontier (median)")]
        data.y_format = lambda v: f"{v:.1f}"
    elif figure == "cash_usd":
        data.y_format = billions
        data.legend = [(p.cash, "median"), (blend(p.cash, p.chart_bg, 0.5), "50% and 90% ranges")]
    elif figure in ("compute_share",):
        data.y_format = lambda v: f"{v * 100:.0f}%"
        data.legend = [(p.us, "median"), (blend(p.us, p.chart_bg, 0.5), "50% and 90% ranges")]
    elif figure == "safety":
        data.y_format = lambda v: f"{v:.2f}"
        data.legend = [(p.good, "median"), (blend(p.good, p.chart_bg, 0.5), "50% and 90% ranges")]
    return data


# The three charts of a desk (the lab's main screen, a government's desk), left to right.
DESK_CHARTS = (capability_chart, share_chart, cash_chart)
