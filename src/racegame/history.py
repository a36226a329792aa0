"""One row per lab per turn: what ``--history`` writes and what charts read.

A row describes a turn that was played: ``turn`` is its index (0 = the first turn),
``date`` the month it began, stocks (capability, cash, ...) are end-of-turn values and
flows (compute, training FLOP, revenue, power) are what happened during it.
"""

from __future__ import annotations

import csv
import numpy as np

from .engine.step import BINDING

COLUMNS = (
    "replica", "turn", "date", "lab", "lab_name", "country", "alive", "chips_h100e", "compute_flops",
    "training_flop", "capability", "efficiency", "power_mw", "cash_usd", "revenue_usd", "share",
    "safety", "talent", "binding",
)


def turn_columns(model, report) -> dict:
    """Columns (each a flat array over replicas x labs) for the turn just resolved."""
    s, rules = model.state, model.rules
    R, L = s.alive.shape
    turn = s.turn - 1
    replica = np.repeat(model.replica_ids, L)
    slots = np.tile(np.arange(L), R)
    seen = (s.alive | (s.founded_turn >= 0) | (np.arange(L) < rules.n_level_labs)[None, :]).ravel()
    names = np.array([[model.lab_name(slot, r) for slot in range(L)] for r in range(R)]).ravel() if R <= 64 else None
    cols = {
        "replica": replica,
        "turn": np.full(R * L, turn),
        "date": np.full(R * L, rules.turn_date(turn)),
        "lab": np.array(rules.lab_ids)[slots],
        "lab_name": names if names is not None else np.array(rules.lab_names)[slots],
        "country": np.array(rules.country_ids)[s.country.ravel()],
        "alive": s.alive.ravel().astype(int),
        "chips_h100e": (s.chips * rules.chip_perf_train).sum(axis=2).ravel(),
        "compute_flops": report.compute_flops.ravel(),
        "training_flop": report.training_flop.ravel(),
        "capability": s.capability.ravel(),
        "efficiency": s.efficiency.ravel(),
        "power_mw": report.power_mw.ravel(),
        "cash_usd": s.cash.ravel(),
        "revenue_usd": s.revenue.ravel(),
        "share": s.share.ravel(),
        "safety": s.safety.ravel(),
        "talent": s.talent.ravel(),
        "binding": np.array(BINDING)[s.binding.ravel()],
    }
    # Rows for slots never used by a founded lab are noise; ended games stop adding rows.
    keep = seen & np.repeat(~(s.ended & (s.end_turn < turn)), L)
    return {k: v[keep] for k, v in cols.items()}


def _fmt(values) -> list[str]:
    if values.dtype.kind == "f":
        return [repr(float(v)) for v in values]
    return [str(v) for v in values.tolist()]


class HistoryWriter:
    """Streams history rows to a CSV file as turns are played."""

    def __init__(self, path):
        self.path = str(path)
        self._file = open(self.path, "w", newline="", encoding="utf-8")
        self._csv = csv.writer(self._file)
        self._csv.writerow(COLUMNS)

    def add(self, columns: dict) -> None:
        text = [_fmt(np.asarray(columns[name])) for name in COLUMNS]
        self._csv.writerows(zip(*text))

    def close(self) -> None:
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
