"""The ledger: sortable tables of every lab, government and grid."""

from __future__ import annotations

import math

import pygame

from .. import fmt
from ..facts import government_rows, grid_rows, lab_rows
from ..widgets.table import Column, SortableTable
from .base import Overlay

TABLES = ("labs", "governments", "grids")


def _cap(v):
    return "–" if not math.isfinite(v) else f"{v:.2f}"


def _or_unknown(show):
    """A rival's figure a fog-of-war team's intelligence does not cover is None: '?'."""
    return lambda v: "?" if v is None else show(v)


def columns(kind: str, rules) -> list[Column]:
    if kind == "labs":
        return [
            Column("name", "Lab", 190, str, "The labs in the race; yours is highlighted.", left=True),
            Column("country", "Country", 70, str, "Home country: its export controls, grids and government apply."),
            Column("capability", "Capability", 90, _cap, "Best model: log10 of effective training compute. What AGI takes is unknown until someone gets there."),
            Column("compute", "Compute", 90, fmt.count, "Chips owned, in H100-equivalents of training performance."),
            Column("power", "Power", 80, _or_unknown(fmt.mw), "Usable data-centre capacity: built and connected (or on-site powered)."),
            Column("cash", "Cash", 80, fmt.money, "Cash in the bank now."),
            Column("revenue", "Revenue", 80, _or_unknown(fmt.money), "Revenue last turn (after partners' cut)."),
            Column("share", "Share", 64, fmt.pct, "Share of all AI use last turn."),
            Column("safety", "Safety", 64, lambda v: f"{v:.2f}", "Safety stock: each milestone's passage is a gamble on it."),
            Column("talent", "Talent", 64, _or_unknown(lambda v: f"{v:.2f}"), "Research talent (1.0 is a strong frontier team)."),
            Column("open", "Model", 64, str, "Whether its current model is open weights."),
            Column("binding", "Held back by", 120, str, "What held the lab back most last turn.", left=True),
        ]
    if kind == "governments":
        return [
            Column("name", "Government", 180, str, "The governments and their policy levers.", left=True),
            Column("tier", "Export tier", 90, str, "Export-control tier (0 none to 3 strictest) on the chips it produces."),
            Column("enforcement", "Enforcement", 100, fmt.pct, "Share of smuggling that enforcement stops."),
            Column("subsidy", "Subsidy", 90, fmt.money, f"AI subsidies {fmt.rate_unit(rules)}, shared among its labs "
                   "(champions get more); a longer turn pays in proportion."),
            Column("permitting", "Permitting", 90, lambda v: f"×{v:.1f}", "Speed of grid approvals (×1 is the level's pace)."),
            Column("regulation", "Regulation", 90, fmt.pct, "Safety regulation: a drag on training and a floor on safety research."),
            Column("pool", "Pooled", 80, fmt.pct, "Share of its other labs' compute it pools in one lab (a national compute pool)."),
            Column("share", "Compute share", 110, fmt.pct, "Its labs' share of the world's AI compute."),
            Column("project", "National project", 120, str, "Whether its national compute project has started."),
            Column("ban", "Mineral ban", 90, str, "Whether it bans critical-mineral exports in retaliation."),
        ]
    return [
        Column("name", "Grid", 210, str, "Regional power grids.", left=True),
        Column("country", "Country", 70, str, "Where it is."),
        Column("capacity", "Firm capacity", 110, fmt.mw, "Generation it can count on."),
        Column("demand", "Other demand", 110, fmt.mw, "Demand other than AI data centres; grows each year."),
        Column("stress", "Stress", 70, fmt.pct, "Demand plus data centres over firm capacity; over 100% curtails."),
        Column("price", "Price", 80, lambda v: f"${v:.0f}/MWh", "Wholesale price: climbs steeply above 90% stress."),
        Column("curtail", "Curtailed", 80, fmt.pct, "Share of data-centre load cut last turn."),
        Column("wait", "Queue wait", 90, fmt.turns, "Turns a new interconnection request waits at the current pace."),
        Column("pipeline", "Being built", 100, fmt.mw, "Firm generation under construction."),
        Column("yours", "Yours", 80, fmt.mw, "Your data centres built on this grid."),
    ]


class LedgerScreen(Overlay):
    name = "ledger"

    def __init__(self, app, kind: str = "labs"):
        super().__init__(app)
        self.kind = kind
        self.table = None
        self.keys = {pygame.K_ESCAPE: self.close, pygame.K_l: self.close, pygame.K_TAB: self.next_table,
                     pygame.K_1: lambda: self.show("labs"), pygame.K_2: lambda: self.show("governments"),
                     pygame.K_3: lambda: self.show("grids")}

    def build(self) -> None:
        w, h = self.app.size
        self.card(min(1180, w - 40), h - 60)
        r = self.rect
        self.label((r.x + 24, r.y + 16, 300, 34), "Ledger", object_id="#heading")
        note = "Click a column to sort it; hover a heading for what it means. Tab switches tables."
        if getattr(self.app.session, "fogged", False):
            note = (f"Fog of war: rivals marked ≈ are estimates (typical error {self.app.session.noise():.0%}); ? is unknown. "
                    "Click a column to sort it.")
        self.label((r.x + 24, r.y + 50, r.w - 48, 20), note, object_id="#muted")
        self.tab_buttons = {}
        for i, kind in enumerate(TABLES):
            self.tab_buttons[kind] = self.button((r.right - 24 - (3 - i) * 140, r.y + 20, 132, 32), kind.capitalize(),
                                                 lambda k=kind: self.show(k), object_id="#choice", tip=f"Key {i + 1}")
        self.close_button = self.button((r.right - 140, r.bottom - 54, 120, 40), "Close", self.close, tip="Back (Esc).")
        self.table_rect = pygame.Rect(r.x + 20, r.y + 84, r.w - 40, r.h - 150)
        self.show(self.kind)

    def show(self, kind: str) -> None:
        self.kind = kind
        if self.table is not None:
            self.table.kill()
        session = self.app.session
        rows = {"labs": lab_rows, "governments": government_rows, "grids": grid_rows}[kind](session)
        sort = {"labs": "capability", "governments": "share", "grids": "stress"}[kind]
        self.table = SortableTable(self, self.table_rect, columns(kind, session.model.rules), rows, sort)
        for k, b in self.tab_buttons.items():
            b.select() if k == kind else b.unselect()

    def next_table(self) -> None:
        self.show(TABLES[(TABLES.index(self.kind) + 1) % len(TABLES)])

    def close(self) -> None:
        self.app.pop(self)
