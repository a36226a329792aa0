"""Result columns as Parquet tables, with null where a value means "none".

Batch summaries, per-turn histories and a single game's ``--history`` all go through here, so
"no winner", "no AGI" and "no lab of that country left" read the same everywhere: a blank
cell in CSV, a null in Parquet. pyarrow is optional (``racegame[analysis]``)."""

from __future__ import annotations

import numpy as np

from .errors import RaceError
from .files import atomic_file

NO_TURN = -1  # in memory only: "no AGI" is a blank in CSV and a null in Parquet
# Columns where "none" is a real answer: written as a blank cell in CSV and as null in Parquet.
NONE_TEXT = ("winner", "winner_country", "agi_lab", "agi_date")
NONE_TURN = ("agi_turn",)


def none_mask(name: str, values) -> np.ndarray | None:
    """Where a column's value means "none" (no winner, no AGI, no lab left), or None."""
    values = np.asarray(values)
    if name in NONE_TEXT:
        return values == ""
    if name in NONE_TURN:
        return values == NO_TURN
    if values.dtype.kind == "f" and blank_means_none(name):
        return ~np.isfinite(values)
    return None


def blank_means_none(column: str) -> bool:
    """Batch columns where a blank is a real answer: no lab of that country is left, no AGI
    (``agi_turn``). Anywhere else a NaN is a broken game, refused rather than written as a blank."""
    return column in ("frontier_capability", "agi_turn") or column.endswith("_best_capability")


def pyarrow_modules(out):
    """(pyarrow, pyarrow.parquet), or a RaceError naming ``out`` when pyarrow is missing."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RaceError(f"{out}: writing Parquet needs pyarrow (pip install 'racegame[analysis]'), or use a .csv file") from None
    return pa, pq


def arrow_table(columns: dict, out="a Parquet file"):
    """Columns as a pyarrow Table: one array per column (no per-value work), with null where
    a column's value means "none" (no winner, no AGI, no lab of that country left)."""
    pa, _ = pyarrow_modules(out)
    arrays = {}
    for name, values in columns.items():
        values = np.asarray(values)
        mask = none_mask(name, values)
        if values.dtype.kind in "US" or values.dtype == object:
            items = values.astype(str).tolist()
            if mask is not None:
                items = [None if m else v for v, m in zip(items, mask.tolist())]
            arrays[name] = pa.array(items, type=pa.string())
        else:
            arrays[name] = pa.array(values, mask=mask if mask is not None and mask.any() else None)
    return pa.table(arrays)


def dictionary_columns(schema) -> list[str]:
    """The columns worth dictionary-encoding: text (a few lab, country and outcome names over
    many rows). Trying it on every number column, pyarrow's default, makes writing about
    three times slower and the file no smaller."""
    import pyarrow as pa

    return [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]


def write_parquet(path, columns: dict) -> None:
    """Columns as a Parquet file, written atomically."""
    _, pq = pyarrow_modules(path)
    table = arrow_table(columns, path)
    with atomic_file(path, binary=True) as dest:
        pq.write_table(table, dest, use_dictionary=dictionary_columns(table.schema))
