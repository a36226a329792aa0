"""Pages to print: the look shared by the debrief report, the handouts and comparisons, and
turning an HTML page into a PDF with a headless Chromium when one is installed.

The colours are the game's (``colours.py``); a page is A4 with margins a printer keeps;
headings stay with what follows them, and tables, charts and questions are never split
across pages.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from .colours import palette

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge")


def e(text) -> str:
    """Text from a level, a save or a player, shown as text: never as markup."""
    return html.escape(str(text), quote=True)


def css() -> str:
    """The stylesheet of every printed page."""
    p = palette()
    return f"""
:root {{ --us: {p['us']}; --cn: {p['cn']}; --accent: {p['accent_dark']}; --good: #2e8b3d; --bad: #b3261e; }}
body {{ font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 2em auto; max-width: 60em; color: #1b1f24;
        line-height: 1.45; font-size: 11pt; }}
h1 {{ font-size: 1.7em; margin: 0 0 .2em; }} h2 {{ border-bottom: 2px solid var(--accent); padding-bottom: .2em; margin-top: 1.6em; }}
h3 {{ margin: 1em 0 .3em; }} .meta, .small {{ color: #555; }} .small {{ font-size: .88em; }}
table {{ border-collapse: collapse; margin: .6em 0; font-size: .95em; width: 100%; }}
th, td {{ padding: .3em .6em; border-bottom: 1px solid #ccc; text-align: left; vertical-align: top; }}
th {{ background: #f2f4f7; }} td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.us {{ color: var(--us); }} .cn {{ color: var(--cn); }} .swatch {{ display: inline-block; width: .9em; height: .9em;
        border-radius: 2px; vertical-align: -.1em; margin-right: .3em; }}
.box {{ border: 1px solid #bbb; border-radius: 6px; padding: .6em .9em; margin: .6em 0; }}
.lines {{ border-bottom: 1px solid #999; height: 2.1em; }} .write {{ margin: .3em 0 .8em; }}
.keep, table, figure, .question, li.question, .card, .box {{ break-inside: avoid; page-break-inside: avoid; }}
h1, h2, h3, h4 {{ break-after: avoid; page-break-after: avoid; }}
.page {{ break-before: page; page-break-before: always; }}
img {{ max-width: 100%; }} figure {{ margin: .6em 0; }} figcaption {{ font-size: .9em; color: #444; }}
@page {{ size: A4; margin: 16mm 14mm; }}
@media print {{ body {{ margin: 0; max-width: none; }} a {{ color: inherit; text-decoration: none; }} .screen-only {{ display: none; }} }}
"""


def page(title: str, body: str) -> str:
    """A whole, self-contained HTML page."""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>"
            f"<style>{css()}</style></head><body>{body}</body></html>\n")


def find_browser() -> str | None:
    """A Chromium-family browser that can print to PDF headless, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def print_pdf(html_path: Path, pdf_path: Path, browser: str | None = None, timeout: float = 120.0) -> bool:
    """Print ``html_path`` to ``pdf_path`` with a headless browser; False when it could not."""
    browser = browser or find_browser()
    if browser is None:
        return False
    pdf_path = Path(pdf_path).resolve()
    command = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer",
               "--print-to-pdf-no-header", f"--print-to-pdf={pdf_path}", Path(html_path).resolve().as_uri()]
    try:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return pdf_path.is_file() and pdf_path.stat().st_size > 0
