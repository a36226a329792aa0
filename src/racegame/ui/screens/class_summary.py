"""The turn summary of a classroom game, for the whole room: the level's discussion prompt
for the turn (if it has one) in large type, each team's result, and the turn's news with
scripted and facilitator injects marked.

In a fog-of-war game the room sees each lab team's constraint and releases but not its
figures (every team is watching the same screen); policies and national compute shares are
public.
"""

from __future__ import annotations

import html

import pygame

from ...engine.step import BINDING
from .. import fmt
from ..explain import binding_name
from ..textfit import wrap
from ..theme import font, palette, team_colour
from ..widgets.ticker import KIND_COLOURS
from . import hotseat
from .base import Screen


def _hex(colour) -> str:
    return f"#{colour.r:02x}{colour.g:02x}{colour.b:02x}"


def _row(columns: dict, lab: str) -> dict | None:
    for i, name in enumerate(columns["lab"]):
        if name == lab:
            return {k: v[i] for k, v in columns.items()}
    return None


def team_lines(classroom) -> str:
    """HTML: what the last turn did for each team."""
    model = classroom.model
    rules, s = model.rules, model.state
    p = palette()
    good, bad = p.hex("good"), p.hex("bad")
    history = classroom.room.history()
    after, before = history[-1], history[-2] if len(history) >= 2 else None
    played = s.turn - 1
    news = [n for n in model.news if n.turn == played]
    out = []
    for team in classroom.teams:
        colour = _hex(team_colour(team.colour))
        head = f"<font color='{colour}'><b>{html.escape(team.name)}</b></font> · {html.escape(classroom.title_of(team))}"
        lines = []
        if team.kind == "lab":
            slot = rules.lab_ids.index(team.seat)
            now, was = _row(after, team.seat), _row(before, team.seat) if before else None
            if not classroom.team_alive(team):
                lines.append(f"<font color='{bad}'>Out of the race: the lab ran out of money.</font>")
            else:
                if not classroom.fog and now is not None:
                    cap, cash = float(now["capability"]), float(now["cash_usd"])
                    dcap = cap - float(was["capability"]) if was else 0.0
                    dcash = cash - float(was["cash_usd"]) if was else 0.0
                    rank = sorted((float(c) for c, a in zip(after["capability"], after["alive"]) if a), reverse=True).index(cap) + 1
                    lines.append(f"Capability <b>{cap:.2f}</b> ({dcap:+.2f}) · #{rank} · cash {fmt.money(cash)} "
                                 f"({fmt.money(dcash, True)}) · safety {float(now['safety']):.2f}")
                why = BINDING[int(s.binding[0, slot])]
                lines.append(f"<font color='{good}'>Nothing held it back.</font>" if why == "none" else
                             f"Held back by <font color='{bad}'>{binding_name(why)}</font>.")
                mine = [n.text for n in news if n.lab == slot and n.kind in ("release", "money", "safety", "people")]
                if mine:
                    lines[-1] += " " + " ".join(html.escape(t) for t in mine[:2])
        else:
            g = rules.country_ids.index(team.seat)
            share = float(classroom.view.compute_share[0, g])
            lines.append(f"Compute share <b>{share:.0%}</b> · tier {int(s.export_tier[0, g])}, enforcement "
                         f"{float(s.enforcement[0, g]):.0%} · subsidies {fmt.money(float(s.subsidy[0, g]))} · permits "
                         f"×{float(s.permitting[0, g]):.1f} · regulation {float(s.regulation[0, g]):.0%}"
                         + (" · mineral ban" if s.retaliation[0, g] else "") + (" · national project" if s.mega_started[0, g] else "")
                         + (f" · {float(s.pool[0, g]):.0%} pooled" if s.pool[0, g] > 0 else ""))
        out.append(head + "<br>" + "<br>".join(lines))
    return ("<br><br>" if len(out) <= 3 else "<br>").join(out)


def news_lines(classroom) -> str:
    """HTML: the turn's news, injects first and marked."""
    model = classroom.model
    p = palette()
    played = model.state.turn - 1
    scripted = {e.get("news") or e.get("title") for e in model.level.data["events"] if e["turn"] == played and not e.get("on_demand")}

    def mark(n):
        if n.tone == "injected":
            return "INJECTED BY THE FACILITATOR"
        return "SCRIPTED" if n.kind == "event" and n.text in scripted else None

    items = sorted((n for n in model.news if n.turn == played), key=lambda n: (mark(n) is None, -n.weight))
    lines = []
    for n in items[:14]:
        tag = mark(n)
        kind = f"<font color='{p.hex(KIND_COLOURS.get(n.kind, 'muted'))}'>{n.kind.upper()}</font>"
        if tag:
            lines.append(f"<font color='{p.hex('accent')}'><b>{tag}</b></font> {kind} <b>{html.escape(n.text)}</b>")
        else:
            lines.append(f"{kind} {html.escape(n.text)}")
    if not lines:
        lines.append(f"<font color='{p.hex('muted')}'>A quiet turn: no major news.</font>")
    if classroom.queued:
        titles = ", ".join(html.escape(classroom.event_title(e)) for e in classroom.queued)
        lines.append(f"<br><font color='{p.hex('warn')}'>Queued for next turn: {titles}</font>")
    return "<br>".join(lines)


class ClassroomSummaryScreen(Screen):
    name = "class_summary"
    CLICK_GUARD = 0.6  # seconds: the second click of a double-clicked Done must not skip the summary

    def __init__(self, app):
        super().__init__(app)
        self.age = 0.0
        self.keys = {pygame.K_RETURN: self.next, pygame.K_KP_ENTER: self.next, pygame.K_SPACE: self.next,
                     pygame.K_n: self.events, pygame.K_e: self.events, pygame.K_ESCAPE: self.menu,
                     **hotseat.classroom_keys(self)}

    def build(self) -> None:
        w, h = self.app.size
        classroom = self.app.session
        model = classroom.model
        rules = model.rules
        played = model.state.turn - 1
        self.title = f"{fmt.quarter(rules.turn_date(played))} report"
        sub = f"Turn {model.state.turn} of {rules.horizon} played · seed {model.seed}"
        sub += f" · autosave failed: {classroom.autosave_error}" if classroom.autosave_error else " · autosaved"
        self.sub = sub
        self.prompt = classroom.prompt(played)
        margin = 24
        y = 84
        self.prompt_rect = None
        self.prompt_lines = []
        if self.prompt:
            f = font(26, True)
            self.prompt_lines = wrap(self.prompt, f, w - 2 * margin - 48)[:4]
            height = 46 + len(self.prompt_lines) * f.get_linesize() + 14
            self.prompt_rect = pygame.Rect(margin, y, w - 2 * margin, height)
            y += height + 12
        col = int((w - 3 * margin) * 0.54)
        col2 = w - 3 * margin - col
        body_h = h - y - 80
        self.label((margin, y, col, 18), "THE TEAMS" + (" (LABS' FIGURES HIDDEN: FOG OF WAR)" if classroom.fog else ""),
                   object_id="#section")
        self.label((2 * margin + col, y, col2, 18), "THIS TURN'S NEWS", object_id="#section")
        self.teams_box = self.text_box((margin, y + 22, col, body_h - 22), team_lines(classroom), object_id="#big_text")
        self.news_box = self.text_box((2 * margin + col, y + 22, col2, body_h - 22), news_lines(classroom), object_id="#big_text")
        by = h - 62
        self.button((margin, by, 150, 44), "Event log (N)", self.events, tip="Every news item of the game.")
        self.button((margin + 160, by, 190, 44), "Projector view (F10)", lambda: hotseat.open_projector(self.app),
                    tip="The race in big charts and standings, for the back of the room.")
        self.button((margin + 360, by, 170, 44), "Facilitator (F9)", lambda: hotseat.open_facilitator(self.app),
                    tip="Pause, inject an event, projector view, step back one turn.")
        if classroom.over:
            label = "See the ending  »"
        else:
            first = classroom.deciding
            label = f"Next: {first.name}  »"
        self.continue_button = self.button((w - margin - 280, by, 280, 44), label, self.next, object_id="#primary",
                                           tip="Hand the screen to the first team of the next turn (Enter).")

    def on_enter(self) -> None:
        super().on_enter()
        self.app.sound.play("summary")

    def process_event(self, event) -> None:
        if self.age < self.CLICK_GUARD and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            return
        super().process_event(event)

    def update(self, dt: float) -> None:
        self.age += dt
        super().update(dt)

    def next(self) -> None:
        hotseat.start_turn(self.app)

    def events(self) -> None:
        self.app.push("event_log")

    def menu(self) -> None:
        self.app.push("pause")

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        w, _ = self.app.size
        pygame.draw.rect(surface, p.accent, (0, 0, w, 5))
        surface.blit(font(30, True).render(self.title, True, p.text_bright), (24, 18))
        surface.blit(font(14).render(self.sub, True, p.muted), (26, 58))
        r = self.prompt_rect
        if r is not None:
            pygame.draw.rect(surface, (38, 30, 12), r, border_radius=12)
            pygame.draw.rect(surface, p.accent, r, 3, border_radius=12)
            surface.blit(font(16, True).render("DISCUSS", True, p.accent), (r.x + 24, r.y + 12))
            f = font(26, True)
            y = r.y + 40
            for line in self.prompt_lines:
                surface.blit(f.render(line, True, p.text_bright), (r.x + 24, y))
                y += f.get_linesize()
