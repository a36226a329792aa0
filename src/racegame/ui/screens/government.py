"""A government team's desk: its policy levers, each explained, and the world it governs.

The levers edit the team's ``GovPlan`` (export-control tier and enforcement, the
critical-mineral ban, subsidies, permitting, safety regulation, the national compute
project). Each says what it does now and whom it affects; the map and charts are the same
world view as a lab team's, seen from the country (its own labs exactly, foreign labs
through fog in a fog-of-war game).
"""

from __future__ import annotations

import html
import math

import numpy as np
import pygame
import pygame_gui

from ...engine.chips import smuggled_share
from ...engine.diplomacy import paused_alone
from ...engine.research import pool_recipient
from ...engine.step import BINDING
from ...player import gov_plan_from_state
from .. import chart_data, fmt
from ..diplomacy_facts import MOVE_FIELDS, diplomacy_effects, diplomacy_tips, gives_notice, move_options, standing_html
from ..explain import binding_name
from ..icons import icon
from ..theme import country_colour, font, palette
from ..textfit import fit
from ..widgets.levers import ROW, ChoiceLever, SliderLever, TabbedLevers, ToggleLever
from ..widgets.team_clock import TeamClock
from . import hotseat
from .base import Hotspot
from .desk import DeskScreen, layout

GOV_TABS = (("trade", "Chips & trade"), ("industry", "Industry & safety"), ("diplomacy", "Diplomacy"))


def _controlled_names(rules, gov: int, tier: int, only_new: bool = False) -> list[str]:
    names = []
    for k in range(len(rules.chip_ids)):
        t = int(rules.chip_control_tier[k])
        if rules.chip_producer[k] == gov and t > 0 and (t == tier if only_new else t <= tier):
            names.append(rules.chip_names[k].split(" (")[0].replace("-class", ""))
    return names


def pool_effect(model, plan, g: int) -> tuple[str, bool]:
    """What pooling ``plan.pool`` of government g's other labs' compute would move now, and to whom."""
    s, rules = model.state, model.rules
    share = min(max(plan.pool, 0.0), float(rules.gov_pool_max[g]))
    to, has = pool_recipient(s, rules, g)
    if not has[0]:
        return "You have no lab to pool compute in.", False
    to = int(to[0])
    givers = [k for k in np.flatnonzero((s.country[0] == g) & s.alive[0]) if k != to]
    if not givers:
        return f"{model.lab_name(to)} is your only lab: nothing to pool.", False
    h100e = model.state.chips[0] @ rules.chip_perf_train
    moved = share * float(sum(h100e[k] for k in givers))
    if share <= 0:
        return f"No pool. It would go to {model.lab_name(to)}.", False
    return (f"{model.lab_name(to)} gets ~{fmt.count(moved)} H100e from {len(givers)} lab{'s' * (len(givers) != 1)}, "
            f"each giving {share:.0%}", False)


class GovPanel(TabbedLevers):
    """The policy levers in two tabs, with a summary of what changes this turn."""

    SUMMARY_H = 112

    def __init__(self, screen, rect: pygame.Rect):
        self.screen = screen
        self.manager = screen.manager
        self.rect = pygame.Rect(rect)
        self.levers: dict[str, object] = {}
        self.who: dict[str, pygame_gui.elements.UILabel] = {}
        self.tab_buttons: dict[str, pygame_gui.elements.UIButton] = {}
        self.tab_panels: dict[str, pygame_gui.elements.UIPanel] = {}
        self.current = "trade"
        self._dirty = True

    @property
    def classroom(self):
        return self.screen.app.session

    @property
    def plan(self):
        return self.classroom.plan

    @property
    def index(self) -> int:
        return self.classroom.model.rules.country_ids.index(self.classroom.active.seat)

    # -- building ------------------------------------------------------------------------------
    def build(self) -> None:
        m, r = self.manager, self.rect
        self.panel = pygame_gui.elements.UIPanel(r, 1, m, object_id="#card")
        x0, w = 12, r.w - 24
        tab_w = (w - 4) // len(GOV_TABS)
        for i, (key, text) in enumerate(GOV_TABS):
            self.tab_buttons[key] = self.screen.button((x0 + i * (tab_w + 4), 10, tab_w, 30), text, lambda k=key: self.select(k),
                                                       tip=f"{text} (key {i + 1})", object_id="#tab", container=self.panel)
        content_h = r.h - 50 - self.SUMMARY_H
        self._content = pygame.Rect(6, 4, r.w - 26, content_h)
        self._filled: set[str] = set()
        rules = self.classroom.model.rules
        self.targets = [rules.country_names[c] for c in np.flatnonzero(rules.controls[self.index])]
        for key, _ in GOV_TABS:
            self.tab_panels[key] = pygame_gui.elements.UIPanel(pygame.Rect(6, 46, r.w - 14, content_h), 1, m,
                                                               container=self.panel, object_id="#invisible")
        self._build_summary(pygame.Rect(x0, r.h - self.SUMMARY_H, w, self.SUMMARY_H - 10))
        self.rects = {"tabs": pygame.Rect(r.x + x0, r.y + 10, w, 30), "levers": pygame.Rect(r.x + 6, r.y + 46, r.w - 12, content_h),
                      "summary": pygame.Rect(r.x + x0, r.bottom - self.SUMMARY_H, w, self.SUMMARY_H - 10)}
        self.select(self.current)
        self.refresh(force=True)

    def _who(self, panel, y, w, key, text) -> int:
        shown = fit(text, font(13), w - 8)
        label = pygame_gui.elements.UILabel(pygame.Rect(6, y - 2, w, 18), shown, self.manager, container=panel,
                                            object_id="#muted")
        if shown != text:
            label.set_tooltip(fmt.esc(text), wrap_width=340)
        self.who[key] = label
        return y + 24

    def _section(self, panel, y, text) -> int:
        pygame_gui.elements.UILabel(pygame.Rect(6, y, 380, 18), text, self.manager, container=panel, object_id="#section")
        return y + 20

    def _build_trade(self, panel, box) -> None:
        classroom, plan, w = self.classroom, self.plan, box.w
        rules = classroom.model.rules
        g = self.index
        whom = " and ".join(self.targets) if self.targets else "no country in this scenario"
        y = self._section(panel, box.y, "EXPORT CONTROLS")
        options = []
        for tier in range(4):
            new = _controlled_names(rules, g, tier, only_new=True)
            hbm = tier > 0 and any(((rules.input_control_tier == tier) | (rules.input_tool_tier == tier)) & (rules.input_country == g))
            text = f"Tier {tier}: " + ("no controls" if tier == 0 else f"adds {', '.join(new)}" if new else
                                       "adds HBM and chip-tool controls" if hbm else "tighter licensing")
            options.append((text, str(tier)))
        self.levers["export_tier"] = ChoiceLever(self.manager, panel, pygame.Rect(6, y, w, 50), "export_tier", "Tier",
                                                 self._tip("export_tier"), options, str(int(plan.export_tier)),
                                                 lambda v: self._set("export_tier", int(v)))
        y += ChoiceLever.ROW - 10
        y = self._who(panel, y, w, "export_tier", f"Affects: labs in {whom} (which chips they may buy).")
        y = self._slider(panel, y, w, "enforcement", "Enforcement", 0.0, 1.0, plan.enforcement, fmt.pct,
                         lambda v: self._set("enforcement", v), 0.05)
        y = self._who(panel, y, w, "enforcement", f"Affects: labs in {whom} buying controlled chips via smugglers.")
        y = self._section(panel, y + 2, "RETALIATION")
        self.levers["retaliation"] = ToggleLever(self.manager, panel, pygame.Rect(6, y, w, 42), "retaliation",
                                                 "Ban critical-mineral exports", self._tip("retaliation"), plan.retaliation,
                                                 lambda v: self._set("retaliation", v))
        y += ToggleLever.ROW
        y = self._who(panel, y, w, "retaliation", "Affects: buyers of chips from countries that control yours.")
        y = self._section(panel, y + 4, "YOUR BRIEF")
        self.brief = pygame_gui.elements.UITextBox(
            f"<font color='#8aa0b4'>{html.escape(classroom.brief_of(classroom.active))}</font>",
            pygame.Rect(2, y, w + 4, max(40, box.bottom - y - 4)), self.manager, container=panel, object_id="#plain_text")

    def _build_industry(self, panel, box) -> None:
        classroom, plan, w = self.classroom, self.plan, box.w
        rules, s = classroom.model.rules, classroom.model.state
        g = self.index
        y = self._section(panel, box.y, "MONEY AND PERMITS")
        top = max(10.0, plan.subsidy_usd / 1e9 * 1.5)
        y = self._slider(panel, y, w, "subsidy", f"AI subsidies {fmt.rate_unit(rules)}", 0.0, top, plan.subsidy_usd / 1e9,
                         lambda v: fmt.money(v * 1e9), lambda v: self._set("subsidy_usd", v * 1e9), 0.1)
        y = self._who(panel, y, w, "subsidy", "Affects: your labs' cash each turn (champions get most).")
        y = self._slider(panel, y, w, "permitting", "Grid permitting speed", -1.0, 1.0, math.log10(max(plan.permitting, 0.1)),
                         lambda v: f"×{10 ** v:.2f}", lambda v: self._set("permitting", 10 ** v), 0.05)
        y = self._who(panel, y, w, "permitting", "Affects: every data centre waiting for a grid here.")
        y = self._section(panel, y + 2, "SAFETY AND THE NATIONAL PROJECT")
        y = self._slider(panel, y, w, "regulation", "Safety regulation", 0.0, 1.0, plan.regulation, fmt.pct,
                         lambda v: self._set("regulation", v), 0.05)
        y = self._who(panel, y, w, "regulation", "Affects: all your labs: slower training, more safety research.")
        has_project = bool(rules.mega_mw[g] > 0 or rules.mega_usd[g] > 0)
        started = bool(s.mega_started[0, g])
        self.levers["start_mega"] = ToggleLever(self.manager, panel, pygame.Rect(6, y, w, 42), "start_mega",
                                                "Launch the national compute project", self._tip("start_mega"),
                                                plan.start_mega, lambda v: self._set("start_mega", v), has_project and not started)
        y += ToggleLever.ROW
        y = self._who(panel, y, w, "start_mega", "Affects: the lab chosen to lead it, and your grids.")
        top = float(rules.gov_pool_max[g])
        if top > 0:  # a scenario that puts a national compute pool in this government's power
            y = self._slider(panel, y + 2, w, "pool", "Pool compute in one lab", 0.0, top, min(plan.pool, top), fmt.pct,
                             lambda v: self._set("pool", v), 0.05)
            self._who(panel, y, w, "pool", "Affects: your other labs' compute, and the lab it goes to.")

    def _build_diplomacy(self, panel, box) -> None:
        model, plan, w, g = self.classroom.model, self.plan, box.w, self.index
        s = model.state
        y = self._section(panel, box.y, "AGREEMENTS")
        for a, (field, name) in enumerate(zip(MOVE_FIELDS, ("Pause", "Safety pact"))):
            options = move_options(model, g, a)
            chosen = getattr(plan, field) if getattr(plan, field) in [o[1] for o in options] else "keep"
            self.levers[field] = ChoiceLever(self.manager, panel, pygame.Rect(6, y, w, 50), field, name, self._tip(field),
                                             options, chosen, lambda v, f=field: self._set(f, v))
            y += ChoiceLever.ROW - 6
        in_pause = bool(s.treaty[0, 0] == 2 and s.treaty_members[0, 0, g] and not paused_alone(s)[0])
        self.levers["cheat"] = ToggleLever(self.manager, panel, pygame.Rect(6, y, w, 42), "cheat", "Secretly exceed the pause's cap",
                                           self._tip("cheat"), plan.cheat, lambda v: self._set("cheat", v), in_pause)
        y += ToggleLever.ROW
        y = self._section(panel, y + 2, "VERIFICATION AND INTELLIGENCE")
        self.levers["tracking"] = ToggleLever(self.manager, panel, pygame.Rect(6, y, w, 42), "tracking", "Track your chips' locations",
                                              self._tip("tracking"), plan.tracking, lambda v: self._set("tracking", v))
        y += ToggleLever.ROW
        inspections = float(s.inspections[0, g]) if plan.inspections < 0 else plan.inspections
        y = self._slider(panel, y, w, "inspections", "Inspections accepted", 0.0, 1.0, inspections, fmt.pct,
                         lambda v: self._set("inspections", v), 0.05)
        spend = float(s.spy_usd[0, g]) if plan.intel_usd < 0 else plan.intel_usd
        y = self._slider(panel, y, w, "intel_usd", "Intelligence services", 0.0, max(5.0, 2 * spend / 1e9), spend / 1e9,
                         lambda v: fmt.money(v * 1e9) + "/turn", lambda v: self._set("intel_usd", v * 1e9), 0.1)
        self.standing = pygame_gui.elements.UITextBox("", pygame.Rect(2, y + 2, w + 4, max(40, box.bottom - y - 4)),
                                                      self.manager, container=panel, object_id="#plain_text")

    def _slider(self, panel, y, w, key, name, lo, hi, value, show, setter, step) -> int:
        self.levers[key] = SliderLever(self.manager, panel, pygame.Rect(6, y, w, ROW), key, name, self._tip(key), lo, hi,
                                       value, show, setter, step)
        return y + ROW + 2

    def _build_summary(self, box) -> None:
        m, p = self.manager, self.panel
        pygame_gui.elements.UILabel(pygame.Rect(box.x, box.y, 300, 18), "THIS TURN'S POLICY", m, container=p, object_id="#section")
        self.change_text = pygame_gui.elements.UITextBox("", pygame.Rect(box.x - 2, box.y + 20, box.w + 4, 46), m, container=p,
                                                         object_id="#plain_text")
        self.keep_button = self.screen.button((box.x, box.y + 66, 200, 32), "Keep the policy in force", self.keep,
                                              tip="Undo this turn's changes: every lever back to the policy now in force.",
                                              container=p)

    def _tip(self, key: str) -> str:
        rules = self.classroom.model.rules
        c = rules.at(self.classroom.model.state.turn)
        return diplomacy_tips(c).get(key) or {
            "export_tier": "Export controls on chips your country makes, for the countries it targets. Higher tiers cover "
                           "more chip classes, HBM and chip-making tools: tools controls slow the target's own chip "
                           "output, and keep it from buying the tools its most advanced chips need, which then come "
                           "only when its own tools work (a date nobody knows). Lift them and it buys the tools: those "
                           "chips come within a few years. Controlled chips reach the target only through smugglers, "
                           "at a premium.",
            "enforcement": f"How hard your customs and prosecutors work against smuggling. Smugglers can divert about "
                           f"{c['smuggle_share']:.0%} × (1 − enforcement)² of a controlled class's output through third "
                           f"countries, at a premium of at least {c['smuggle_premium']:.0%}.",
            "retaliation": f"Ban exports of critical minerals (gallium, germanium, antimony) to countries whose export "
                           f"controls target you: chips they make cost {c['retaliation_cost']:.0%} more for every buyer "
                           "while the ban lasts.",
            "subsidy": f"Money {fmt.rate_unit(rules)} for your country's labs, shared among them; a state champion counts "
                       f"{c['champion_weight']:.0f}× in the split. A longer turn pays in proportion (a half-year turn "
                       "pays two quarters' worth). There is no budget limit in the game: the cost is political.",
            "permitting": "How fast your grids approve new data-centre connections: ×1 is the scenario's pace, ×2 twice as "
                          "many megawatts a turn. Every lab building in your country waits less.",
            "regulation": f"Safety rules for your labs: each must put at least half this share of its research into "
                          f"safety, and training runs lose up to {c['regulation_drag']:.0%} of their compute at 100%. "
                          "Safety incidents raise regulation by themselves.",
            "pool": "Direct your other labs to give this share of their powered compute to one lab: your state "
                    "champion (the most capable, if several), else your most capable lab. The pooled lab trains and "
                    "experiments on it; the others lose it while the pool lasts. You may change it every turn.",
            "start_mega": "A one-off national compute project (Stargate-like): a large data-centre programme and money "
                          "for one of your labs, with new generation on your grids. Once started it cannot be stopped.",
        }.get(key, "")

    # -- edits: the one place where input becomes a GovPlan ------------------------------------------
    def _set(self, field: str, value) -> None:
        setattr(self.plan, field, value)
        self._dirty = True

    def keep(self) -> None:
        classroom = self.classroom
        classroom.plan = gov_plan_from_state(classroom.model, self.index)
        self.screen.rebuild_panel()

    def handle(self, event) -> bool:
        return any(lever.handle(event) for lever in self.levers.values())

    # -- what the levers do now --------------------------------------------------------------------------
    def effects(self) -> dict:
        classroom, plan = self.classroom, self.plan
        model = classroom.model
        rules, s, c, view = model.rules, model.state, model.rules.at(model.state.turn), classroom.view
        g = self.index
        out = {}
        tier = int(plan.export_tier)
        names = _controlled_names(rules, g, tier)
        leak = smuggled_share(c, float(plan.enforcement))
        if not self.targets:
            out["export_tier"] = ("Your controls target no country in this scenario.", False)
        elif names:
            listed = ", ".join(names) if len(names) <= 3 else f"{len(names)} classes, {names[0]} to {names[-1]}"
            out["export_tier"] = (f"Controlled for {' and '.join(self.targets)}: {listed}", False)
        else:
            out["export_tier"] = (f"No chip is controlled for {' and '.join(self.targets)}.", False)
        out["enforcement"] = (f"Smugglers can divert about {leak:.1%} of a controlled class's output"
                              if names and self.targets else "Nothing to enforce at this tier.", False)
        hit = [rules.chip_names[k].split(" (")[0] for k in range(len(rules.chip_ids))
               if rules.controls[int(rules.chip_producer[k]), g]]
        if plan.retaliation:
            out["retaliation"] = (f"In force: {', '.join(hit)} cost +{c['retaliation_cost']:.0%}" if hit else
                                  "In force, but no country controls your chips: no effect.", not hit)
        else:
            out["retaliation"] = (f"No ban. A ban would raise {', '.join(hit[:2])} prices." if hit else
                                  "No country controls your chips: a ban would change nothing.", False)
        mine = np.flatnonzero((s.country[0] == g) & s.alive[0])
        champions = [model.lab_name(k) for k in mine if rules.lab_state_backed[k]]
        share = f"shared by {len(mine)} lab{'s' * (len(mine) != 1)}"
        out["subsidy"] = (f"{fmt.money(plan.subsidy_usd)} {fmt.rate_unit(rules)}, {share}" + (f"; most to {champions[0]}" if champions else ""),
                          False)
        grids = np.flatnonzero(rules.grid_country == g)
        waits = [float(view.queue_wait[0, n]) for n in grids]
        now = float(s.permitting[0, g])
        wait_now = min(waits) if waits else 0.0
        wait_then = wait_now * now / max(plan.permitting, 0.1)
        out["permitting"] = (f"Shortest grid queue: {fmt.turns(wait_now)} now; {fmt.turns(wait_then)} at this speed", False)
        out["regulation"] = (f"Safety ≥ {0.5 * plan.regulation:.0%} of research; training −{plan.regulation * c['regulation_drag']:.0%}",
                             False)
        if bool(s.mega_started[0, g]):
            out["start_mega"] = ("Already under way.", False)
        elif rules.mega_mw[g] <= 0 and rules.mega_usd[g] <= 0:
            out["start_mega"] = ("This scenario gives your country no national project.", False)
        else:
            out["start_mega"] = (f"{fmt.mw(float(rules.mega_mw[g]))} of data centres and {fmt.money(float(rules.mega_usd[g]))} "
                                 f"for one of your labs" + (" (starts when the turn is played)" if plan.start_mega else ""), False)
        if rules.gov_pool_max[g] > 0:
            out["pool"] = pool_effect(model, plan, g)
        out.update(diplomacy_effects(model, plan, g))
        return out

    def refresh(self, force: bool = False) -> None:
        if not (self._dirty or force):
            return
        self._dirty = False
        for key, (text, warn) in self.effects().items():
            lever = self.levers.get(key)
            if lever is not None:
                lever.set_effect(text, warn)
        classroom = self.classroom
        now = gov_plan_from_state(classroom.model, self.index)
        plan = self.plan
        changes = []
        for field, name, show in (("export_tier", "export tier", str), ("enforcement", "enforcement", fmt.pct),
                                  ("retaliation", "mineral ban", lambda v: "on" if v else "off"),
                                  ("subsidy_usd", "subsidies", fmt.money), ("permitting", "permitting", lambda v: f"×{v:.2f}"),
                                  ("regulation", "regulation", fmt.pct), ("pool", "compute pool", fmt.pct)):
            a, b = getattr(now, field), getattr(plan, field)
            if show(a) != show(b):
                changes.append(f"{name} {show(a)} → <b>{show(b)}</b>")
        if plan.start_mega:
            changes.append("<b>launch the national project</b>")
        for a, (field, name) in enumerate(zip(MOVE_FIELDS, ("pause", "safety standards"))):
            move = getattr(plan, field)
            if move == "leave" and gives_notice(classroom.model, a):
                changes.append(f"<b>give notice to leave the {name}</b>")
            elif move != "keep":
                changes.append({"propose": f"<b>propose {name}</b>", "alone": "<b>pause your own labs alone</b>"}.get(
                    move, f"<b>{move} the {name}</b>"))
        for field, name, show in (("cheat", "cheating", lambda v: "on" if v else "off"),
                                  ("tracking", "chip tracking", lambda v: "on" if v else "off"),
                                  ("inspections", "inspections", fmt.pct), ("intel_usd", "intelligence", fmt.money)):
            a, b = getattr(now, field), getattr(plan, field)
            if (not isinstance(b, float) or b >= 0) and show(a) != show(b):
                changes.append(f"{name} {show(a)} → <b>{show(b)}</b>")
        if hasattr(self, "standing"):
            html_text = standing_html(classroom.model, self.index, palette().hex("muted"))
            if getattr(self.standing, "_last", None) != html_text:
                self.standing._last = html_text
                self.standing.set_text(html_text)
        text = ("Changes: " + ", ".join(changes)) if changes else "<font color='#8aa0b4'>No change: the policy in force stands.</font>"
        if getattr(self.change_text, "_last", None) != text:
            self.change_text._last = text
            self.change_text.set_text(text)


class GovTopBar:
    """Who you are, when it is, and your country's figures; cached once a turn."""

    def __init__(self, rect: pygame.Rect):
        self.rect = pygame.Rect(rect)
        self.surface = None
        self.spots: list = []
        self.right = 0

    def refresh(self, classroom) -> None:
        p = palette()
        model = classroom.model
        rules, s, view = model.rules, model.state, classroom.view
        team = classroom.active
        g = rules.country_ids.index(team.seat)
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        surf.fill(p.topbar)
        pygame.draw.line(surf, p.panel_edge, (0, self.rect.h - 1), (self.rect.w, self.rect.h - 1))
        self.spots = []
        x = 12
        pygame.draw.rect(surf, country_colour(team.seat), (x, 10, 8, self.rect.h - 20), border_radius=3)
        name = font(17, True).render(classroom.title_of(team), True, p.text_bright)
        sub = font(12).render(f"{rules.country_names[g]} · government team", True, p.muted)
        surf.blit(name, (x + 16, 6))
        surf.blit(sub, (x + 16, 29))
        width = max(name.get_width(), sub.get_width()) + 26
        self._spot(pygame.Rect(x, 4, width, self.rect.h - 8), f"<b>{fmt.esc(classroom.title_of(team))}</b><br>{fmt.esc(classroom.brief_of(team))}")
        x += width + 4
        mine = np.flatnonzero((s.country[0] == g) & s.alive[0])
        best = max(mine, key=lambda k: float(s.capability[0, k])) if mine.size else None
        history = classroom.room.history()
        share_now = float(view.compute_share[0, g])
        figures = [
            ("calendar", f"TURN {s.turn + 1}/{rules.horizon}", fmt.quarter(rules.turn_date(s.turn)),
             f"<b>{fmt.quarter(rules.turn_date(s.turn))}</b>: turn {s.turn + 1} of {rules.horizon}, {rules.calendar_words()}."),
            ("barrier", "EXPORT TIER", f"{int(s.export_tier[0, g])} · {float(s.enforcement[0, g]):.0%}",
             "Export-control tier in force (0 none … 3 strictest) and the share of smuggling enforcement stops."),
            ("chip", "COMPUTE SHARE", fmt.pct(share_now),
             f"Your labs' share of the world's AI compute (chips in H100-equivalents). Start of the game: "
             f"{fmt.pct(chart_data.compute_shares(classroom.room)[team.seat][0]) if history else '–'}."),
            ("capability", "BEST LAB", f"{float(s.capability[0, best]):.2f}" if best is not None else "–",
             f"Your strongest lab: {fmt.esc(model.lab_name(best))}. Capability is the log10 of effective training compute; "
             "What AGI takes is unknown until someone gets there." if best is not None else "Your country has no lab left."),
            ("cash", "SUBSIDIES", fmt.money(float(s.subsidy[0, g])) + fmt.rate_unit(rules, short=True),
             "AI subsidies in force, shared among your labs (a longer turn pays in proportion)."),
            ("safety", "REGULATION", fmt.pct(float(s.regulation[0, g])), "Safety regulation in force."),
        ]
        cap_font, val_font = font(11, True), font(17, True)
        for icon_name, caption, value, tip in figures:
            surf.blit(icon(icon_name, 22), (x, (self.rect.h - 22) // 2))
            cx = x + 28
            surf.blit(cap_font.render(caption, True, p.muted), (cx, 5))
            v = val_font.render(value, True, p.text_bright)
            surf.blit(v, (cx, 18))
            w = max(v.get_width(), cap_font.size(caption)[0], 60)
            self._spot(pygame.Rect(x - 4, 2, w + 36, self.rect.h - 4), tip)
            x += w + 36
        self.right = self.rect.x + x
        self.surface = surf

    def _spot(self, local, tip) -> None:
        self.spots.append((local.move(self.rect.x, self.rect.y), tip))

    def draw(self, surface) -> None:
        if self.surface is not None:
            surface.blit(self.surface, self.rect.topleft)


class GovernmentScreen(DeskScreen):
    name = "government"
    panel_class = GovPanel
    ledger_kind = "governments"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_RETURN: self.done, pygame.K_KP_ENTER: self.done, pygame.K_ESCAPE: self.open_pause,
                     pygame.K_l: self.open_ledger, pygame.K_n: self.open_events, pygame.K_e: self.open_events,
                     pygame.K_1: lambda: self.panel.select("trade"), pygame.K_2: lambda: self.panel.select("industry"),
                     pygame.K_3: lambda: self.panel.select("diplomacy"),
                     **hotseat.classroom_keys(self)}

    @property
    def classroom(self):
        return self.app.session

    def build(self) -> None:
        rects = layout(self.app.size)
        self.rects = rects
        classroom = self.classroom
        model = classroom.model
        self.top_bar = GovTopBar(rects["top"])
        self.top_bar.refresh(classroom)
        top = rects["top"]
        clock_x = max(self.top_bar.right + 6, top.right - 210)
        self.clock = TeamClock(pygame.Rect(clock_x, 6, top.right - 8 - clock_x, top.h - 12))
        self.pill_text, self.pill_tip, self.pill_bad = self._pill()
        country = model.rules.country_names[model.rules.country_ids.index(classroom.active.seat)]
        self.build_world(rects, ("Capability race (your labs bold)", "Share of world AI compute", f"{country} labs' cash"))
        self.panel = GovPanel(self, rects["panel"])
        self.panel.build()
        self._build_bottom(rects["bottom"])
        self.hotspots = [Hotspot(r, tip) for r, tip in self.top_bar.spots]
        self.hotspots.append(Hotspot(self.clock.rect, lambda: self.clock.tip, "clock"))
        self.hotspots.append(Hotspot(rects["pill"], lambda: self.pill_tip, "pill"))
        self.hotspots += self.world_hotspots()
        self.regions = {"top": rects["top"], "panel": rects["panel"], "map": rects["map"], "bottom": rects["bottom"],
                        **{f"panel.{k}": r for k, r in self.panel.rects.items()}}

    def _pill(self):
        classroom = self.classroom
        model = classroom.model
        s, rules = model.state, model.rules
        if classroom.fog:
            noise = classroom.noise()
            return (f"FOG OF WAR · FOREIGN LABS ±{noise:.0%}", "Fog of war: you see your own labs exactly and foreign labs "
                    f"as your best-informed lab's intelligence does (typical error {noise:.0%}). Your labs' intelligence "
                    "spending sharpens it.", False)
        g = rules.country_ids.index(classroom.active.seat)
        mine = [int(k) for k in np.flatnonzero((s.country[0] == g) & s.alive[0])]
        held = [BINDING[int(s.binding[0, k])] for k in mine if s.turn > 0]
        held = [h for h in held if h != "none"]
        if not held:
            return ("YOUR LABS: NOTHING HELD THEM BACK" if s.turn else "FIRST TURN",
                    "What held your country's labs back last turn (their most common constraint).", False)
        worst = max(set(held), key=held.count)
        return (f"YOUR LABS: HELD BACK BY {binding_name(worst).upper()}",
                f"{held.count(worst)} of your {len(mine)} labs were held back most by {binding_name(worst)} last turn. "
                "Permitting speeds grid queues; subsidies ease cash; export controls and retaliation move chip prices.", True)

    def _build_bottom(self, r: pygame.Rect) -> None:
        end_w = 240
        self.end_button = hotseat.done_button(self, r, end_w, self.done, "policy")
        specs = [("Events (N)", self.open_events, "Every news item of the game."),
                 ("Ledger (L)", self.open_ledger, "Tables of every lab, government and grid."),
                 ("Facilitator (F9)", lambda: hotseat.open_facilitator(self.app),
                  "The facilitator's panel: pause, inject, timer, projector view, step back."),
                 ("Menu (Esc)", self.open_pause, "Save, load, settings, quit.")]
        bw = min(140, (r.w - end_w - 16) // len(specs) - 6)
        made = [self.button((r.x + i * (bw + 6), r.y + 4, bw, r.h - 8), text, action, tip=tip)
                for i, (text, action, tip) in enumerate(specs)]
        self.events_button, self.ledger_button, self.facilitator_button, self.menu_button = made

    # -- actions ------------------------------------------------------------------------------------
    def done(self) -> None:
        hotseat.team_done(self.app)

    # -- the loop --------------------------------------------------------------------------------------
    def on_mouse(self, event) -> None:
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.rects["ticker"].collidepoint(event.pos):
            self.open_events()

    def draw_pill(self, surface) -> None:
        p = palette()
        pill = self.rects["pill"]
        colour = p.bad if self.pill_bad else p.muted
        pygame.draw.rect(surface, colour, pill, 1, border_radius=9)
        img = font(12, True).render(fit(self.pill_text, font(12, True), pill.w - 16), True, colour)
        surface.blit(img, (pill.x + 8, pill.centery - img.get_height() // 2))

    def draw_below_widgets(self, surface) -> None:
        super().draw_below_widgets(surface)
        self.clock.draw(surface, self.classroom, self.classroom.active, self.app.time)
