"""The briefing: the situation, the objectives, your lab and your rivals, before turn 1."""

from __future__ import annotations

import pygame
import pygame_gui

from .. import fmt
from ..backdrop import Backdrop
from ..theme import palette
from .base import Screen


class BriefingScreen(Screen):
    name = "briefing"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_RETURN: self.begin, pygame.K_KP_ENTER: self.begin, pygame.K_SPACE: self.begin,
                     pygame.K_ESCAPE: self.back}

    def build(self) -> None:
        w, h = self.app.size
        self.backdrop = Backdrop(self.app.size)
        session = self.app.session
        model = session.model
        d = model.level.data
        rules = model.rules
        cw = min(1100, w - 60)
        x0 = (w - cw) // 2
        y0 = 34
        self.label((x0, y0, cw, 20), "BRIEFING" + (" · TUTORIAL" if session.tutorial else ""), object_id="#section")
        self.label((x0, y0 + 20, cw, 36), d["title"], object_id="#heading")
        self.label((x0, y0 + 56, cw, 20), f"{fmt.quarter(rules.turn_date(0))} to {fmt.quarter(rules.turn_date(rules.horizon - 1))} · "
                   f"{rules.horizon} {rules.calendar_words()} · difficulty {model.difficulty}", object_id="#muted")
        left = int(cw * 0.56)
        objectives = "".join(f"<br>• {fmt.esc(o)}" for o in d["objectives"])
        html = f"{fmt.esc(d['briefing'])}<br><br><font color='#f2b84b'><b>OBJECTIVES</b></font>{objectives}"
        if session.tutorial:
            html += ("<br><br><font color='#4cc38a'><b>TUTORIAL</b></font><br>After this briefing, a guide points at each "
                     "control in turn. Follow it, then end your first turn.")
        body_h = h - (y0 + 90) - 90
        self.text_box((x0, y0 + 88, left, body_h), html)
        slot = session.slot
        me = next(lab for lab in d["labs"] if lab["id"] == rules.lab_ids[slot])
        s, view = model.state, session.view
        rivals = sorted((float(s.capability[0, i]), model.lab_name(i), rules.country_ids[int(s.country[0, i])].upper())
                        for i in range(rules.n_level_labs) if i != slot and s.alive[0, i])[::-1]
        rival_lines = "".join(f"<br>{fmt.esc(name)} ({c}) · capability {cap:.2f}" for cap, name, c in rivals)
        colour = palette().hex("us") if me["country"] == "us" else palette().hex("cn")
        card = (f"<font color='#8aa0b4'>YOU STEER</font><br><font color='{colour}' size=5><b>{fmt.esc(me['name'])}</b></font><br>"
                f"{fmt.esc(me['blurb'])}<br><br><b>Cash</b> {fmt.money(float(s.cash[0, slot]))} · "
                f"<b>Compute</b> {fmt.count(float(view.h100e[0, slot]))} H100e<br>"
                f"<b>Power</b> {fmt.mw(float(view.site_mw[0, slot]))} usable · <b>Capability</b> {float(s.capability[0, slot]):.2f}"
                f"<br><br><font color='#8aa0b4'>RIVALS</font>{rival_lines}")
        self.text_box((x0 + left + 20, y0 + 88, cw - left - 20, body_h), card)
        by = h - 70
        # Newcomers get the guided tour unless they have seen it (or say no here).
        self.guide = pygame_gui.elements.UICheckBox(pygame.Rect(x0 + 190, by + 13, 18, 18), "Guide me around the screen",
                                                    self.manager, initial_state=session.tutorial or not self.app.settings.tutorial_seen,
                                                    tool_tip_text="A short tour: each part of the main screen lit up and "
                                                                  "explained in turn, ending with your first End turn.")
        self.button((x0, by, 160, 44), "Back", self.back, tip="Back to the title screen (Esc).")
        self.begin_button = self.button((x0 + cw - 240, by, 240, 44), "Begin  »", self.begin,
                                        tip="Take your seat (Enter).", object_id="#primary")

    def begin(self) -> None:
        session = self.app.session
        session.autosave()
        main = "main"
        guided = self.guide.get_state()
        self.app.reset_to(main)
        if guided:

            self.app.push("tutorial")

    def back(self) -> None:
        self.app.session = None
        self.app.reset_to("title")

    def draw_below_widgets(self, surface) -> None:
        self.backdrop.draw(surface, self.app.time)
        veil = pygame.Surface(self.app.size, pygame.SRCALPHA)
        veil.fill((8, 12, 18, 170))
        surface.blit(veil, (0, 0))
