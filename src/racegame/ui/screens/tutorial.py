"""The tutorial: a guided walk over the main screen, one control at a time.

Each step lights up one part of the screen (the rest is dimmed) and explains it in a card
beside it. The last step hands over to the player: end your first turn.
"""

from __future__ import annotations

import math

import pygame
import pygame_gui

from .. import fmt
from ..settings_store import save_settings
from ..theme import palette
from .base import Overlay

STEPS = (
    (None, "Welcome", "You run {lab}. Each turn is a quarter: set this turn's plan in the panel on the left, end the "
                      "turn, then read what happened and why. The game ends when a lab reaches AGI, safely or not, or "
                      "at the horizon."),
    ("top", "Your numbers", "Cash, compute, power, capability, safety and rank, with last turn's change. Hover any "
                            "of them: the tooltip says what it is and how it is computed."),
    ("panel.tabs", "Six groups of levers", "On the left: capital, compute, market, money, people and politics, every "
                                           "choice a lab has. Keys 1 to 6 switch between them."),
    ("panel.levers", "Cost and effect first", "Under each lever, a line says what it costs and what it will do, before you "
                                              "commit. Try it: drag the chip budget and watch the line below it change."),
    ("panel.summary", "Your plan and your advisor", "What the plan spends this turn: at most {spend} of your cash. Your "
                                                    "advisor drafts every lever you leave alone, each turn; a lever you "
                                                    "move is yours (marked 'yours') and the advisor keeps it. Following "
                                                    "the advisor is a sound way to start."),
    ("map", "The world", "Grids turn from green to red as they fill up: a red grid curtails data centres. Your data "
                         "centres are gold; chips ship along the arcs; the red wall is US export controls."),
    ("charts", "The race", "Capability of every lab (you in gold), each country's share of the world's AI compute, and "
                           "your cash. The violet line is AGI."),
    ("futures", "Futures", "Press F to play 1,000 futures of your plan as the game will play it (with your advisor's "
                           "drafts): your odds of winning, of catastrophe, and where you could be in two years."),
    ("end_turn", "Your turn", "When the plan looks right, end the turn. The report will name what held you back: cash, "
                              "chips, export controls, power, the grid queue or talent."),
)


class TutorialOverlay(Overlay):
    name = "tutorial"
    dim = False

    def __init__(self, app, step: int = 0):
        super().__init__(app)
        self.step = step
        self.start_turn = app.session.model.state.turn if app.session else 0
        self.keys = {pygame.K_RIGHT: self.next, pygame.K_RETURN: self.next, pygame.K_SPACE: self.next,
                     pygame.K_LEFT: self.back, pygame.K_ESCAPE: self.skip}

    def _main(self):
        return self.app.find("main", "team_lab")

    def target(self) -> pygame.Rect | None:
        key = STEPS[self.step][0]
        main = self._main()
        if key is None or main is None:
            return None
        return main.regions.get(key)

    def build(self) -> None:
        w, h = self.app.size
        key, title, text = STEPS[self.step]
        session = self.app.session
        text = text.format(lab=fmt.esc(session.model.lab_name(session.slot)),
                           spend=f"{session.model.rules.c['max_spend_share']:.0%}")
        card_w, card_h = 380, 230
        target = self.target()
        if target is None:
            rect = pygame.Rect((w - card_w) // 2, (h - card_h) // 2, card_w, card_h)
        else:
            rect = self._place(target, card_w, card_h)
        self.rect = rect
        card = pygame_gui.elements.UIPanel(rect, 1, self.manager, object_id="#dialog")
        self.label((16, 12, card_w - 40, 20), f"TUTORIAL · STEP {self.step + 1} OF {len(STEPS)}", object_id="#section",
                   container=card)
        self.label((16, 32, card_w - 40, 30), title, object_id="#subheading", container=card)
        self.text_box((10, 62, card_w - 24, card_h - 120), text, object_id="#plain_text", container=card)
        last = self.step == len(STEPS) - 1
        self.skip_button = self.button((12, card_h - 52, 90, 36), "Skip", self.skip, tip="Leave the tutorial (Esc).",
                                       container=card)
        self.back_button = self.button((card_w - 222, card_h - 52, 90, 36), "Back", self.back, container=card)
        if self.step == 0:
            self.back_button.disable()
        self.next_button = self.button((card_w - 126, card_h - 52, 110, 36), "End turn" if last else "Next", self.next,
                                       tip="Enter", object_id="#primary", container=card)

    # The lit-up control stays live: the player can try it while the guide explains it.
    def process_event(self, event) -> None:
        main = self._main()
        target = self.target()
        pos = getattr(event, "pos", None)
        if main is not None and target is not None and pos is not None \
                and event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP) \
                and target.collidepoint(pos) and not self.rect.collidepoint(pos):
            main.process_event(event)
            return
        element = getattr(event, "ui_element", None)
        if main is not None and event.type >= pygame.USEREVENT and getattr(element, "ui_manager", None) is main.manager:
            main.process_event(event)  # what the live control reported (a slider moved, a button pressed)
            return
        super().process_event(event)

    def update(self, dt: float) -> None:
        main = self._main()
        if main is not None:
            main.update(dt)
        super().update(dt)

    def on_uncover(self) -> None:
        # The player ended the turn from the lit-up button: the tour has done its job.
        if self.app.session is None or self.app.session.model.state.turn != self.start_turn:
            self.finish()

    def _place(self, target: pygame.Rect, cw: int, ch: int) -> pygame.Rect:
        w, h = self.app.size
        options = [pygame.Rect(target.right + 16, target.y, cw, ch), pygame.Rect(target.x - cw - 16, target.y, cw, ch),
                   pygame.Rect(target.x, target.bottom + 16, cw, ch), pygame.Rect(target.x, target.y - ch - 16, cw, ch)]
        screen = pygame.Rect(0, 0, w, h)
        for r in options:
            r = r.clamp(screen)
            if not r.colliderect(target):
                return r
        r = pygame.Rect(0, 0, cw, ch)
        r.center = screen.center
        return r

    def next(self) -> None:
        if self.step + 1 < len(STEPS):
            self.step += 1
            self.rebuild()
        else:
            main = self._main()
            self.finish()
            if main is not None:
                main.end_turn()

    def back(self) -> None:
        if self.step > 0:
            self.step -= 1
            self.rebuild()

    def skip(self) -> None:
        self.finish()

    def finish(self) -> None:
        self.app.settings.tutorial_seen = True
        save_settings(self.app.settings)
        if self.app.session is not None:
            self.app.session.tutorial = False
        self.app.pop(self)

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        w, h = self.app.size
        target = self.target()
        shade = (5, 8, 12, 175)
        veil = pygame.Surface((w, h), pygame.SRCALPHA)
        veil.fill(shade)
        if target is not None:
            hole = target.inflate(10, 10)
            veil.fill((0, 0, 0, 0), hole)
        surface.blit(veil, (0, 0))
        if target is not None:
            pulse = int(2 + 2 * (1 + math.sin(self.app.time * 5)))
            pygame.draw.rect(surface, p.accent, target.inflate(10 + pulse, 10 + pulse), 3, border_radius=10)
