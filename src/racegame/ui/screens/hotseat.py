"""The hot-seat turn of a classroom game, and its hand-over screen.

A turn goes: for each team in order, a hand-over screen (nothing of the previous team is
left: its screen is closed, not covered), then that team's desk with its countdown; when the
last team is done the turn resolves and the whole room sees the turn summary. These
functions move between those screens; ``Classroom`` keeps the state.
"""

from __future__ import annotations

import pygame

from ...errors import RangeError
from .. import fmt
from ..backdrop import Backdrop
from ..textfit import wrap
from ..theme import country_colour, font, palette, team_colour
from ..widgets.team_clock import clock_text
from .base import Screen
from .dialogs import stop_game


def start_turn(app) -> None:
    """The next turn's first team (or the end, if the game is over)."""
    classroom = app.session
    if classroom.over:

        app.reset_to("end")
        return
    classroom.current = classroom.first_index()
    show_handover(app)


def resume(app) -> None:
    """A loaded classroom game: back to the hand-over of the team whose turn it was."""
    classroom = app.session
    if classroom.over:

        app.reset_to("end")
        return
    if not classroom.team_alive(classroom.deciding):
        classroom.current = classroom.first_index()
    show_handover(app)


def show_handover(app) -> None:
    classroom = app.session
    classroom.active = None
    classroom.autosave()  # a game stopped mid-turn resumes at this team's hand-over
    app.reset_to("handover")


def begin_team(app) -> None:
    """The team at the hand-over pressed Start: its desk, its clock running."""

    classroom = app.session
    team = classroom.begin()
    app.reset_to("government" if team.kind == "government" else "team_lab")


def team_done(app) -> None:
    """The team at the screen is done (or out of time): hand over, or play the turn."""
    classroom = app.session
    if classroom.finish() is not None:
        show_handover(app)
    else:
        resolve(app)


def time_up(app) -> None:
    classroom = app.session
    if classroom.active is not None:
        classroom.timed_out = classroom.active.name
        app.sound.play("alert")
    team_done(app)


def resolve(app) -> None:
    classroom = app.session
    app.sound.play("end_turn")
    try:
        classroom.resolve()
    except RangeError as exc:
        stop_game(app, exc)
        return
    app.reset_to("class_summary")


def open_facilitator(app) -> None:
    if getattr(app.top, "name", "") != "facilitator":
        app.push("facilitator")


def open_projector(app) -> None:
    top = app.top
    if getattr(top, "name", "") == "projector":
        app.pop(top)
    else:
        app.push("projector")


def done_button(screen, r: pygame.Rect, width: int, action, chosen: str):
    """A team desk's Done button at the right of its bottom row: it hands over, or plays the
    turn when this is the last team. ``chosen`` says what the team has set ("policy", "plan")."""
    last = not screen.app.session.later_teams()
    return screen.button((r.right - width, r.y, width, r.h), "Done: play the turn  »" if last else "Done: hand over  »",
                         action, object_id="#primary",
                         tip=f"Your {chosen} is set: " + ("every team has decided, so the turn is played (Enter)."
                                                          if last else "the next team takes the screen (Enter)."))


def classroom_keys(screen) -> dict:
    """The facilitator's keys, on every classroom screen."""
    return {pygame.K_F9: lambda: open_facilitator(screen.app), pygame.K_F10: lambda: open_projector(screen.app)}


class HandOverScreen(Screen):
    """Between two teams: who is next, nothing of who was before."""

    name = "handover"

    def __init__(self, app):
        super().__init__(app)
        self.team = app.session.deciding
        self.keys = {pygame.K_RETURN: self.start, pygame.K_KP_ENTER: self.start, pygame.K_SPACE: self.start,
                     pygame.K_ESCAPE: self.menu, **classroom_keys(self)}

    def build(self) -> None:
        w, h = self.app.size
        self.backdrop = Backdrop(self.app.size)
        classroom = self.app.session
        self.card_rect = pygame.Rect(0, 0, min(820, w - 80), min(480, h - 60))
        self.card_rect.center = (w // 2, h // 2 - 16)
        r = self.card_rect
        self.start_button = self.button((r.centerx - 150, r.bottom - 100, 300, 60), "Start  »", self.start,
                                        tip="Show this team's desk and start its clock (Enter).", object_id="#big_primary")
        # Nothing where the desks have Done: a double-clicked Done must not press anything here.
        self.menu_button = self.button((14, h - 50, 150, 38), "Menu (Esc)", self.menu, tip="Save, load, settings, quit.")
        self.facilitator_button = self.button((172, h - 50, 176, 38), "Facilitator (F9)",
                                              lambda: open_facilitator(self.app),
                                              tip="Pause, inject an event, extend the timer, projector view, step back.")
        model = classroom.model
        turn = model.state.turn
        self.lines = {
            "turn": f"TURN {turn + 1} OF {model.rules.horizon} · {fmt.quarter(model.rules.turn_date(turn)).upper()}",
            "title": classroom.title_of(self.team) + (
                f" · an AI lab in {model.rules.country_names[model.rules.country_ids.index(classroom.home_country_of(self.team))]}"
                if self.team.kind == "lab" else ""),
            "brief": classroom.brief_of(self.team),
            "clock": (f"You have {clock_text(classroom.countdown)} to decide." if classroom.countdown
                      else "No time limit: press Done when your team has decided."),
            "later": ", ".join(t.name for t in classroom.later_teams()),
            "timed_out": classroom.timed_out,
        }

    def start(self) -> None:
        self.app.sound.play("click")
        begin_team(self.app)

    def menu(self) -> None:
        self.app.push("pause")

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        self.backdrop.draw(surface, self.app.time)
        veil = pygame.Surface(self.app.size, pygame.SRCALPHA)
        veil.fill((8, 12, 18, 200))
        surface.blit(veil, (0, 0))
        r = self.card_rect
        colour = team_colour(self.team.colour)
        pygame.draw.rect(surface, p.panel, r, border_radius=16)
        pygame.draw.rect(surface, colour, r, 3, border_radius=16)
        pygame.draw.rect(surface, colour, (r.x, r.y, r.w, 10), border_top_left_radius=16, border_top_right_radius=16)
        cx = r.centerx
        y = r.y + 30
        img = font(15, True).render(self.lines["turn"], True, p.muted)
        surface.blit(img, (cx - img.get_width() // 2, y))
        y += 30
        name = font(52, True).render(self.team.name, True, colour)
        if name.get_width() > r.w - 60:
            name = pygame.transform.smoothscale_by(name, (r.w - 60) / name.get_width())
        surface.blit(name, (cx - name.get_width() // 2, y))
        y += name.get_height() + 2
        seat_colour = country_colour(self.app.session.home_country_of(self.team))
        img = font(26, True).render(self.lines["title"], True, seat_colour)
        surface.blit(img, (cx - img.get_width() // 2, y))
        y += img.get_height() + 6
        img = font(22).render("your turn — press Start when ready", True, p.text_bright)
        surface.blit(img, (cx - img.get_width() // 2, y))
        y += img.get_height() + 14
        body = font(16)
        for line in wrap(self.lines["brief"], body, r.w - 120)[:3]:
            img = body.render(line, True, p.text)
            surface.blit(img, (cx - img.get_width() // 2, y))
            y += body.get_linesize()
        y += 8
        img = font(17, True).render(self.lines["clock"], True, p.accent)
        surface.blit(img, (cx - img.get_width() // 2, y))
        y += img.get_height() + 4
        note = "The previous team's choices are hidden. Only this team should be at the screen now."
        img = font(14).render(note, True, p.muted)
        surface.blit(img, (cx - img.get_width() // 2, y))
        if self.lines["later"]:
            img = font(14).render(f"Still to decide this turn: {self.lines['later']}", True, p.muted)
            surface.blit(img, (cx - img.get_width() // 2, r.bottom - 32))
        if self.lines["timed_out"]:
            text = f"Time ran out for {self.lines['timed_out']}: their plan as it stood was kept."
            img = font(15, True).render(text, True, p.warn)
            surface.blit(img, (cx - img.get_width() // 2, r.y - img.get_height() - 8))
