"""The facilitator's panel (F9, or the Facilitator button on every classroom screen).

Pause the game (the countdown freezes and the screen is covered), inject an event from the
level's list or the catalogue, in its own words or the facilitator's (it happens when the
current turn is played, and its news says so), see what each team decided, give the
deciding team another minute, show the projector view, or step back one turn. The deciding
team's clock holds while the panel is open.
"""

from __future__ import annotations

import html

import pygame
import pygame_gui

from .. import fmt
from ..backdrop import Backdrop
from ..host import headless
from ..reporting import ReportJob, announce_report
from ..theme import font, palette
from ..widgets.team_clock import clock_text
from . import hotseat
from .base import Overlay, Screen

KIND_WORDS = {"catalogue": "catalogue", "scripted": "this scenario", "random": "this scenario (random)"}


class FacilitatorPanel(Overlay):
    name = "facilitator"

    def __init__(self, app):
        super().__init__(app)
        self.selected: str | None = None
        self.keys = {pygame.K_ESCAPE: self.close, pygame.K_F9: self.close, pygame.K_p: self.pause,
                     pygame.K_PLUS: self.extend, pygame.K_EQUALS: self.extend, pygame.K_KP_PLUS: self.extend,
                     pygame.K_v: self.projector, pygame.K_F10: self.projector, pygame.K_b: self.step_back,
                     pygame.K_i: self.inject, pygame.K_r: self.report, pygame.K_d: self.decisions}

    @property
    def classroom(self):
        return self.app.session

    def build(self) -> None:
        classroom = self.classroom
        card = self.card(940, 600)
        r = pygame.Rect(0, 0, self.rect.w - 4, self.rect.h - 4)
        model = classroom.model
        self.label((24, 14, 400, 34), "Facilitator", object_id="#heading", container=card)
        self.status = self.label((24, 48, r.w - 48, 20), self._status(), object_id="#muted", container=card)
        left = 260
        self.label((24, 80, left, 18), "THE GAME", object_id="#section", container=card)
        extend_text = f"+1 minute for {classroom.active.name}" if classroom.active is not None else "+1 minute"
        specs = [("pause", "Pause the game (P)", self.pause, "Freeze the countdown and cover the screen until you resume."),
                 ("extend", extend_text, self.extend, "Give the team at the screen one more minute (+)."),
                 ("projector", "Projector view (V)", self.projector,
                  "Big charts, standings and news for the whole room (F10 anywhere)."),
                 ("decisions", "Teams' decisions (D)", self.decisions,
                  "What each team has set this turn and what it changed in the turns before. For your eyes only."),
                 ("step_back", "Step back one turn (B)", self.step_back,
                  "Undo the last turn: the world returns to where it was, and every team decides that turn again."),
                 ("report", "Debrief report now (R)", self.report,
                  "Write the debrief report of the game so far (for a class that ends before the game does): the story, "
                  "charts, the level's questions, what-if batches. It opens in the browser."),
                 ("close", "Close (Esc)", self.close, "Back to the game; the clock runs again.")]
        self.buttons = {}
        for i, (key, text, action, tip) in enumerate(specs):
            self.buttons[key] = self.button((24, 102 + i * 46, left, 40), text, action, tip=tip, container=card,
                                            object_id="#primary" if key == "close" else "#menu_item")
        if classroom.active is None or not classroom.countdown:
            self.buttons["extend"].disable()
        if not classroom.can_step_back:
            self.buttons["step_back"].disable()
        if classroom.model.state.turn == 0:
            self.buttons["report"].disable()
        self._announced = True
        self._show_report()
        self.label((24, 432, left, 18), "SAME WORLD FOR EVERY GROUP", object_id="#section", container=card)
        self.text_box((20, 452, left + 8, 128),
                      f"Level <b>{html.escape(model.level.title)}</b><br>Seed <font size=5 color='#f2b84b'><b>{model.seed}"
                      f"</b></font><br><font color='#8aa0b4'>Groups that start this level with this seed get the same "
                      f"world and the same random events.</font>", object_id="#plain_text", container=card)
        x1 = 24 + left + 28
        w1 = r.w - x1 - 24
        self.label((x1, 80, w1, 18), "INJECT AN EVENT: IT HAPPENS WHEN THIS TURN IS PLAYED", object_id="#section", container=card)
        self.events = classroom.events()
        items = [(f"{e['title']}  ·  {KIND_WORDS[e['kind']]}" + (f", {e['when']}" if e["kind"] != "catalogue" else ""), e["id"])
                 for e in self.events]
        self.list = pygame_gui.elements.UISelectionList(pygame.Rect(x1, 102, w1, 250), items, self.manager, container=card)
        self.detail = self.text_box((x1, 358, w1, 84), "<font color='#8aa0b4'>Pick an event to read what it does.</font>",
                                    object_id="#plain_text", container=card)
        self.label((x1, 446, 150, 26), "Your headline", object_id="#lever_name", container=card,
                   tip="Optional: the news the room reads, in your words (\"A storm hits Texas\"). The event's effect "
                       "is the one picked in the list.")
        self.headline = pygame_gui.elements.UITextEntryLine(pygame.Rect(x1 + 150, 444, w1 - 150, 30), self.manager,
                                                            container=card, placeholder_text="(optional) in your words")
        self.headline.set_text_length_limit(160)
        self.inject_button = self.button((x1, 478, 220, 40), "Inject at this turn (I)", self.inject, object_id="#primary",
                                         tip="Queue the event: it happens when every team has decided and the turn is played.",
                                         container=card)
        self.inject_button.disable()
        self.cancel_button = self.button((x1 + 230, 478, 190, 40), "Cancel queued events", self.cancel,
                                         tip="Take back every event queued for this turn.", container=card)
        self.queued_label = self.text_box((x1, 524, w1, 56), "", object_id="#plain_text", container=card)
        self._show_queue()

    def _status(self) -> str:
        classroom = self.classroom
        model = classroom.model
        rules = model.rules
        parts = [f"Turn {min(model.state.turn + 1, rules.horizon)} of {rules.horizon}",
                 fmt.quarter(rules.turn_date(min(model.state.turn, rules.horizon - 1)))]
        if classroom.active is not None:
            team = classroom.active
            parts.append(f"{team.name} deciding" + (f", {clock_text(classroom.remaining)} left" if classroom.countdown else ""))
        elif not classroom.over:
            parts.append(f"{classroom.deciding.name} is next")
        parts.append(f"countdown {clock_text(classroom.countdown)} a team" if classroom.countdown else "no countdown")
        parts.append("fog of war on" if classroom.fog else "no fog of war")
        return " · ".join(parts)

    def _show_queue(self) -> None:
        classroom = self.classroom
        queued = classroom.queued
        if queued:
            titles = ", ".join(html.escape(classroom.event_title(e) + (f' ("{classroom.headlines[e]}")' if e in classroom.headlines
                                                                       else "")) for e in queued)
            text = f"<font color='#f2b84b'><b>Queued for this turn:</b></font> {titles}. Its news appears in the turn summary."
        else:
            text = "<font color='#8aa0b4'>Nothing queued.</font>"
        self.queued_label.set_text(text)
        if queued:
            self.cancel_button.enable()
        else:
            self.cancel_button.disable()

    # -- actions -------------------------------------------------------------------------------------
    def on_ui_event(self, event) -> None:
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.list:
            chosen = self.list.get_single_selection(include_object_id=True)
            self.select(chosen[1] if chosen else None)
        elif event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION and event.ui_element is self.list:
            self.inject()

    def select(self, event_id: str | None) -> None:
        self.selected = event_id
        e = next((e for e in self.events if e["id"] == event_id), None)
        if e is None:
            self.inject_button.disable()
            return
        amount = e["amount"]
        effect = e["effect"].replace("_", " ")
        target = f" on {e['target']}" if e["target"] else ""
        size = f" ({amount:+g})" if amount else ""
        lasting = f" for {e['duration']} turn{'s' * (e['duration'] != 1)}" if e["duration"] else ""
        self.detail.set_text(f"<b>{html.escape(e['title'])}</b><br>{html.escape(e['news'])}<br>"
                             f"<font color='#8aa0b4'>Effect: {html.escape(effect)}{html.escape(target)}{size}{lasting}.</font>")
        self.inject_button.enable()

    def inject(self) -> None:
        if self.selected is None or self.classroom.over:
            return
        headline = self.headline.get_text()
        self.classroom.inject(self.selected, headline)
        self.classroom.autosave()
        self.headline.set_text("")
        self._show_queue()

    def cancel(self) -> None:
        self.classroom.cancel_injects()
        self._show_queue()

    def extend(self) -> None:
        if self.classroom.extend(60):
            self.status.set_text(self._status())
            self.buttons["extend"].set_text(f"+1 minute for {self.classroom.active.name}")

    def pause(self) -> None:
        self.app.pop(self)
        self.app.push("class_pause")

    def decisions(self) -> None:
        self.app.push("team_decisions")

    def projector(self) -> None:
        self.app.pop(self)
        hotseat.open_projector(self.app)

    def step_back(self) -> None:
        classroom = self.classroom
        if not classroom.can_step_back:
            return
        rules = classroom.model.rules
        back_to = fmt.quarter(rules.turn_date(classroom.model.state.turn - 1))
        self.app.push("confirm", "Step back one turn?",
                                    f"The last turn is undone: the world returns to {back_to}, and every team decides "
                                    "that turn again, starting with the first team.", self._do_step_back, "Step back")

    def _do_step_back(self) -> None:
        if self.classroom.step_back():
            hotseat.start_turn(self.app)

    def report(self) -> None:
        classroom = self.classroom
        job = classroom.report_job
        if classroom.model.state.turn == 0 or (job is not None and not job.done):
            return
        classroom.report_job = ReportJob(classroom.model, show=not headless())
        self._announced = False
        self._show_report()

    def _show_report(self) -> None:
        job = self.classroom.report_job
        button = self.buttons["report"]
        busy = job is not None and not job.done
        if busy and button.is_enabled:
            button.disable()
            button.set_text("Writing the report...")
        elif not busy and not button.is_enabled and self.classroom.model.state.turn > 0:
            button.enable()
            button.set_text("Debrief report now (R)")

    def close(self) -> None:
        self.app.pop(self)

    def update(self, dt: float) -> None:
        super().update(dt)
        text = self._status()
        if self.status.text != text:
            self.status.set_text(text)
        self._show_report()
        job = self.classroom.report_job
        if job is not None and job.done and not self._announced and self.app.top is self:
            self._announced = True
            announce_report(self.app, job)


class PausedScreen(Screen):
    """The facilitator's pause: the whole screen covered, the countdown frozen."""

    name = "class_pause"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_RETURN: self.resume, pygame.K_SPACE: self.resume, pygame.K_p: self.resume,
                     pygame.K_ESCAPE: self.resume, pygame.K_F9: self.resume}

    def build(self) -> None:
        w, h = self.app.size
        self.backdrop = Backdrop(self.app.size)
        self.app.session.paused = True
        self.resume_button = self.button((w // 2 - 140, int(h * 0.62), 280, 56), "Resume", self.resume,
                                         tip="Back to the game; the countdown runs again (Enter).", object_id="#big_primary")

    def resume(self) -> None:
        self.app.session.paused = False
        self.app.pop(self)

    def on_exit(self) -> None:
        if self.app.session is not None:
            self.app.session.paused = False
        super().on_exit()

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        w, h = self.app.size
        self.backdrop.draw(surface, self.app.time)
        veil = pygame.Surface(self.app.size, pygame.SRCALPHA)
        veil.fill((8, 12, 18, 215))
        surface.blit(veil, (0, 0))
        head = font(72, True).render("Paused", True, p.text_bright)
        surface.blit(head, ((w - head.get_width()) // 2, int(h * 0.28)))
        classroom = self.app.session
        line = "The facilitator has paused the game."
        if classroom.active is not None and classroom.countdown:
            line += f" {classroom.active.name} has {clock_text(classroom.remaining)} left."
        img = font(24).render(line, True, p.muted)
        surface.blit(img, ((w - img.get_width()) // 2, int(h * 0.28) + head.get_height() + 16))
