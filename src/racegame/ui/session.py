"""One game being played: the model, the player's plan, saving and the autosave.

This is the boundary between input and the simulation: screens edit ``session.plan``
(a ``PlayerPlan``) and call ``end_turn``; nothing in the UI writes orders or state.
The plan and a few UI choices are kept in a small JSON file beside each save
(``NAME.ui.json``), so saves stay in the CLI's format.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..engine.observe import observe
from ..errors import RaceError, SaveError
from ..level.loader import Level, load_level
from ..model import RaceModel
from ..advisor import AdvisedController, advisor_plan
from ..player import PlayerPlan, preview
from ..files import write_json_atomic
from ..saves import load_game, read_json, save_game
from .paths import autosave_path

UI_FORMAT = "racegame-ui"
UI_VERSION = 1


def sidecar(path) -> Path:
    path = Path(path)
    return path.with_name(path.stem + ".ui.json")


def write_sidecar(path, notes: dict) -> None:
    """The UI's notes beside a save. Best effort: the game itself is already saved, and the
    notes (plans, teams' settings) are a convenience a failed write must not turn into an error."""
    try:
        write_json_atomic(sidecar(path), {"format": UI_FORMAT, "version": UI_VERSION, **notes})
    except (OSError, ValueError):
        pass


class Autosaving:
    """Autosave for a session that can ``save(path)``: a failure is shown, never raised."""

    autosave_error: str | None = None

    def autosave(self) -> None:
        try:
            self.save(autosave_path())
            self.autosave_error = None
        except SaveError as exc:
            self.autosave_error = str(exc)


class Session(Autosaving):
    def __init__(self, model: RaceModel, controller: AdvisedController, advisor_drafts: bool = True, tutorial: bool = False):
        self.model = model
        self.controller = controller
        self.advisor_drafts = advisor_drafts
        self.tutorial = tutorial
        self._view = None
        self._view_turn = -1
        self._start_rows = None
        self.last_plan: PlayerPlan | None = None
        self.last_preview: dict | None = None

    # -- making and loading games ----------------------------------------------------------
    @classmethod
    def new(cls, level="baseline", lab: str | None = None, difficulty: str = "normal", seed: int | None = None,
            tutorial: bool = False, engine: str = "vectorised") -> "Session":
        controller = AdvisedController()
        lvl = level if isinstance(level, Level) else load_level(level)
        if lab is None:
            lab = next((entry["id"] for entry in lvl.data["labs"] if entry.get("playable", True)), lvl.data["labs"][0]["id"])
        model = RaceModel(level=lvl, rng=seed, player=lab, controller=controller, difficulty=difficulty, engine=engine)
        session = cls(model, controller, tutorial=tutorial)
        controller.plan = advisor_plan(model, model.player)
        return session

    @classmethod
    def load(cls, path, engine: str = "vectorised") -> "Session":
        """Load a save (raises SaveError with a clear message on any bad file)."""
        controller = AdvisedController()
        model = load_game(path, controller=controller, engine=engine)
        if model.player is None:
            raise SaveError(f"{path}: this save has no player's lab (it was made by 'racegame run'); "
                            "it can be continued headless with 'racegame run --load'")
        session = cls(model, controller)
        extra = _read_sidecar(sidecar(path))
        plan = extra.get("plan")
        if isinstance(plan, dict):
            try:
                controller.plan = PlayerPlan.from_json(plan)
            except (TypeError, ValueError):
                controller.plan = advisor_plan(model, model.player)
        else:
            controller.plan = advisor_plan(model, model.player)
        session.advisor_drafts = bool(extra.get("advisor_drafts", True))
        session.tutorial = bool(extra.get("tutorial", False))
        return session

    def save(self, path) -> None:
        path = Path(path)
        save_game(self.model, path)
        write_sidecar(path, {"plan": self.plan.to_json(), "advisor_drafts": self.advisor_drafts, "tutorial": self.tutorial})

    # -- the turn -------------------------------------------------------------------------------
    @property
    def plan(self) -> PlayerPlan:
        return self.controller.plan

    @plan.setter
    def plan(self, plan: PlayerPlan) -> None:
        self.controller.plan = plan

    @property
    def advisor_drafts(self) -> bool:
        """Whether the advisor redrafts, after each turn, the levers the player has not set."""
        return self.controller.advisor

    @advisor_drafts.setter
    def advisor_drafts(self, on: bool) -> None:
        self.controller.advisor = bool(on)

    @property
    def slot(self) -> int:
        return self.model.player

    @property
    def player_alive(self) -> bool:
        return bool(self.model.state.alive[0, self.slot])

    @property
    def over(self) -> bool:
        return not self.model.running or not self.player_alive

    def suggest(self) -> None:
        """The advisor fills every lever the player has not set (``controller.drafted`` says which
        it changed)."""
        self.controller.redraft(self.model, self.slot)

    def end_turn(self) -> None:
        """Play the turn. Afterwards the controller has spent the one-off moves and, with the
        advisor on, redrafted the levers the player has not set."""
        if self.over:
            return
        self.last_plan = PlayerPlan.from_json(self.plan.to_json())
        self.last_preview = self.preview()
        self.model.step()
        self.autosave()

    # -- reading the game -------------------------------------------------------------------------
    @property
    def view(self):
        """Derived figures for the current state, computed once per turn."""
        if self._view is None or self._view_turn != self.model.state.turn:
            self._view = observe(self.model.state, self.model.rules)
            self._view_turn = self.model.state.turn
        return self._view

    def preview(self) -> dict:
        return preview(self.plan, self.model, self.slot)

    def start_rows(self) -> dict:
        """Every lab's figures before the first turn, in the chronicle's column format."""
        if self._start_rows is None:
            self._start_rows = start_rows(self.model)
        return self._start_rows

    def history(self) -> list[dict]:
        """Rows per turn, starting with the state before the first turn."""
        return [self.start_rows()] + list(self.model.chronicle)

    def rank(self) -> tuple[int, int]:
        s = self.model.state
        caps = np.where(s.alive[0], s.capability[0], -np.inf)
        alive = int(s.alive[0].sum())
        if not s.alive[0, self.slot]:
            return alive + 1, alive
        return int((caps > caps[self.slot]).sum()) + 1, alive


def start_rows(model) -> dict:
    """Every lab's figures before the first turn of ``model``'s game, as a chronicle row."""
    m = model
    fresh = RaceModel(level=m.level, rng=m.seed, first_replica=int(m.replica_ids[0]), player=m.player,
                      difficulty=m.difficulty)
    s, rules = fresh.state, fresh.rules
    seen = [slot for slot in range(rules.n_labs) if s.alive[0, slot]]
    return {
        "turn": [-1] * len(seen),
        "date": [rules.turn_date(0)] * len(seen),
        "lab": [rules.lab_ids[i] for i in seen],
        "lab_name": [fresh.lab_name(i) for i in seen],
        "country": [rules.country_ids[int(s.country[0, i])] for i in seen],
        "alive": [1] * len(seen),
        "chips_h100e": [float(s.chips[0, i] @ rules.chip_perf_train) for i in seen],
        "capability": [float(s.capability[0, i]) for i in seen],
        "cash_usd": [float(s.cash[0, i]) for i in seen],
        "revenue_usd": [float(s.revenue[0, i]) for i in seen],
        "share": [float(s.share[0, i]) for i in seen],
        "safety": [float(s.safety[0, i]) for i in seen],
        "power_mw": [0.0] * len(seen),
        "binding": ["none"] * len(seen),
    }


def read_sidecar(path) -> dict:
    """The UI's notes beside a save (``NAME.ui.json``), or {} when absent or damaged."""
    return _read_sidecar(sidecar(path))


def _read_sidecar(path: Path) -> dict:
    try:
        blob = read_json(path, "notes file", 20_000_000)
    except RaceError:
        return {}
    if not isinstance(blob, dict) or blob.get("format") != UI_FORMAT:
        return {}
    return blob
