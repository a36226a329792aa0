"""Numbers in words a player reads at a glance: $4.2B, 350k, 1.2 GW, 45%; and text made safe
for pygame_gui's HTML."""

from __future__ import annotations

import html
import math


def esc(text) -> str:
    """Text from a level, a save or a player, for pygame_gui's HTML (text boxes, tooltips,
    dialogs): its markup would run there (an '<img src=x>' in a lab's name makes pygame_gui
    load a file and fail), so &, < and > are escaped; line breaks become <br>."""
    return html.escape(str(text), quote=False).replace("\n", "<br>")


def _magnitude(x: float, signed: bool, body) -> str:
    """``body(|x|)`` with the sign in front ("+" only when asked), or a dash for no number."""
    if x is None or not math.isfinite(x):
        return "–"
    sign = "+" if signed and x > 0 else ("-" if x < 0 else "")
    return sign + body(abs(x))


def _money_body(a: float) -> str:
    if a >= 1e12:
        return f"${a / 1e12:.2f}T"
    if a >= 1e9:
        return f"${a / 1e9:.1f}B" if a >= 10e9 else f"${a / 1e9:.2f}B"
    if a >= 1e6:
        return f"${a / 1e6:.0f}M"
    if a >= 1e3:
        return f"${a / 1e3:.0f}k"
    return f"${a:.0f}"


def _count_body(a: float) -> str:
    if a >= 1e6:
        return f"{a / 1e6:.2f}M"
    if a >= 1e4:
        return f"{a / 1e3:.0f}k"
    if a >= 1e3:
        return f"{a / 1e3:.1f}k"
    return f"{a:.0f}"


def money(x: float, signed: bool = False) -> str:
    return _magnitude(x, signed, _money_body)


def count(x: float, signed: bool = False) -> str:
    return _magnitude(x, signed, _count_body)


def mw(x: float, signed: bool = False) -> str:
    return _magnitude(x, signed, lambda a: f"{a / 1000:.2f} GW" if a >= 1000 else f"{a:.0f} MW")


def mw_of(part: float, whole: float) -> str:
    """Power as a part of a whole in one unit: "230/670 MW", "0.85/1.20 GW"."""
    if whole >= 1000:
        return f"{part / 1000:.2f}/{whole / 1000:.2f} GW"
    return f"{part:.0f}/{whole:.0f} MW"


def pct(x: float, digits: int = 0, signed: bool = False) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    text = f"{x * 100:+.{digits}f}%" if signed else f"{x * 100:.{digits}f}%"
    return text


def share(x: float) -> str:
    """A chance or share in whole percent that never rounds a rare event to nothing:
    '<1%' above 0 and '>99%' below 1."""
    if x is None or not math.isfinite(x):
        return "–"
    text = f"{x:.0%}"
    if x > 0 and text == "0%":
        return "<1%"
    if x < 1 and text == "100%":
        return ">99%"
    return text


RATE_UNITS = {3: ("a quarter", "/quarter"), 6: ("a half-year", "/half-year"), 12: ("a year", "/year")}


def rate_unit(rules, short: bool = False) -> str:
    """The period a standing rate (a subsidy, a parent's funding) is set for: the level's
    first turn length, a quarter in the shipped levels; a longer turn later in the game pays
    in proportion. ``rules``: the game's rules, or a level's months in a turn."""
    months = int(getattr(rules, "months_per_turn", rules))
    words = RATE_UNITS.get(months, (f"every {months} months", f"/{months} months"))
    return words[1] if short else words[0]


def article(number: str) -> str:
    """'a' or 'an' before a number, as it is said: an 8, an 11, an 18, an 80-something."""
    return "an" if number.startswith("8") or number in ("11", "18") else "a"


def a_pct(x: float) -> str:
    """'a 50%', 'an 80%', 'an 8%', 'an 11%'."""
    text = pct(x)
    return f"{article(text.rstrip('%'))} {text}"


def num(x: float, digits: int = 2, signed: bool = False) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    return f"{x:+.{digits}f}" if signed else f"{x:.{digits}f}"


def flop(x: float) -> str:
    if x is None or not math.isfinite(x) or x <= 0:
        return "0 FLOP"
    exp = int(math.floor(math.log10(x)))
    return f"{x / 10 ** exp:.1f}e{exp} FLOP"


def quarter(date: str) -> str:
    """'2025-04' -> 'Q2 2025': the quarter a date falls in (a turn starts on one)."""
    try:
        year, month = date.split("-")[:2]
        return f"Q{(int(month) - 1) // 3 + 1} {year}"
    except (ValueError, AttributeError):
        return str(date)


NO_APPROVALS = 99  # a queue wait this long means the grid approves nothing at present


def turns(n: float) -> str:
    """A queue wait as a noun: "18 turns", or "no approvals" when the grid approves nothing."""
    if n is None or not math.isfinite(n):
        return "–"
    if n >= NO_APPROVALS:
        return "no approvals"
    n = max(0.0, n)
    return f"{n:.0f} turn{'s' * (round(n) != 1)}"


def wait(n: float) -> str:
    """A queue wait to follow "waits": "about 18 turns", or "indefinitely (...)"."""
    if n is not None and math.isfinite(n) and n >= NO_APPROVALS:
        return "indefinitely: the grid approves no new connections at present"
    return f"about {turns(n)}"


def queue(n: float) -> str:
    """A grid's queue in a label: "queue 18 turns", or "no approvals now"."""
    if n is not None and math.isfinite(n) and n >= NO_APPROVALS:
        return "no approvals now"
    return f"queue {turns(n)}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
