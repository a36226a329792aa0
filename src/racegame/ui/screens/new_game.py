"""New game: the level, the lab to steer, the difficulty (and an optional seed)."""

from __future__ import annotations

from functools import lru_cache

import pygame
import pygame_gui

from ...errors import RaceError
from ...lessons import handout_words
from ...level.loader import load_level, shipped_level_paths
from .. import fmt
from ..backdrop import Backdrop
from ..session import Session
from ..theme import palette
from .base import Screen

DIFFICULTIES = (
    ("easy", "Easy", "Your lab starts with 50% more cash."),
    ("normal", "Normal", "Everyone starts as the level says."),
    ("hard", "Hard", "You start with 30% less cash, and AI rivals build 20% more."),
)


@lru_cache(maxsize=16)
def _level(name: str):
    return load_level(name)


def level_choices(current: str) -> list[tuple[str, str]]:
    out = []
    for path in shipped_level_paths():
        try:
            out.append((_level(str(path)).title, str(path)))
        except RaceError:
            continue
    if current and not any(current in (p, _stem(p)) for _, p in out):
        try:
            out.append((_level(current).title, current))
        except RaceError:
            pass
    return out


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".toml")


def start_tutorial(app, seed=None) -> None:

    ids = {_stem(str(p)): str(p) for p in shipped_level_paths()}
    candidates = [ids[k] for k in ("tutorial", "baseline") if k in ids] or ["baseline"]
    problem = None
    for level in candidates:  # a tutorial level that does not load falls back to the baseline
        try:
            app.session = Session.new(level=level, difficulty="easy", seed=seed, tutorial=True, engine=app.engine)
            break
        except (RaceError, ValueError) as exc:
            problem = exc
    else:
        app.sound.play("error")
        app.push("message", "Cannot start the tutorial", str(problem))
        return
    app.push("briefing")


class NewGameScreen(Screen):
    name = "new_game"

    def __init__(self, app, level: str = "baseline", seed: int | None = None):
        super().__init__(app)
        self.seed = seed
        choices = level_choices(level)
        self.level_path = next((p for _, p in choices if level in (p, _stem(p))), choices[0][1] if choices else level)
        self.lab = None
        self.difficulty = "normal"
        self.keys = {pygame.K_ESCAPE: self.back, pygame.K_RETURN: self.start}

    @property
    def level(self):
        return _level(self.level_path)

    def build(self) -> None:
        w, h = self.app.size
        self.backdrop = Backdrop(self.app.size)
        cw = min(1120, w - 60)
        x0 = (w - cw) // 2
        y0 = 40
        self.label((x0, y0, cw, 36), "New game", object_id="#heading")
        self.label((x0, y0 + 38, cw, 20), "Choose a scenario, the lab you will steer and how hard the world pushes back.",
                   object_id="#muted")
        y = y0 + 76
        col1 = 340
        self.label((x0, y, col1, 18), "SCENARIO", object_id="#section")
        choices = level_choices(self.level_path)
        start = next(((t, p) for t, p in choices if p == self.level_path), choices[0])
        self.level_menu = pygame_gui.elements.UIDropDownMenu(choices, start, pygame.Rect(x0, y + 20, col1, 32), self.manager)
        self.level_text = self.text_box((x0, y + 60, col1, 150), "", object_id="#plain_text")
        self.label((x0, y + 222, col1, 18), "DIFFICULTY", object_id="#section")
        self.diff_buttons = {}
        bw = (col1 - 12) // 3
        for i, (key, text, tip) in enumerate(DIFFICULTIES):
            self.diff_buttons[key] = self.button((x0 + i * (bw + 6), y + 242, bw, 36), text, lambda k=key: self.set_difficulty(k),
                                                 tip=tip, object_id="#choice")
        self.diff_text = self.label((x0, y + 284, col1, 20), "", object_id="#muted")
        self.label((x0, y + 314, col1, 18), "SEED (OPTIONAL)", object_id="#section")
        self.seed_entry = pygame_gui.elements.UITextEntryLine(pygame.Rect(x0, y + 334, 150, 34), self.manager,
                                                              placeholder_text="random")
        self.seed_entry.set_allowed_characters("numbers")
        if self.seed is not None:
            self.seed_entry.set_text(str(self.seed))
        self.label((x0 + 160, y + 340, col1 - 160, 20), "Same seed, same world.", object_id="#muted")

        x1 = x0 + col1 + 24
        col2 = 370
        self.label((x1, y, col2, 18), "YOUR LAB", object_id="#section")
        self.lab_list = None
        self._lab_box = pygame.Rect(x1, y + 20, col2, min(360, h - y - 140))
        x2 = x1 + col2 + 24
        self.details = self.text_box((x2, y + 20, cw - (x2 - x0), min(420, h - y - 140)), "")
        self._build_labs()
        self.set_difficulty(self.difficulty)
        by = h - 70
        self.button((x0, by, 160, 44), "Back", self.back, tip="Back to the title screen (Esc).")
        self.start_button = self.button((x0 + cw - 240, by, 240, 44), "Read the briefing  »", self.start,
                                        tip="Start this game (Enter).", object_id="#primary")

    def _build_labs(self) -> None:
        if self.lab_list is not None:
            self.lab_list.kill()
        labs = [lab for lab in self.level.data["labs"] if lab.get("playable", True)]
        items = [(f"{lab['name']}  ·  {lab['country'].upper()} · {lab['archetype'].replace('_', ' ')}", lab["id"]) for lab in labs]
        if self.lab not in [lab["id"] for lab in labs]:
            self.lab = labs[0]["id"] if labs else None
        default = next((item for item in items if item[1] == self.lab), None)
        self.lab_list = pygame_gui.elements.UISelectionList(self._lab_box, items, self.manager, default_selection=default)
        d = self.level.data
        self.level_text.set_text(f"<b>{fmt.esc(d['title'])}</b><br><font color='#8aa0b4'>{fmt.esc(d['summary'])}</font>")
        self._show_lab()

    def _show_lab(self) -> None:
        lab = next((lab for lab in self.level.data["labs"] if lab["id"] == self.lab), None)
        if lab is None:
            self.details.set_text("")
            return
        chips = lab.get("chips", {})
        perf = {c["id"]: c["perf_train"] for c in self.level.data["chips"]}
        h100e = sum(n * perf.get(k, 1.0) for k, n in chips.items())
        mw = sum(dc.get("mw", 0) for dc in lab.get("data_centres", []))
        colour = palette().hex("us") if lab["country"] == "us" else palette().hex("cn")
        gov = next((g["name"] for g in self.level.data["governments"] if g["id"] == lab["country"]), lab["country"])
        html = (f"<font color='{colour}' size=5><b>{fmt.esc(lab['name'])}</b></font><br>"
                f"<font color='#8aa0b4'>{fmt.esc(gov)} · {lab['archetype'].replace('_', ' ')}</font><br><br>{fmt.esc(lab['blurb'])}<br>"
                f"<font color='#8aa0b4'>{handout_words()['playstyle'].get(lab['archetype'], '')}</font><br><br>"
                f"<b>Cash</b> {fmt.money(lab['cash_usd'])}<br><b>Chips</b> {fmt.count(h100e)} H100-equivalents<br>"
                f"<b>Data centres</b> {fmt.mw(mw)}<br><b>Capability</b> {lab['capability']:.2f}<br>"
                f"<b>Safety</b> {lab.get('safety', 0):.2f} · <b>Talent</b> {lab.get('talent', 1):.2f}")
        if lab.get("parent_funding_usd_per_turn"):
            months = self.level.data["time"]["months_per_turn"]
            html += f"<br><b>Parent funding</b> {fmt.money(lab['parent_funding_usd_per_turn'])} {fmt.rate_unit(months)}"
        if lab.get("state_backed"):
            html += "<br><b>State-backed</b>: first in line for subsidies, national projects and any compute pool"
        self.details.set_text(html)

    def set_difficulty(self, key: str) -> None:
        self.difficulty = key
        for k, b in self.diff_buttons.items():
            b.select() if k == key else b.unselect()
        self.diff_text.set_text(next(t for k, _, t in DIFFICULTIES if k == key))

    def on_ui_event(self, event) -> None:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.level_menu:
            self.level_path = event.selected_option_id
            self._build_labs()
        elif event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.lab_list:
            chosen = self.lab_list.get_single_selection(include_object_id=True)
            if chosen:
                self.lab = chosen[1]
            self._show_lab()
        elif event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION and event.ui_element is self.lab_list:
            self.start()

    def seed_value(self) -> int | None:
        text = self.seed_entry.get_text().strip()
        return int(text) if text.isdigit() else None

    def start(self) -> None:
        try:
            self.app.session = Session.new(level=self.level_path, lab=self.lab, difficulty=self.difficulty,
                                           seed=self.seed_value(), engine=self.app.engine)
        except (RaceError, ValueError) as exc:
            self.app.sound.play("error")
            self.app.push("message", "Cannot start", str(exc))
            return
        self.app.replace("briefing")

    def back(self) -> None:
        self.app.pop(self)

    def draw_below_widgets(self, surface) -> None:
        self.backdrop.draw(surface, self.app.time)
        veil = pygame.Surface(self.app.size, pygame.SRCALPHA)
        veil.fill((8, 12, 18, 150))
        surface.blit(veil, (0, 0))
