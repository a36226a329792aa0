"""One row per lab per turn: what ``--history`` writes and what charts read.

A row describes a turn that was played: in files ``turn`` is its number as the game shows
it (1 = the first turn; ``file_columns``), in memory its index (0 = the first turn, as the
state and saved chronicles count), ``date`` the month it began, stocks (capability, cash, ...) are end-of-turn values and
flows (compute, training FLOP, revenue, power) are what happened during it.
"""

from __future__ import annotations

import csv
import numpy as np

from .engine.step import BINDING
from .errors import RangeError
from .files import atomic_file
from .tables import pyarrow_modules, write_parquet

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


def file_columns(columns: dict) -> dict:
    """Turn columns as files hold them: turns numbered from 1, as the game and
    ``racegame run`` show them."""
    out = dict(columns)
    out["turn"] = np.asarray(columns["turn"]) + 1
    return out


# A spreadsheet runs a cell that starts with one of these as a formula (=cmd|' /C calc'!A0).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(values, column: str, blank_nan: bool = False) -> list[str]:
    """One column of a CSV file as text: the one place CSV cells are made.

    Numbers are written exactly (``repr``) and must be finite: a NaN written as a blank or
    'nan' would hide a broken game from every later reader, so it is refused (RangeError),
    unless ``blank_nan`` says that in this column a blank means "none". Text that a
    spreadsheet would run as a formula gets a leading apostrophe, the usual defence."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        finite = np.isfinite(values)
        if not finite.all() and (not blank_nan or np.isinf(values).any()):
            row = int(np.flatnonzero(~finite)[0])
            raise RangeError(f"column '{column}', row {row + 1}: {values[row]!r} is not a finite number; "
                             "refusing to write it (a blank would hide a broken game)")
        return [repr(v) if ok else "" for v, ok in zip(values.tolist(), finite.tolist())]
    if values.dtype.kind in "biu":
        return [str(v) for v in values.tolist()]
    return [_plain_text(str(v)) for v in values.tolist()]


def _plain_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


class HistoryWriter:
    """Streams history rows to a CSV file as turns are played, or, for a ``.parquet`` path,
    keeps each turn's columns and writes them in one columnar pass at the end. The file
    appears whole when the writer is closed, or not at all if the game fails (a full disk, a
    refused game)."""

    def __init__(self, path):
        self.path = str(path)
        self._parquet = self.path.lower().endswith(".parquet")
        self._turns: list[dict] = []
        if self._parquet:
            pyarrow_modules(self.path)  # a clear error now, not after the game
            return
        self._target = atomic_file(self.path, newline="")
        self._csv = csv.writer(self._target.__enter__())
        self._csv.writerow(COLUMNS)

    def add(self, columns: dict) -> None:
        columns = file_columns(columns)
        if self._parquet:
            self._turns.append({name: np.asarray(columns[name]) for name in COLUMNS})
            return
        text = [csv_cells(columns[name], name) for name in COLUMNS]
        self._csv.writerows(zip(*text))

    def close(self, error: BaseException | None = None) -> None:
        """Publish the file, or, given the error that stopped the game, throw it away."""
        if self._parquet:
            if error is None:
                write_parquet(self.path, {name: np.concatenate([t[name] for t in self._turns]) if self._turns
                                          else np.array([]) for name in COLUMNS})
            return
        if error is None:
            self._target.__exit__(None, None, None)
        else:
            self._target.__exit__(type(error), error, error.__traceback__)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close(exc)
