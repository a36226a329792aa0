"""Sensitivity indices from a sweep played with a Sobol or Morris design (SALib).

The design is read from the result's provenance (Parquet metadata or the ``OUT.json``
sidecar), and its sample is drawn again with the same seed, so the matrix SALib analyses is
exactly the one that made the cells. Each cell's outcome is the mean over its games (its
replicas share random numbers with every other cell's). With levers in the sweep (``--set
PATH=V1,V2``), indices are computed for each lever combination.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import RaceError


def read_provenance(path) -> dict | None:
    """The provenance a batch or sweep wrote: Parquet metadata, else the ``OUT.json`` sidecar."""
    path = Path(path)
    if path.suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            meta = pq.read_schema(path).metadata or {}
            if b"racegame" in meta:
                return json.loads(meta[b"racegame"])
        except (ImportError, OSError, ValueError):
            pass
    sidecar = Path(str(path) + ".json")
    if sidecar.is_file():
        try:
            data = json.loads(sidecar.read_text())
        except (OSError, ValueError, RecursionError):
            raise RaceError(f"{sidecar}: damaged (not JSON); it says where {path.name} came from") from None
        return data if isinstance(data, dict) else None
    return None


def game_outcomes(frame, names=None) -> dict:
    """Per-game numeric outcomes by name: ``catastrophe``, ``agi`` (1 if AGI came), ``win_<country>``
    for each country in the file, or any numeric column of the file."""
    countries = sorted({c for c in frame["winner_country"].unique() if c} | {c[: -len("_labs_alive")] for c in frame.columns
                                                                          if c.endswith("_labs_alive")})
    derived = {"agi": lambda: frame["agi_turn"].notna().astype(float).to_numpy()}
    for c in countries:
        derived[f"win_{c}"] = lambda c=c: (frame["winner_country"] == c).astype(float).to_numpy()
    names = list(names) if names else ["catastrophe", "agi"] + [f"win_{c}" for c in countries]
    out = {}
    for name in names:
        if name in derived:
            out[name] = derived[name]()
        elif name in frame.columns and frame[name].dtype.kind in "biuf":
            out[name] = frame[name].to_numpy(dtype=float)
        else:
            from ..level.fields import did_you_mean

            known = list(derived) + [c for c in frame.columns if frame[c].dtype.kind in "biuf"]
            raise RaceError(f"outcome '{name}': not a numeric column or a derived outcome{did_you_mean(name, known)}; "
                            f"known: {', '.join(known[:40])}")
    return out


def sensitivity(frame, meta: dict | None, outcomes=None, seed: int = 0) -> list[dict]:
    """Sobol (first and total order) or Morris (mu*, sigma) indices per outcome and lever
    combination: rows of ``{levers, outcome, parameter, ...}``."""
    design = (meta or {}).get("design") or {}
    kind = design.get("kind")
    if kind not in ("sobol", "morris"):
        raise RaceError("--sensitivity needs a sweep played with --design sobol or --design morris "
                        f"(this file's design: {kind or 'none recorded'}); its provenance (Parquet metadata or "
                        "OUT.json beside the file) says which")
    if "cell" not in frame.columns:
        raise RaceError("--sensitivity: the file has no 'cell' column (not a Sobol or Morris sweep)")
    from .designs import sample_matrix

    problem = design["problem"]
    matrix = sample_matrix(kind, problem, design["samples"], design["seed"])
    values = game_outcomes(frame, outcomes)
    cell = frame["cell"].to_numpy()
    n_cells = int(cell.max()) + 1
    rows_per = len(matrix)
    if n_cells % rows_per:
        raise RaceError(f"--sensitivity: {n_cells} cells do not make whole copies of the {rows_per}-point design; "
                        "is the file complete?")
    levers = list(design.get("levers") or {})
    out = []
    for name, per_game in values.items():
        means = np.bincount(cell, weights=per_game, minlength=n_cells) / np.maximum(np.bincount(cell, minlength=n_cells), 1)
        for block in range(n_cells // rows_per):
            y = means[block * rows_per:(block + 1) * rows_per]
            first = frame.loc[frame["cell"] == block * rows_per].iloc[0]
            label = ", ".join(f"{p}={first[p]}" for p in levers) or "all"
            for row in _indices(kind, problem, matrix, y, design, seed):
                out.append({"levers": label, "outcome": name, **row})
    return out


def _indices(kind, problem, matrix, y, design, seed) -> list[dict]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns about small samples; the intervals say it
        if kind == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(problem, y, calc_second_order=False, seed=int(seed) % 2**32)
            return [{"parameter": p, "S1": float(res["S1"][i]), "S1_conf": float(res["S1_conf"][i]),
                     "ST": float(res["ST"][i]), "ST_conf": float(res["ST_conf"][i])} for i, p in enumerate(problem["names"])]
        from SALib.analyze import morris

        res = morris.analyze(problem, matrix, y, num_levels=design.get("num_levels") or 4, seed=int(seed) % 2**32)
        return [{"parameter": p, "mu_star": float(res["mu_star"][i]), "mu_star_conf": float(res["mu_star_conf"][i]),
                 "mu": float(res["mu"][i]), "sigma": float(res["sigma"][i])} for i, p in enumerate(problem["names"])]


def sensitivity_text(rows: list[dict]) -> str:
    if not rows:
        return "no sensitivity indices"
    sobol = "S1" in rows[0]
    lines = []
    head = (f"   {'parameter':<44}{'S1':>8}{'±95%':>8}{'ST':>8}{'±95%':>8}" if sobol
            else f"   {'parameter':<44}{'mu*':>10}{'±95%':>10}{'mu':>10}{'sigma':>10}")
    last = None
    for r in rows:
        if (r["levers"], r["outcome"]) != last:
            last = (r["levers"], r["outcome"])
            lines.append(f"== {'Sobol' if sobol else 'Morris'} indices of {r['outcome']} (cell means)"
                         + (f", {r['levers']}" if r["levers"] != "all" else ""))
            lines.append(head)
        name = r["parameter"] if len(r["parameter"]) <= 43 else "..." + r["parameter"][-40:]
        if sobol:
            lines.append(f"   {name:<44}{r['S1']:>8.3f}{r['S1_conf']:>8.3f}{r['ST']:>8.3f}{r['ST_conf']:>8.3f}")
        else:
            lines.append(f"   {name:<44}{r['mu_star']:>10.4f}{r['mu_star_conf']:>10.4f}{r['mu']:>10.4f}{r['sigma']:>10.4f}")
    return "\n".join(lines)
