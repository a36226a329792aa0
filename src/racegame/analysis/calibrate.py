"""Calibration: the baseline's figures beside the public ones, over the whole game window.

Three parts, each measured from games played by the AI on every seat (many replicas, one
seed), through the same model and engine as any other game:

- figures: trends are least-squares fits of log values over every year the figure applies
  to (not two chosen end points), each beside a public figure and its source; rows marked
  "departs" are where the game leaves the public trend on purpose (it says why);
- the timeline: when AGI comes (beside public forecasts), how fast the race runs near the
  end, and what each milestone's automation does to research;
- dynamics: the claims the game makes, each shown by a paired experiment (the same seeds
  with and without a change, differences with 95% intervals), and each re-run with single
  tuning constants removed, to show it comes from what agents choose, not from a constant.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..engine.diplomacy import IN_FORCE, PAUSE
from ..engine.state import CATASTROPHE, HORIZON, SAFE_AGI
from ..level.overrides import with_overrides
from ..model import RaceModel

US, CN = "us", "cn"


@dataclass
class Trace:
    """Per-turn figures of a batch of games: lists over turns of (R, ...) arrays."""

    rules: object
    years: list = field(default_factory=list)  # calendar year (with fraction) at the start of each turn
    live: list = field(default_factory=list)  # (R,) the game was still running this turn
    frontier: list = field(default_factory=list)
    largest_run: list = field(default_factory=list)  # physical FLOP of the largest run finished this turn
    efficiency: list = field(default_factory=list)  # best algorithmic efficiency (log10)
    share: list = field(default_factory=list)  # (R, C) compute shares
    power: list = field(default_factory=list)  # largest lab's powered MW
    largest_h100e: list = field(default_factory=list)
    largest_site: list = field(default_factory=list)
    bound: list = field(default_factory=list)  # (R, L) binding codes
    country: list = field(default_factory=list)
    alive: list = field(default_factory=list)
    focus_eff: list = field(default_factory=list)  # (R, L) efficiency share of ordered research focus
    revenue: list = field(default_factory=list)  # (R, L) per turn
    dt: list = field(default_factory=list)  # years in each turn
    open_model: list = field(default_factory=list)
    capability: list = field(default_factory=list)
    h100e: list = field(default_factory=list)
    chip_value: list = field(default_factory=list)  # best training H100e per dollar on sale (R,)
    energy_share: list = field(default_factory=list)
    pools: list = field(default_factory=list)
    smuggled: list = field(default_factory=list)  # (R,) chips smuggled into controlled countries this turn
    chip_spend: list = field(default_factory=list)  # (R, L) money each lab spent on chips this turn
    domestic: list = field(default_factory=list)  # (R,) chips of domestic-only classes made this turn
    speedup: list = field(default_factory=list)  # (R, L) research speed-up from automation
    milestone: list = field(default_factory=list)  # (R, L)
    paused: list = field(default_factory=list)  # (R,) a pause in force this turn, in a game still running
    final: object = None  # the state at the end


def play(level, seed: int, replicas: int, turns: int | None = None) -> Trace:
    model = RaceModel(level=level, rng=seed, replicas=replicas, turns=turns)
    model.datacollector.collect = lambda _model: None
    rules = model.rules
    trace = Trace(rules=rules)
    domestic = rules.chip_domestic_only
    while model.running:
        view, orders = model.decide()
        model.resolve(orders)
        s, rep = model.state, model.report
        t = s.turn - 1
        trace.years.append(rules.start_year + (rules.start_month - 1) / 12 + float(rules.turn_years[t]))
        trace.dt.append(rules.turn_length(t) / 12.0)
        trace.live.append(~s.ended | (s.end_turn == t))
        trace.frontier.append(rep.frontier)
        trace.largest_run.append(rep.run_flop_done.max(axis=1))
        trace.efficiency.append(np.where(s.alive, s.efficiency, -np.inf).max(axis=1))
        trace.share.append(view.compute_share)
        trace.power.append(rep.power_mw.max(axis=1))
        trace.largest_h100e.append(rep.h100e.max(axis=1))
        # Chips are pooled across a lab's sites: the biggest site holds its share of them.
        site_share = np.where(rep.site_mw > 0, rep.sites.max(axis=2) / np.maximum(rep.site_mw, 1e-9), 0.0)
        trace.largest_site.append((site_share * rep.h100e_live).max(axis=1))
        trace.bound.append(s.binding.copy())
        trace.country.append(s.country.copy())
        trace.alive.append(s.alive.copy())
        lab = orders.labs
        total = lab.focus_efficiency + lab.focus_reasoning + lab.focus_safety
        trace.focus_eff.append(np.where(total > 0, lab.focus_efficiency / np.where(total > 0, total, 1), 0))
        trace.revenue.append(s.revenue.copy())
        trace.pools.append(rep.pools.copy())
        trace.open_model.append(s.model_open.copy())
        trace.capability.append(s.capability.copy())
        trace.h100e.append(rep.h100e.copy())
        on_sale = t >= s.chip_arrival
        trace.chip_value.append(np.where(on_sale, rules.chip_perf_train / s.chip_price, 0).max(axis=1))
        energy = rep.power_bill.sum(axis=1)
        costs = (rep.costs + rep.chip_spend).sum(axis=1)
        trace.energy_share.append(energy / np.maximum(costs, 1.0))
        trace.smuggled.append(rep.chips_smuggled.sum(axis=(1, 2)))
        trace.chip_spend.append(rep.chip_spend.copy())
        trace.domestic.append((rep.chips_bought * domestic[None, None, :]).sum(axis=(1, 2)))
        trace.speedup.append(np.where(s.alive, rep.speedup, np.nan))
        trace.milestone.append(s.milestone.copy())
        trace.paused.append((s.treaty[:, PAUSE] == IN_FORCE) & trace.live[-1])
    trace.final = model.state
    return trace


# -- helpers --------------------------------------------------------------------------
# Late in the window most games have ended (AGI or a catastrophe): figures for those years
# describe the games still running, the worlds where AGI comes late, and say so.
STILL_RUNNING = 0.1


def by_year(trace: Trace, values, reduce=np.median, sum_within=False, min_running: float = 0.5,
            unpaused: bool = False) -> dict[int, float]:
    """Calendar year -> the median over running games of a (R,) per-turn figure (its sum
    over the year's turns first when ``sum_within``, e.g. revenue or chips bought). A year
    counts while at least ``min_running`` of the games are still on through all of it.
    ``unpaused``: only the games with no pause in force in any turn of that year."""
    years = np.floor(np.asarray(trace.years) + 1e-9).astype(int)
    live = np.asarray(trace.live)
    values = np.asarray(values, dtype=float)
    out = {}
    for y in np.unique(years):
        rows = years == y
        running = live[rows].all(axis=0)
        if running.mean() < min_running or not running.any():
            continue  # too few games still on for the figure to speak for them
        if unpaused:
            running = running & ~np.asarray(trace.paused)[rows].any(axis=0)
            if not running.any():
                continue
        v = values[rows][:, running]
        out[int(y)] = float(reduce(v.sum(axis=0) if sum_within else v.max(axis=0)))
    return out


def span(series: dict[int, float], years: range) -> str:
    """The years a fit over ``years`` actually uses ("2030-34"), for its label."""
    xs = [y for y in years if y in series and series[y] > 0]
    return f"{xs[0]}-{xs[-1] % 100:02d}" if len(xs) >= 2 else f"{years.start}-{(years.stop - 1) % 100:02d}"


def growth(series: dict[int, float], years: range) -> float:
    """Yearly growth factor of a least-squares fit of log10(value) over ``years``."""
    xs = [y for y in years if y in series and series[y] > 0]
    if len(xs) < 2:
        return float("nan")
    slope = np.polyfit(xs, np.log10([series[y] for y in xs]), 1)[0]
    return float(10 ** slope)


def lab_share(trace: Trace, values, rows_mask) -> list:
    """Per turn (R,) totals of a (R, L) figure over the labs in ``rows_mask(country) -> (R, L)``."""
    return [np.where(rows_mask(c) & a, v, 0.0).sum(axis=1) for v, c, a in zip(values, trace.country, trace.alive)]


def paired(a, b) -> tuple[float, float, float]:
    """Mean of b - a over paired replicas, with a 95% normal interval."""
    d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    d = d[np.isfinite(d)]
    if len(d) < 2:
        return float("nan"), float("nan"), float("nan")
    half = 1.96 * d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean()), float(d.mean() - half), float(d.mean() + half)


# -- the figures -----------------------------------------------------------------------
def figures(trace: Trace) -> list[tuple[str, float, str, float, float, str]]:
    """(figure, simulated, public figure and source, low, high, note) rows; a row with no
    range (nan) is reported, not judged; a note says where the game departs on purpose."""
    rules = trace.rules
    us, cn = rules.country_ids.index(US), rules.country_ids.index(CN)
    start = rules.start_year
    early = range(start, start + 5)  # 2025-2029: before automation or limits take over
    late = range(start + 5, start + 11)  # 2030-2035, in the games still running
    whole = range(start, start + 12)
    mid = range(start + 3, start + 11)  # 2028-2035

    def both(values, sum_within=False, unpaused=False):
        """The series while most games run, and while at least STILL_RUNNING of them do."""
        return (by_year(trace, values, sum_within=sum_within, unpaused=unpaused),
                by_year(trace, values, sum_within=sum_within, min_running=STILL_RUNNING, unpaused=unpaused))

    # The public trend is the largest runs of a race nobody paused; a pause's cap stops them
    # by design, so the game's figure is fitted over the game-years with no pause in force.
    runs, runs_late = both(trace.largest_run, unpaused=True)
    eff, eff_late = both([10 ** e for e in trace.efficiency])
    frontier, frontier_late = both([10 ** f for f in trace.frontier])
    value = by_year(trace, trace.chip_value)
    power, power_late = both(trace.power)
    doubling = np.log(2) / np.log(growth(value, whole))
    revenue, revenue_late = both([r.sum(axis=1) for r in trace.revenue], sum_within=True)
    cn_share = by_year(trace, [sh[:, cn] for sh in trace.share], min_running=STILL_RUNNING)
    top = by_year(trace, [r.max(axis=1) for r in trace.revenue], sum_within=True)
    top_share = np.nanmedian([np.median(r.max(axis=1) / np.maximum(r.sum(axis=1), 1.0)) for r in trace.revenue])
    smuggled, smuggled_late = both(trace.smuggled, sum_within=True)
    domestic = by_year(trace, trace.domestic, sum_within=True)
    share0 = np.asarray(trace.share[0])
    power_held = power_bound_by_year(trace, us)
    later = [v for y, v in power_held.items() if y >= start + 1]
    return [
        ("Frontier training compute growth, x/yr, fit 2025-29, unpaused", growth(runs, early), "4-5x a year (Epoch AI)", 3.5, 5.5, ""),
        (f"Frontier training compute growth, x/yr, fit {span(runs_late, late)}, unpaused*", growth(runs_late, late), "no public trend",
         float("nan"), float("nan"), "departs: slows as power, chips and money bind (Epoch AI's 2030 limits)"),
        ("Algorithmic efficiency growth, x/yr, fit 2025-29", growth(eff, early), "~3x; halving every 8 months (Ho et al. 2024)", 2.3, 4.5, ""),
        (f"Algorithmic efficiency growth, x/yr, fit {span(eff_late, late)}*", growth(eff_late, late),
         "no public trend; forecasts expect AI to speed up AI research", float("nan"), float("nan"),
         "departs: speeds up as labs pass milestones and AI automates research (AI 2027; the AI Futures Model)"),
        ("Inference price decline at fixed capability, x/yr", 10 ** (rules.c["price_per_oom"] * np.log10(growth(frontier, early))),
         "~10x; 9-900x by milestone (Epoch AI)", 9.0, 900.0, ""),
        ("GPU price-performance doubling time, years, fit 2025-36", doubling, "2-2.5 years (Epoch AI)", 1.8, 3.0, ""),
        ("US share of AI compute, start of 2025", float(share0[:, us].mean()), "~75% (Epoch AI)", 0.70, 0.80, ""),
        ("China share of AI compute, start of 2025", float(share0[:, cn].mean()), "~15% (Epoch AI)", 0.12, 0.18, ""),
        ("Largest single site, H100-equivalents, 2025", float(np.median(trace.largest_site[0])), "100-200k GPUs (xAI, Meta, OpenAI)", 1e5, 3e5, ""),
        ("Largest lab's fleet, H100-equivalents, 2025", float(np.median(trace.largest_h100e[0])), "~600k H100e (Meta, in all)", 4e5, 9e5, ""),
        ("Largest lab's power, MW, 2025", power.get(start, float("nan")), ">100 MW; first Stargate site 1.2 GW", 100, 2000, ""),
        ("Power of the largest lab, growth x/yr, fit 2025-29", growth(power, early), "~2x a year for the largest runs (Epoch AI)", 1.5, 2.8, ""),
        (f"Power of the largest lab, growth x/yr, fit {span(power_late, late)}*", growth(power_late, late), "no public trend",
         float("nan"), float("nan"), "departs: slows as grid queues, turbine supply and money bind"),
        ("Energy share of labs' spending, all years", float(np.median(np.concatenate([np.asarray(e)[np.asarray(l)] for e, l in zip(trace.energy_share, trace.live)]))),
         "2-6% of development cost (Cottier et al.)", 0.01, 0.08, ""),
        ("Revenue of the top lab, 2025, USD", top.get(start, float("nan")), "OpenAI ~$13B for 2025 (press)", 6e9, 30e9, ""),
        ("Revenue of all labs, 2025, USD", revenue.get(start, float("nan")), "$15-80B (OpenAI, Anthropic, Google, ...)", 15e9, 80e9, ""),
        ("Revenue growth, x/yr, fit 2025-27", growth(revenue, range(start, start + 3)), "OpenAI ~3x a year 2023-25; Anthropic faster", 1.8, 4.0, ""),
        (f"Revenue growth, x/yr, fit {span(revenue_late, mid)}*", growth(revenue_late, mid), "no public trend",
         float("nan"), float("nan"), ""),
        ("Top lab's share of all labs' revenue, median turn", float(top_share), "OpenAI roughly half of frontier-model revenue (press)", 0.3, 0.65, ""),
        ("Chips smuggled into China a year, 2025-26", float(np.mean([smuggled.get(y, np.nan) for y in (start, start + 1)])),
         "10,000 to several 100,000; median ~140,000 in 2024 (CNAS)", 1e4, 5e5, ""),
        (f"Chips smuggled into China a year, {span(smuggled_late, range(start + 2, start + 11))}*",
         float(np.mean([v for y, v in smuggled_late.items() if y >= start + 2] or [np.nan])), "no public figure",
         float("nan"), float("nan"), ""),
        ("Domestic Chinese AI chips made, 2025", domestic.get(start, float("nan")),
         "~300,000 910C-class, half of 2026's plan (Bloomberg, Sep 2025)", 1.5e5, 5e5, ""),
        ("Domestic Chinese AI chips made, 2026", domestic.get(start + 1, float("nan")),
         "~600,000 910C-class planned; up to 1.6M dies (Bloomberg, Sep 2025)", 4e5, 1e6, ""),
        ("US lab-turns held back by power or the queue, lowest year 2026+", float(min(later)) if later else float("nan"),
         "gigawatt campuses wait on grid connections and turbines (press, 2025)", 0.25, 1.0, ""),
        ("US labs' chip spending against China's, highest year 2025-27",
         max(spending_ratio(trace, us, cn, range(start, start + 3)).values()),
         "US firms invest 4-8x China's (AI 2027 authors; analysts)", 3.0, 10.0, ""),
        ("China share of AI compute, 2027", cn_share.get(start + 2, float("nan")),
         "US firms invest 4-8x China's, its chips ~2x dearer per FLOP (AI 2027 authors; analysts)", 0.03, 0.15, ""),
        (f"China share of AI compute, median {span(cn_share, late)}*",
         float(np.median([v for y, v in cn_share.items() if y in late] or [np.nan])),
         "no public figure; some forecasters expect China to gain after 2030", float("nan"), float("nan"), ""),
        ("China's lag behind the US frontier, 2025-27, months", china_lag_months(trace, frontier, early, range(start, start + 3)),
         "Chinese models trail by months, chips by 1-2 years (press, 2025)", 3, 12, ""),
        (f"China's lag behind the US frontier, {span(frontier_late, mid)}, months*",
         china_lag_months(trace, frontier_late, mid, mid, STILL_RUNNING), "no public figure", float("nan"), float("nan"), ""),
        ("Labs sharing an identical capability at the end, median", identical_capability(trace.final), "a game design target", 0, 2, ""),
    ]


def spending_ratio(trace: Trace, a: int, b: int, years: range) -> dict[int, float]:
    """Year -> median over games of country a's labs' chip spending that year against country
    b's (the turns each game was running; games where b spent nothing are left out)."""
    year = np.floor(np.asarray(trace.years) + 1e-9).astype(int)
    spend = np.asarray(trace.chip_spend) * np.asarray(trace.live)[:, :, None]  # (T, R, L)
    country = np.asarray(trace.country)
    out = {}
    for y in years:
        rows = year == y
        mine, theirs = (np.where(country[rows] == k, spend[rows], 0.0).sum(axis=(0, 2)) for k in (a, b))
        ok = theirs > 0
        out[y] = float(np.median(mine[ok] / theirs[ok])) if ok.any() else float("nan")
    return out


def us_china_gap(trace: Trace, t: int) -> np.ndarray:
    """(R,) how far China's best living model trails the US's (OOM) at trace turn ``t``; NaN
    where either country has no lab left."""
    rules = trace.rules
    us, cn = rules.country_ids.index(US), rules.country_ids.index(CN)
    caps, alive, country = trace.capability[t], trace.alive[t], trace.country[t]
    best = {c: np.where(alive & (country == c), caps, -np.inf).max(axis=1) for c in (us, cn)}
    return np.where(np.isfinite(best[us]) & np.isfinite(best[cn]), best[us] - best[cn], np.nan)


def china_lag_months(trace: Trace, frontier: dict, years: range, window: range, min_running: float = 0.5) -> float:
    """How far China's best model trails the US's, in months of the frontier's progress: the
    median over running games and the turns of the calendar years ``window`` of the
    capability gap (OOM), over the frontier's OOM a year (fitted over ``years``). Turns with
    fewer than ``min_running`` of the games still on are left out."""
    per_year = np.log10(growth(frontier, years))
    gaps = []
    for t, (year, live) in enumerate(zip(trace.years, trace.live)):
        if not (window.start <= year < window.stop) or live.mean() < min_running:
            continue
        gap = us_china_gap(trace, t)[live]
        gap = gap[np.isfinite(gap)]
        if gap.size:
            gaps.append(np.median(gap))
    return float(12.0 * np.median(gaps) / per_year) if gaps and per_year > 0 else float("nan")


def power_bound_by_year(trace: Trace, country: int) -> dict[int, float]:
    """Calendar year -> share of a country's living lab-turns held back by power or the queue."""
    years = np.floor(np.asarray(trace.years) + 1e-9).astype(int)
    out = {}
    for y in np.unique(years):
        held = total = 0
        for t in np.flatnonzero(years == y):
            mine = trace.alive[t] & (trace.country[t] == country) & trace.live[t][:, None]
            total += mine.sum()
            held += (mine & np.isin(trace.bound[t], (4, 5))).sum()
        if total:
            out[int(y)] = held / total
    return out


def identical_capability(state) -> float:
    """Median over games of the largest number of living labs on exactly one capability."""
    counts = []
    for r in range(state.alive.shape[0]):
        caps = np.round(state.capability[r][state.alive[r]], 9)
        counts.append(np.unique(caps, return_counts=True)[1].max() if caps.size else 0)
    return float(np.median(counts))


# -- the timeline ----------------------------------------------------------------------
PUBLIC_FORECASTS = [
    ("AI 2027 authors: superhuman coder, all-things-considered medians", "2028-2030; 80% interval 2026-2050 (timelines supplement, Apr 2025)"),
    ("Professional forecasters (same supplement): superhuman coder median", "2033; 80% interval 2027 to after 2050"),
    ("AI Futures Model (Dec 2025): automated coder; ASI", "AC ~2030-31; ASI ~2031-34"),
    ("Community forecast sites: general AI", "early 2030s (2030-2034)"),
    ("Davidson, compute-centric takeoff (2023): full automation", "median in the 2040s"),
]


def timeline(trace: Trace) -> tuple[list[str], list[tuple[str, bool, str]]]:
    """Lines about when AGI came and how fast the race ran, and the timeline targets."""
    rules, s = trace.rules, trace.final
    agi = np.isin(s.outcome, (SAFE_AGI, CATASTROPHE))
    start = rules.start_year + (rules.start_month - 1) / 12
    date = start + rules.turn_years[np.maximum(s.end_turn, 0) + 1]
    lines = [f"AGI within the horizon ({rules.turn_date(rules.horizon)}): {agi.mean():.0%} of games; "
             f"safe {np.mean(s.outcome == SAFE_AGI):.0%}, catastrophe {np.mean(s.outcome == CATASTROPHE):.0%}, "
             f"horizon reached {np.mean(s.outcome == HORIZON):.0%}"]
    q = np.percentile(date[agi], [10, 50, 90]) if agi.any() else np.full(3, np.nan)
    lines.append(f"AGI date (games that reach it): 10% {q[0]:.1f}, median {q[1]:.1f}, 90% {q[2]:.1f}")
    for m, name in enumerate(rules.milestone_names):
        first = s.milestone_turn[:, :, m]
        passed = (first >= 0).any(axis=1)
        if not passed.any():
            continue
        when = start + rules.turn_years[np.where(first >= 0, first, 10**6).min(axis=1)[passed] + 1]
        speed = _speedup_after(trace, m + 1)
        lines.append(f"  {name:<28} first passed in {passed.mean():.0%} of games, median {np.median(when):.1f}; "
                     f"labs past it research {speed:.2f}x as fast")
    ratio = takeoff_ratio(trace)
    lines.append(f"Frontier gain in the year up to AGI against 2025's: {ratio:.2f}x")
    turns = np.where(s.end_turn >= 0, s.end_turn + 1, s.turn)
    lines.append("Public forecasts, for comparison:")
    lines += [f"  {who}: {what}" for who, what in PUBLIC_FORECASTS]
    checks = [
        ("AGI within the horizon in 35-90% of games", 0.35 <= agi.mean() <= 0.90, f"{agi.mean():.0%}"),
        ("the AGI date's 10-90% range spans at least 3 years", q[2] - q[0] >= 3, f"{q[2] - q[0]:.1f} years"),
        ("the median AGI date is between 2028 and 2034", 2028 <= q[1] <= 2035, f"{q[1]:.1f}"),
        ("the frontier gains at least 1.5x as much in the year before AGI as in 2025", ratio >= 1.5, f"{ratio:.2f}x"),
        ("the median game lasts at least 12 turns", np.median(turns) >= 12, f"{np.median(turns):.0f} turns"),
    ]
    return lines, checks


def _speedup_after(trace: Trace, passed: int) -> float:
    values = [np.where(m == passed, sp, np.nan) for m, sp in zip(trace.milestone, trace.speedup)]
    flat = np.concatenate([v.ravel() for v in values])
    return float(np.nanmedian(flat)) if np.isfinite(flat).any() else float("nan")


def takeoff_ratio(trace: Trace) -> float:
    """Median over games reaching AGI of the frontier's gain over the year up to and including
    the AGI turn, against its gain over the first year."""
    rules, s = trace.rules, trace.final
    frontier = np.asarray(trace.frontier)  # frontier after each turn
    first = rules.at(0)["frontier0"]
    per_year = int(round(12 / rules.months_per_turn))
    gain0 = np.median(frontier[per_year - 1] - first)
    gains = []
    for r in np.flatnonzero(np.isin(s.outcome, (SAFE_AGI, CATASTROPHE))):
        t = int(s.end_turn[r])
        t0 = int(np.searchsorted(rules.turn_years, rules.turn_years[t + 1] - 1.0 - 1e-9))
        if t0 >= 1:
            years = rules.turn_years[t + 1] - rules.turn_years[t0]
            gains.append((frontier[t, r] - frontier[t0 - 1, r]) / years)
    return float(np.median(gains) / gain0) if gains and gain0 > 0 else float("nan")


# -- dynamics ------------------------------------------------------------------------------
def controls_off(level) -> dict:
    """Overrides that switch the US's export controls off and keep them off."""
    out = {"governments.us.export_tier": 0, "governments.us.hold_export_tier": True}
    return out


def controls_held(level, tier: int = 3) -> dict:
    return {"governments.us.export_tier": tier, "governments.us.hold_export_tier": True}


def china_figures(trace: Trace, turn: int) -> dict:
    """China's compute share, its capability gap to the US (OOM) and the efficiency share of
    its labs' research, per game, at ``turn`` (or the game's last turn before it)."""
    cn = trace.rules.country_ids.index(CN)
    t = min(turn, len(trace.share) - 1)
    share = np.asarray(trace.share[t])[:, cn]
    gap = us_china_gap(trace, t)
    focus = [np.where(a & (c == cn), f, np.nan) for f, c, a in zip(trace.focus_eff[:t + 1], trace.country[:t + 1], trace.alive[:t + 1])]
    focus = np.nanmean(np.stack(focus), axis=(0, 2))
    return {"share": share, "gap": gap, "focus": focus}


def controls_experiment(level, seed: int, replicas: int, years: int = 2) -> tuple[list[str], dict]:
    """US controls held at tier 3 against none, same seeds: China's compute share, its gap to
    the US, its labs' efficiency focus, AGI timing and catastrophes."""
    held = play(with_overrides(level, controls_held(level)), seed, replicas)
    free = play(with_overrides(level, controls_off(level)), seed, replicas)
    # trace.share[t] is what players saw at the start of turn t, i.e. after t turns.
    turn = int(np.searchsorted(held.rules.turn_years, years - 1e-9))
    a, b = china_figures(free, turn), china_figures(held, turn)
    share = paired(a["share"], b["share"])
    gap = paired(a["gap"], b["gap"])
    focus = paired(a["focus"], b["focus"])
    agi_a, agi_b = (_agi_or_horizon_years(x) for x in (free, held))
    timing = paired(agi_a, agi_b)
    cat = paired(free.final.outcome == CATASTROPHE, held.final.outcome == CATASTROPHE)
    lines = [
        f"China's compute share after {years} years: {np.nanmean(a['share']):.1%} with no controls, {np.nanmean(b['share']):.1%} "
        f"with tier 3 held; difference {share[0] * 100:+.1f} points [{share[1] * 100:+.1f}, {share[2] * 100:+.1f}]",
        f"China's capability gap to the US after {years} years: {np.nanmean(a['gap']):.2f} OOM without, {np.nanmean(b['gap']):.2f} "
        f"with; difference {gap[0]:+.2f} [{gap[1]:+.2f}, {gap[2]:+.2f}]",
        f"Efficiency share of Chinese labs' research: {np.nanmean(a['focus']):.0%} without, {np.nanmean(b['focus']):.0%} with; "
        f"difference {focus[0] * 100:+.1f} points [{focus[1] * 100:+.1f}, {focus[2] * 100:+.1f}]",
        f"AGI date: {timing[0]:+.2f} years with controls [{timing[1]:+.2f}, {timing[2]:+.2f}] (every game; the horizon for those without AGI)",
        f"Catastrophes: {cat[0] * 100:+.1f} points with controls [{cat[1] * 100:+.1f}, {cat[2] * 100:+.1f}]",
    ]
    return lines, {"share": share, "gap": gap, "focus": focus}


def _agi_or_horizon_years(trace: Trace):
    """(R,) when AGI came, with the horizon's end for games that reached it without AGI (a
    lower bound): comparing only games where both arms reach AGI would drop exactly the
    games a slower race pushes past the horizon."""
    s, rules = trace.final, trace.rules
    return rules.turn_years[np.maximum(s.end_turn, 0) + 1]


# Single tuning constants whose removal each claim must survive (path, neutral value).
ABLATIONS = {
    "efficiency push under controls": [
        ("rules.research.reasoning_elasticity", 0.05),  # reasoning no more compute-hungry than efficiency
        ("rules.market.reasoning_serving_cost", 0.0),  # reasoning costs nothing to serve
        ("rules.chips.smuggle_share", 0.0),  # no smuggling at all
        ("rules.chips.rent_capacity_h100e", 0.0),  # no compute to rent abroad
    ],
}


def ablated_controls(level, seed: int, replicas: int) -> list[str]:
    lines = []
    for path, value in ABLATIONS["efficiency push under controls"]:
        lv = with_overrides(level, {path: value})
        _, res = controls_experiment(lv, seed, replicas)
        focus, share, gap = res["focus"], res["share"], res["gap"]
        lines.append(f"  without {path} (= {value:g}): efficiency focus {focus[0] * 100:+.1f} pts, China share "
                     f"{share[0] * 100:+.1f} pts, gap {gap[0]:+.2f} OOM -> "
                     f"{'holds' if focus[0] > 0 and share[0] < 0 and gap[0] >= -0.05 else 'FAILS'}")
    return lines


def dynamics(level, seed: int, replicas: int, base: Trace) -> list[tuple[str, str, bool]]:
    """(claim, evidence, holds) for each qualitative dynamic, on paired seeds."""
    rules = base.rules
    us = rules.country_ids.index(US)
    out = []
    lines, res = controls_experiment(level, seed, replicas)
    out.append(("Tighter export controls cut China's share of compute (at least 3 points, after two years)", lines[0],
                res["share"][0] <= -0.03))
    out.append(("...without narrowing China's capability gap", lines[1], res["gap"][0] >= -0.05))
    out.append(("...and push Chinese labs toward efficiency research, by their own choice", lines[2], res["focus"][0] > 0))

    held = power_bound_by_year(base, us)
    start = rules.start_year
    out.append(("Power binds as clusters grow",
                "share of US lab-turns held back by power or the grid queue: " +
                ", ".join(f"{y} {v:.0%}" for y, v in sorted(held.items())),
                all(v >= 0.25 for y, v in held.items() if y >= start + 1)))

    closed = {"archetypes.open_weights.open_weights": False, "archetypes.efficiency_innovator.open_weights": False}
    for lab in level.data["labs"]:
        if lab["open_weights"]:
            closed[f"labs.{lab['id']}.open_weights"] = False
    shut = play(with_overrides(level, closed), seed, replicas)
    never_open = np.array([not lab["open_weights"] and not level.data["archetypes"][lab["archetype"]]["open_weights"]
                           for lab in level.data["labs"]])
    slots = np.flatnonzero(never_open)
    t2 = min(2 * int(round(12 / rules.months_per_turn)), len(base.revenue) - 1)

    def closed_revenue(trace):
        return np.mean([np.asarray(r)[:, slots].sum(axis=1).mean() / np.asarray(p).sum(axis=1).mean()
                        for r, p in zip(trace.revenue[:t2], trace.pools[:t2])])

    def spread(trace):
        caps, alive = np.asarray(trace.capability[t2]), np.asarray(trace.alive[t2])
        return np.nanmax(np.where(alive, caps, np.nan), axis=1) - np.nanmedian(np.where(alive, caps, np.nan), axis=1)

    rev_open, rev_shut = closed_revenue(base), closed_revenue(shut)
    out.append(("Open-weights releases squeeze closed labs' revenue",
                f"closed labs' revenue as a share of AI spending: {rev_open:.0%} with open releases, {rev_shut:.0%} without",
                rev_open < rev_shut))
    gap = paired(spread(shut), spread(base))
    out.append(("...and narrow the gap between leader and pack",
                f"frontier minus median capability after two years: {gap[0]:+.2f} OOM with open releases [{gap[1]:+.2f}, {gap[2]:+.2f}]",
                gap[0] < 0))

    caps, comp, alive = np.asarray(base.capability[t2]), np.asarray(base.h100e[t2]), np.asarray(base.alive[t2])
    corr = [np.corrcoef(np.argsort(np.argsort(comp[r, alive[r]])), np.argsort(np.argsort(caps[r, alive[r]])))[0, 1]
            for r in range(caps.shape[0]) if alive[r].sum() > 2]
    rho = float(np.nanmean(corr))
    out.append(("Scaling keeps paying: the largest clusters lead",
                f"rank correlation of compute and capability after two years: {rho:.2f}", rho > 0.2))

    out += caution(level, seed, replicas, base)
    return out


def caution(level, seed: int, replicas: int, base: Trace) -> list[tuple[str, str, bool]]:
    """More careful AI labs (risk -0.3, safety focus +0.1, every archetype), paired, twice:
    where governments cannot pause (cooperation 0), where lab caution is the only brake, and
    in the level as it is, where careful labs also fail fewer passages, so fewer alarms set
    off fewer pauses, and the time the care costs comes back."""
    careful = {}
    for name, style in level.data["archetypes"].items():
        careful[f"archetypes.{name}.risk"] = max(0.0, style["risk"] - 0.3)
        careful[f"archetypes.{name}.focus_safety"] = min(1.0, style["focus_safety"] + 0.1)
    no_pauses = {f"governments.{gov['id']}.cooperation": 0.0 for gov in level.data["governments"]}
    rows = {}
    for arm, extra in (("alone", no_pauses), ("level", {})):
        before = base if not extra else play(with_overrides(level, extra), seed, replicas)
        calm = play(with_overrides(level, {**extra, **careful}), seed, replicas)
        rows[arm] = (paired(before.final.outcome == CATASTROPHE, calm.final.outcome == CATASTROPHE),
                     paired(_agi_or_horizon_years(before), _agi_or_horizon_years(calm)),
                     float(np.sum(before.paused, axis=0).mean()), float(np.sum(calm.paused, axis=0).mean()))

    def said(arm):
        cat, later, _, _ = rows[arm]
        return (f"catastrophes {cat[0] * 100:+.1f} points [{cat[1] * 100:+.1f}, {cat[2] * 100:+.1f}], AGI {later[0]:+.2f} "
                f"years [{later[1]:+.2f}, {later[2]:+.2f}]")

    (cat, later, _, _), (cat_l, later_l, paused, paused_calm) = rows["alone"], rows["level"]
    return [
        ("Caution buys safety and costs time: more careful AI labs cause fewer catastrophes and reach AGI later, "
         "where governments cannot pause", f"{said('alone')} (every game; the horizon for those without AGI)",
         cat[0] < 0 and later[0] > 0),
        ("...where they can, careful labs set off fewer pauses, which gives the time back",
         f"{said('level')}; turns under a pause a game {paused:.1f} -> {paused_calm:.1f}",
         paused_calm < paused and later_l[0] < later[0]),
    ]


def report(level, seed: int = 1, replicas: int = 200, ablations: bool = True,
           verdicts: dict | None = None) -> tuple[str, bool]:
    """The calibration report and whether every judged figure and claim holds; ``verdicts``,
    if given, is filled with each judged figure's or claim's name -> holds."""
    verdicts = {} if verdicts is None else verdicts
    base = play(level, seed, replicas)
    lines = [f"Calibration of '{level.id}': {replicas} games, seed {seed}, AI on every seat", ""]
    lines.append(f"{'figure':<62} {'simulated':>12}  {'public':<58} in range")
    ok = True
    notes = []
    for name, value, public, lo, hi, note in figures(base):
        judged = np.isfinite(lo)
        inside = (lo <= value <= hi) if judged else True
        ok &= bool(inside)
        if judged:
            verdicts[name] = bool(inside)
        mark = ("yes" if inside else "NO") if judged else "-"
        lines.append(f"{name:<62} {_fmt(value):>12}  {public:<58} {mark}")
        if note:
            notes.append(f"  {name}: {note}")
    lines.append(f"* over the games still running (at least {STILL_RUNNING:.0%} of them): the worlds where AGI comes late")
    if notes:
        lines += ["", "Where the game departs from the public trend on purpose:"] + notes
    t_lines, checks = timeline(base)
    lines += ["", "Timeline:"] + [f"  {x}" for x in t_lines]
    for claim, holds, evidence in checks:
        ok &= bool(holds)
        verdicts[claim] = bool(holds)
        lines.append(f"  [{'met' if holds else 'NOT MET'}] {claim}: {evidence}")
    lines += ["", "Qualitative dynamics (paired: the same seeds with and without the change; 95% intervals):"]
    for claim, evidence, holds in dynamics(level, seed, replicas, base):
        ok &= bool(holds)
        verdicts[claim] = bool(holds)
        lines.append(f"  [{'shown' if holds else 'NOT SHOWN'}] {claim}: {evidence}")
    if ablations:
        lines += ["", "The controls experiment with single tuning constants removed:"] + ablated_controls(level, seed, replicas)
    return "\n".join(lines), ok


def _fmt(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.1f}B"
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    if abs(value) < 1:
        return f"{value:.1%}"
    return f"{value:.2f}"
