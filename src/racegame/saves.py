"""Saved games: versioned JSON, written atomically, read without executing anything.

A save holds the whole level (so it loads even if the level file changed or is absent),
the seed and replica number, the state arrays, and the game's news and chronicle. Because
every random draw is a function of (seed, replica, turn), a loaded game continues exactly
as the unbroken game would have.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import __version__
from .engine.state import State
from .errors import LevelError, SaveError
from .level.loader import validate_level
from .narrate import News

FORMAT = "racegame-save"
VERSION = 1
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


def write_text_atomic(path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes private files; saves and reports are for sharing
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_json_atomic(path, blob: dict) -> None:
    write_text_atomic(path, json.dumps(blob, separators=(",", ":"), allow_nan=False))


def save_game(model, path) -> None:
    try:
        write_json_atomic(path, game_to_json(model))
    except OSError as exc:
        raise SaveError(f"{path}: cannot write the save ({exc.strerror})") from None


def read_save(path) -> dict:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the save ({exc.strerror})") from None
    if size > MAX_SAVE_BYTES:
        raise SaveError(f"{path}: {size} bytes is too large for a save (at most {MAX_SAVE_BYTES})")
    try:
        blob = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a racegame save (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise SaveError(f"{path}: damaged save: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the save ({exc.strerror})") from None
    return blob


def game_from_json(blob, where: str = "<save>", controller=None):
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
    if seed < 0 or replica < 0:
        raise SaveError(f"{where}: fields 'seed' and 'replica' must be non-negative")
    player = blob.get("player")
    difficulty = _field(blob, "difficulty", str, where)
    turn_limit = _field(blob, "turn_limit", int, where)
    try:
        model = RaceModel(level=level, rng=seed, first_replica=replica, player=player, controller=controller,
                          difficulty=difficulty, turns=turn_limit)
    except ValueError as exc:
        raise SaveError(f"{where}: {exc}") from None
    try:
        state = State.from_json(_field(blob, "state", dict, where))
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise SaveError(f"{where}: field 'state' is damaged ({exc})") from None
    _check_shapes(state, model.state, where)
    if state.turn > model.rules.horizon:
        raise SaveError(f"{where}: field 'state.turn': {state.turn} is beyond the level's last turn ({model.rules.horizon})")
    model.state = state
    model._sync_labs()
    if player is not None:
        model.labs_by_slot[model.player].controller = controller
        saved = blob.get("player_plan")
        if controller is not None and hasattr(controller, "plan") and isinstance(saved, dict):
            from .player import PlayerPlan

            try:
                controller.plan = PlayerPlan.from_json(saved)
            except TypeError as exc:
                raise SaveError(f"{where}: field 'player_plan' is damaged ({exc})") from None
    try:
        model.news = [News(**n) for n in _field(blob, "news", list, where)]
        model.chronicle = _field(blob, "chronicle", list, where)
        model.orders_log = _field(blob, "orders_log", list, where)
    except TypeError as exc:
        raise SaveError(f"{where}: field 'news' is damaged ({exc})") from None
    _restore_teams(model, blob.get("teams", []), where)
    model.running = not (state.ended.all() or state.turn >= model.turn_limit)
    return model


def _restore_teams(model, teams, where: str) -> None:
    from .player import controller_for

    if not isinstance(teams, list):
        raise SaveError(f"{where}: field 'teams': expected a list")
    for i, team in enumerate(teams):
        if not isinstance(team, dict) or not isinstance(team.get("seat"), str) or team.get("kind") not in ("lab", "government"):
            raise SaveError(f"{where}: field 'teams[{i}]': expected {{seat, name, kind: lab|government, plan}}")
        plan = team.get("plan")
        if plan is not None and not isinstance(plan, dict):
            raise SaveError(f"{where}: field 'teams[{i}].plan': expected a table")
        seat, name = team["seat"], str(team.get("name", ""))
        controller = controller_for(team["kind"], plan)
        try:
            model.assign(seat, controller, name)
        except ValueError:
            if seat not in model.rules.lab_ids:
                raise SaveError(f"{where}: field 'teams[{i}].seat': '{seat}' is not a seat of this level") from None
            # A team whose lab is gone: it stays a team (watching), with its last plan.
            model.teams[seat] = name or seat
            model.team_controllers[seat] = controller
        except TypeError as exc:
            raise SaveError(f"{where}: field 'teams[{i}]': {exc}") from None


def load_game(path, controller=None):
    return game_from_json(read_save(path), str(path), controller)


def _field(blob, name, kind, where):
    if name not in blob:
        raise SaveError(f"{where}: field '{name}' is missing")
    value = blob[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SaveError(f"{where}: field '{name}': expected {kind.__name__}, got {type(value).__name__}")
    return value


# Integer arrays that index something: (name, lowest, highest from the fresh state's shape).
_INDEX_RANGES = {
    "country": lambda f: (0, f.export_tier.shape[1] - 1),
    "archetype": lambda f: (0, 5),
    "dc_ring_grid": lambda f: (0, f.capacity.shape[1] - 1),
    "onsite_ring_grid": lambda f: (0, f.capacity.shape[1] - 1),
    "lobby_goal": lambda f: (0, 5),
    "binding": lambda f: (0, 6),
    "export_tier": lambda f: (0, 3),
    "outcome": lambda f: (0, 3),
    "parent": lambda f: (-1, f.alive.shape[1] - 1),
    "winner": lambda f: (-1, f.alive.shape[1] - 1),
    "agi_lab": lambda f: (-1, f.alive.shape[1] - 1),
    "milestone": lambda f: (0, f.milestone_req.shape[1]),
    "failed_milestone": lambda f: (-1, f.milestone_req.shape[1] - 1),
}


# The meaning layer for saves: every number where the game can put it. Anything outside
# (a zero price, a negative stock, an absurd magnitude) is a damaged save, not a game.
_BIG = 1e18
_VALUE_RANGES = {
    "cash": (-_BIG, _BIG), "revenue": (0, _BIG), "lobby_usd": (0, _BIG), "subsidy": (0, 1e13),
    "chips": (0, 1e12), "built": (0, 1e9), "approved": (0, 1e9), "queued": (0, 1e9), "onsite": (0, 1e9),
    "dc_ring_mw": (0, 1e9), "onsite_ring_mw": (0, 1e9), "gas_ring": (0, 1e9), "solar_ring": (0, 1e9),
    "nuclear_ring": (0, 1e9), "capacity": (1, 1e9), "demand": (0, 1e9), "queue_other": (0, 1e9),
    "price": (0.01, 1e6), "carbon": (0, 10), "curtail": (0, 1), "outage": (-1, 0.99), "queue_wait": (0, 99),
    "chip_price": (1, 1e9), "supply_shock": (0, 100), "market_shock": (0.001, 1000),
    "smuggle_premium": (0, 20), "smuggle_fill": (0, 1), "input_capacity": (0, 1e15), "input_yield": (0, 1),
    "input_shock": (0, 100), "input_shock_left": (0, 1000), "ppa_ring_mw": (0, 1e9),
    "milestone_turn": (-1, 1000), "pace": (-100, 100), "milestone_req": (0, 100), "distilled": (0, 60),
    "open_best": (0, 60), "served": (0, 1), "parent_left": (0, _BIG), "security": (1, 5), "spy_usd": (0, 1e13),
    "gov_intel": (0, 1e9), "tension": (0, 1), "inspections": (0, 1), "treaty": (0, 2), "treaty_since": (0, 1000),
    "treaty_cap": (0, 100), "alarm": (0, 1),
    "efficiency": (-20, 40), "capability": (0, 60), "reasoning": (0, 40), "safety": (0, 1e4),
    "talent": (0, 1e4), "reputation": (0.0001, 100), "run_flop": (0, 1e45), "share": (0, 1),
    "market_use": (0, 1), "partner_share": (0, 0.95), "equity": (0, 1), "momentum": (-60, 60),
    "cap_average": (0, 60), "intel": (0, 1e6), "enforcement": (0, 1), "permitting": (0.1, 10), "regulation": (0, 1),
    "raise_cooldown": (0, 1000), "partner_cooldown": (0, 1000), "run_age": (0, 1000), "incidents": (0, 10**6),
    "reaction_wait": (0, 1000), "outage_left": (0, 1000), "supply_shock_left": (0, 1000),
    "market_shock_left": (0, 1000), "founders_used": (0, 1000), "incidents_last": (0, 1000),
    "end_turn": (-1, 1000), "founded_turn": (-1, 1000), "name_index": (-1, 1000),
}


def _check_shapes(state: State, fresh: State, where: str) -> None:
    for name, arr in fresh.arrays():
        got = getattr(state, name)
        if got.shape != arr.shape:
            raise SaveError(f"{where}: field 'state.{name}': shape {list(got.shape)} does not fit the level (expected {list(arr.shape)})")
        if got.dtype.kind != arr.dtype.kind:
            raise SaveError(f"{where}: field 'state.{name}': wrong kind of numbers ({got.dtype} for {arr.dtype})")
        if got.dtype.kind == "f" and not np.all(np.isfinite(got)):
            raise SaveError(f"{where}: field 'state.{name}' holds NaN or infinite values")
        if name in _INDEX_RANGES:
            lo, hi = _INDEX_RANGES[name](fresh)
        else:
            lo, hi = _VALUE_RANGES.get(name, (None, None))
        if lo is not None and got.size and (got.min() < lo or got.max() > hi):
            raise SaveError(f"{where}: field 'state.{name}': values must be {lo:g}..{hi:g}")
