"""Printed classroom materials for a level: ``racegame handouts --level ID --out DIR``.

- ``role_cards.html``: a card per seat a team may take (the scenario's roles first), one a
  page: the brief, how to win, the scenario's objectives, what the seat starts with, and its
  levers in plain words.
- ``facilitator.html``: the script, with timings for a 45, 60 and 90-minute lesson (which
  turns fit, when the scripted news and the discussion prompts come, when to stop and write
  the report), the controls, and the debrief questions.
- ``worksheet.html``: a predict-then-observe sheet for each student: predict before the
  turns with scripted news, observe after, then the discussion and debrief questions.

Each page prints on A4; with a Chromium-family browser installed it is printed to PDF beside
the HTML. Every turn number is the game's (the first turn is turn 1).
"""

from __future__ import annotations

from pathlib import Path

from .colours import country_colour
from .lessons import (LESSONS, clock_text, default_seats, handout_words, plan_lesson, prompts, scripted_news, seat_cards,
                      seat_title, typical_length)
from .printing import e, find_browser, page, print_pdf

FILES = ("role_cards", "facilitator", "worksheet")



def _first(d) -> dict:
    return d["timeline"]["milestones"][0]


def _agi_words(d) -> str:
    """The level's median guess of how far AGI is, in words a student can use."""
    gaps = [m["gap_oom"] for m in d["timeline"]["milestones"]]
    return f"about {sum(gaps):.1f} orders of magnitude beyond today's best model, as a median guess"

def _lines(n: int) -> str:
    return "<div class='write'>" + "<div class='lines'></div>" * n + "</div>"


def _country_name(d: dict, cid: str) -> str:
    return next((g["name"] for g in d["governments"] if g["id"] == cid), cid.upper())


def _start_figures(d: dict, seat: dict) -> list[tuple[str, str]]:
    """What a seat starts the game with, in words."""
    from .ui import fmt  # number formats; nothing of pygame

    if seat["kind"] == "government":
        gov = next(g for g in d["governments"] if g["id"] == seat["id"])
        rows = [("Export-control tier", str(gov["export_tier"])), ("Enforcement", fmt.pct(gov["enforcement"])),
                ("AI subsidies", f"{fmt.money(gov['subsidy_usd_per_turn'])} a turn"),
                ("Grid permitting", f"×{gov['permitting']:.1f}"), ("Safety regulation", fmt.pct(gov["regulation"])),
                ("National compute project", f"{fmt.mw(gov['mega_project_mw'])}, {fmt.money(gov['mega_project_usd'])}"
                 if gov["mega_project_mw"] > 0 else "none")]
        if gov["pool_max"] > 0:
            rows.append(("Compute pool", f"up to {fmt.pct(gov['pool_max'])} of your other labs' compute, for one lab"))
        labs = [lab["name"] for lab in d["labs"] if lab["country"] == seat["id"]]
        rows.append(("Your country's labs", ", ".join(labs) or "none"))
        return rows
    lab = next(x for x in d["labs"] if x["id"] == seat["id"])
    perf = {c["id"]: c["perf_train"] for c in d["chips"]}
    h100e = sum(n * perf.get(k, 1.0) for k, n in lab.get("chips", {}).items())
    mw = sum(dc.get("mw", 0) for dc in lab.get("data_centres", []))
    rows = [("Cash", fmt.money(lab["cash_usd"])), ("Chips", f"{fmt.count(h100e)} H100-equivalents"),
            ("Data centres", fmt.mw(mw)), ("Capability", f"{lab['capability']:.2f} (what AGI takes is unknown: {_agi_words(d)})"),
            ("Safety", f"{lab.get('safety', 0):.2f} (the first milestone, {_first(d)['name'] or _first(d)['id']}, needs about "
                       f"{_first(d)['safety_need']:.1f} in a calm race, more in a fast one)")]
    if lab.get("parent_funding_usd_per_turn"):
        rows.append(("Parent funding", f"{fmt.money(lab['parent_funding_usd_per_turn'])} a turn"))
    return rows


def role_cards(level) -> str:
    d = level.data
    words = handout_words()
    parts = []
    for n, seat in enumerate(seat_cards(d)):
        kind = words[seat["kind"]]
        colour = country_colour(seat["country"])
        where = _country_name(d, seat["country"])
        what = f"Government · {where}" if seat["kind"] == "government" else f"AI lab · {where}"
        if seat["kind"] == "lab":
            archetype = next(x["archetype"] for x in d["labs"] if x["id"] == seat["id"])
            what += " · " + words["playstyle"].get(archetype, archetype.replace("_", " "))
        levers = "".join(f"<li><b>{e(name)}</b>: {e(text)}</li>" for name, text in kind["levers"])
        figures = _start_figures(d, seat)
        start = "".join("<tr>" + "".join(f"<th>{e(k)}</th><td>{e(v)}</td>" for k, v in figures[i:i + 2]) + "</tr>"
                        for i in range(0, len(figures), 2))  # two to a row: a card stays one page
        objectives = "".join(f"<li>{e(o)}</li>" for o in d["objectives"])
        parts.append(
            f"<section class='card{' page' if n else ''}' style='border-top: 10px solid {colour}; padding-top: .6em'>"
            f"<p class='meta'>{e(level.title)} · role card</p><h1>{e(seat['name'])}</h1>"
            f"<p class='meta' style='color: {colour}'><b>{e(what)}</b></p>"
            f"<p class='box'><b>Your brief.</b> {e(seat['brief'])}</p>"
            f"<h3>How you win</h3><p>{e(kind['goal'])}</p>"
            f"<h3>The scenario</h3><ul>{objectives}</ul>"
            f"<h3>What you start with</h3><table>{start}</table>"
            f"<h3>Your levers</h3><ul>{levers}</ul><p class='small'>{e(kind['advisor'])}</p>"
            "<p class='small'>Team: ______________________ &nbsp; Seed: ________ &nbsp; Turn numbers are the game's: "
            "the first turn is turn 1.</p></section>")
    # A card is one page: a little smaller type than the other handouts.
    style = "<style>.card { font-size: 10pt; } .card h1 { font-size: 1.6em; } .card h3 { margin: .7em 0 .2em; }</style>"
    return page(f"{level.title}: role cards", style + "".join(parts))


def _lesson_table(level, minutes: int, length: int) -> str:
    lesson = plan_lesson(level, minutes, length)
    d = level.data
    rows = [f"<tr><td class='num'>0:00</td><td></td><td>Project the briefing (Classroom, K: choose <i>{e(level.title)}</i>, "
            f"{lesson.teams} teams, a {lesson.countdown}-minute countdown; <i>Read the briefing</i>). Seed on the board. "
            "Hand out the role cards and worksheets; each team reads its card and agrees a first plan; everyone "
            "writes a first prediction (worksheet, part A).</td></tr>"]
    for start, turn, news, talk in lesson.rows:
        what = []
        for item in news:
            what.append(f"Scripted news: <b>{e(item['title'])}</b>. Before the turn, read the headline aloud; "
                        "students predict (worksheet, part B).")
        if talk:
            what.append(f"After the turn: discuss ({e(talk)}), about 3 minutes.")
        rows.append(f"<tr><td class='num'>{clock_text(start)}</td><td class='num'>Turn {turn}</td>"
                    f"<td>{' '.join(what) or 'Play: each team at the screen, then the turn summary for the room.'}</td></tr>")
    stop = minutes - lesson.debrief
    if lesson.to_the_end:
        end_text = "The game usually ends about here: the end screen, then <i>Debrief report (R)</i>."
    else:
        end_text = (f"Stop after turn {lesson.turns}: press F9 and <i>Debrief report now (R)</i> (the report of the game "
                    "so far, with how it might go on).")
    rows.append(f"<tr><td class='num'>{clock_text(stop)}</td><td></td><td>{end_text} Then the debrief: project the story "
                f"and one chart; {min(len(d['debrief']), 3)} debrief questions; students finish the worksheet.</td></tr>")
    rows.append(f"<tr><td class='num'>{clock_text(minutes)}</td><td></td><td>End.</td></tr>")
    teams = ", ".join(seat_title(d, seat) for seat in default_seats(d, lesson.teams))
    return (f"<section class='page'><h2>{minutes}-minute lesson</h2><p><b>{lesson.teams} teams</b> ({e(teams)}), a "
            f"<b>{lesson.countdown}-minute countdown</b>: a turn takes about {lesson.turn_minutes:.1f} minutes "
            f"(each team's countdown and hand-over, then a minute on the turn summary; 3 more where the scenario has a "
            f"discussion prompt). The class plays <b>turns 1 to {lesson.turns}</b> of a game that runs about {length} "
            f"turns.</p><table><tr><th>Time</th><th>Turn</th><th>What happens, what to do</th></tr>{''.join(rows)}</table>"
            "</section>")


def facilitator_script(level) -> str:
    d = level.data
    length, lo, hi = typical_length(level)
    news = "".join(f"<tr><td class='num'>Turn {x['turn']}</td><td><b>{e(x['title'])}</b><br>{e(x['news'])}</td></tr>"
                   for x in scripted_news(d))
    talks = "".join(f"<tr><td class='num'>After turn {p['turn']}</td><td>{e(p['text'])}</td></tr>" for p in prompts(d))
    debrief = "".join(f"<li class='question'>{e(q)}</li>" for q in d["debrief"])
    lessons = "".join(_lesson_table(level, minutes, length) for minutes in LESSONS)
    body = (f"<p class='meta'>Facilitator's script</p><h1>{e(level.title)}</h1><p>{e(d['summary'])}</p>"
            f"<p class='box'>A game of this scenario runs about <b>{length} turns</b> ({lo} to {hi} in 100 games with the AI "
            "on every seat); a class plays fewer, then writes the report of the game so far. Turn numbers here are the "
            "game's, as on every screen: the first turn is turn 1.</p>"
            "<h2>Before the class</h2><ul><li>Print a role card per team and a worksheet per student.</li>"
            "<li>Choose a seed (the setup screen draws one) and write it on the board: groups on several computers who "
            "enter the same seed play the same world, and <code>racegame compare</code> sets their games side by side.</li>"
            "<li>Try the projector: F11 for full screen, F10 for the projector view.</li></ul>"
            f"<h2>The scripted news</h2><table><tr><th>When</th><th>Headline</th></tr>{news}</table>"
            f"<h2>Discussion prompts</h2><table><tr><th>When</th><th>Prompt</th></tr>{talks}</table>"
            "<h2>Your controls (F9 on any classroom screen)</h2><ul>"
            "<li><b>Pause</b> (P), <b>+1 minute</b> (+), <b>projector view</b> (V or F10), <b>step back one turn</b> (B).</li>"
            "<li><b>Teams' decisions</b> (D): what each team has set this turn and what it changed before. For your eyes: "
            "teams' choices stay private until the debrief.</li>"
            "<li><b>Inject an event</b>: pick one from the list for its effect; type your own headline if you like "
            "(\"A storm hits Texas\"). It happens when the turn is played.</li>"
            "<li><b>Debrief report now</b> (R): the report of the game so far.</li></ul>"
            f"{lessons}<section class='page'><h2>Debrief questions</h2><ol>{debrief}</ol>"
            "<p>Afterwards: <code>racegame report SAVE.json --out report.html</code> writes the report again from the "
            "autosave; <code>racegame compare SAVE... --out compare.html</code> sets several groups' games side by side.</p>"
            "</section>")
    return page(f"{level.title}: facilitator's script", body)


def worksheet(level) -> str:
    d = level.data
    words = handout_words()
    length = typical_length(level)[0]
    played = plan_lesson(level, 90, length).turns
    items = []
    for x in scripted_news(d):
        if x["turn"] > max(played, 2):
            continue
        question = words["predict"].get(x["effect"], "What will change, and for whom?")
        items.append(f"<div class='question box'><h3>Turn {x['turn']}: {e(x['title'])}</h3><p>{e(x['news'])}</p>"
                     f"<p><b>Predict</b> (before the turn): {e(question)}</p>{_lines(2)}"
                     f"<p><b>Observe</b> (after the turn): what happened? Were you right, and why?</p>{_lines(2)}</div>")
    talks = "".join(f"<div class='question'><p><b>After turn {p['turn']}.</b> {e(p['text'])}</p>{_lines(3)}</div>"
                    for p in prompts(d))
    debrief = "".join(f"<div class='question'><p><b>{i}.</b> {e(q)}</p>{_lines(3)}</div>" for i, q in enumerate(d["debrief"], 1))
    body = (f"<p class='meta'>Student worksheet · predict, then observe</p><h1>{e(level.title)}</h1>"
            "<p>Name: ______________________ &nbsp; Team: ______________ &nbsp; Seed: ________</p>"
            "<p class='small'>Turn numbers are the game's: the first turn is turn 1. Write your prediction <i>before</i> "
            "the turn is played.</p>"
            "<h2>A. Before the game</h2><div class='question'><p>Which lab will lead after a few turns, and which country? "
            "Will anyone reach AGI, and will it be safe?</p>" + _lines(3) + "</div>"
            "<h2>B. Predict, then observe</h2>" + ("".join(items) or "<p>This scenario has no scripted news.</p>") +
            "<h2 class='page'>C. Discussion</h2>" + (talks or "<p>(no prompts in this scenario)</p>") +
            "<h2>D. Debrief</h2>" + debrief +
            "<div class='question'><p><b>Your team's reasoning.</b> Which decision mattered most, and why did you take it? "
            "What would you do differently?</p>" + _lines(4) + "</div>")
    return page(f"{level.title}: worksheet", body)


def write_handouts(level, out, pdf: bool = True) -> tuple[list[Path], str]:
    """Write the three pages (and their PDFs where a browser can print them) into ``out``;
    returns the files written and a line about the PDFs."""
    from .files import write_text_atomic

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pages = {"role_cards": role_cards(level), "facilitator": facilitator_script(level), "worksheet": worksheet(level)}
    written = []
    for name, text in pages.items():
        path = out / f"{name}.html"
        write_text_atomic(path, text)
        written.append(path)
    if not pdf:
        return written, "PDF: not asked for (--no-pdf)."
    browser = find_browser()
    if browser is None:
        return written, ("PDF: skipped, no Chromium or Chrome found (install chromium, or open the HTML files in any "
                         "browser and print them).")
    made = [print_pdf(path, path.with_suffix(".pdf"), browser) for path in list(written)]
    written += [path.with_suffix(".pdf") for path, ok in zip(list(written), made) if ok]
    failed = made.count(False)
    return written, f"PDF: printed with {Path(browser).name}" + (f"; {failed} could not be printed" if failed else "") + "."


__all__ = ["FILES", "facilitator_script", "role_cards", "worksheet", "write_handouts"]
