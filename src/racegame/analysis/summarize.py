"""Reading batch and sweep results: win odds with confidence intervals, AGI timing,
catastrophe rates, per sweep cell; and plots (matplotlib, Agg, PNG)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import RaceError
from ..tables import blank_means_none

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
    """A batch or sweep file (CSV or Parquet) as a DataFrame, checked."""
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
    for text in ("winner", "winner_country", "agi_lab", "agi_date", "level"):
        if text in frame.columns:  # none: a blank (CSV) or null (Parquet); "" here
            frame[text] = frame[text].astype(object).fillna("").astype(str)  # an all-blank column reads as float NaN
    # No AGI: a blank (CSV) or null (Parquet); files from before turns were numbered from 1 wrote -1.
    agi = pd.to_numeric(frame["agi_turn"], errors="coerce")
    frame["agi_turn"] = agi.where(agi >= 0)
    _check_numbers(frame, path, need - {"outcome", "winner", "winner_country", "agi_turn"})
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


DESIGN_COLUMNS = ("cell", "design_row")  # a sampled design's cell numbers, before its parameters


def cell_columns(frame) -> list[str]:
    """Sweep parameters: the columns written before 'replica' (a sampled design's cell
    numbers aside)."""
    cols = list(frame.columns)
    return [c for c in cols[: cols.index("replica")] if c not in DESIGN_COLUMNS]


def cells(frame):
    keys = list(DESIGN_COLUMNS[:1]) if "cell" in frame.columns else cell_columns(frame)
    if "level" in frame.columns and frame["level"].nunique() > 1:
        keys = ["level"] + keys  # files of several levels joined together
    if not keys:
        return [("all games", frame)]
    shown = keys if "cell" not in keys else [k for k in keys if k != "cell"] + cell_columns(frame)
    out = []
    for _, group in frame.groupby(keys, sort=False):
        first = group.iloc[0]
        prefix = f"cell {first['cell']}: " if "cell" in keys else ""
        out.append((prefix + ", ".join(f"{k}={_short(first[k])}" for k in shown), group))
    return out


def _short(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def paired_differences(frame, outcomes=None, max_cells: int = 24) -> list[dict]:
    """Each sweep cell against the first, game by game: cells share seeds, so replica k of
    every cell meets the same luck (common random numbers) and the difference of the pair is
    the policy's effect in that game. Mean difference with a 95% interval (normal, paired)."""
    from .sensitivity import game_outcomes

    if "cell" in frame.columns:  # a sampled design: its cells are points for indices, not policies to compare
        return []
    groups = cells(frame)
    if len(groups) < 2 or len(groups) > max_cells:
        return []
    base_label, base = groups[0]
    base_values = game_outcomes(base.reset_index(drop=True), outcomes)
    base_key = base["replica"].to_numpy()
    out = []
    for label, group in groups[1:]:
        group = group.reset_index(drop=True)
        common, i_base, i_cell = np.intersect1d(base_key, group["replica"].to_numpy(), return_indices=True)
        if len(common) < 2 or base["seed"].iloc[0] != group["seed"].iloc[0]:
            continue
        values = game_outcomes(group, outcomes)
        for name, mine in values.items():
            if name not in base_values:
                continue
            d = mine[i_cell] - base_values[name][i_base]
            mean, half = float(d.mean()), float(Z95 * d.std(ddof=1) / np.sqrt(len(d)))
            out.append({"cell": label, "against": base_label, "outcome": name, "games": len(d),
                        "difference": mean, "low": mean - half, "high": mean + half})
    return out


def paired_text(rows) -> str:
    if not rows:
        return ""
    lines = [f"== paired differences against the first cell ({rows[0]['against']}); the same games "
             "(seed and replica) in each cell, 95% intervals"]
    last = None
    for r in rows:
        if r["cell"] != last:
            last = r["cell"]
            lines.append(f"   {r['cell']}  ({r['games']} pairs)")
        lines.append(f"     {r['outcome']:<22}{r['difference']:+8.3f}  [{r['low']:+.3f}, {r['high']:+.3f}]")
    return "\n".join(lines)


def summarise(frame) -> list[dict]:
    rows = []
    for label, group in cells(frame):
        n = len(group)
        labs = sorted(set(group["winner"]) - {""})
        countries = sorted(set(group["winner_country"]) - {""})
        agi = group["agi_turn"].dropna().to_numpy()
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
    ax.set_xticks(x, [_label(r["cell"]) for r in rows], rotation=30 if len(rows) > 3 else 0,
                  ha="right" if len(rows) > 3 else "center", fontsize=7)
    ax.set_ylabel("share of games")
    ax.set_ylim(0, 1)
    ax.set_title("Who wins (95% intervals)" if len(rows) == 1 else "Who wins, by sweep cell (95% intervals)")
    ax.legend(fontsize=8)
    written.append(_save(fig, out_dir / "win_probabilities.png"))
    heat = heatmap(frame, out_dir / "heatmap.png")
    if heat is not None:
        written.append(heat)

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, group in cells(frame):
        agi = np.sort(group["agi_turn"].dropna().to_numpy())
        if len(agi):
            ax.step(np.r_[agi, agi[-1] + 1], np.r_[np.arange(1, len(agi) + 1), len(agi)] / len(group), where="post", label=label)
    ax.set_xlabel("turn AGI is reached")
    ax.set_ylabel("share of games with AGI by then")
    ax.set_title("When AGI arrives")
    if len(rows) > 1:
        ax.legend(fontsize=7, labels=[_label(r["cell"], 40) for r in rows if r["agi_quantiles"]])
    written.append(_save(fig, out_dir / "agi_timing.png"))

    if history is not None:
        written.append(fan_chart(history, out_dir / "capability_fan.png"))
    return written


def _label(text: str, width: int = 28) -> str:
    """A cell's label cut to fit under a bar: the last part of each path, lines of ``width``."""
    import textwrap

    if "=" not in str(text) and "," not in str(text):  # a parameter's path (an axis): break it at its dots
        return "\n".join(_at_dots(str(text), width)[:3])
    parts = [p.strip() for p in str(text).split(",")]
    short = []
    for part in parts:
        key, eq, value = part.partition("=")
        short.append((key.split(".")[-1] + eq + value) if eq else part)
    return "\n".join(textwrap.wrap(", ".join(short), width)[:3])


def _at_dots(path: str, width: int) -> list[str]:
    """``path`` in lines of at most ``width`` characters, broken after a dot where it can be."""
    lines, line = [], ""
    for part in path.split("."):
        piece = part if not line else "." + part
        if line and len(line) + len(piece) > width:
            lines.append(line + ".")
            line = part
        else:
            line += piece
    return lines + [line]


def heatmap(frame, path) -> Path | None:
    """For a two-parameter grid sweep: win share per country and the catastrophe rate, one
    panel each, over the two parameters. None for other sweeps."""
    keys = cell_columns(frame)
    if len(keys) != 2 or "cell" in frame.columns:
        return None
    plt = pyplot()
    from .sensitivity import game_outcomes

    values = game_outcomes(frame)
    names = [n for n in values if n != "agi"]
    xs, ys = sorted(frame[keys[0]].unique()), sorted(frame[keys[1]].unique())
    fig, axes = plt.subplots(1, len(names), figsize=(3.4 * len(names) + 1, 3.6), squeeze=False)
    for ax, name in zip(axes[0], names):
        grid = np.full((len(ys), len(xs)), np.nan)
        means = frame.assign(_v=values[name]).groupby(keys)["_v"].mean()
        for (a, b), v in means.items():
            grid[ys.index(b), xs.index(a)] = v
        image = ax.imshow(grid, origin="lower", aspect="auto", vmin=0, vmax=1, cmap="viridis")
        for i in range(len(ys)):
            for j in range(len(xs)):
                if np.isfinite(grid[i, j]):
                    ax.text(j, i, f"{grid[i, j]:.0%}", ha="center", va="center", fontsize=7,
                            color="white" if grid[i, j] < 0.6 else "black")
        ax.set_xticks(range(len(xs)), [_short(v) for v in xs], fontsize=7, rotation=30 if len(xs) > 5 else 0)
        first = ax is axes[0][0]  # one y axis for the row: labels of the others would overlap
        ax.set_yticks(range(len(ys)), [_short(v) for v in ys] if first else [], fontsize=7)
        ax.set_xlabel(_label(keys[0], 30), fontsize=8)
        if first:
            ax.set_ylabel(_label(keys[1], 30), fontsize=8)
        ax.set_title(name.replace("_", " "), fontsize=9)
    fig.colorbar(image, ax=axes[0].tolist(), shrink=0.8, label="share of games")
    fig.suptitle("Outcomes over the two swept parameters", fontsize=10)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return Path(path)


def fan_chart(history_path, path) -> Path:
    """Percentile bands of the best capability per country over time, from --history."""
    plt = pyplot()
    import pandas as pd

    try:
        use = ["replica", "turn", "date", "country", "alive", "capability"]
        if str(history_path).lower().endswith(".parquet"):
            hist = pd.read_parquet(history_path, columns=use)
        else:
            hist = pd.read_csv(history_path, usecols=use)
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
