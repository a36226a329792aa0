"""Calibration: the baseline's simulated figures beside the public ones, and the
qualitative dynamics the design promises, each shown by a controlled experiment.

Everything here is measured from games played by the AI on every seat (many replicas,
one seed), through the same model and engine as any other game.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .engine.observe import observe
from .level.overrides import with_overrides
from .model import RaceModel



@dataclass
class Trace:
    """Per-turn figures of a batch of games, each (T, R) unless noted."""

    rules: object
    frontier: list = field(default_factory=list)
    largest_run: list = field(default_factory=list)  # physical FLOP of the largest run finished this turn
    efficiency: list = field(default_factory=list)  # best algorithmic efficiency (log10)
    share: list = field(default_factory=list)  # (R, C) compute shares
    power: list = field(default_factory=list)  # largest lab's powered MW
    largest_h100e: list = field(default_factory=list)
    largest_site: list = field(default_factory=list)  # H100e at the biggest single site
    bound: list = field(default_factory=list)  # (R, L) binding codes
    country: list = field(default_factory=list)
    alive: list = field(default_factory=list)
    focus_eff: list = field(default_factory=list)  # (R, L) efficiency share of research focus ordered
    revenue: list = field(default_factory=list)  # (R, L)
    open_model: list = field(default_factory=list)
    capability: list = field(default_factory=list)
    h100e: list = field(default_factory=list)
    chip_value: list = field(default_factory=list)  # best train-H100e per dollar on sale (R,)
    energy_share: list = field(default_factory=list)  # power bills / all costs (R,)
    ended: list = field(default_factory=list)
    pools: list = field(default_factory=list)  # (R, M) market pools this turn


def play(level, seed: int, replicas: int, turns: int | None = None) -> Trace:
    model = RaceModel(level=level, rng=seed, replicas=replicas, turns=turns)
    trace = Trace(rules=model.rules)
    rules = model.rules
    while model.running:
        view, orders = model.decide()
        model.resolve(orders)
        s, rep = model.state, model.report
        live = ~s.ended | (s.end_turn == s.turn - 1)
        trace.ended.append(~live)
        trace.frontier.append(rep.frontier)
        trace.largest_run.append(rep.run_flop_done.max(axis=1))
        trace.efficiency.append(np.where(s.alive, s.efficiency, -np.inf).max(axis=1))
        trace.share.append(observe(s, rules).compute_share)
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
        on_sale = (s.turn - 1) >= rules.chip_available
        trace.chip_value.append(np.where(on_sale, rules.chip_perf_train / s.chip_price, 0).max(axis=1))
        energy = rep.power_bill.sum(axis=1)
        costs = (rep.costs + rep.chip_spend).sum(axis=1)
        trace.energy_share.append(energy / np.maximum(costs, 1.0))
    return trace


def _per_year(series, rules, first_year_turns):
    """Average yearly growth factor of a (T, R) log10 series over the given window."""
    per_year = int(round(12 / rules.months_per_turn))  # turns a year in the first stage
    start, stop = first_year_turns
    a = np.asarray(series[start:start + per_year])
    b = np.asarray(series[stop - per_year:stop])
    years = (stop - start - per_year) / per_year
    return 10 ** ((np.nanmean(b) - np.nanmean(a)) / years)


def _yearly_max(values, rules, years):
    per_year = int(round(12 / rules.months_per_turn))  # turns a year in the first stage
    arr = np.asarray(values)
    return [arr[y * per_year:(y + 1) * per_year].max(axis=0) for y in range(years)]


def figures(trace: Trace) -> list[tuple[str, float, str, float, float]]:
    """(figure, simulated, public, low, high) rows."""
    rules = trace.rules
    per_year = int(round(12 / rules.months_per_turn))  # turns a year in the first stage
    years = min(3, len(trace.frontier) // per_year)
    runs = _yearly_max(trace.largest_run, rules, years)
    run_growth = np.exp(np.mean([np.log(np.median(runs[i + 1]) / np.median(runs[i])) for i in range(years - 1)]))
    eff = np.asarray(trace.efficiency)
    eff_growth = 10 ** ((np.median(eff[(years - 1) * per_year]) - np.median(eff[0])) / (years - 1))
    frontier = np.asarray(trace.frontier)
    oom_per_year = (np.median(frontier[(years - 1) * per_year]) - np.median(frontier[0])) / (years - 1)
    price_decline = 10 ** (rules.c["price_per_oom"] * oom_per_year)
    value = np.asarray(trace.chip_value)
    doubling = (years - 1) * np.log10(2) / max(1e-9, np.log10(np.median(value[(years - 1) * per_year]) / np.median(value[0])))
    share0 = np.asarray(trace.share[0])
    us, cn = rules.country_ids.index("us"), rules.country_ids.index("cn")
    powers = _yearly_max(trace.power, rules, years)
    power_growth = np.exp(np.mean([np.log(np.median(powers[i + 1]) / np.median(powers[i])) for i in range(years - 1)]))
    gpus = np.median(trace.largest_h100e[0])
    site = np.median(trace.largest_site[0])
    energy = float(np.median(np.asarray(trace.energy_share[:per_year * years])))
    return [
        ("Frontier training compute growth, x/yr (2025-27)", run_growth, "4-5x (Epoch AI)", 4.0, 5.0),
        ("Algorithmic efficiency growth, x/yr", eff_growth, "~3x; halving every 8 months (Ho et al.)", 2.5, 4.0),
        ("Inference price decline at fixed capability, x/yr", price_decline, "~10x; 9-900x (Epoch AI)", 9.0, 900.0),
        ("GPU price-performance doubling time, years", doubling, "2-2.5 years (Epoch AI)", 1.8, 2.7),
        ("US share of AI compute, start of 2025", share0[:, us].mean(), "~75% (Epoch AI)", 0.70, 0.80),
        ("China share of AI compute, start of 2025", share0[:, cn].mean(), "~15% (Epoch AI)", 0.12, 0.18),
        ("Largest single site, H100-equivalents, 2025", site, "100-200k GPUs (xAI, Meta, OpenAI)", 1e5, 3e5),
        ("Largest lab's fleet, H100-equivalents, 2025", gpus, "~600k H100e (Meta, in all)", 4e5, 9e5),
        ("Largest lab's power, MW, 2025", float(np.median(powers[0])), ">100 MW; first Stargate site 1.2 GW", 100, 1500),
        ("Power of the largest run, growth x/yr", power_growth, "~2x (Epoch AI)", 1.6, 2.6),
        ("Energy share of labs' spending", energy, "2-6% of development cost (Cottier et al.)", 0.01, 0.08),
    ]


def country_mean(values, country, alive, c):
    mask = (country == c) & alive
    return np.sum(values * mask) / max(1, np.sum(mask))


def dynamics(level, seed: int, replicas: int) -> list[tuple[str, str, bool]]:
    """(claim, evidence, holds) for each qualitative dynamic."""
    out = []
    per_year = None
    base = play(level, seed, replicas)
    rules = base.rules
    per_year = int(round(12 / rules.months_per_turn))  # turns a year in the first stage
    us, cn = rules.country_ids.index("us"), rules.country_ids.index("cn")
    t2 = min(2 * per_year, len(base.share) - 1)

    # 1. Export controls: off (tier 0, no tightening) against the baseline.
    off = {"governments.us.export_tier": 0}
    for i, reaction in enumerate(level.data["governments"][0]["reactions"]):
        if reaction["then"] in ("raise_export_tier", "raise_enforcement"):
            off[f"governments.us.reactions[{i}].chance"] = 0.0
    free = play(with_overrides(level, off), seed, replicas)
    cn_on = np.mean(np.asarray(base.share[t2])[:, cn])
    cn_off = np.mean(np.asarray(free.share[t2])[:, cn])
    window = slice(0, t2)
    focus_on = np.mean([country_mean(f, c, a, cn) for f, c, a in zip(base.focus_eff[window], base.country[window], base.alive[window])])
    focus_off = np.mean([country_mean(f, c, a, cn) for f, c, a in zip(free.focus_eff[window], free.country[window], free.alive[window])])
    out.append((
        "Tighter export controls cut China's share of compute",
        f"China's share after two years: {cn_on:.1%} with controls, {cn_off:.1%} without",
        cn_on < cn_off,
    ))
    out.append((
        "...and push Chinese labs toward efficiency research",
        f"efficiency share of Chinese labs' research: {focus_on:.0%} with controls, {focus_off:.0%} without",
        focus_on > focus_off,
    ))

    # 2. Power becomes the binding constraint as clusters grow: of the US labs held back by
    # something, the share held back by power or the grid queue rises (chips bind early).
    def power_share(trace, turns):
        held = power = 0
        for b, a, c in zip(trace.bound[turns], trace.alive[turns], trace.country[turns]):
            mine = a & (c == us) & (b > 0)
            held += mine.sum()
            power += (mine & np.isin(b, (4, 5))).sum()
        return power / max(1, held)

    early = power_share(base, slice(0, per_year))
    late = power_share(base, slice(2 * per_year, 4 * per_year))
    out.append((
        "Power becomes the binding constraint as clusters grow",
        f"of US labs held back, the share held back by power or the grid queue: {early:.0%} in the first year, {late:.0%} in years 3-4",
        late > early,
    ))

    # 3. Open weights narrow gaps and squeeze closed labs' revenue.
    closed = {"archetypes.open_weights.open_weights": False, "archetypes.efficiency_innovator.open_weights": False}
    for lab in level.data["labs"]:
        if lab["open_weights"]:
            closed[f"labs.{lab['id']}.open_weights"] = False
    shut = play(with_overrides(level, closed), seed, replicas)
    never_open = np.array([not lab["open_weights"] and not level.data["archetypes"][lab["archetype"]]["open_weights"] for lab in level.data["labs"]])
    slots = np.flatnonzero(never_open)

    def closed_revenue(trace):
        """Closed labs' revenue as a share of what the market would pay (controls for market growth)."""
        return np.mean([np.asarray(r)[:, slots].sum(axis=1).mean() / np.asarray(p).sum(axis=1).mean()
                        for r, p in zip(trace.revenue[:t2], trace.pools[:t2])])

    def gap(trace):
        caps = np.asarray(trace.capability[t2])
        alive = np.asarray(trace.alive[t2])
        median = np.nanmedian(np.where(alive, caps, np.nan), axis=1)
        return np.mean(np.nanmax(np.where(alive, caps, np.nan), axis=1) - median)

    rev_open, rev_shut = closed_revenue(base), closed_revenue(shut)
    out.append((
        "Open-weights releases squeeze closed labs' revenue",
        f"closed labs' revenue as a share of the market: {rev_open:.0%} with open releases, {rev_shut:.0%} without",
        rev_open < rev_shut,
    ))
    gap_open, gap_shut = gap(base), gap(shut)
    out.append((
        "...and narrow the gap between leader and pack",
        f"frontier minus median capability after two years: {gap_open:.2f} OOM with open releases, {gap_shut:.2f} without",
        gap_open < gap_shut,
    ))

    # 4. Scaling keeps paying: more compute, more capability (rank correlation across labs).
    caps, comp, alive = np.asarray(base.capability[t2]), np.asarray(base.h100e[t2]), np.asarray(base.alive[t2])
    corr = []
    for r in range(caps.shape[0]):
        m = alive[r]
        if m.sum() > 2:
            corr.append(np.corrcoef(np.argsort(np.argsort(comp[r, m])), np.argsort(np.argsort(caps[r, m])))[0, 1])
    rho = float(np.nanmean(corr))
    leader_is_biggest = np.mean(np.argmax(np.where(alive, caps, -np.inf), axis=1) == np.argmax(np.where(alive, comp, -np.inf), axis=1))
    out.append((
        "Scaling keeps paying: the largest clusters lead",
        f"rank correlation of compute and capability after two years: {rho:.2f}; the biggest cluster leads in {leader_is_biggest:.0%} of games",
        rho > 0.2,
    ))
    return out, base


def report(level, seed: int = 1, replicas: int = 200) -> tuple[str, bool]:
    rows, base = dynamics(level, seed, replicas)
    table = figures(base)
    lines = [f"Calibration of '{level.id}': {replicas} games, seed {seed}, AI on every seat", ""]
    lines.append(f"{'figure':<52} {'simulated':>12}  {'public':<44} in range")
    ok = True
    for name, value, public, lo, hi in table:
        inside = lo <= value <= hi
        ok &= inside
        lines.append(f"{name:<52} {_fmt(value):>12}  {public:<44} {'yes' if inside else 'NO'}")
    lines += ["", "Qualitative dynamics:"]
    for claim, evidence, holds in rows:
        ok &= holds
        lines.append(f"  [{'shown' if holds else 'NOT SHOWN'}] {claim}: {evidence}")
    return "\n".join(lines), ok


def _fmt(value: float) -> str:
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    if abs(value) < 1:
        return f"{value:.1%}"
    return f"{value:.2f}"
