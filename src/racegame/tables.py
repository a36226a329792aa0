"""Writing column tables (dict of equal-length arrays) to CSV."""

from __future__ import annotations

import csv

import numpy as np



def _text(values) -> list[str]:
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return ["" if not np.isfinite(v) else repr(float(v)) for v in values]
    return [str(v) for v in values.tolist()]


def write_csv(path, columns: dict) -> None:
    names = list(columns)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(names)
        writer.writerows(zip(*(_text(columns[n]) for n in names)))
