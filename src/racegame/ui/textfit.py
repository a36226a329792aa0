"""Text that must fit a width the game draws itself: cut with an ellipsis, or wrapped."""

from __future__ import annotations


def fit(text: str, f, width: int) -> str:
    """``text``, cut with an ellipsis if it is wider than ``width`` pixels in font ``f``."""
    if f.size(text)[0] <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if f.size(text[:mid].rstrip() + "…")[0] <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def wrap(text: str, f, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pixels in font ``f`` (a single word
    wider than that keeps a line of its own)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if f.size(trial)[0] <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines
