"""A classroom game: teams on seats, the hot-seat turn, the countdown, fog of war and the
facilitator's controls, as one session the screens read.

The desktop game's screens read a session through a small interface (``model``, ``slot``,
``plan``, ``view``, ``preview()``, ``history()``, ``rank()``...). A ``Classroom`` answers it
for the team whose turn it is (``active``) through that team's ``Perspective``: its own
figures exactly and, in a fog-of-war game, its rivals' as its intelligence sees them.
``room`` is nobody's perspective (every figure exact): the projector view, the turn summary
and the end screen read it.

Fog for a government team: its own country's labs exactly, foreign labs as its country's
best-informed lab (the one with the most intelligence) sees them.

Nothing here draws. The screens that move between teams are in ``screens/hotseat.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..engine.observe import observe
from ..errors import SaveError
from ..fog import FIGURES, fogged, noise_level
from ..lessons import seat_brief, seat_title
from ..level.loader import Level, load_level, with_catalogue
from ..model import RaceModel
from ..advisor import AdvisedController, advisor_plan
from ..player import GovPlanController, controller_for, gov_plan_from_state, preview
from ..saves import TEAM, load_game, save_game
from . import fmt
from .session import Autosaving, read_sidecar, start_rows, write_sidecar

COUNTDOWNS = (0, 60, 120, 180, 300, 480)  # seconds a team has to decide; 0: no limit
MIN_TEAMS, MAX_TEAMS = 2, 6
# Screens on which a deciding team's clock runs: its own desk and what it opens from there.
# The facilitator's panel, the pause cover and the projector view hold it.
CLOCK_SCREENS = frozenset({"team_lab", "government", "ledger", "event_log", "help", "message", "turn_summary"})


@dataclass
class Team:
    name: str
    seat: str  # a lab id or a government's country id
    kind: str  # "lab" or "government"
    controller: object = None  # AdvisedController or GovPlanController: the team's plan lives here
    colour: int = 0  # index into theme.TEAM_COLOURS

    @property
    def plan(self):
        return self.controller.plan

    @property
    def advisor_drafts(self) -> bool:
        """A lab team's advisor redrafts, after each turn, the levers the team has not set."""
        return bool(getattr(self.controller, "advisor", False))

    @advisor_drafts.setter
    def advisor_drafts(self, on: bool) -> None:
        if self.kind == "lab" and self.controller is not None:
            self.controller.advisor = bool(on)


def seat_kind(rules, seat: str) -> str:
    return "government" if seat in rules.country_ids else "lab"


def _finite(values) -> list:
    return [float(v) if math.isfinite(float(v)) else None for v in values]


class Perspective:
    """What one team (or, with ``team=None``, the whole room) sees of the game."""

    def __init__(self, classroom: "Classroom", team: Team | None):
        self.classroom = classroom
        self.team = team
        self._seen = (None, None)
        self._history = (None, None)

    @property
    def model(self) -> RaceModel:
        return self.classroom.model

    @property
    def slot(self) -> int | None:
        if self.team is None or self.team.kind != "lab":
            return None
        return self.model.rules.lab_ids.index(self.team.seat)

    @property
    def home_country(self) -> str | None:
        """The country this perspective belongs to (a lab's, or a government's own)."""
        if self.team is None:
            return None
        if self.team.kind == "government":
            return self.team.seat
        return self.model.rules.country_ids[int(self.model.state.country[0, self.slot])]

    @property
    def fogged(self) -> bool:
        return self.classroom.fog and self.team is not None

    def exact(self, slot: int) -> bool:
        """Whether this perspective sees lab ``slot``'s figures exactly."""
        if not self.fogged:
            return True
        if self.team.kind == "lab":
            return slot == self.slot
        rules = self.model.rules
        return rules.country_ids[int(self.model.state.country[0, slot])] == self.team.seat

    def observer(self) -> int:
        """The lab slot whose intelligence this perspective sees rivals with."""
        if self.team.kind == "lab":
            return self.slot
        s, rules = self.model.state, self.model.rules
        c = rules.country_ids.index(self.team.seat)
        mine = np.flatnonzero((s.country[0] == c) & s.alive[0])
        if mine.size == 0:
            mine = np.flatnonzero(s.country[0] == c)
        if mine.size == 0:
            return 0
        return int(max(mine, key=lambda k: (float(s.intel[0, k]), float(s.capability[0, k]))))

    def noise(self) -> float:
        """The error (relative, or in OOM for capability) rivals are seen with; 0 without fog."""
        return noise_level(self.model, self.observer()) if self.fogged else 0.0

    def seen(self) -> dict | None:
        """{figure: array over lab slots} as this perspective sees them now; None without fog."""
        if not self.fogged:
            return None
        model = self.model
        key = (model.state.turn, len(model.chronicle), id(model.state))
        if self._seen[0] == key:
            return self._seen[1]
        s, rules = model.state, model.rules
        true = {"capability": s.capability[0], "chips_h100e": s.chips[0] @ rules.chip_perf_train, "cash_usd": s.cash[0],
                "safety": s.safety[0], "share": s.share[0]}
        out = {k: np.array(v, dtype=float) for k, v in fogged(model, self.observer()).items()}
        for slot in range(s.alive.shape[1]):
            if self.exact(slot):
                for figure in FIGURES:
                    out[figure][slot] = float(true[figure][slot])
        self._seen = (key, out)
        return out

    # -- the Session interface -------------------------------------------------------------------
    @property
    def plan(self):
        return self.team.plan if self.team is not None else None

    @property
    def view(self):
        return self.classroom.world_view()

    def preview(self) -> dict:
        return preview(self.plan, self.model, self.slot)

    def suggest(self) -> None:
        self.team.controller.redraft(self.model, self.slot)

    @property
    def player_alive(self) -> bool:
        if self.team is None:
            return True
        return self.classroom.team_alive(self.team)

    def history(self) -> list[dict]:
        """Rows per turn from the state before the first; rivals' figures as this team saw
        them at the time in a fog-of-war game (the intelligence log)."""
        model = self.model
        rows = [self.classroom.start_rows()] + list(model.chronicle)
        if not self.fogged:
            return rows
        key = (model.state.turn, len(model.chronicle), id(model.state))
        if self._history[0] == key:
            return self._history[1]
        rules = model.rules
        log = self.classroom.intel_log.get(self.team.seat, {})
        home = self.home_country
        me = rules.lab_ids[self.slot] if self.slot is not None else None
        out = []
        for row in rows:
            turn = int(row["turn"][0]) + 1 if row["turn"] else 0
            seen = log.get(turn)
            if seen is None and turn == model.state.turn:
                current = self.seen()
                seen = {k: _finite(v) for k, v in current.items()}
            new = {k: list(v) for k, v in row.items()}
            for i, lab in enumerate(row["lab"]):
                if lab == me or (self.team.kind == "government" and row["country"][i] == home):
                    continue
                slot = rules.lab_ids.index(lab)
                if seen is None or slot >= len(seen["capability"]) or seen["capability"][slot] is None:
                    new["alive"][i] = 0  # not seen at the time: left out
                    continue
                for figure in FIGURES:
                    new[figure][i] = seen[figure][slot]
            out.append(new)
        self._history = (key, out)
        return out

    def rank(self) -> tuple[int, int]:
        s = self.model.state
        slot = self.slot
        alive = int(s.alive[0].sum())
        if slot is None:
            return 0, alive
        if not s.alive[0, slot]:
            return alive + 1, alive
        seen = self.seen()
        caps = seen["capability"] if seen is not None else s.capability[0]
        caps = np.where(s.alive[0], caps, -np.inf)
        return int((caps > caps[slot]).sum()) + 1, alive

    def highlights(self) -> dict:
        """{lab id: (colour index or None, label)} to draw boldly on the capability chart."""
        rules, s = self.model.rules, self.model.state
        if self.team is None:
            return {t.seat: (t.colour, t.name) for t in self.classroom.teams if t.kind == "lab"}
        if self.team.kind == "government":
            c = rules.country_ids.index(self.team.seat)
            return {rules.lab_ids[k]: (None, "") for k in range(rules.n_labs) if s.country[0, k] == c and s.alive[0, k]}
        return {}


class Classroom(Autosaving):
    """A classroom game: the model, its teams, the hot-seat turn and the facilitator's tools."""

    kind = "classroom"

    def __init__(self, model: RaceModel, teams: list[Team], countdown: int = 0, fog: bool = False):
        self.model = model
        self.teams = list(teams)
        for i, team in enumerate(self.teams):
            team.colour = i
        self.countdown = max(0, int(countdown))
        self.fog = bool(fog)
        self.current = 0  # index of the team deciding (or next to decide) this turn
        self.active: Team | None = None  # the team at the screen now
        self.remaining = float(self.countdown)
        self.paused = False
        self.timed_out: str | None = None  # the team whose time ran out just now
        self.injected: dict[int, list[str]] = {}  # turn -> events the facilitator made happen then
        self.headlines: dict[str, str] = {}  # queued event -> the facilitator's own headline for it
        self.injected_headlines: dict[int, dict[str, str]] = {}  # turn -> the headlines used then
        self.intel_log: dict[str, dict[int, dict]] = {}  # seat -> turn -> {figure: [per lab]}
        self.tutorial = False
        self.report_job = None
        self._view = (None, None)
        self._start_rows = None
        self._perspectives: dict[int, Perspective] = {}
        self.room = Perspective(self, None)
        self.reattach()
        self.current = self.first_index()
        self.record_intel()

    # -- making and loading ------------------------------------------------------------------
    @classmethod
    def new(cls, level, seed: int | None, teams: list[tuple[str, str]], countdown: int = 0, fog: bool = False,
            engine: str = "vectorised") -> "Classroom":
        """A new game of ``level`` with ``seed``; ``teams`` are (name, seat) pairs."""
        lvl = level if isinstance(level, Level) else load_level(level)
        model = RaceModel(level=with_catalogue(lvl), rng=seed, engine=engine)
        if len(teams) < MIN_TEAMS:
            raise ValueError(f"a classroom game needs at least {MIN_TEAMS} teams")
        seats = [seat for _, seat in teams]
        if len(set(seats)) != len(seats):
            raise ValueError("two teams cannot take the same seat")
        made = []
        for name, seat in teams:
            agent = model.seat(seat)  # a clear error for an unknown seat
            if seat_kind(model.rules, seat) == "lab":
                # A team starts with its advisor on: it drafts what the team leaves alone, never what it set.
                controller = AdvisedController(advisor_plan(model, agent.slot), advisor=True)
                made.append(Team(name.strip() or seat, seat, "lab", controller))
            else:
                controller = GovPlanController(gov_plan_from_state(model, agent.index))
                made.append(Team(name.strip() or seat, seat, "government", controller))
        return cls(model, made, countdown, fog)

    @classmethod
    def load(cls, path, engine: str = "vectorised") -> "Classroom":
        model = load_game(path, engine=engine)
        extra = read_sidecar(path).get("classroom")
        extra = extra if isinstance(extra, dict) else {}
        rules = model.rules
        teams: list[Team] = []
        saved = extra.get("teams") if isinstance(extra.get("teams"), list) else []
        for entry in saved:
            if not isinstance(entry, dict) or not isinstance(entry.get("seat"), str):
                continue
            seat = entry["seat"]
            if seat not in rules.country_ids and seat not in rules.lab_ids:
                continue
            kind = seat_kind(rules, seat)
            controller = cls._controller_of(model, seat)
            if controller is None:  # a team whose lab is gone: keep its last plan for the record
                plan = entry.get("plan") if isinstance(entry.get("plan"), dict) else None
                try:
                    controller = controller_for(kind, plan)
                except (TypeError, ValueError):
                    controller = controller_for(kind)
            name = entry.get("name")
            if TEAM.fields["name"].check(name, "name", []) is None:  # not plain text (the notes are damaged): the seat's id
                name = seat
            team = Team(str(name or seat), seat, kind, controller)
            team.advisor_drafts = bool(entry.get("advisor_drafts", False))
            teams.append(team)
        known = {t.seat for t in teams}
        for seat, name in model.teams.items():
            if seat not in known:
                teams.append(Team(name, seat, seat_kind(rules, seat), cls._controller_of(model, seat)))
        if not teams:
            raise SaveError(f"{path}: this save has no teams: it is not a classroom game")
        countdown = extra.get("countdown", 0)
        room = cls(model, teams, countdown if isinstance(countdown, int) and not isinstance(countdown, bool) else 0,
                   bool(extra.get("fog", False)))
        try:
            room.injected = {int(k): [str(e) for e in v] for k, v in (extra.get("injected") or {}).items()
                             if isinstance(v, list)}
            log = extra.get("intel_log") or {}
            room.intel_log = {str(seat): {int(t): {f: list(v[f]) for f in FIGURES} for t, v in turns.items()}
                              for seat, turns in log.items() if isinstance(turns, dict)}
        except (TypeError, ValueError, KeyError, AttributeError):
            room.injected, room.intel_log = {}, {}
        room.record_intel()
        current = extra.get("current", 0)
        if isinstance(current, int) and 0 <= current < len(teams) and room.team_alive(teams[current]):
            room.current = current
        return room

    @staticmethod
    def _controller_of(model, seat):
        try:
            return model.seat(seat).controller
        except ValueError:
            return None

    def save(self, path) -> None:
        path = Path(path)
        model = self.model
        # The save format writes each team through its seat's agent; a team whose lab has gone
        # bankrupt has none, so it is left out of the save proper and kept in the sidecar.
        gone = {seat: name for seat, name in model.teams.items() if self._controller_of(model, seat) is None}
        for seat in gone:
            del model.teams[seat]
        try:
            save_game(model, path)
        finally:
            model.teams.update(gone)
        write_sidecar(path, {"classroom": {
            "teams": [{"name": t.name, "seat": t.seat, "kind": t.kind, "advisor_drafts": t.advisor_drafts,
                       "plan": t.plan.to_json()} for t in self.teams],
            "countdown": self.countdown, "fog": self.fog, "current": self.current,
            "injected": {str(k): v for k, v in self.injected.items()},
            "intel_log": {seat: {str(t): v for t, v in turns.items()} for seat, turns in self.intel_log.items()},
        }})

    def default_save_name(self) -> str:
        return f"class-{self.model.level.id}-{fmt.quarter(self.model.rules.turn_date(self.model.state.turn))}"

    def reattach(self) -> None:
        """Give every team with a seat in the game its controller (after loading or a step back)."""
        for team in self.teams:
            if team.controller is None:
                team.controller = controller_for(team.kind)
            if team.kind == "lab" and not isinstance(team.controller, AdvisedController):
                # A lab team plays through the controller that knows its advisor setting.
                team.controller = AdvisedController(team.controller.plan, getattr(team.controller, "advisor", False))
            if self.team_alive(team):
                agent = self.model.seat(team.seat)
                if agent.controller is not team.controller or self.model.teams.get(team.seat) != team.name:
                    self.model.assign(team.seat, team.controller, team.name)

    # -- teams and the hot seat -----------------------------------------------------------------
    def team_alive(self, team: Team) -> bool:
        if team.kind == "government":
            return True
        slot = self.model.rules.lab_ids.index(team.seat)
        return slot in self.model.labs_by_slot and bool(self.model.state.alive[0, slot])

    def home_country_of(self, team: Team) -> str:
        return self.perspective(team).home_country

    def title_of(self, team: Team) -> str:
        return seat_title(self.model.level.data, team.seat)

    def brief_of(self, team: Team) -> str:
        return seat_brief(self.model.level.data, team.seat)

    def live_teams(self) -> list[Team]:
        return [t for t in self.teams if self.team_alive(t)]

    def first_index(self) -> int:
        return next((i for i, t in enumerate(self.teams) if self.team_alive(t)), 0)

    @property
    def deciding(self) -> Team:
        """The team whose turn it is (at the screen, or about to be)."""
        return self.teams[self.current]

    def later_teams(self) -> list[Team]:
        return [t for t in self.teams[self.current + 1:] if self.team_alive(t)]

    def begin(self) -> Team:
        """The deciding team takes the screen: its clock starts."""
        self.active = self.deciding
        self.remaining = float(self.countdown)
        self.paused = False
        return self.active

    def finish(self) -> Team | None:
        """The deciding team is done (or out of time): the next team, or None when the turn is ready."""
        self.active = None
        for i in range(self.current + 1, len(self.teams)):
            if self.team_alive(self.teams[i]):
                self.current = i
                return self.teams[i]
        return None

    def resolve(self) -> None:
        """Every team has decided: play the turn, then start the next one from its first team."""
        model = self.model
        self.active = None
        if not model.running:
            return
        played = model.state.turn
        queued = list(model.pending_injects)
        model.step()
        if queued:
            self.injected[played] = queued
            self.injected_headlines[played] = {k: v for k, v in self.headlines.items() if k in queued}
            self._mark_injected(played, queued)
        self.headlines = {}
        self.record_intel()
        self.current = self.first_index()
        self.timed_out = None
        self.autosave()

    @property
    def over(self) -> bool:
        return not self.model.running or not self.live_teams()

    # -- the clock --------------------------------------------------------------------------------
    def tick(self, screen: str, dt: float) -> bool:
        """Called every frame by the app with the name of the screen on top: the deciding
        team's countdown. True when its time has just run out (the app moves play on)."""
        if not self.countdown or self.active is None or self.paused or self.remaining <= 0:
            return False
        if screen not in CLOCK_SCREENS:
            return False
        self.remaining -= dt
        if self.remaining <= 0:
            self.remaining = 0.0
            return True
        return False

    def extend(self, seconds: float = 60.0) -> bool:
        if not self.countdown or self.active is None:
            return False
        self.remaining += seconds
        return True

    # -- the facilitator --------------------------------------------------------------------------
    def events(self) -> list[dict]:
        """Every event the facilitator may make happen: the level's list and the catalogue."""
        out = []
        for e in self.model.level.data["events"]:
            if e.get("on_demand"):
                kind, when = "catalogue", "on demand"
            elif e["turn"] >= 0:
                kind, when = "scripted", f"scripted for {fmt.quarter(self.model.rules.turn_date(e['turn']))}"
            else:
                kind, when = "random", f"random, {e['probability']:.0%} a turn"
            out.append({"id": e["id"], "title": e.get("title") or e["id"], "news": e.get("news", ""), "kind": kind,
                        "when": when, "effect": e["effect"], "target": e.get("target", ""), "amount": e.get("amount", 0.0),
                        "duration": e.get("duration_turns", 0)})
        order = {"catalogue": 0, "scripted": 1, "random": 2}
        return sorted(out, key=lambda e: order[e["kind"]])

    def inject(self, event_id: str, headline: str = "") -> None:
        """Queue an event for this turn. With a ``headline``, the event does what it does (its
        effect) but the news says the facilitator's words."""
        self.model.inject(event_id)
        headline = " ".join(str(headline).split())[:160]
        if headline:
            self.headlines[event_id] = headline
        else:
            self.headlines.pop(event_id, None)

    def cancel_injects(self) -> None:
        self.model.pending_injects.clear()
        self.headlines = {}

    def _mark_injected(self, turn: int, events: list[str]) -> None:
        """The news of events the facilitator injected: marked as theirs, in their words if given."""
        rules = self.model.rules
        headlines = self.injected_headlines.get(turn, {})
        for event_id in events:
            k = rules.event_ids.index(event_id)
            base = rules.event_news[k] or rules.event_titles[k]
            for n in self.model.news:
                if n.turn == turn and n.kind == "event" and n.text.startswith(base) and n.tone != "injected":
                    n.tone = "injected"
                    if event_id in headlines:
                        n.text = headlines[event_id] + n.text[len(base):]
                    break

    @property
    def queued(self) -> list[str]:
        return list(self.model.pending_injects)

    def event_title(self, event_id: str) -> str:
        for e in self.model.level.data["events"]:
            if e["id"] == event_id:
                return e.get("title") or event_id
        return event_id

    @property
    def can_step_back(self) -> bool:
        return bool(self.model.snapshots)

    def step_back(self) -> bool:
        """Undo the last turn; every team decides it again. Facilitator injects of that turn
        are queued again (the panel can cancel them)."""
        model = self.model
        if not model.step_back():
            return False
        turn = model.state.turn
        self.headlines = self.injected_headlines.pop(turn, {})
        for event_id in self.injected.pop(turn, []):
            if event_id not in model.pending_injects:
                model.pending_injects.append(event_id)
        self.injected = {k: v for k, v in self.injected.items() if k < turn}
        for turns in self.intel_log.values():
            for t in [t for t in turns if t > turn]:
                del turns[t]
        self.reattach()
        for team in self.teams:
            if team.kind == "government":
                team.controller.plan = gov_plan_from_state(model, model.rules.country_ids.index(team.seat))
        self.current = self.first_index()
        self.active = None
        self.timed_out = None
        self.autosave()
        return True

    def prompt(self, turn: int) -> str | None:
        """The level's discussion prompt for after ``turn`` is played, if any."""
        texts = [p["text"] for p in self.model.level.data.get("prompts", []) if p["turn"] == turn]
        return " ".join(texts) if texts else None

    # -- fog ------------------------------------------------------------------------------------------
    def record_intel(self) -> None:
        """Keep what each team sees of its rivals this turn, so its charts show what it knew then."""
        if not self.fog:
            return
        turn = self.model.state.turn
        for team in self.teams:
            if not self.team_alive(team):
                continue
            seen = self.perspective(team).seen()
            self.intel_log.setdefault(team.seat, {})[turn] = {k: _finite(v) for k, v in seen.items()}

    # -- reading the game ------------------------------------------------------------------------------
    def perspective(self, team: Team | None) -> Perspective:
        if team is None:
            return self.room
        if id(team) not in self._perspectives:
            self._perspectives[id(team)] = Perspective(self, team)
        return self._perspectives[id(team)]

    @property
    def viewer(self) -> Perspective:
        return self.perspective(self.active)

    def world_view(self):
        """Derived figures for the current state, computed once per state."""
        state = self.model.state
        if self._view[0] is not state:
            self._view = (state, observe(state, self.model.rules))
        return self._view[1]

    def start_rows(self) -> dict:
        if self._start_rows is None:
            self._start_rows = start_rows(self.model)
        return self._start_rows

    # The Session interface, answered for the team at the screen.
    @property
    def view(self):
        return self.world_view()

    @property
    def slot(self):
        return self.viewer.slot

    @property
    def plan(self):
        return self.viewer.plan

    @plan.setter
    def plan(self, plan) -> None:
        if self.active is not None:
            self.active.controller.plan = plan

    @property
    def controller(self):
        """The controller of the team at the screen (its plan and its advisor)."""
        return self.active.controller if self.active is not None else None

    @property
    def advisor_drafts(self) -> bool:
        return bool(self.active and self.active.advisor_drafts)

    @advisor_drafts.setter
    def advisor_drafts(self, value: bool) -> None:
        if self.active is not None:
            self.active.advisor_drafts = bool(value)

    @property
    def player_alive(self) -> bool:
        return self.viewer.player_alive

    @property
    def home_country(self):
        return self.viewer.home_country

    @property
    def fogged(self) -> bool:
        return self.viewer.fogged

    def preview(self) -> dict:
        return self.viewer.preview()

    def suggest(self):
        return self.viewer.suggest()

    def history(self) -> list[dict]:
        return self.viewer.history()

    def rank(self) -> tuple[int, int]:
        return self.viewer.rank()

    def seen(self):
        return self.viewer.seen()

    def exact(self, slot: int) -> bool:
        return self.viewer.exact(slot)

    def noise(self) -> float:
        return self.viewer.noise()

    def highlights(self) -> dict:
        return self.viewer.highlights()

    def end_turn(self) -> None:
        """The desktop game's End turn: here, the team at the screen is done."""
        if self.finish() is None:
            self.resolve()
