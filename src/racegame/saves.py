"""Saved games: versioned JSON, written atomically, read without executing anything.

A save holds the whole level (so it loads even if the level file changed or is absent),
the seed and replica number, the state arrays, and the game's news and chronicle. Because
every random draw is a function of (seed, replica, turn), a loaded game continues exactly
as the unbroken game would have.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import __version__
from .engine import limits
from .engine.orders import hold_orders
from .engine.state import State
from .engine.step import BINDING
from .engine.util import add_by_grid
from .errors import LevelError, RangeError, SaveError
from .files import write_json_atomic
from .history import COLUMNS as HISTORY_COLUMNS
from .level.fields import (MAX_DEPTH, Bool, ListOf, MapOf, Num, OneOf, Str, Table, nesting_depth,
                           plain_data_problems, show_value)
from .level.loader import read_limited, validate_level
from .level.schema import ID
from .narrate import News

FORMAT = "racegame-save"
# 2: PPA-backed load waits in the grid queue (version 1 kept it out; see _queue_pending_ppas)
# 3: each game draws when chip classes with an uncertain date go on sale (state.chip_arrival)
# 4: governments may pool their labs' compute in one lab (state.pool)
# 5: a member leaving a pause may give notice (state.pause_notice, state.pause_notice_by)
VERSION = 5
MAX_SAVE_BYTES = 50_000_000


def game_to_json(model) -> dict:
    if model.replicas != 1:
        raise ValueError("only a single game (replicas=1) can be saved")
    return {
        "format": FORMAT,
        "version": VERSION,
        "game_version": __version__,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "level": model.level.data,
        "seed": model.seed,
        "replica": int(model.replica_ids[0]),
        "player": None if model.player is None else model.rules.lab_ids[model.player],
        "player_plan": _player_plan(model),
        "difficulty": model.difficulty,
        "turn_limit": model.turn_limit,
        "state": model.state.to_json(),
        "news": [vars(n) for n in model.news],
        "chronicle": model.chronicle,
        "orders_log": model.orders_log,
        "teams": [_team_json(model, seat, name) for seat, name in model.teams.items()],
    }


def _player_plan(model):
    if model.player is None or model.player not in model.labs_by_slot:
        return None
    plan = getattr(model.labs_by_slot[model.player].controller, "plan", None)
    return plan.to_json() if plan is not None else None


def _team_json(model, seat: str, name: str) -> dict:
    # The controller is kept by the model: a team's lab may have gone bankrupt (its agent
    # removed), and the team, its name and its last plan still belong in the save.
    plan = getattr(model.team_controllers.get(seat), "plan", None)
    kind = "government" if seat in model.rules.country_ids else "lab"
    return {"seat": seat, "name": name, "kind": kind, "plan": plan.to_json() if plan is not None else None}


def save_game(model, path) -> None:
    # The model refuses a turn that leaves these ranges; checking again here means no save is
    # ever written that its own loader would call damaged.
    problem = limits.first_problem(model.state)
    if problem is not None:
        raise SaveError(f"{path}: this game cannot be saved: {limits.describe(problem, model.rules.lab_ids)}")
    try:
        write_json_atomic(path, game_to_json(model))
    except ValueError:  # json's refusal of NaN or an infinity in the news or records
        raise SaveError(f"{path}: this game cannot be saved: it holds NaN or infinite numbers") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot write the save ({exc.strerror})") from None


def read_save(path) -> dict:
    return read_json(path, "save", MAX_SAVE_BYTES)


def read_json(path, what: str = "save", max_bytes: int = MAX_SAVE_BYTES):
    """Plain data from a JSON file that a person, a crash or an attacker may have damaged, or a
    SaveError in words. Size and nesting are limited before parsing (the parser recurses per
    bracket), and integers beyond 64 bits after, so nothing downstream meets them."""
    path = Path(path)
    try:
        blob = read_limited(path, max_bytes)
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    if len(blob) > max_bytes:
        raise SaveError(f"{path}: too large for a {what} (more than {max_bytes} bytes)")
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a racegame {what} (not UTF-8 text)") from None
    depth = nesting_depth(text, "json")
    if depth > MAX_DEPTH:
        raise SaveError(f"{path}: damaged {what}: brackets nested {depth} deep (at most {MAX_DEPTH})")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise SaveError(f"{path}: damaged {what}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except (ValueError, RecursionError) as exc:  # NaN, or an integer of thousands of digits
        raise SaveError(f"{path}: damaged {what}: {str(exc).split(';')[0]}") from None
    problems = plain_data_problems(data)
    if problems:
        raise SaveError(f"{path}: damaged {what}: {problems[0]}")
    return data


def _no_constant(name: str):
    """Python's JSON reader takes NaN and Infinity, which JSON itself does not: refused."""
    raise ValueError(f"{name} is not a number JSON allows")


def game_from_json(blob, where: str = "<save>", controller=None, engine: str = "vectorised"):
    """The game a save holds, to play on with ``engine`` (a save is the same whichever engine
    made it: the engines play the same rules)."""
    from .model import RaceModel

    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        raise SaveError(f"{where}: not a racegame save (expected \"format\": \"{FORMAT}\")")
    version = blob.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError(f"{where}: field 'version': expected an integer, got {version!r}")
    if version > VERSION:
        raise SaveError(f"{where}: made by a newer racegame (save version {version}; this one reads up to {VERSION})")
    try:
        level = validate_level(_field(blob, "level", dict, where), f"{where} (embedded level)")
    except LevelError as exc:
        raise SaveError(f"{where}: the level inside the save is invalid:\n" + "\n".join(f"  - {p}" for p in exc.problems)) from None
    seed = _field(blob, "seed", int, where)
    replica = _field(blob, "replica", int, where)
    if seed < 0 or not 0 <= replica <= MAX_REPLICA:
        raise SaveError(f"{where}: fields 'seed' and 'replica' must be non-negative (replica at most {MAX_REPLICA})")
    player = blob.get("player")
    if player is not None and not isinstance(player, str):
        raise SaveError(f"{where}: field 'player': expected a lab id or null, got {show_value(player)}")
    difficulty = _field(blob, "difficulty", str, where)
    if difficulty not in DIFFICULTIES:
        raise SaveError(f"{where}: field 'difficulty': expected one of {', '.join(DIFFICULTIES)}, got {show_value(difficulty)}")
    turn_limit = _field(blob, "turn_limit", int, where)
    try:
        model = RaceModel(level=level, rng=seed, first_replica=replica, player=player, controller=controller,
                          difficulty=difficulty, turns=turn_limit, engine=engine)
    except (RangeError, ValueError) as exc:  # a level out of range, a player that is no lab
        raise SaveError(f"{where}: {exc}") from None
    state_blob = _field(blob, "state", dict, where)
    if version < 3:
        state_blob = _with_known_arrivals(state_blob, model)
    if version < 4:
        state_blob = _with_no_pools(state_blob, model)
    if version < 5:
        state_blob = _with_no_notice(state_blob)
    try:
        state = State.from_json(state_blob)
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise SaveError(f"{where}: field 'state' is damaged ({exc})") from None
    _check_shapes(state, model.state, where)
    if version < 2:
        _queue_pending_ppas(state)
        _check_shapes(state, model.state, where)  # the queue it grew stays in range
    if state.turn > model.rules.horizon:
        raise SaveError(f"{where}: field 'state.turn': {state.turn} is beyond the level's last turn ({model.rules.horizon})")
    model.state = state
    model._sync_labs()
    plan = _player_plan_of(blob, where)
    if player is not None:
        model.labs_by_slot[model.player].controller = controller
        if controller is not None and hasattr(controller, "plan") and plan is not None:
            controller.plan = plan
    records = _records(blob, model, where)
    model.news = [News(**n) for n in records["news"]]
    model.chronicle, model.orders_log = records["chronicle"], records["orders_log"]
    _restore_teams(model, blob.get("teams", []), where)
    model.running = not (state.ended.all() or state.turn >= model.turn_limit)
    return model


# The save's records of the game so far, checked with the level format's machinery
# (level/fields.py): a damaged record is an error naming its field, never a TypeError later
# in a chart, a report or a history file.
DIFFICULTIES = ("easy", "normal", "hard")
MAX_REPLICA = 2**40
_ANY = Num(lo=-math.inf, hi=math.inf)  # any finite number
_TURN = Num(lo=0, hi=1000, integer=True)
_TEXT_COLUMNS = ("date", "lab", "lab_name", "country", "binding")
_COUNT_COLUMNS = ("replica", "turn", "alive")
RECORDS = Table(fields={
    "news": ListOf(max_len=100_000, item=Table(fields={
        "turn": _TURN, "date": Str(max_len=16), "kind": Str(pattern=r"[a-z_]{1,32}"), "text": Str(),
        "lab": Num(lo=-1, hi=1000, integer=True, default=-1), "weight": Num(lo=0, hi=100, integer=True, default=1),
        "chance": Num(lo=-1, hi=1, default=-1.0), "why": Str(default=""), "tone": Str(choices=("", "good", "bad"), default="")})),
    "chronicle": ListOf(max_len=1000, item=Table(fields={
        name: ListOf(item=Str() if name in _TEXT_COLUMNS else Num(lo=-1, hi=MAX_REPLICA, integer=True)
                     if name in _COUNT_COLUMNS else _ANY) for name in HISTORY_COLUMNS})),
    "orders_log": ListOf(max_len=100_000, item=Table(fields={
        "turn": _TURN, "seat": Str(pattern=ID), "kind": Str(choices=("lab", "government")), "team": Str(default="", max_len=200),
        "orders": MapOf(value=OneOf(options=(Bool(), _ANY, ListOf(item=_ANY), ListOf(item=Bool())))),
        # a government's policy in force when it decided (what the report compares it with)
        "in_force": MapOf(value=OneOf(options=(Bool(), _ANY)), default={})})),
})
TEAM = Table(fields={"seat": Str(pattern=ID), "name": Str(default="", max_len=200), "kind": Str(choices=("lab", "government"))})


def _records(blob: dict, model, where: str) -> dict:
    """News, chronicle and orders log: their shape (RECORDS), then that they fit this game."""
    problems: list[str] = []
    records = RECORDS.check({name: _field(blob, name, list, where) for name in RECORDS.fields}, "", problems)
    rules, turn = model.rules, model.state.turn
    if not problems:
        for i, n in enumerate(records["news"]):
            if n["turn"] > turn or n["lab"] >= rules.n_labs:
                problems.append(f"news[{i}]: turn {n['turn']} or lab {n['lab']} is not in this game")
        if len(records["chronicle"]) > turn:
            problems.append(f"chronicle: {len(records['chronicle'])} turns recorded, but only {turn} played")
        known = {"lab": set(rules.lab_ids), "country": set(rules.country_ids), "binding": set(BINDING)}
        for i, row in enumerate(records["chronicle"]):
            if len({len(column) for column in row.values()}) > 1:
                problems.append(f"chronicle[{i}]: its columns have different lengths")
            for name, allowed in known.items():
                odd = set(row[name]) - allowed
                if odd:
                    problems.append(f"chronicle[{i}].{name}: {show_value(sorted(odd)[0])} is not in this game")
        templates = _order_templates(model)
        for i, entry in enumerate(records["orders_log"]):
            if entry["seat"] not in known["lab"] | known["country"]:
                problems.append(f"orders_log[{i}].seat: '{entry['seat']}' is not a seat of this game")
                continue
            entry["orders"] = _fit_orders(entry["orders"], templates[entry["kind"]], f"orders_log[{i}].orders", problems)
            grid = entry["orders"].get("build_grid", 0)
            if not 0 <= grid < len(rules.grid_ids):
                problems.append(f"orders_log[{i}].orders.build_grid: expected a grid number 0..{len(rules.grid_ids) - 1}")
    if problems:
        raise SaveError(f"{where}: field '{problems[0].split(':')[0]}' is damaged ({problems[0]})")
    return records


def _player_plan_of(blob: dict, where: str):
    """The saved player's plan (checked even when no one will steer with it), or None."""
    from .player import PlayerPlan

    saved = blob.get("player_plan")
    try:
        return None if saved is None else PlayerPlan.from_json(saved)
    except ValueError as exc:
        raise SaveError(f"{where}: field 'player_plan' is damaged ({exc})") from None


def _order_templates(model) -> dict:
    """This version's orders of each kind of seat, as the model logs them (hold orders)."""
    orders = hold_orders(model.state, model.rules)
    gov = {k: np.asarray(v)[0, 0].tolist() for k, v in vars(orders.govs).items() if k != "reaction_wait"}
    return {"lab": orders.labs.to_json()[0], "government": gov}


def _fit_orders(saved: dict, template: dict, path: str, problems: list) -> dict:
    """A logged seat's orders with the template's levers, each of the template's kind (a list
    of as many numbers, true/false, or a number); a lever the save lacks (another version's
    log) takes the template's value, one this version does not know is dropped."""
    out = {}
    for key, like in template.items():
        value = saved.get(key, like)
        fits = isinstance(value, list) == isinstance(like, list) and (
            len(value) == len(like) if isinstance(like, list) else isinstance(value, bool) == isinstance(like, bool))
        if not fits:
            problems.append(f"{path}.{key}: expected {show_value(like)} or alike, got {show_value(value)}")
        out[key] = value
    return out


def _restore_teams(model, teams, where: str) -> None:
    from .player import controller_for

    if not isinstance(teams, list) or len(teams) > 64:
        raise SaveError(f"{where}: field 'teams': expected a list of at most 64 teams")
    for i, team in enumerate(teams):
        if not isinstance(team, dict):
            raise SaveError(f"{where}: field 'teams[{i}]': expected {{seat, name, kind: lab|government, plan}}")
        problems: list[str] = []
        checked = TEAM.check({k: v for k, v in team.items() if k != "plan"}, f"teams[{i}]", problems)
        plan = team.get("plan")
        if plan is not None and not isinstance(plan, dict):
            problems.append(f"teams[{i}].plan: expected a table")
        try:
            controller = None if problems else controller_for(checked["kind"], plan)
        except ValueError as exc:
            problems.append(f"teams[{i}].plan: {exc}")
        if problems:
            raise SaveError(f"{where}: field '{problems[0].split(':')[0]}' is damaged ({problems[0]})")
        seat, name = checked["seat"], checked["name"]
        try:
            model.assign(seat, controller, name)
        except ValueError:
            if seat not in model.rules.lab_ids:
                raise SaveError(f"{where}: field 'teams[{i}].seat': '{seat}' is not a seat of this level") from None
            # A team whose lab is gone: it stays a team (watching), with its last plan.
            model.teams[seat] = name or seat
            model.team_controllers[seat] = controller


def load_game(path, controller=None, engine: str = "vectorised"):
    return game_from_json(read_save(path), str(path), controller, engine)


def _field(blob, name, kind, where):
    if name not in blob:
        raise SaveError(f"{where}: field '{name}' is missing")
    value = blob[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SaveError(f"{where}: field '{name}': expected {kind.__name__}, got {type(value).__name__}")
    return value


def _queue_pending_ppas(state: State) -> None:
    """A version-1 save kept the load its pending PPAs back out of the grid queue (their
    generation connected it whatever the queue). That load now queues like any other and a
    PPA connects what still waits: put it in the queue, so none of it is lost."""
    for slot in range(state.ppa_ring_mw.shape[2]):
        add_by_grid(state.queued, state.ppa_ring_grid[:, :, slot], state.ppa_ring_mw[:, :, slot])


def _with_arrays(state_blob: dict, **values) -> dict:
    """The saved state with each array in ``values`` (one replica's) added where an older
    version did not have it; an array already there is kept."""
    arrays = state_blob.get("arrays")
    if not isinstance(arrays, dict):
        return state_blob  # damaged: from_json says so
    added = {name: {"dtype": arr.dtype.str, "shape": list(arr.shape), "data": arr.ravel().tolist()}
             for name, arr in values.items() if name not in arrays}
    return {**state_blob, "arrays": {**arrays, **added}}


def _with_known_arrivals(state_blob: dict, model) -> dict:
    """A save before version 3 played every chip class on its level date: it keeps them."""
    return _with_arrays(state_blob, chip_arrival=model.rules.chip_available.astype(np.int64)[None, :])


def _with_no_pools(state_blob: dict, model) -> dict:
    """A save before version 4 had no compute pools: none is in force."""
    return _with_arrays(state_blob, pool=np.zeros((1, len(model.rules.country_ids))))


def _with_no_notice(state_blob: dict) -> dict:
    """A save before version 5 knew no notice to leave a pause: none is running."""
    return _with_arrays(state_blob, pause_notice=np.zeros(1, dtype=np.int64), pause_notice_by=np.full(1, -1, dtype=np.int64))


def _check_shapes(state: State, fresh: State, where: str) -> None:
    for name, arr in fresh.arrays():
        got = getattr(state, name)
        if got.shape != arr.shape:
            raise SaveError(f"{where}: field 'state.{name}': shape {list(got.shape)} does not fit the level (expected {list(arr.shape)})")
        if got.dtype.kind != arr.dtype.kind:
            raise SaveError(f"{where}: field 'state.{name}': wrong kind of numbers ({got.dtype} for {arr.dtype})")
    # The meaning layer for saves: every number where the game can put it. Anything outside
    # (a zero price, a negative stock, an absurd magnitude, NaN) is a damaged save, not a game.
    problem = limits.first_problem(state)
    if problem is not None:
        name, _, value, lo, hi = problem
        if isinstance(value, float) and not np.isfinite(value):
            raise SaveError(f"{where}: field 'state.{name}' holds NaN or infinite values")
        raise SaveError(f"{where}: field 'state.{name}': values must be {lo:g}..{hi:g}")
