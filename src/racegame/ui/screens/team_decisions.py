"""What each team decided, for the facilitator's eyes (D in the facilitator's panel).

For every team: where it stands this turn (decided, deciding, still to come), its plan as it
stands now, and what it changed turn by turn before (``racegame.story``: changes only).
Teams take the screen in turn, so this opens only from the facilitator's panel.
"""

from __future__ import annotations

import html

import pygame

from ...lessons import game_turn
from ...story import by_seat, changes, describe, plan_entry
from ..theme import palette, team_colour
from .base import Overlay


def decisions_html(classroom) -> str:
    model = classroom.model
    rules = model.rules
    p = palette()
    muted = p.hex("muted")
    log = by_seat(model.orders_log)
    turn = model.state.turn
    out = []
    for i, team in enumerate(classroom.teams):
        colour = team_colour(team.colour)
        head = (f"<font color='#{colour.r:02x}{colour.g:02x}{colour.b:02x}'><b>{html.escape(team.name)}</b></font> · "
                f"{html.escape(classroom.title_of(team))}")
        if not classroom.team_alive(team):
            status = "out of the race"
        elif classroom.active is team:
            status = "deciding now"
        elif i < classroom.current or (i == classroom.current and classroom.active is None and classroom.over):
            status = "has decided"
        else:
            status = "still to decide"
        lines = [f"{head} <font color='{muted}'>· turn {game_turn(turn)}: {status}</font>"]
        if classroom.team_alive(team) and not classroom.over:
            lines.append(f"<b>Plan now:</b> {html.escape(describe(plan_entry(model, team.seat, team.plan), rules))}")
        earlier = log.get(team.seat, {})
        before = None
        told = 0
        for t in sorted(earlier):
            text = changes(before, earlier[t], rules)
            before = earlier[t]
            if text:  # a turn in which the team changed nothing is not listed
                lines.append(f"<font color='{muted}'>Turn {game_turn(t)}:</font> {html.escape(text)}")
                told += 1
        if earlier and not told:
            lines.append(f"<font color='{muted}'>No change to its plan (or the policy in force) so far.</font>")
        out.append("<br>".join(lines))
    return "<br><br>".join(out)


class TeamDecisionsScreen(Overlay):
    name = "team_decisions"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_ESCAPE: self.close, pygame.K_d: self.close, pygame.K_F9: self.close}

    def build(self) -> None:
        card = self.card(940, 620)
        r = pygame.Rect(0, 0, self.rect.w - 4, self.rect.h - 4)
        self.label((24, 14, r.w - 48, 34), "Teams' decisions", object_id="#heading", container=card)
        self.label((24, 48, r.w - 48, 20), "For the facilitator: teams' choices stay private until the debrief. "
                   "Each turn lists only what a team changed.", object_id="#muted", container=card)
        self.body = self.text_box((20, 76, r.w - 40, r.h - 140), decisions_html(self.app.session), container=card)
        self.close_button = self.button((r.w - 160, r.h - 56, 140, 40), "Close (Esc)", self.close, object_id="#primary",
                                        container=card, tip="Back to the facilitator's panel.")

    def close(self) -> None:
        self.app.pop(self)
