"""Small array helpers shared by the engine phases."""

from __future__ import annotations

import numpy as np


LN10 = 2.302585092994046


def pow10(x):
    """10 ** x, computed as exp(x ln 10): several times faster than the power function."""
    return np.exp(np.multiply(x, LN10))


def by_country(per_country: np.ndarray, country: np.ndarray) -> np.ndarray:
    """(R, C, ...) values looked up for each lab's country (R, L) -> (R, L, ...): one flat
    gather over (replica, country) rows, much cheaper than take_along_axis over the short
    country axis."""
    R, C = per_country.shape[:2]
    return per_country.reshape(R * C, *per_country.shape[2:])[country + (np.arange(R) * C)[:, None]]


def _reduce_short(ufunc, x, axis, start=None):
    """``ufunc`` folded over one short axis of ``x`` as a loop of elementwise operations:
    numpy's reduction machinery costs several times more than that over axes of a few
    elements (chip classes, grids, countries, labs), and the result is the same."""
    x = np.asarray(x)
    if axis != -1 and axis != x.ndim - 1:
        x = np.moveaxis(x, axis, -1)
    n = x.shape[-1]
    if n == 0 or n > 32:
        return ufunc.reduce(x.astype(start) if start else x, axis=-1)
    out = x[..., 0].astype(start or x.dtype)  # a copy: the loop writes into it
    for k in range(1, n):
        ufunc(out, x[..., k], out=out)
    return out


def max_over(x, axis=-1):
    """x.max(axis) for a short axis (NaN propagates, as with max)."""
    return _reduce_short(np.maximum, x, axis)


def min_over(x, axis=-1):
    """x.min(axis) for a short axis."""
    return _reduce_short(np.minimum, x, axis)


def any_over(x, axis=-1):
    """x.any(axis) for a short axis."""
    return _reduce_short(np.logical_or, x, axis, bool)


def all_over(x, axis=-1):
    """x.all(axis) for a short axis."""
    return _reduce_short(np.logical_and, x, axis, bool)


def ratio(num, den, fill=0.0):
    """num / den elementwise, ``fill`` where den is 0."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    out = np.full(np.broadcast_shapes(num.shape, den.shape), fill, dtype=float)
    np.divide(num, den, out=out, where=den != 0)
    return out


def pick_among(candidates: np.ndarray, u: np.ndarray) -> np.ndarray:
    """For each row of a boolean (R, L) mask, the index of a uniformly drawn True column.

    ``u`` is (R,) in [0, 1). Rows with no candidate give -1.
    """
    count = candidates.sum(axis=1)
    k = np.minimum((u * count).astype(np.int64), np.maximum(count - 1, 0))
    cum = np.cumsum(candidates, axis=1)
    index = np.argmax(cum > k[:, None], axis=1)
    return np.where(count > 0, index, -1)


def occurrence_rank(keys: np.ndarray) -> np.ndarray:
    """For a 1-D sequence of keys, how many earlier elements share each element's key."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[0, np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys)) - run_start
    return rank


def masked_max(values: np.ndarray, mask: np.ndarray, empty: float = -np.inf) -> np.ndarray:
    """Row-wise max of ``values`` where ``mask``; ``empty`` for rows with no True."""
    best = max_over(np.where(mask, values, -np.inf), 1)
    return np.where(any_over(mask, 1), best, empty)


def ring_by_grid(ring_mw: np.ndarray, ring_grid: np.ndarray, n_grids: int) -> np.ndarray:
    """Sum a (R, L, S) ring of MW over its slots into (R, L, N) by each slot's grid."""
    R, L, S = ring_mw.shape
    base = (np.arange(R * L) * n_grids).reshape(R, L, 1)
    index = (base + ring_grid).ravel()
    return np.bincount(index, weights=ring_mw.ravel(), minlength=R * L * n_grids).reshape(R, L, n_grids)


def clean_amount(values) -> np.ndarray:
    """Non-negative finite amounts from anything: NaN, -inf and +inf become 0 (a request
    nobody can mean), negatives become 0."""
    out = np.fmax(np.asarray(values, dtype=float), 0.0)  # fmax turns NaN into the 0 side
    out[out == np.inf] = 0.0
    return out


def add_by_grid(target: np.ndarray, grid: np.ndarray, amount: np.ndarray) -> None:
    """target[r, l, grid[r, l]] += amount[r, l] for a (R, L, N) target (one bincount over
    flat positions: much faster than scattered writes)."""
    R, L, N = target.shape
    flat = (np.arange(R * L) * N).reshape(R, L) + grid
    target += np.bincount(flat.ravel(), weights=amount.ravel(), minlength=R * L * N).reshape(R, L, N)


def sum_by_grid(amount: np.ndarray, grid: np.ndarray, n_grids: int) -> np.ndarray:
    """(R, L) amounts summed by each lab's (R, L) grid index -> (R, N)."""
    R = amount.shape[0]
    flat = (np.arange(R) * n_grids)[:, None] + grid
    return np.bincount(flat.ravel(), weights=amount.ravel(), minlength=R * n_grids).reshape(R, n_grids)


def by_country_sum(values: np.ndarray, country: np.ndarray, n_countries: int) -> np.ndarray:
    """(R, L) values summed per country -> (R, C)."""
    return np.stack([(values * (country == c)).sum(axis=1) for c in range(n_countries)], axis=1)
