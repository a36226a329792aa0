"""The strip across the top: who you are, when it is, and your key figures with changes.

Drawn once a turn into a cached surface; every figure has a tooltip (a hotspot) that says
what it is and how it is computed.
"""

from __future__ import annotations

import pygame

from ...engine.step import BINDING
from .. import explain, fmt
from ..icons import icon
from ..textfit import fit
from ..theme import country_colour, font, palette


class BindingPill:
    """What held the player's lab back last turn, in red (or green when nothing did)."""

    def __init__(self, rect: pygame.Rect):
        self.rect = pygame.Rect(rect)
        self.surface: pygame.Surface | None = None
        self.tip = ""

    def refresh(self, session) -> None:
        p = palette()
        s = session.model.state
        name = BINDING[int(s.binding[0, session.slot])]
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        local = surf.get_rect()
        if s.turn == 0:
            colour, label = p.muted, "FIRST TURN: NOTHING BINDS YET"
            self.tip = "After each turn this names the constraint that held your lab back most."
        elif name == "none":
            colour, label = p.good, "NOTHING HELD YOU BACK"
            self.tip = explain.binding_tip(name) + "<br><br>Click to read last turn's report again."
        else:
            colour, label = p.bad, f"HELD BACK BY {explain.binding_name(name).upper()}"
            self.tip = explain.binding_tip(name) + "<br><br>Click to read last turn's report again."
        pygame.draw.rect(surf, (*colour[:3], 45), local, border_radius=9)
        pygame.draw.rect(surf, colour, local, 1, border_radius=9)
        surf.blit(icon("binding" if name != "none" or s.turn == 0 else "safety", 16), (8, (local.h - 16) // 2))
        txt = font(12, True).render(fit(label, font(12, True), local.w - 38), True, colour)
        surf.blit(txt, (30, (local.h - txt.get_height()) // 2))
        self.surface = surf

    def draw(self, surface) -> None:
        if self.surface is not None:
            surface.blit(self.surface, self.rect.topleft)


class TopBar:
    def __init__(self, rect: pygame.Rect):
        self.rect = pygame.Rect(rect)
        self.surface: pygame.Surface | None = None
        self.spots: list[tuple[pygame.Rect, object]] = []
        self.items: dict[str, pygame.Rect] = {}

    def refresh(self, session, room: int | None = None) -> None:
        """Draw the bar; its figures stay within ``room`` pixels (a team's clock may need the
        rest), set more compactly (smaller type, no changes beside the figures) if need be."""
        room = self.rect.w if room is None else room
        for compact in (False, True):
            end = self._render(session, compact)
            if end <= room:
                return

    def _render(self, session, compact: bool) -> int:
        p = palette()
        model = session.model
        rules, s, view = model.rules, model.state, session.view
        slot = session.slot
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        surf.fill(p.topbar)
        pygame.draw.line(surf, p.panel_edge, (0, self.rect.h - 1), (self.rect.w, self.rect.h - 1))
        self.spots = []
        self.items = {}
        history = session.history()
        me = rules.lab_ids[slot]
        prev = _row(history[-2], me) if len(history) >= 2 else None

        country = rules.country_ids[int(s.country[0, slot])]
        x = 12
        badge = pygame.Rect(x, 10, 8, self.rect.h - 20)
        pygame.draw.rect(surf, country_colour(country), badge, border_radius=3)
        name = font(15 if compact else 17, True).render(model.lab_name(slot), True, p.text_bright)
        surf.blit(name, (x + 16, 6))
        archetype = next((lab["archetype"] for lab in model.level.data["labs"] if lab["id"] == me), "")
        where = rules.country_names[int(s.country[0, slot])]
        sub = font(12).render(where if compact else f"{where} · {archetype.replace('_', ' ')}", True, p.muted)
        surf.blit(sub, (x + 16, 29))
        blurb = next((lab["blurb"] for lab in model.level.data["labs"] if lab["id"] == me), "")
        ident_w = max(name.get_width(), sub.get_width()) + 26
        self._spot(pygame.Rect(x, 4, ident_w, self.rect.h - 8), f"<b>{fmt.esc(model.lab_name(slot))}</b> (you)<br>{fmt.esc(blurb)}", "lab")
        x += ident_w + 4

        rank, alive = session.rank()
        cap = float(s.capability[0, slot])
        cash = float(s.cash[0, slot])
        h100e = float(view.h100e[0, slot])
        site = float(view.site_mw[0, slot])
        need = float(view.chip_mw[0, slot])
        # Power is what the chips drew last turn, out of the capacity the lab can use: a big
        # site with little delivered is idle or curtailed, not power the lab has.
        delivered = float(model.report.power_mw[0, slot]) if model.report is not None else None
        safety = float(s.safety[0, slot])
        safety_need = float(view.safety_needed[0, slot])
        figures = [
            ("date", "calendar", "TURN " + f"{s.turn + 1}/{rules.horizon}", fmt.quarter(rules.turn_date(s.turn)), None,
             explain.date_tip(model)),
            ("cash", "cash", "CASH", fmt.money(cash), _change(prev, "cash_usd", cash, lambda d: fmt.money(d, True)),
             explain.cash_tip(model, slot, view)),
            ("compute", "chip", "COMPUTE", fmt.count(h100e) + " H100e",
             _change(prev, "chips_h100e", h100e, lambda d: fmt.count(d, True)), explain.compute_tip(model, slot, view)),
            ("power", "power", "POWER USED/USABLE" if delivered is not None else "POWER USABLE",
             fmt.mw(site) if delivered is None else fmt.mw_of(delivered, site),
             None if need <= site * 1.001 or need == 0 else (f"need {fmt.mw(need)}", False),
             explain.power_tip(model, slot, view)),
            ("capability", "capability", "CAPABILITY", f"{cap:.2f}", _change(prev, "capability", cap, lambda d: f"{d:+.2f}"),
             explain.capability_tip(model, slot, view, _seen_frontier(session))),
            ("safety", "safety", "SAFETY", f"{safety:.2f}", (f"need {safety_need:.2f}", safety >= safety_need),
             explain.safety_tip(model, slot, view)),
            ("rank", "rank", "RANK", f"#{rank} of {alive}", None, explain.rank_tip(rank, alive)),
        ]
        cap_font, val_font, delta_font = font(11, True), font(15 if compact else 17, True), font(11, True)
        for key, icon_name, caption, value, change, tip in figures:
            ic = icon(icon_name, 22)
            surf.blit(ic, (x, (self.rect.h - 22) // 2))
            cx = x + 28
            cap = cap_font.render(caption, True, p.muted)
            surf.blit(cap, (cx, 5))
            # Chips needing more power than the lab can use: the figure itself turns amber (the
            # "need" beside it does not always fit).
            short = key == "power" and need > site * 1.001 and need > 0
            v = val_font.render(value, True, p.warn if short else p.text_bright)
            surf.blit(v, (cx, 18))
            width = max(v.get_width(), cap.get_width() - 8, 60)
            if change and not (compact and key in ("cash", "compute", "capability")):  # compact: changes in the tooltips
                text, good = change
                d = delta_font.render(text, True, p.good if good else p.bad)
                if cx + v.get_width() + 6 + d.get_width() < cx + 150:
                    surf.blit(d, (cx + v.get_width() + 6, 24))
                    width = v.get_width() + 6 + d.get_width()
            block = pygame.Rect(x - 4, 2, width + 36, self.rect.h - 4)
            self._spot(block, tip, key)
            x += width + 36
        self.surface = surf
        return x

    def _spot(self, local_rect, tip, key) -> None:
        r = local_rect.move(self.rect.x, self.rect.y)
        self.spots.append((r, tip))
        self.items[key] = r

    def draw(self, surface) -> None:
        if self.surface is not None:
            surface.blit(self.surface, self.rect.topleft)


def _seen_frontier(session):
    """The frontier as a fog-of-war team sees it (None: exact)."""
    seen = session.seen() if hasattr(session, "seen") else None
    if seen is None:
        return None
    alive = session.model.state.alive[0]
    return float(max(v for v, a in zip(seen["capability"], alive) if a))


def _row(columns, lab):
    for i, name in enumerate(columns["lab"]):
        if name == lab:
            return {k: v[i] for k, v in columns.items()}
    return None


def _change(prev, key, now, form):
    if prev is None:
        return None
    d = now - float(prev[key])
    if abs(d) < 1e-9:
        return None
    return form(d), d >= 0
