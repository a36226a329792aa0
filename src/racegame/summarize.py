"""Reading batch and sweep results: win odds with confidence intervals, AGI timing,
catastrophe rates, per sweep cell; and plots (matplotlib, Agg, PNG)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import RaceError
from .history import blank_means_none

Z95 = 1.959964


def wilson(successes: int, n: int) -> tuple[float, float, float]:
    """Share and 95% Wilson interval (honest near 0 and 1, unlike the normal interval)."""
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return p, max(0.0, centre - half), min(1.0, centre + half)


def read_table(path):
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise RaceError(f"{path}: no such file")
    try:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except Exception as exc:  # pandas raises many kinds; all mean "not a results file"
        raise RaceError(f"{path}: cannot read it as a results table ({exc.__class__.__name__}: {exc})") from None
    need = {"replica", "outcome", "winner", "winner_country", "agi_turn", "catastrophe", "turns_played"}
    missing = need - set(frame.columns)
    if missing:
        raise RaceError(f"{path}: not a racegame batch file (missing columns: {', '.join(sorted(missing))})")
    frame["winner"] = frame["winner"].fillna("").astype(str)
    frame["winner_country"] = frame["winner_country"].fillna("").astype(str)
    _check_numbers(frame, path, need - {"outcome", "winner", "winner_country"})
    return frame


def _check_numbers(frame, path, counts) -> None:
    """Every figure present and finite: a blank or NaN where a number belongs comes from a
    broken game (older versions wrote NaN as a blank), and would skew every share silently."""
    import pandas as pd

    for column in frame.columns:
        values = frame[column]
        if column in counts:
            values = pd.to_numeric(values, errors="coerce")
        elif values.dtype.kind != "f" or blank_means_none(column):
            continue
        bad = ~np.isfinite(values.to_numpy(dtype=float))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise RaceError(f"{path}: column '{column}' has {int(bad.sum())} blank, NaN or infinite values (first in row "
                            f"{row + 2}); these games went out of range: refusing to summarise them")


def cell_columns(frame) -> list[str]:
    """Sweep parameters: the columns written before 'replica'."""
    cols = list(frame.columns)
    return cols[: cols.index("replica")]


def cells(frame):
    keys = cell_columns(frame)
    if not keys:
        return [("all games", frame)]
    out = []
    for values, group in frame.groupby(keys, sort=False):
        values = values if isinstance(values, tuple) else (values,)
        out.append((", ".join(f"{k}={v}" for k, v in zip(keys, values)), group))
    return out


def summarise(frame) -> list[dict]:
    rows = []
    for label, group in cells(frame):
        n = len(group)
        labs = sorted(set(group["winner"]) - {""})
        countries = sorted(set(group["winner_country"]) - {""})
        agi = group.loc[group["agi_turn"] >= 0, "agi_turn"].to_numpy()
        rows.append({
            "cell": label,
            "games": n,
            "labs": {lab: wilson(int((group["winner"] == lab).sum()), n) for lab in labs},
            "countries": {c: wilson(int((group["winner_country"] == c).sum()), n) for c in countries},
            "catastrophe": wilson(int(group["catastrophe"].sum()), n),
            "agi_share": len(agi) / n if n else float("nan"),
            "agi_quantiles": {q: float(np.percentile(agi, q)) for q in (10, 50, 90)} if len(agi) else {},
            "median_turns": float(np.median(group["turns_played"])) if n else float("nan"),
        })
    return rows


def _pct(triple) -> str:
    p, lo, hi = triple
    return f"{p:6.1%} [{lo:.1%}, {hi:.1%}]"


def table_text(rows) -> str:
    lines = []
    for row in rows:
        lines.append(f"== {row['cell']}: {row['games']} games")
        lines.append(f"   catastrophe  {_pct(row['catastrophe'])}")
        q = row["agi_quantiles"]
        timing = f"turn {q[10]:.0f} / {q[50]:.0f} / {q[90]:.0f} (10th / median / 90th)" if q else "never"
        lines.append(f"   AGI reached in {row['agi_share']:.0%} of games; {timing}; median game {row['median_turns']:.0f} turns")
        lines.append("   wins by country: " + "; ".join(f"{c} {_pct(v)}" for c, v in sorted(row["countries"].items(), key=lambda kv: -kv[1][0])))
        lines.append("   wins by lab:")
        for lab, v in sorted(row["labs"].items(), key=lambda kv: -kv[1][0]):
            lines.append(f"     {lab:<14}{_pct(v)}")
    return "\n".join(lines)


def pyplot():
    """matplotlib's pyplot on the file-only Agg backend, imported on first use so that
    nothing outside plotting pays for (or needs) matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    # Labels are names from levels and files, never formulas: a '$' in a lab's name must not
    # start matplotlib's math text (which fails on unbalanced or odd input).
    matplotlib.rcParams["text.parse_math"] = False
    import matplotlib.pyplot as plt

    return plt


def plots(frame, out_dir, history=None) -> list[Path]:
    plt = pyplot()

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = summarise(frame)
    written = []

    countries = sorted({c for r in rows for c in r["countries"]})
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(rows) + 3), 4.2))
    series = countries + ["catastrophe"]
    width = 0.8 / max(1, len(series))
    x = np.arange(len(rows))
    for i, name in enumerate(series):
        vals = [r["catastrophe"] if name == "catastrophe" else r["countries"].get(name, (0.0, 0.0, 0.0)) for r in rows]
        p = np.array([v[0] for v in vals])
        err = np.array([[v[0] - v[1] for v in vals], [v[2] - v[0] for v in vals]])
        ax.bar(x + i * width - 0.4 + width / 2, p, width, yerr=err, capsize=3, label=name if name != "catastrophe" else "catastrophe (all lose)")
    ax.set_xticks(x, [r["cell"] for r in rows], rotation=15, ha="right", fontsize=8)
    ax.set_ylabel("share of games")
    ax.set_ylim(0, 1)
    ax.set_title("Who wins, by policy (95% intervals)")
    ax.legend(fontsize=8)
    written.append(_save(fig, out_dir / "win_probabilities.png"))

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, group in cells(frame):
        agi = np.sort(group.loc[group["agi_turn"] >= 0, "agi_turn"].to_numpy())
        if len(agi):
            ax.step(np.r_[agi, agi[-1] + 1], np.r_[np.arange(1, len(agi) + 1), len(agi)] / len(group), where="post", label=label)
    ax.set_xlabel("turn AGI is reached")
    ax.set_ylabel("share of games with AGI by then")
    ax.set_title("When AGI arrives")
    ax.legend(fontsize=8)
    written.append(_save(fig, out_dir / "agi_timing.png"))

    if history is not None:
        written.append(fan_chart(history, out_dir / "capability_fan.png"))
    return written


def fan_chart(history_path, path) -> Path:
    """Percentile bands of the best capability per country over time, from --history."""
    plt = pyplot()
    import pandas as pd

    try:
        hist = pd.read_csv(history_path, usecols=["replica", "turn", "date", "country", "alive", "capability"])
    except Exception as exc:
        raise RaceError(f"{history_path}: not a racegame history file ({exc})") from None
    hist = hist[hist["alive"] == 1]
    best = hist.groupby(["country", "turn", "replica"])["capability"].max().reset_index()
    dates = hist.drop_duplicates("turn").set_index("turn")["date"].sort_index()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    games = hist["replica"].nunique()
    playing = hist.groupby("turn")["replica"].nunique()
    # Bands only where most games are still running: late turns hold the few long games.
    keep = playing[playing >= 0.5 * games].index
    for country, group in best[best["turn"].isin(keep)].groupby("country"):
        pivot = group.pivot(index="turn", columns="replica", values="capability").sort_index()
        q = np.nanpercentile(pivot.to_numpy(), [5, 25, 50, 75, 95], axis=1)
        turns = pivot.index.to_numpy()
        line, = ax.plot(turns, q[2], label=f"{country} best lab (median)")
        ax.fill_between(turns, q[0], q[4], alpha=0.15, color=line.get_color())
        ax.fill_between(turns, q[1], q[3], alpha=0.3, color=line.get_color())
    ticks = dates.index[:: max(1, len(dates) // 8)]
    ax.set_xticks(ticks, [dates[t] for t in ticks], rotation=30, fontsize=8)
    ax.set_ylabel("capability (log10 effective FLOP)")
    ax.set_title("Capability over time: median, 50% and 90% bands (while most games run)")
    ax.legend(fontsize=8)
    return _save(fig, Path(path))


def _save(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
