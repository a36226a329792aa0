"""The decision panel: every lever of GAME_DESIGN, grouped in tabs, each with its effect.

Input becomes a ``PlayerPlan`` edit here and nowhere else: a control's event calls
``_set``, which sets one lever of ``session.plan`` (and makes it the player's: the advisor
leaves it alone); the preview and the effect lines are then recomputed from the plan (at
most once a frame). The levers the player set are marked, and a line under the plan says
what the advisor's last draft changed and which of the player's levers it kept.
"""

from __future__ import annotations

import math

import numpy as np
import pygame
import pygame_gui

from ...level.schema import LOBBY_GOALS
from ...player import TRIOS
from .. import fmt
from ..explain import lever_tips
from ..diplomacy_facts import agreements_line
from ..facts import LOBBY_WORDS, advisor_note, lever_effects, policy_line, spend_summary
from ..milestones import outlook, outlook_html, outlook_tip
from ..theme import font, palette
from ..widgets.levers import ROW, ChoiceLever, Gauge, SliderLever, TabbedLevers, ToggleLever

TABS = (("capital", "Capital"), ("compute", "Compute"), ("market", "Market"), ("money", "Money"), ("people", "People"),
        ("politics", "Politics"), ("safety", "Safety"))


# A lever's key in the panel -> the plan field it sets.
FIELDS = {"chip_budget": "chip_budget_usd", "chip_class": "chip_mix", "grid": "build_grid", "onsite": "onsite_share",
          "ppa": "ppa_share", "price": "price_level", "hire": "hire_usd", "retention": "retention_usd",
          "lobby": "lobby_usd", "intel": "intel_usd", "rent": "rent_usd"}


class DecisionPanel(TabbedLevers):
    SUMMARY_H = 150

    def __init__(self, screen, rect: pygame.Rect):
        self.screen = screen
        self.manager = screen.manager
        self.rect = pygame.Rect(rect)
        self.levers: dict[str, object] = {}
        self.tab_buttons: dict[str, pygame_gui.elements.UIButton] = {}
        self.tab_panels: dict[str, pygame_gui.elements.UIPanel] = {}
        self.current = "capital"
        self._dirty = True
        self.rects: dict[str, pygame.Rect] = {}
        self._tips = None

    @property
    def session(self):
        return self.screen.app.session

    # -- building --------------------------------------------------------------------------------
    def build(self) -> None:
        m, r = self.manager, self.rect
        self.levers.clear()
        self.panel = pygame_gui.elements.UIPanel(r, 1, m, object_id="#card")
        x0, w = 12, r.w - 24
        # Seven names do not fit seven equal tabs: each tab is as wide as its name, plus an equal share of the rest.
        names = [font(12, True).size(text)[0] + 2 for _, text in TABS]
        spare = (w - 2 * (len(TABS) - 1) - sum(names)) // len(TABS)
        x = x0
        for i, (key, text) in enumerate(TABS):
            tab_w = names[i] + spare
            b = self.screen.button((x, 10, tab_w, 30), text, lambda k=key: self.select(k),
                                   tip=f"{text} levers (key {i + 1})", object_id="#tab", container=self.panel)
            self.tab_buttons[key] = b
            x += tab_w + 2
        content_h = r.h - 50 - self.SUMMARY_H
        self._content = pygame.Rect(6, 4, r.w - 26, content_h)
        self._filled: set[str] = set()
        for key, _ in TABS:
            panel = pygame_gui.elements.UIPanel(pygame.Rect(6, 46, r.w - 14, content_h), 1, m, container=self.panel,
                                                object_id="#invisible")
            self.tab_panels[key] = panel
        self._build_summary(pygame.Rect(x0, r.h - self.SUMMARY_H, w, self.SUMMARY_H - 10))
        self.rects["tabs"] = pygame.Rect(r.x + x0, r.y + 10, w, 30)
        self.rects["levers"] = pygame.Rect(r.x + 6, r.y + 46, r.w - 12, content_h)
        self.rects["summary"] = pygame.Rect(r.x + x0, r.bottom - self.SUMMARY_H, w, self.SUMMARY_H - 10)
        self.select(self.current)
        self.refresh(force=True)

    def _section(self, panel, y, text) -> int:
        pygame_gui.elements.UILabel(pygame.Rect(6, y, 380, 18), text, self.manager, container=panel, object_id="#section")
        return y + 20

    def _slider(self, panel, y, w, key, name, lo, hi, value, show, setter, step=None) -> int:
        self.levers[key] = SliderLever(self.manager, panel, pygame.Rect(6, y, w, ROW), key, name, self.tips.get(key, ""),
                                       lo, hi, value, show, setter, step)
        return y + ROW + 2

    def _toggle(self, panel, y, w, key, name, value, setter, enabled=True) -> int:
        self.levers[key] = ToggleLever(self.manager, panel, pygame.Rect(6, y, w, 42), key, name, self.tips.get(key, ""),
                                       value, setter, enabled)
        return y + ToggleLever.ROW

    def _choice(self, panel, y, w, key, name, options, selected, setter) -> int:
        self.levers[key] = ChoiceLever(self.manager, panel, pygame.Rect(6, y, w, 50), key, name, self.tips.get(key, ""),
                                       options, selected, setter)
        return y + ChoiceLever.ROW - 6

    @property
    def tips(self) -> dict:
        if self._tips is None:
            tips = lever_tips(self.session.model.rules)
            for trio, keys in TRIOS.items():
                for key in keys:
                    tips[key] = tips[trio]
            self._tips = tips
        return self._tips

    def _build_capital(self, panel, box):
        s = self.session
        plan, model = s.plan, s.model
        c = model.rules.at(model.state.turn)
        cash = float(model.state.cash[0, s.slot])
        allowed = max(c["max_spend_share"] * cash / 1e9, 0.5)
        w = box.w
        y = self._section(panel, box.y, "CHIPS")
        y = self._slider(panel, y, w, "chip_budget", "Chip budget", 0.0, max(allowed, plan.chip_budget_usd / 1e9), plan.chip_budget_usd / 1e9,
                         lambda v: fmt.money(v * 1e9), lambda v: self._set("chip_budget_usd", v * 1e9), 0.05)
        y = self._choice(panel, y, w, "chip_class", "Chip class", self._chip_options(), self._chip_selected(), self._set_chip)
        if bool(s.view.controlled_any[0, s.slot]) or plan.rent_usd > 0:  # the way round export controls
            y = self._slider(panel, y, w, "rent", "Rent compute abroad", 0.0, max(allowed / 4, plan.rent_usd / 1e9, 0.5),
                             plan.rent_usd / 1e9, lambda v: fmt.money(v * 1e9), lambda v: self._set("rent_usd", v * 1e9), 0.05)
        y = self._section(panel, y + 4, "DATA CENTRES AND POWER")
        y = self._slider(panel, y, w, "build_mw", "New data centres", 0.0, max(1500.0, plan.build_mw), plan.build_mw,
                         lambda v: fmt.mw(v), lambda v: self._set("build_mw", v), 10)
        y = self._choice(panel, y, w, "grid", "Grid region", self._grid_options(), self._grid_selected(),
                         lambda gid: self._set("build_grid", gid))
        y = self._slider(panel, y, w, "onsite", "On-site generation", 0.0, 1.0, plan.onsite_share, fmt.pct,
                         lambda v: self._set("onsite_share", v), 0.05)
        y = self._slider(panel, y, w, "ppa", "Power purchase agreement", 0.0, 1.0, plan.ppa_share, fmt.pct,
                         lambda v: self._set("ppa_share", v), 0.05)

    def _build_compute(self, panel, box):
        plan = self.session.plan
        w = box.w
        y = self._section(panel, box.y, "USE OF COMPUTE (ADDS TO 100%)")
        for key, name in (("train", "Training"), ("serve", "Serving customers"), ("research", "Research experiments")):
            y = self._slider(panel, y, w, key, name, 0.0, 1.0, getattr(plan, key), fmt.pct,
                             lambda v, k=key: self._set_trio("split", k, v), 0.05)
        y = self._section(panel, y + 2, "RESEARCH FOCUS (ADDS TO 100%)")
        for key, name in (("focus_efficiency", "Efficiency"), ("focus_reasoning", "Reasoning"), ("focus_safety", "Safety")):
            y = self._slider(panel, y, w, key, name, 0.0, 1.0, getattr(plan, key), fmt.pct,
                             lambda v, k=key: self._set_trio("focus", k, v), 0.05)
        y = self._slider(panel, y + 2, w, "run_turns", "Training run length", 1, 6, int(plan.run_turns),
                         lambda v: f"{int(round(v))} turn{'s' * (int(round(v)) != 1)}", lambda v: self._set("run_turns", int(round(v))), 1)

    def _build_market(self, panel, box):
        plan = self.session.plan
        w = box.w
        y = self._section(panel, box.y, "RELEASE")
        y = self._toggle(panel, y, w, "open_weights", "Release open weights", plan.open_weights, lambda v: self._set("open_weights", v))
        y = self._section(panel, y + 6, "PRICE")
        y = self._slider(panel, y, w, "price", "Price level", 0.5, 2.0, plan.price_level, lambda v: f"×{v:.2f}",
                         lambda v: self._set("price_level", v), 0.05)
        self.market_text = self.screen.text_box((6, y + 8, w, box.bottom - y - 12), "", object_id="#plain_text", container=panel)

    def _build_money(self, panel, box):
        plan = self.session.plan
        s = self.session
        w = box.w
        cooldown = int(s.model.state.raise_cooldown[0, s.slot]) == 0
        y = self._section(panel, box.y, "FINANCING (ONE-OFF, THIS TURN)")
        y = self._toggle(panel, y, w, "raise_round", "Raise a funding round", plan.raise_round, lambda v: self._set("raise_round", v), cooldown)
        y = self._toggle(panel, y, w, "seek_state", "Seek state backing", plan.seek_state, lambda v: self._set("seek_state", v), cooldown)
        y = self._toggle(panel, y, w, "partner_deal", "Sign a cloud-partner deal", plan.partner_deal, lambda v: self._set("partner_deal", v),
                         int(s.model.state.partner_cooldown[0, s.slot]) == 0)
        y = self._toggle(panel, y, w, "token_financing", "Token financing", plan.token_financing,
                         lambda v: self._set("token_financing", v), cooldown)
        self.money_text = self.screen.text_box((6, y + 8, w, box.bottom - y - 12), "", object_id="#plain_text", container=panel)

    def _build_people(self, panel, box):
        plan = self.session.plan
        s = self.session
        c = s.model.rules.at(s.model.state.turn)
        payroll = float(s.model.state.talent[0, s.slot]) * c["salary"]
        w = box.w
        y = self._section(panel, box.y, "TALENT")
        y = self._slider(panel, y, w, "hire", "Hiring", 0.0, max(2.0, plan.hire_usd / 1e9), plan.hire_usd / 1e9,
                         lambda v: fmt.money(v * 1e9), lambda v: self._set("hire_usd", v * 1e9), 0.02)
        y = self._slider(panel, y, w, "retention", "Retention", 0.0, max(payroll / 1e9, 0.5, plan.retention_usd / 1e9),
                         plan.retention_usd / 1e9, lambda v: fmt.money(v * 1e9), lambda v: self._set("retention_usd", v * 1e9), 0.01)
        self.people_text = self.screen.text_box((6, y + 8, w, box.bottom - y - 12), "", object_id="#plain_text", container=panel)

    def _build_politics(self, panel, box):
        plan = self.session.plan
        w = box.w
        y = self._section(panel, box.y, "LOBBYING")
        y = self._slider(panel, y, w, "lobby", "Lobbying", 0.0, max(2.0, plan.lobby_usd / 1e9), plan.lobby_usd / 1e9,
                         lambda v: fmt.money(v * 1e9), lambda v: self._set("lobby_usd", v * 1e9), 0.02)
        options = [(LOBBY_WORDS[g], g) for g in LOBBY_GOALS]
        y = self._choice(panel, y, w, "lobby_goal", "Goal", options, plan.lobby_goal, lambda g: self._set("lobby_goal", g))
        if getattr(self.session, "fog", False):  # intelligence matters only when rivals are hidden
            y = self._section(panel, y + 4, "INTELLIGENCE")
            y = self._slider(panel, y, w, "intel", "Intelligence on rivals", 0.0, max(1.0, plan.intel_usd / 1e9),
                             plan.intel_usd / 1e9, lambda v: fmt.money(v * 1e9), lambda v: self._set("intel_usd", v * 1e9), 0.02)
        self.politics_text = self.screen.text_box((6, y + 8, w, box.bottom - y - 12), "", object_id="#plain_text", container=panel)

    def _build_safety(self, panel, box):
        plan = self.session.plan
        w = box.w
        y = self._section(panel, box.y, "MODEL WEIGHTS")
        y = self._slider(panel, y, w, "security", "Security level", 1, 5, int(plan.security), lambda v: f"level {int(round(v))}",
                         lambda v: self._set("security", int(round(v))), 1)
        y = self._section(panel, y + 2, "PAUSE AND OPENNESS")
        lo, hi = self._cap_range()
        self._cap_off = hi  # the slider's right end: no cap
        value = hi if plan.cap_capability <= 0 else min(max(plan.cap_capability, lo), hi - 0.1)
        y = self._slider(panel, y, w, "cap_capability", "Capability cap", lo, hi, value,
                         lambda v: "no cap" if v >= hi - 1e-6 else f"{v:.1f}",
                         lambda v: self._set("cap_capability", 0.0 if v >= hi - 1e-6 else round(v, 2)), 0.1)
        y = self._slider(panel, y, w, "publish_safety", "Safety research published", 0.0, 1.0, plan.publish_safety, fmt.pct,
                         lambda v: self._set("publish_safety", v), 0.05)
        y = self._toggle(panel, y, w, "commit_pause", "Commit publicly to pause", plan.commit_pause,
                         lambda v: self._set("commit_pause", v))
        head = pygame_gui.elements.UILabel(pygame.Rect(6, y, 380, 18), "MILESTONES", self.manager, container=panel,
                                           object_id="#section")
        self.milestone_text = self.screen.text_box((2, y + 18, w + 4, box.bottom - y - 20), "", object_id="#plain_text",
                                                   container=panel)
        self._milestone_parts = (head, self.milestone_text)
        self.rects["milestones"] = self.milestone_text.rect.copy()

    def _cap_range(self) -> tuple[float, float]:
        """A cap from just below the lab's model to past where the next milestone probably lies."""
        s = self.session
        o = outlook(s)
        lo = math.floor(min(o.capability, s.plan.cap_capability if s.plan.cap_capability > 0 else o.capability) * 10) / 10
        hi = max(lo + 3.0, math.ceil(o.req[2] + 0.5))
        return lo, min(hi, 60.0)

    def _build_summary(self, box):
        m = self.manager
        p = self.panel
        pygame_gui.elements.UILabel(pygame.Rect(box.x, box.y, 300, 18), "THIS TURN'S PLAN", m, container=p, object_id="#section")
        self.spend_label = self.screen.label((box.x, box.y + 18, box.w, 22), "", container=p, tip=self._spend_tip())
        self.spend_bar = Gauge(pygame.Rect(box.x, box.y + 43, box.w, 10), m, container=p)
        c = self.session.model.rules.at(self.session.model.state.turn)
        self.running_label = self.screen.label((box.x, box.y + 57, box.w, 20), "", object_id="#muted", container=p,
                                               tip=f"Paid every turn whatever the plan: payroll (talent × {fmt.money(c['salary'])}), "
                                                   f"chip upkeep ({c['chip_ops']:.1%} of the chips' list value) and the power "
                                                   "bill for the power your chips draw.")
        self.note = self.screen.label((box.x, box.y + 80, box.w - 84, 20), "", object_id="#muted", container=p)
        self.release_button = self.screen.button((box.right - 80, box.y + 78, 80, 24), "Release", self.release,
                                                 tip="Hand every lever you set back to the advisor, which drafts them now.",
                                                 container=p)
        self.drafts = pygame_gui.elements.UICheckBox(pygame.Rect(box.x, box.y + 112, 18, 18), "Advisor drafts each turn", m,
                                                     container=p, initial_state=self.session.advisor_drafts,
                                                     tool_tip_text="At the start of every turn your advisor (your lab's AI "
                                                                   "personality) sets every lever you have not set yourself. "
                                                                   "Off: your plan carries over as it stands.")
        self.advisor_button = self.screen.button((box.right - 150, box.y + 104, 150, 34), "Advisor's plan (A)", self.advise,
                                                 tip="Your advisor sets every lever you have not set yourself, for this turn. "
                                                     "Yours stay as they are.", container=p)

    def _spend_tip(self) -> str:
        c = self.session.model.rules.at(self.session.model.state.turn)
        return (f"What this plan spends now: chips, new data centres and power, hiring, retention and lobbying. You may spend "
                f"at most {c['max_spend_share']:.0%} of your cash in a turn; a bigger plan is scaled down evenly. Running "
                "costs (payroll, chip upkeep, the power bill) come on top.")

    # -- options ----------------------------------------------------------------------------------------
    def _chip_options(self) -> list:
        s = self.session
        model, v = s.model, s.view
        rules, st = model.rules, model.state
        options = [("Best value (auto)", "auto")]
        for k, cid in enumerate(rules.chip_ids):
            if st.turn < st.chip_arrival[0, k] or v.blocked[0, s.slot, k]:
                continue
            price = float(v.unit_price[0, s.slot, k])
            tag = " · controlled" if v.controlled[0, s.slot, k] else ""
            options.append((f"{rules.chip_names[k].split(' (')[0]} · ${price / 1e3:.0f}k{tag}", cid))
        mix = {k: w for k, w in (s.plan.chip_mix or {}).items() if w > 0}
        if len(mix) > 1:
            options.insert(1, ("Advisor's mix", "mix"))
        return options

    def _chip_selected(self) -> str:
        mix = {k: w for k, w in (self.session.plan.chip_mix or {}).items() if w > 0}
        if not mix:
            return "auto"
        return next(iter(mix)) if len(mix) == 1 else "mix"

    def _grid_options(self) -> list:
        s = self.session
        rules, st, v = s.model.rules, s.model.state, s.view
        country = int(st.country[0, s.slot])
        return [(f"{rules.grid_names[n].split(' (')[0]} · {fmt.queue(float(v.queue_wait[0, n]))}", rules.grid_ids[n])
                for n in np.flatnonzero(rules.grid_country == country)]

    def _grid_selected(self) -> str:
        s = self.session
        options = [o[1] for o in self._grid_options()]
        return s.plan.build_grid if s.plan.build_grid in options else options[0]

    # -- plan edits: the one place where input becomes a plan ----------------------------------------------
    def _set(self, field: str, value) -> None:
        self.session.plan.set(field, value)
        self._dirty = True

    def _set_chip(self, chip: str) -> None:
        if chip == "auto":
            self.session.plan.set("chip_mix", {})
        elif chip != "mix":
            self.session.plan.set("chip_mix", {chip: 1.0})
        self._dirty = True

    def _set_trio(self, trio: str, key: str, value: float) -> None:
        plan = self.session.plan
        keys = TRIOS[trio]
        value = min(max(value, 0.0), 1.0)
        others = [k for k in keys if k != key]
        rest = sum(max(getattr(plan, k), 0.0) for k in others)
        plan.set(key, value)  # the three shares become the player's together
        for k in others:
            share = max(getattr(plan, k), 0.0) / rest if rest > 1e-9 else 1.0 / len(others)
            setattr(plan, k, (1.0 - value) * share)
            self.levers[k].set_value(getattr(plan, k))
        self._dirty = True

    def advise(self) -> None:
        """The advisor fills the levers the player has not set; the player's stay as they are."""
        self.session.suggest()
        self.screen.rebuild_panel()

    def release(self) -> None:
        """Hand every lever back to the advisor, and let it draft them now."""
        self.session.plan.release()
        self.advise()

    # -- events and refresh ----------------------------------------------------------------------------------
    def handle(self, event) -> bool:
        if event.type == pygame_gui.UI_CHECK_BOX_CHECKED and event.ui_element is self.drafts:
            self.session.advisor_drafts = True
            return True
        if event.type == pygame_gui.UI_CHECK_BOX_UNCHECKED and event.ui_element is self.drafts:
            self.session.advisor_drafts = False
            return True
        for lever in self.levers.values():
            if lever.handle(event):
                return True
        return False

    def refresh(self, force: bool = False) -> None:
        if not (self._dirty or force):
            return
        self._dirty = False
        s = self.session
        pv = s.preview()
        for key, (text, warn) in lever_effects(s, pv).items():
            lever = self.levers.get(key)
            if lever is not None:
                lever.set_effect(text, warn)
        money = spend_summary(s, pv)
        if money["affordable"]:
            text = f"Spend {fmt.money(money['spend'])} of {fmt.money(money['allowed'])} you may spend"
            oid = "#good" if money["spend"] > 0 else "#muted"
        else:
            text = f"Over budget: {fmt.money(money['spend'])} > {fmt.money(money['allowed'])}; cut to {money['scale']:.0%}"
            oid = "#bad"
        if self.spend_label.text != text:
            self.spend_label.set_text(text)
        if self.spend_label.object_ids[-1] != oid:
            self.spend_label.change_object_id(oid)
        self.spend_bar.set_current_progress(min(100.0, 100.0 * money["fraction"]))
        self.running_label.set_text(f"Running costs on top: ~{fmt.money(money['running'])} a turn")
        mine = set(s.plan.mine)
        for key, lever in self.levers.items():
            lever.mark_mine(FIELDS.get(key, key) in mine)
        line, tip = advisor_note(s)
        if self.note.text != line:
            self.note.set_text(line)
            self.note.set_tooltip(tip, wrap_width=380)
        if mine and not self.release_button.is_enabled:
            self.release_button.enable()
        elif not mine and self.release_button.is_enabled:
            self.release_button.disable()
        self._refresh_texts()

    def _refresh_texts(self) -> None:
        s = self.session
        model = s.model
        st, c, rules = model.state, model.rules.at(model.state.turn), model.rules
        slot = s.slot
        rep = model.report
        muted = "#8aa0b4"
        if hasattr(self, "market_text"):
            lines = [f"<font color='{muted}'>Market share last turn: <b>{fmt.pct(float(st.share[0, slot]))}</b>; revenue "
                     f"<b>{fmt.money(float(st.revenue[0, slot]))}</b>. Your model: capability {float(st.capability[0, slot]):.2f}, "
                     f"{'open' if st.model_open[0, slot] else 'closed'}. Partners take {float(st.partner_share[0, slot]):.0%} "
                     f"of revenue.</font>"]
            self._set_html(self.market_text, "<br>".join(lines))
        if hasattr(self, "money_text"):
            value = float(rep.valuation[0, slot]) if rep is not None else None
            text = (f"<font color='{muted}'>Valuation ~<b>{fmt.money(value)}</b> (revenue × {c['revenue_multiple']:.0f} plus "
                    f"hype that grows near the frontier). Investors hold {1 - float(st.equity[0, slot]):.0%} of the lab. "
                    f"Only one of round, state backing or tokens is tried in a turn.</font>" if value else
                    f"<font color='{muted}'>Your valuation is known after the first turn. Only one of round, state backing "
                    f"or tokens is tried in a turn.</font>")
            self._set_html(self.money_text, text)
        if hasattr(self, "people_text"):
            self._set_html(self.people_text, f"<font color='{muted}'>Talent {float(st.talent[0, slot]):.2f}; payroll "
                           f"{fmt.money(float(st.talent[0, slot]) * c['salary'])} a turn. Founders who leave may start a "
                           f"rival lab, more often when retention or safety work is neglected.</font>")
        if hasattr(self, "politics_text"):
            country = int(st.country[0, slot])
            self._set_html(self.politics_text, f"<font color='{muted}'>{rules.country_names[country]}: "
                           f"{policy_line(model, country)}. Lobbying adds to any other lab's spending on the same goal.<br>"
                           f"{fmt.esc(agreements_line(model))}</font>")

        if hasattr(self, "milestone_text"):
            o = outlook(s)
            self._set_html(self.milestone_text, outlook_html(o, muted, palette().hex("bad"), palette().hex("good")))
            tip = outlook_tip(o, rules)
            if getattr(self, "_milestone_tip", None) != tip:
                self._milestone_tip = tip
                for part in self._milestone_parts:
                    part.set_tooltip(tip, wrap_width=380)

    @staticmethod
    def _set_html(box, html) -> None:
        if getattr(box, "_last_html", None) != html:
            box._last_html = html
            box.set_text(html)
