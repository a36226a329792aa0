"""A level as a teacher reads it: its seats, its scripted news and discussion prompts in the
game's own turn numbers (the first turn is turn 1, as on every screen), how long a game
runs, and how a 45, 60 or 90-minute lesson fits around it.

Level files count turns from 0 (a prompt with ``turn = 0`` comes after the first turn is
played); nothing a teacher reads does: ``game_turn`` converts in one place.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np


def game_turn(level_turn: int) -> int:
    """A turn number in a level file (from 0) as the game shows it (from 1)."""
    return int(level_turn) + 1


def seat_title(level_data: dict, seat: str) -> str:
    """What to call a seat: its role's title in the level, else the lab's or government's name."""
    for role in level_data.get("roles", []):
        if role["seat"] == seat and role.get("title"):
            return role["title"]
    for lab in level_data["labs"]:
        if lab["id"] == seat:
            return lab.get("name") or seat
    for gov in level_data["governments"]:
        if gov["id"] == seat:
            return f"{gov.get('name') or seat} government"
    return seat


def seat_brief(level_data: dict, seat: str) -> str:
    for role in level_data.get("roles", []):
        if role["seat"] == seat:
            return role.get("brief", "")
    for lab in level_data["labs"]:
        if lab["id"] == seat:
            return lab.get("blurb", "")
    if any(g["id"] == seat for g in level_data["governments"]):
        return ("You set export controls, enforcement, subsidies, permitting, safety regulation, the national project "
                "and, where the scenario allows, a compute pool for one lab.")
    return ""


def seat_choices(level_data: dict) -> list[tuple[str, str]]:
    """(text, seat) for every seat a team may take: the level's roles first, then any
    playable lab or government."""
    out, seen = [], set()
    govs = {g["id"]: g.get("name") or g["id"] for g in level_data["governments"]}
    labs = {lab["id"]: lab for lab in level_data["labs"]}
    for role in level_data.get("roles", []):
        seat = role["seat"]
        if seat in seen or (seat not in govs and seat not in labs):
            continue
        seen.add(seat)
        if seat in govs:
            out.append((f"{role.get('title') or govs[seat]} (role)", seat))
        else:
            out.append((f"{role.get('title') or labs[seat]['name']} · {labs[seat]['country'].upper()} lab (role)", seat))
    for gid, name in govs.items():
        if gid not in seen:
            seen.add(gid)
            out.append((f"{name} government", gid))
    for lid, lab in labs.items():
        if lid not in seen and lab.get("playable", True):
            seen.add(lid)
            out.append((f"{lab.get('name') or lid} · {lab['country'].upper()} lab", lid))
    return out


def default_seats(level_data: dict, n: int) -> list[str]:
    """Seats for ``n`` new teams: a lab role and a government role first, then the others."""
    choices = [seat for _, seat in seat_choices(level_data)]
    govs = {g["id"] for g in level_data["governments"]}
    roles = [r["seat"] for r in level_data.get("roles", []) if r["seat"] in choices]
    order = [s for s in roles if s not in govs][:1] + [s for s in roles if s in govs][:1]
    order += [s for s in roles if s not in order] + [s for s in choices if s not in roles]
    return order[:n]


def seat_cards(level_data: dict) -> list[dict]:
    """Every seat a team may take (the level's roles first), as ``seats`` describes them."""
    labs = {lab["id"]: lab for lab in level_data["labs"]}
    out = []
    for _, seat in seat_choices(level_data):
        if seat in labs:
            out.append({"id": seat, "name": seat_title(level_data, seat), "kind": "lab", "country": labs[seat]["country"],
                        "brief": seat_brief(level_data, seat)})
        else:
            out.append({"id": seat, "name": seat_title(level_data, seat), "kind": "government", "country": seat,
                        "brief": seat_brief(level_data, seat)})
    return out


def seats(level_data: dict) -> list[dict]:
    """The seats a class plays: the level's roles, or else every playable lab."""
    labs = {lab["id"]: lab for lab in level_data["labs"]}
    govs = {g["id"]: g for g in level_data["governments"]}
    if level_data["roles"]:
        return [{"id": r["seat"], "name": r["title"] or r["seat"], "kind": "government" if r["seat"] in govs else "lab",
                 "country": r["seat"] if r["seat"] in govs else labs[r["seat"]]["country"], "brief": r["brief"]}
                for r in level_data["roles"]]
    return [{"id": lab["id"], "name": lab["name"], "kind": "lab", "country": lab["country"], "brief": lab["blurb"]}
            for lab in level_data["labs"] if lab["playable"]]


def scripted_news(level_data: dict) -> list[dict]:
    """The level's scripted events: {turn (the game's, from 1), id, title, news, effect}."""
    return [{"turn": game_turn(e["turn"]), "id": e["id"], "title": e["title"] or e["id"], "news": e["news"],
             "effect": e["effect"]} for e in level_data["events"] if e["turn"] >= 0 and not e.get("on_demand")]


def prompts(level_data: dict) -> list[dict]:
    """Discussion prompts: {turn: the game's turn (from 1) after which the class discusses, text}."""
    return [{"turn": game_turn(p["turn"]), "text": p["text"]} for p in level_data["prompts"]]


def teacher_summary(level) -> dict:
    """What ``racegame levels --json`` prints for a level: every turn number the game's own."""
    d = level.data
    return {
        "id": level.id,
        "title": level.title,
        "summary": d["summary"],
        "briefing": d["briefing"],
        "objectives": d["objectives"],
        "turn_numbers": "the game's, from 1 (as on every screen)",
        "injects": [{"turn": e["turn"], "title": e["title"], "news": e["news"]} for e in scripted_news(d)],
        "roles": seats(d),
        "prompts": prompts(d),
        "debrief": d["debrief"],
        "turns": d["time"]["horizon_turns"],
        "start": d["time"]["start"],
        "file": level.path,
    }


_LENGTHS: dict = {}


def typical_length(level, runs: int = 100, seed: int = 1) -> tuple[int, int, int]:
    """(median, 10th and 90th percentile) turns a game of ``level`` lasts with the AI on every
    seat: what a class plays when it plays to the end."""
    key = (level.id, level.path, runs, seed)
    if key not in _LENGTHS:
        _LENGTHS[key] = _length(level, runs, seed)
    return _LENGTHS[key]


def _length(level, runs: int, seed: int) -> tuple[int, int, int]:
    from .model import RaceModel

    model = RaceModel(level=level, rng=seed, replicas=runs)
    model.datacollector.collect = lambda _model: None
    turns = np.zeros(runs, dtype=np.int64)
    games = np.arange(runs)
    for games, done in model.play_out():
        turns[games[done]] = model.state.turns_played[done]
    turns[games] = model.state.turns_played  # the games on at the last turn
    lo, mid, hi = np.percentile(turns, [10, 50, 90])
    return int(round(mid)), int(round(lo)), int(round(hi))


# How a classroom turn spends the clock (docs/CLASSROOM.md, "Timing"): each team decides in
# its countdown and needs a moment at the hand-over; then the room reads the turn summary,
# and stops longer where the scenario has a discussion prompt.
HANDOVER_MIN = 0.25
SUMMARY_MIN = 1.0
DISCUSSION_MIN = 3.0


@dataclass
class Lesson:
    minutes: int
    teams: int
    countdown: int  # minutes a team has to decide, each turn
    intro: float  # minutes before turn 1: briefing, role cards, a first plan
    debrief: float  # minutes kept at the end
    turns: int = 0  # turns played
    to_the_end: bool = False  # the game usually ends within them
    rows: list = field(default_factory=list)  # (minute the turn starts, game turn, scripted news, prompt after it)

    @property
    def turn_minutes(self) -> float:
        return self.teams * (self.countdown + HANDOVER_MIN) + SUMMARY_MIN


# The three lessons the facilitator script times: teams, countdown (minutes), intro and debrief.
LESSONS = {45: (2, 1, 5.0, 8.0), 60: (3, 1, 6.0, 10.0), 90: (4, 1, 10.0, 18.0)}


def plan_lesson(level, minutes: int, length: int | None = None) -> Lesson:
    """Which turns of ``level`` a ``minutes``-long lesson plays, and when each starts."""
    teams, countdown, intro, debrief = LESSONS[minutes]
    lesson = Lesson(minutes, teams, countdown, intro, debrief)
    d = level.data
    news = {}
    for e in scripted_news(d):
        news.setdefault(e["turn"], []).append(e)
    talks = {p["turn"]: p["text"] for p in prompts(d)}
    length = length or typical_length(level)[0]
    clock = intro
    end = minutes - debrief
    for turn in range(1, min(length, d["time"]["horizon_turns"]) + 1):
        needed = lesson.turn_minutes + (DISCUSSION_MIN if turn in talks else 0.0)
        if clock + needed > end + 0.5:
            break
        lesson.rows.append((clock, turn, news.get(turn, []), talks.get(turn)))
        clock += needed
        lesson.turns = turn
    lesson.to_the_end = lesson.turns >= length
    return lesson


def clock_text(minutes: float) -> str:
    """Minutes into the lesson as "0:07"."""
    whole = int(math.floor(minutes + 1e-9))
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else f"0:{whole:02d}"


@lru_cache(maxsize=1)
def handout_words() -> dict:
    """The printed materials' words (``assets/handouts/handouts.toml``)."""
    from .ui.paths import asset  # the assets folder; nothing of pygame

    with open(asset("handouts", "handouts.toml"), "rb") as f:
        return tomllib.load(f)
