"""Setting up a classroom game, and its briefing for the whole room.

The facilitator picks a scenario (its briefing, objectives and roles are shown), the seed
(shown big: every group in the room enters the same one and gets the same world), two to
six teams with a name and a seat each (the level's roles first, then any lab or
government), a countdown per team, and fog of war.
"""

from __future__ import annotations

import html
import random

import pygame
import pygame_gui

from ...errors import RaceError
from .. import fmt
from ..backdrop import Backdrop
from ...lessons import default_seats, seat_brief, seat_choices, seat_title
from ..classroom import COUNTDOWNS, MAX_TEAMS, MIN_TEAMS, Classroom
from ..theme import font, palette, team_colour
from .base import Screen
from .new_game import _level, _stem, level_choices

TEAM_NAMES = ("Team A", "Team B", "Team C", "Team D", "Team E", "Team F")


def new_seed() -> int:
    return random.SystemRandom().randint(1000, 9999)  # short: read aloud, typed by every group


def _hex(colour) -> str:
    return f"#{colour.r:02x}{colour.g:02x}{colour.b:02x}"


class ClassroomSetupScreen(Screen):
    name = "classroom_setup"

    def __init__(self, app, level: str | None = None, seed: int | None = None):
        super().__init__(app)
        choices = level_choices(level or "export_escalation")
        wanted = level or "export_escalation"
        self.level_path = next((p for _, p in choices if wanted in (p, _stem(p))), choices[0][1] if choices else wanted)
        self.seed = seed if seed is not None else new_seed()
        data = self.level.data
        self.teams = [[TEAM_NAMES[i], seat] for i, seat in enumerate(default_seats(data, 2))]
        self.countdown = 180
        self.fog = False
        self.problem = ""
        self.keys = {pygame.K_ESCAPE: self.back, pygame.K_RETURN: self.start, pygame.K_KP_ENTER: self.start}

    @property
    def level(self):
        return _level(self.level_path)

    # -- building -------------------------------------------------------------------------------
    def build(self) -> None:
        w, h = self.app.size
        self.backdrop = Backdrop(self.app.size)
        cw = min(1200, w - 40)
        x0 = (w - cw) // 2
        y0 = 22
        self.label((x0, y0, cw, 36), "Classroom game", object_id="#heading")
        self.label((x0, y0 + 36, cw, 20), "Teams take turns at this screen, each steering one seat. Set it up once for "
                   "the whole class.", object_id="#muted")
        y = y0 + 68
        col1, col2 = 350, 452
        x1 = x0 + col1 + 22
        x2 = x1 + col2 + 22
        col3 = x0 + cw - x2
        # Scenario
        self.label((x0, y, col1, 18), "SCENARIO", object_id="#section")
        choices = level_choices(self.level_path)
        start = next(((t, p) for t, p in choices if p == self.level_path), choices[0])
        self.level_menu = pygame_gui.elements.UIDropDownMenu(choices, start, pygame.Rect(x0, y + 20, col1, 32), self.manager,
                                                             expansion_height_limit=300)
        self.level_text = self.text_box((x0, y + 58, col1, h - y - 58 - 84), self._level_html())
        # Teams
        self.label((x1, y, col2, 18), f"TEAMS ({MIN_TEAMS} TO {MAX_TEAMS}): A NAME AND A SEAT EACH", object_id="#section")
        options = seat_choices(self.level.data)
        self.name_entries, self.seat_menus, self.remove_buttons = [], [], []
        for i, (name, seat) in enumerate(self.teams):
            ry = y + 22 + i * 44
            entry = pygame_gui.elements.UITextEntryLine(pygame.Rect(x1 + 14, ry, 140, 36), self.manager, object_id="#team_entry",
                                                        initial_text=name)
            entry.set_text_length_limit(18)
            self.name_entries.append(entry)
            start = next((o for o in options if o[1] == seat), options[0])
            menu = pygame_gui.elements.UIDropDownMenu(options, start, pygame.Rect(x1 + 160, ry + 1, col2 - 160 - 42, 34),
                                                      self.manager, expansion_height_limit=260)
            self.seat_menus.append(menu)
            remove = self.button((x1 + col2 - 36, ry + 1, 34, 34), "×", lambda k=i: self.remove_team(k),
                                 tip=f"Remove {name}.")
            if len(self.teams) <= MIN_TEAMS:
                remove.disable()
            self.remove_buttons.append(remove)
        ay = y + 22 + len(self.teams) * 44
        self.add_button = self.button((x1 + 14, ay, 180, 34), "+ Add a team", self.add_team,
                                      tip=f"Up to {MAX_TEAMS} teams.")
        if len(self.teams) >= MAX_TEAMS:
            self.add_button.disable()
        self.team_rows_y = (y + 22, 44)
        self.team_text = self.text_box((x1, ay + 44, col2, h - (ay + 44) - 84), self._teams_html())
        # Seed, countdown, fog
        self.label((x2, y, col3, 18), "SEED: THE SAME FOR EVERY GROUP", object_id="#section")
        self.seed_entry = pygame_gui.elements.UITextEntryLine(pygame.Rect(x2, y + 22, 170, 54), self.manager,
                                                              object_id="#seed_entry", initial_text=str(self.seed))
        self.seed_entry.set_allowed_characters("numbers")
        self.seed_entry.set_text_length_limit(9)
        self.new_seed_button = self.button((x2 + 180, y + 30, min(130, col3 - 180), 38), "New seed", self.reseed,
                                           tip="Draw another seed. Write the one you use on the board.")
        self.text_box((x2 - 2, y + 84, col3 + 2, 84), "<font color='#8aa0b4'>Every group in the room enters the same seed, so "
                      "all start from the same world and meet the same random events, and can compare choices.</font>",
                      object_id="#plain_text")
        cy = y + 176
        self.label((x2, cy, col3, 18), "COUNTDOWN PER TEAM, EACH TURN", object_id="#section")
        self.countdown_buttons = {}
        bw = (col3 - 12) // 3
        for i, seconds in enumerate(COUNTDOWNS):
            text = "Off" if not seconds else f"{seconds // 60} min"
            b = self.button((x2 + (i % 3) * (bw + 6), cy + 22 + (i // 3) * 40, bw, 34), text,
                            lambda s=seconds: self.set_countdown(s), object_id="#choice",
                            tip="No time limit: teams press Done." if not seconds else
                            f"{seconds // 60} minute{'s' * (seconds > 60)} for each team, each turn; when it runs out "
                            "the team's plan stands and the next team takes over.")
            self.countdown_buttons[seconds] = b
        fy = cy + 114
        self.label((x2, fy, col3, 18), "FOG OF WAR", object_id="#section")
        self.fog_box = pygame_gui.elements.UICheckBox(pygame.Rect(x2, fy + 26, 18, 18), "Hide rivals' exact figures",
                                                      self.manager, initial_state=self.fog,
                                                      tool_tip_text="Each team sees rivals' capability, compute, cash, "
                                                                    "safety and share with noise; intelligence spending "
                                                                    "(a lab lever) sharpens the picture.")
        self.text_box((x2 - 2, fy + 52, col3 + 2, 84), "<font color='#8aa0b4'>Teams see rivals' figures with noise that their "
                      "intelligence spending reduces. Governments see their own labs exactly.</font>", object_id="#plain_text")
        self.set_countdown(self.countdown)
        by = h - 66
        self.button((x0, by, 150, 44), "Back", self.back, tip="Back to the title screen (Esc).")
        self.problem_label = self.label((x0 + 166, by + 12, cw - 166 - 300, 22), self.problem, object_id="#bad")
        self.start_button = self.button((x0 + cw - 280, by, 280, 44), "Read the briefing  »", self.start,
                                        tip="Make the game and show its briefing to the room (Enter).", object_id="#primary")

    def _level_html(self) -> str:
        d = self.level.data
        p = palette()
        acc = p.hex("accent")
        objectives = "".join(f"<br>• {html.escape(o)}" for o in d.get("objectives", []))
        prompts = len(d.get("prompts", []))
        injects = sum(1 for e in d["events"] if e["turn"] >= 0)
        t = d["time"]
        seats = {seat for _, seat in seat_choices(d)}
        roles = "".join(f"<br><b>{html.escape(r.get('title') or r['seat'])}</b>: <font color='#8aa0b4'>"
                        f"{html.escape(r.get('brief', ''))}</font>" for r in d.get("roles", []) if r["seat"] in seats)
        return (f"<b>{html.escape(d['title'])}</b><br><font color='#8aa0b4'>{t['horizon_turns']} turns of "
                f"{t['months_per_turn']} months at most; {injects} scripted inject{'s' * (injects != 1)}, {prompts} "
                f"discussion prompt{'s' * (prompts != 1)}</font><br><br>{html.escape(d.get('briefing') or d.get('summary', ''))}"
                f"<br><br><font color='{acc}'><b>OBJECTIVES</b></font>{objectives}"
                f"<br><br><font color='{acc}'><b>ROLES</b></font>{roles}")

    def _teams_html(self) -> str:
        d = self.level.data
        lines = []
        for i, (name, seat) in enumerate(self.teams):
            colour = _hex(team_colour(i))
            lines.append(f"<font color='{colour}'><b>{html.escape(name)}</b></font> · <b>{html.escape(seat_title(d, seat))}</b>"
                         f"<br><font color='#8aa0b4'>{html.escape(seat_brief(d, seat))}</font>")
        return "<br>".join(lines)

    # -- choices ----------------------------------------------------------------------------------
    def _sync_names(self) -> None:
        for row, entry in zip(self.teams, self.name_entries):
            row[0] = entry.get_text()

    def add_team(self) -> None:
        if len(self.teams) >= MAX_TEAMS:
            return
        self._sync_names()
        self._sync_seed()
        taken = {seat for _, seat in self.teams}
        free = [s for s in default_seats(self.level.data, 99) if s not in taken]
        if not free:
            return
        used = {name for name, _ in self.teams}
        name = next((n for n in TEAM_NAMES if n not in used), f"Team {len(self.teams) + 1}")
        self.teams.append([name, free[0]])
        self.rebuild()

    def remove_team(self, index: int) -> None:
        if len(self.teams) <= MIN_TEAMS or not 0 <= index < len(self.teams):
            return
        self._sync_names()
        self._sync_seed()
        del self.teams[index]
        self.rebuild()

    def set_countdown(self, seconds: int) -> None:
        self.countdown = seconds
        for s, b in self.countdown_buttons.items():
            b.select() if s == seconds else b.unselect()

    def reseed(self) -> None:
        self.seed = new_seed()
        self.seed_entry.set_text(str(self.seed))

    def _sync_seed(self) -> None:
        text = self.seed_entry.get_text().strip()
        self.seed = int(text) if text.isdigit() else self.seed

    def on_ui_event(self, event) -> None:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.level_menu:
            self._sync_names()
            self._sync_seed()
            self.level_path = event.selected_option_id
            seats = default_seats(self.level.data, len(self.teams))
            self.teams = [[name, seat] for (name, _), seat in zip(self.teams, seats)]
            self.rebuild()
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element in self.seat_menus:
            index = self.seat_menus.index(event.ui_element)
            self.teams[index][1] = event.selected_option_id
            self._sync_names()
            self.team_text.set_text(self._teams_html())
        elif event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED and event.ui_element in self.name_entries:
            self._sync_names()
            self.team_text.set_text(self._teams_html())
        elif event.type in (pygame_gui.UI_CHECK_BOX_CHECKED, pygame_gui.UI_CHECK_BOX_UNCHECKED) and event.ui_element is self.fog_box:
            self.fog = event.type == pygame_gui.UI_CHECK_BOX_CHECKED

    def problems(self) -> str:
        names = [name.strip() for name, _ in self.teams]
        seats = [seat for _, seat in self.teams]
        if len(set(seats)) != len(seats):
            return "Two teams have the same seat: give each team its own."
        if any(not n for n in names):
            return "Every team needs a name."
        if len({n.lower() for n in names}) != len(names):
            return "Two teams have the same name."
        if not self.seed_entry.get_text().strip().isdigit():
            return "Enter a seed (a whole number), or press New seed."
        return ""

    def start(self) -> None:
        self._sync_names()
        problem = self.problems()
        if problem:
            self._fail(problem)
            return
        self._sync_seed()
        try:
            classroom = Classroom.new(self.level_path, self.seed, [(n.strip(), s) for n, s in self.teams], self.countdown,
                                      self.fog, engine=self.app.engine)
        except (RaceError, ValueError) as exc:
            self._fail(str(exc))
            return
        self.app.session = classroom
        self.app.replace("classroom_briefing", setup=self)

    def _fail(self, problem: str) -> None:
        self.problem = problem
        self.problem_label.set_text(problem)
        self.app.sound.play("error")

    def back(self) -> None:
        self.app.pop(self)

    def draw_below_widgets(self, surface) -> None:
        self.backdrop.draw(surface, self.app.time)
        veil = pygame.Surface(self.app.size, pygame.SRCALPHA)
        veil.fill((8, 12, 18, 175))
        surface.blit(veil, (0, 0))
        top, step = self.team_rows_y
        for i in range(len(self.teams)):  # each team's colour, as on every classroom screen
            pygame.draw.rect(surface, team_colour(i), (self.name_entries[i].rect.x - 12, top + i * step + 4, 6, 28),
                             border_radius=3)


class ClassroomBriefingScreen(Screen):
    """The scenario, the objectives and the teams, for the whole room, before the first turn."""

    name = "classroom_briefing"

    def __init__(self, app, setup: ClassroomSetupScreen | None = None):
        super().__init__(app)
        self.setup = setup
        self.keys = {pygame.K_RETURN: self.begin, pygame.K_KP_ENTER: self.begin, pygame.K_SPACE: self.begin,
                     pygame.K_ESCAPE: self.back}

    def build(self) -> None:
        w, h = self.app.size
        self.backdrop = Backdrop(self.app.size)
        classroom = self.app.session
        model = classroom.model
        d, rules = model.level.data, model.rules
        cw = min(1160, w - 60)
        x0 = (w - cw) // 2
        y0 = 30
        self.label((x0, y0, cw, 20), "CLASSROOM BRIEFING", object_id="#section")
        self.label((x0, y0 + 20, cw - 260, 36), d["title"], object_id="#heading")
        clock = f"{classroom.countdown // 60} min per team each turn" if classroom.countdown else "no countdown"
        self.label((x0, y0 + 56, cw - 260, 20), f"From {fmt.quarter(rules.turn_date(0))}, {rules.calendar_words()}, "
                   f"at most {rules.horizon} · {clock} · fog of war {'on' if classroom.fog else 'off'}",
                   object_id="#muted")
        left = int(cw * 0.55)
        objectives = "".join(f"<br>• {html.escape(o)}" for o in d.get("objectives", []))
        body_h = h - (y0 + 92) - 88
        self.text_box((x0, y0 + 90, left, body_h), f"{html.escape(d.get('briefing', ''))}<br><br><font color='#f2b84b'>"
                      f"<b>OBJECTIVES</b></font>{objectives}", object_id="#big_text")
        lines = ["<font color='#8aa0b4'>THE TEAMS, IN THE ORDER THEY PLAY</font>"]
        for team in classroom.teams:
            colour = _hex(team_colour(team.colour))
            lines.append(f"<font color='{colour}'><b>{html.escape(team.name)}</b></font> · "
                         f"<b>{html.escape(classroom.title_of(team))}</b><br>{html.escape(classroom.brief_of(team))}")
        self.text_box((x0 + left + 20, y0 + 90, cw - left - 20, body_h), "<br><br>".join(lines), object_id="#big_text")
        self.seed_text = str(model.seed)
        self.seed_at = (x0 + cw, y0 + 8)
        by = h - 70
        self.button((x0, by, 150, 44), "Back", self.back, tip="Back to the setup (Esc).")
        first = classroom.deciding
        self.begin_button = self.button((x0 + cw - 320, by, 320, 44), f"Begin: {first.name}'s turn  »", self.begin,
                                        tip="Hand the screen to the first team (Enter).", object_id="#primary")

    def begin(self) -> None:
        from . import hotseat

        hotseat.start_turn(self.app)

    def back(self) -> None:
        self.app.session = None
        if self.setup is not None:
            self.app.replace(self.setup)
        else:

            self.app.reset_to("title")

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        self.backdrop.draw(surface, self.app.time)
        veil = pygame.Surface(self.app.size, pygame.SRCALPHA)
        veil.fill((8, 12, 18, 175))
        surface.blit(veil, (0, 0))
        right, y = self.seed_at
        value = font(40, True).render(self.seed_text, True, p.accent)
        caption = font(12, True).render("SEED: EVERY GROUP ENTERS THIS", True, p.muted)
        surface.blit(caption, (right - caption.get_width(), y))
        surface.blit(value, (right - value.get_width(), y + 16))
