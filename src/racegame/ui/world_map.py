"""The world map: the US and China, their grids coloured by stress, data centres, chip
flows and the export-control barrier between them.

Positions come from the level (grid x, y in 0..1). Country shapes are simplified outlines
in longitude/latitude, fitted into the part of the map where the level puts each
country's grids, so a level's coordinates and the drawing agree. The static layer is
drawn once a turn; only the moving chip shipments are drawn every frame.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from ..engine.chips import smuggled_share
from . import fmt
from .theme import blend, font, lab_colours, palette, stress_colour

# Simplified outlines (longitude, latitude); enough to recognise, not to navigate by.
US_OUTLINE = [
    (-124.7, 48.4), (-123.0, 49.0), (-95.2, 49.0), (-89.6, 48.0), (-84.6, 46.5), (-82.4, 43.0), (-79.0, 43.3),
    (-76.5, 44.2), (-74.9, 45.0), (-71.5, 45.0), (-70.0, 46.7), (-67.8, 47.1), (-67.0, 44.8), (-70.6, 43.0),
    (-70.0, 41.8), (-73.9, 40.6), (-75.5, 39.0), (-76.0, 37.0), (-75.7, 35.3), (-78.5, 33.8), (-81.0, 31.5),
    (-80.1, 27.0), (-80.4, 25.2), (-81.7, 25.9), (-82.8, 28.0), (-82.7, 29.9), (-84.5, 30.0), (-86.0, 30.4),
    (-89.6, 30.2), (-89.4, 29.0), (-91.0, 29.2), (-94.0, 29.6), (-97.2, 27.6), (-97.4, 26.0), (-99.2, 26.6),
    (-100.5, 28.3), (-101.4, 29.8), (-103.0, 29.0), (-104.5, 29.7), (-106.5, 31.8), (-108.2, 31.3), (-111.0, 31.3),
    (-114.8, 32.5), (-117.1, 32.5), (-118.5, 34.0), (-120.6, 34.6), (-121.9, 36.6), (-122.5, 37.8), (-123.7, 39.0),
    (-124.4, 40.4), (-124.1, 42.0), (-124.0, 46.3),
]
CN_OUTLINE = [
    (73.5, 39.5), (75.0, 37.3), (78.0, 35.5), (79.5, 32.5), (78.8, 31.0), (81.0, 30.2), (85.0, 28.3), (88.0, 27.9),
    (92.0, 27.8), (97.0, 28.2), (98.5, 25.5), (97.6, 23.9), (99.5, 22.1), (101.6, 21.2), (103.5, 22.6), (106.5, 22.2),
    (108.0, 21.6), (110.3, 20.3), (112.0, 21.8), (114.0, 22.3), (116.5, 22.9), (119.0, 25.0), (120.0, 26.8),
    (121.9, 29.9), (121.0, 30.8), (121.9, 31.8), (120.5, 33.5), (119.2, 35.0), (120.5, 36.5), (122.5, 37.4),
    (121.0, 37.8), (119.0, 37.2), (118.0, 38.3), (117.7, 39.0), (119.5, 39.8), (121.5, 40.8), (124.3, 40.0),
    (126.5, 41.7), (128.2, 42.0), (130.5, 42.5), (131.2, 44.9), (133.1, 45.1), (134.7, 48.3), (132.5, 47.7),
    (130.9, 48.9), (127.5, 49.8), (125.9, 52.9), (123.5, 53.5), (120.8, 53.3), (119.7, 51.6), (117.8, 49.5),
    (116.7, 49.9), (115.5, 48.1), (116.1, 47.0), (111.9, 45.1), (111.0, 43.5), (107.5, 42.4), (105.0, 41.6),
    (100.8, 42.6), (96.3, 42.7), (95.3, 44.2), (90.8, 45.3), (90.1, 47.8), (87.8, 49.1), (85.7, 47.1), (82.5, 45.5),
    (80.2, 44.9), (80.3, 42.4), (76.8, 41.0),
]
TAIWAN = [(120.1, 23.0), (120.7, 22.0), (121.5, 23.5), (122.0, 25.0), (121.5, 25.3), (120.6, 24.4)]
# Where each outline sits on the map (x0, y0, x1, y1 in 0..1) and the lon/lat box it fills.
PLACES = {
    "us": ((0.03, 0.12, 0.47, 0.86), (-125.0, 24.5, -66.5, 49.5), US_OUTLINE),
    "cn": ((0.54, 0.08, 0.97, 0.90), (73.0, 18.0, 135.5, 53.8), CN_OUTLINE),
}
BARRIER_X = 0.505
# Where each country's chips come from (lon, lat) and what to call it on the map.
FABS = {"us": ((-111.9, 33.4), "US chip supply"), "cn": ((113.5, 23.2), "Domestic chips")}


def _project(points, place, rect):
    (x0, y0, x1, y1), (lon0, lat0, lon1, lat1), _ = place
    out = []
    for lon, lat in points:
        fx = x0 + (lon - lon0) / (lon1 - lon0) * (x1 - x0)
        fy = y0 + (lat1 - lat) / (lat1 - lat0) * (y1 - y0)
        out.append((rect.x + fx * rect.w, rect.y + fy * rect.h))
    return out


class WorldMap:
    def __init__(self, rect: pygame.Rect):
        self.rect = pygame.Rect(rect)
        self._static: pygame.Surface | None = None
        self.session = None
        self.flows: list[dict] = []
        self.spots: list[tuple[pygame.Rect, str]] = []
        self.grid_points: dict[int, tuple[int, int]] = {}

    def set_rect(self, rect) -> None:
        self.rect = pygame.Rect(rect)
        self._static = None

    def refresh(self, session) -> None:
        """New turn (or new layout): rebuild the static layer, flows and tooltips."""
        self.session = session
        self._static = None
        self._build()

    # -- building -----------------------------------------------------------------------------------
    def _point(self, n):
        rules = self.session.model.rules
        return (int(self.rect.x + float(rules.grid_x[n]) * self.rect.w), int(self.rect.y + float(rules.grid_y[n]) * self.rect.h))

    def _build(self) -> None:
        p = palette()
        model = self.session.model
        rules, s, view = model.rules, model.state, self.session.view
        rect = self.rect
        surf = pygame.Surface(rect.size, pygame.SRCALPHA)
        local = pygame.Rect(0, 0, *rect.size)
        pygame.draw.rect(surf, p.ocean, local, border_radius=10)
        for k in range(1, 8):  # graticule: a map, not a diagram
            x = local.w * k / 8
            pygame.draw.line(surf, p.ocean_line, (x, 6), (x, local.h - 6))
        for k in range(1, 5):
            y = local.h * k / 5
            pygame.draw.line(surf, p.ocean_line, (6, y), (local.w - 6, y))
        origin = pygame.Rect(0, 0, rect.w, rect.h)
        label_font = font(max(12, rect.h // 26), True)
        for cid, place in PLACES.items():
            if cid not in rules.country_ids:
                continue
            pts = _project(place[2], place, origin)
            land = p.us_land if cid == "us" else p.cn_land
            edge = p.us_edge if cid == "us" else p.cn_edge
            pygame.draw.polygon(surf, land, pts)
            pygame.draw.lines(surf, edge, True, pts, 2)
            name = rules.country_names[rules.country_ids.index(cid)].upper()
            img = label_font.render(name, True, blend(edge, (255, 255, 255), 0.25))
            (x0, y0, x1, y1) = place[0]
            # Labels sit in the empty south-west corner of each outline, clear of grids and the barrier.
            surf.blit(img, (int((x0 + 0.03) * rect.w), int((y1 - 0.16) * rect.h)))
        if "cn" in PLACES:
            tw = _project(TAIWAN, PLACES["cn"], origin)
            pygame.draw.polygon(surf, p.other_land, tw)
            pygame.draw.lines(surf, p.faint, True, tw, 1)
        self.spots = []
        self._draw_barrier(surf, origin)
        self.grid_points = {n: self._point(n) for n in range(len(rules.grid_ids))}
        caps = np.asarray(s.capacity[0], dtype=float)
        biggest = float(caps.max()) if caps.size else 1.0
        colours = lab_colours([rules.country_ids[int(c)] for c in s.country[0]])
        small = font(11)
        name_font = font(12, True)
        for n, (gx, gy) in self.grid_points.items():
            lx, ly = gx - rect.x, gy - rect.y
            stress = float(view.stress[0, n])
            radius = int(9 + 13 * math.sqrt(max(caps[n], 0.0) / max(biggest, 1.0)))
            colour = stress_colour(stress)
            glow = pygame.Surface((radius * 4, radius * 4), pygame.SRCALPHA)
            pygame.draw.circle(glow, (*colour[:3], 50), (radius * 2, radius * 2), radius * 2)
            surf.blit(glow, (lx - radius * 2, ly - radius * 2))
            pygame.draw.circle(surf, colour, (lx, ly), radius)
            pygame.draw.circle(surf, (10, 16, 22), (lx, ly), radius, 2)
            pct = small.render(f"{stress * 100:.0f}%", True, (10, 16, 22))
            surf.blit(pct, (lx - pct.get_width() // 2, ly - pct.get_height() // 2))
            short = rules.grid_names[n].split(" (")[0]
            img = name_font.render(short, True, p.text_bright)
            surf.blit(img, (lx - img.get_width() // 2, ly - radius - img.get_height() - 2))
            self._draw_sites(surf, n, lx, ly, radius, colours)
            self.spots.append((pygame.Rect(gx - radius, gy - radius, radius * 2, radius * 2), self._grid_tip(n)))
        self._draw_sources(surf)
        self._draw_legend(surf, local)
        self._static = surf
        self._build_flows()

    def _draw_sites(self, surf, n, lx, ly, radius, colours) -> None:
        """Data centres on grid n: a square per lab, sized by MW; hollow while being built."""
        p = palette()
        model = self.session.model
        s, view = model.state, self.session.view
        me = self.session.slot
        sites = []
        for slot in np.flatnonzero(s.alive[0]):
            built = float(s.built[0, slot, n])
            building = float(view.building_mw[0, slot, n])
            if built > 0 or building > 0:
                sites.append((slot != me, -built, int(slot), built, building))
        sites.sort()
        x = lx - (len(sites) * 13) // 2
        y = ly + radius + 5
        for _, _, slot, built, building in sites:
            side = int(min(14, 5 + math.sqrt(max(built, building)) / 3.5))
            colour = p.accent if slot == me else colours[slot]
            box = pygame.Rect(x, y + (14 - side) // 2, side, side)
            if built > 0:
                pygame.draw.rect(surf, colour, box, border_radius=2)
                if slot == me:
                    pygame.draw.rect(surf, (255, 255, 255), box.inflate(2, 2), 1, border_radius=3)
            else:
                pygame.draw.rect(surf, colour, box, 1, border_radius=2)
            name = model.lab_name(slot)
            tip = (f"<b>{fmt.esc(name)}</b>{' (you)' if slot == me else ''}: data centre in "
                   f"{fmt.esc(model.rules.grid_names[n])}<br>Built: {fmt.mw(built)}; under construction: {fmt.mw(building)}")
            self.spots.append((box.move(self.rect.x, self.rect.y).inflate(4, 4), tip))
            x += max(side, 8) + 5

    def _draw_barrier(self, surf, origin) -> None:
        p = palette()
        model = self.session.model
        rules, s = model.rules, model.state
        if "us" not in rules.country_ids or "cn" not in rules.country_ids:
            return
        us = rules.country_ids.index("us")
        cn = rules.country_ids.index("cn")
        tier = int(s.export_tier[0, us])
        enforcement = float(s.enforcement[0, us])
        x = int(BARRIER_X * origin.w)
        top, bottom = int(0.16 * origin.h), int(0.86 * origin.h)
        if tier > 0:
            width = 2 + 2 * tier
            colour = (*p.barrier[:3], int(90 + 150 * enforcement))
            layer = pygame.Surface(origin.size, pygame.SRCALPHA)
            y = top
            while y < bottom:
                pygame.draw.rect(layer, colour, (x - width // 2, y, width, 14), border_radius=2)
                y += 20
            surf.blit(layer, (0, 0))
        label = font(12, True).render(f"EXPORT CONTROLS · TIER {tier}", True, p.barrier if tier else p.muted)
        sub = font(11).render(f"enforcement {enforcement:.0%}", True, p.muted)
        surf.blit(label, (x - label.get_width() // 2, top - 34))
        surf.blit(sub, (x - sub.get_width() // 2, top - 18))
        controlled = [rules.chip_names[k] for k in range(len(rules.chip_ids))
                      if rules.chip_control_tier[k] > 0 and tier >= rules.chip_control_tier[k] and rules.chip_producer[k] == us]
        leak = smuggled_share(rules.c, enforcement)
        tip = (f"<b>US export controls: tier {tier}</b> (0 none … 3 strictest), enforcement {enforcement:.0%}.<br>"
               f"Controlled for Chinese labs: {fmt.esc(', '.join(controlled)) if controlled else 'nothing'}.<br>"
               f"Smugglers can divert about {leak:.1%} of a controlled class's output through third countries, at a "
               f"premium of {rules.c['smuggle_premium']:.0%} or more that rises when Chinese labs want more. Higher tiers also "
               f"cut China's own chips off allied HBM and slow its chip-making tools.")
        if s.retaliation[0, cn]:
            tip += "<br><b>China's critical-mineral ban</b> raises US chip costs."
            badge = font(11, True).render("MINERAL BAN", True, p.cn)
            surf.blit(badge, (x + 8, bottom - 14))
        self.spots.append((pygame.Rect(self.rect.x + x - 14, self.rect.y + top - 36, 28, bottom - top + 36), tip))
        self.spots.append((pygame.Rect(self.rect.x + x - label.get_width() // 2, self.rect.y + top - 36,
                                       label.get_width(), 36), tip))

    def _draw_sources(self, surf) -> None:
        from .icons import icon

        p = palette()
        rules = self.session.model.rules
        for c, cid in enumerate(rules.country_ids):
            if cid not in FABS or cid not in PLACES:
                continue
            x, y = self._source(c)
            x, y = x - self.rect.x, y - self.rect.y
            ic = icon("chip", 18)
            pygame.draw.circle(surf, (10, 16, 22), (x, y), 12)
            pygame.draw.circle(surf, p.flow, (x, y), 12, 1)
            surf.blit(ic, (x - 9, y - 9))
            img = font(11).render(FABS[cid][1], True, p.flow)
            surf.blit(img, (x - img.get_width() // 2, y + 14))
            producer = [rules.chip_names[k].split(" (")[0] for k in range(len(rules.chip_ids)) if rules.chip_producer[k] == c]
            self.spots.append((pygame.Rect(self.rect.x + x - 14, self.rect.y + y - 14, 28, 28),
                               f"<b>{FABS[cid][1]}</b>: {fmt.esc(', '.join(producer))}.<br>Chips ship from here to the labs that buy "
                               "them; arcs that cross the red wall carry chips past export controls."))

    def _draw_legend(self, surf, local) -> None:
        p = palette()
        small = font(11)
        items = [(p.grid_ok, "room"), (p.grid_tight, "tight"), (p.grid_strained, "strained"), (p.grid_over, "over capacity")]
        x, y = 12, local.h - 22
        img = small.render("Grid stress:", True, p.muted)
        surf.blit(img, (x, y))
        x += img.get_width() + 6
        for colour, text in items:
            pygame.draw.circle(surf, colour, (x + 5, y + 8), 5)
            img = small.render(text, True, p.muted)
            surf.blit(img, (x + 13, y))
            x += img.get_width() + 24
        x += 6
        mine = self.session.slot is not None
        pygame.draw.rect(surf, p.accent if mine else p.faint, (x, y + 3, 10, 10), border_radius=2)
        img = small.render("your data centres (hollow: being built)" if mine else "data centres (hollow: being built)",
                           True, p.muted)
        surf.blit(img, (x + 14, y))
        x += img.get_width() + 26
        pygame.draw.line(surf, p.flow, (x, y + 8), (x + 18, y + 8), 2)
        img = small.render("chips shipped", True, p.muted)
        surf.blit(img, (x + 22, y))

    def _grid_tip(self, n) -> str:
        model = self.session.model
        rules, s, view = model.rules, model.state, self.session.view
        me = self.session.slot
        lines = [f"<b>{fmt.esc(rules.grid_names[n])}</b>",
                 f"Stress {float(view.stress[0, n]):.0%} (demand and data centres over firm capacity; above 90% prices "
                 f"climb, above 100% data centres are curtailed)",
                 f"Firm capacity {fmt.mw(float(s.capacity[0, n]))}; other demand {fmt.mw(float(s.demand[0, n]))}",
                 f"Price ${float(s.price[0, n]):.0f}/MWh; curtailment {float(s.curtail[0, n]):.0%}",
                 f"Queue: a new connection waits {fmt.wait(float(view.queue_wait[0, n]))}; "
                 f"new generation under construction {fmt.mw(float(view.pipeline_mw[0, n]))}"]
        mine = float(s.built[0, me, n]) if me is not None else 0.0
        if me is not None and (mine > 0 or float(s.queued[0, me, n]) > 0):
            lines.append(f"Yours: {fmt.mw(mine)} built, {fmt.mw(float(min(s.built[0, me, n], s.approved[0, me, n])))} "
                         f"connected, {fmt.mw(float(s.queued[0, me, n]))} in the queue")
        return "<br>".join(lines)

    def _build_flows(self) -> None:
        """Chip shipments of the last turn, from each producer to the grids of the labs that bought."""
        self.flows = []
        model = self.session.model
        rep = model.report
        if rep is None:
            return
        rules, s, view = model.rules, model.state, self.session.view
        bought = np.asarray(rep.chips_bought[0])  # (L, K)
        if bought.size == 0:
            return
        totals: dict[tuple[int, int], list] = {}
        for slot in np.flatnonzero(bought.sum(axis=1) > 0):
            sites = s.built[0, slot]
            grid = int(np.argmax(sites)) if sites.sum() > 0 else None
            if grid is None:
                continue
            for k in np.flatnonzero(bought[slot] > 0):
                key = (int(rules.chip_producer[k]), grid)
                entry = totals.setdefault(key, [0.0, False])
                entry[0] += float(bought[slot, k] * rules.chip_perf_train[k])
                entry[1] = entry[1] or bool(view.controlled[0, slot, k])
        for (producer, grid), (h100e, smuggled) in totals.items():
            start = self._source(producer)
            end = self.grid_points[grid]
            self.flows.append({"start": start, "end": end, "h100e": h100e, "smuggled": smuggled,
                               "dots": int(min(6, 1 + math.log10(max(h100e, 10.0)) - 2))})

    def _source(self, country: int):
        """Where a country's chips enter the map: its chip makers, on its own side of the barrier."""
        rules = self.session.model.rules
        cid = rules.country_ids[country]
        if cid in FABS and cid in PLACES:
            x, y = _project([FABS[cid][0]], PLACES[cid], self.rect)[0]
            return int(x), int(y)
        grids = [n for n in range(len(rules.grid_ids)) if rules.grid_country[n] == country]
        if not grids:
            return self.rect.center
        xs = [self.grid_points[n][0] for n in grids]
        ys = [self.grid_points[n][1] for n in grids]
        return int(sum(xs) / len(xs)), int(max(ys) + 0.08 * self.rect.h)

    # -- drawing -------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, t: float) -> None:
        if self.session is None:
            return
        if self._static is None:
            self._build()
        surface.blit(self._static, self.rect.topleft)
        p = palette()
        for f in self.flows:
            (x0, y0), (x1, y1) = f["start"], f["end"]
            mx, my = (x0 + x1) / 2, min(y0, y1) - 0.18 * self.rect.h
            colour = p.flow_smuggled if f["smuggled"] else p.flow
            curve = [((1 - u) ** 2 * x0 + 2 * (1 - u) * u * mx + u**2 * x1, (1 - u) ** 2 * y0 + 2 * (1 - u) * u * my + u**2 * y1)
                     for u in (i / 16 for i in range(17))]
            pygame.draw.aalines(surface, blend(colour, p.ocean, 0.55), False, curve)
            for k in range(f["dots"]):
                u = (t * 0.35 + k / max(f["dots"], 1)) % 1.0
                x = (1 - u) ** 2 * x0 + 2 * (1 - u) * u * mx + u**2 * x1
                y = (1 - u) ** 2 * y0 + 2 * (1 - u) * u * my + u**2 * y1
                pygame.draw.circle(surface, colour, (int(x), int(y)), 3)

    def flow_tip(self) -> str:
        if not self.flows:
            return ""
        rules = self.session.model.rules
        lines = ["<b>Chips shipped last turn</b> (H100-equivalents)"]
        for f in sorted(self.flows, key=lambda f: -f["h100e"]):
            grid = min(self.grid_points, key=lambda n: abs(self.grid_points[n][0] - f["end"][0]) + abs(self.grid_points[n][1] - f["end"][1]))
            extra = " (smuggled past controls)" if f["smuggled"] else ""
            lines.append(f"to {fmt.esc(rules.grid_names[grid])}: {fmt.count(f['h100e'])}{extra}")
        return "<br>".join(lines)
