"""The end of the game: the outcome, your result (or every team's), the race in charts, the
standings, and the debrief report (HTML and CSV, written in the background)."""

from __future__ import annotations

import pygame

from ...headless import ending, main_constraints, standings
from ...narrate import odds_text, odds_words, rolls
from ...reveal import best_reached, chip_date_words, chip_dates, lab_standing, milestone_reveal
from ..facts import policy_line
from ..host import headless
from ..reporting import ReportJob, announce_report
from .. import chart_data, fmt
from ..charts import Chart
from ..explain import binding_name
from ..theme import font, palette, team_colour
from ..textfit import fit
from .base import Hotspot, Screen


def outcome_text(session) -> tuple[str, str, bool]:
    """(headline, explanation, whether the player won)."""
    model = session.model
    rules = model.rules
    end = ending(model)
    me = rules.lab_ids[session.slot]
    my_country = rules.country_ids[int(model.state.country[0, session.slot])]
    country_name = dict(zip(rules.country_ids, rules.country_names))
    if not session.player_alive and end["outcome"] == "running":
        return ("Your lab ran out of money", "Cash fell below zero and the lab shut down. The race goes on without you.", False)
    roll = next((n for n in model.news if n.kind == "ending" and n.chance >= 0), None)
    odds = f" Its chance of being safe was {odds_words(roll.chance)}." if roll is not None else ""
    if end["outcome"] == "safe_agi":
        who = country_name.get(end["winner_country"], "")
        if end["winner"] == me:
            return ("You reached AGI, and it is safe", f"{who} wins the race, and your lab led it there.{odds}", True)
        if end["winner_country"] == my_country:
            return (f"{end['winner_name']} reached safe AGI",
                    f"{who}, your country, wins the race; your lab did not get there first.{odds}", True)
        return (f"{end['winner_name']} reached AGI first", f"{who} wins the race.{odds}", False)
    if end["outcome"] == "catastrophe":
        agi = end["agi_lab"]
        who = "Your lab" if agi == me else model.lab_name(rules.lab_ids.index(agi))
        return ("Catastrophe", f"{who} reached AGI without the safety to control it.{odds} Everybody loses.", False)
    if end["outcome"] == "horizon":
        if end["winner"] == me:
            return ("You lead at the horizon", "No lab reached AGI; your lab leads on points (capability, market, cash, safety).", True)
        return (f"{end['winner_name'] or 'Nobody'} leads at the horizon",
                "No lab reached AGI; the winner leads on points (capability, market, cash and safety).", False)
    return ("The game is over", "", False)


def class_outcome_text(classroom) -> tuple[str, str, bool]:
    """(headline, explanation, whether it ended well) for a classroom game: about the world,
    then each team in a few words."""
    model = classroom.model
    rules = model.rules
    end = ending(model)
    country_name = dict(zip(rules.country_ids, rules.country_names))
    if end["outcome"] == "safe_agi":
        head, good = f"{end['winner_name']} reached AGI safely: {country_name.get(end['winner_country'], '')} wins", True
    elif end["outcome"] == "catastrophe":
        agi = model.lab_name(rules.lab_ids.index(end["agi_lab"])) if end["agi_lab"] else "A lab"
        head, good = f"Catastrophe: {agi} reached AGI without the safety to control it", False
    elif end["outcome"] == "horizon":
        head, good = f"Nobody reached AGI: {end['winner_name'] or 'nobody'} leads at the horizon", True
    elif not classroom.live_teams():
        head, good = "Every team is out of the race", False
    else:
        head, good = "The game is over", True
    rows = {row["lab"]: (i, row) for i, row in enumerate(standings(model), 1)}
    parts = []
    for team in classroom.teams:
        if team.kind == "lab":
            rank, row = rows.get(team.seat, (None, None))
            if row is None or not row["alive"]:
                parts.append(f"{team.name}: out of the race")
            elif end["winner"] == team.seat and end["outcome"] in ("safe_agi", "horizon"):
                parts.append(f"{team.name}: won")
            else:
                parts.append(f"{team.name}: #{rank}")
        else:
            won = end["winner_country"] == team.seat and end["outcome"] in ("safe_agi", "horizon")
            parts.append(f"{team.name}: {'its country won' if won else 'its country did not win'}")
    return head, " · ".join(parts), good


class EndScreen(Screen):
    name = "end"

    def __init__(self, app):
        super().__init__(app)
        # No Enter: a player pressing Enter through the last turn summary must land here and stay.
        self.keys = {pygame.K_ESCAPE: self.title, pygame.K_n: self.new_game,
                     pygame.K_e: self.events, pygame.K_q: self.quit, pygame.K_r: self.write_report}
        self.played_sound = False

    def build(self) -> None:
        w, h = self.app.size
        session = self.app.session
        model = session.model
        self.classroom = getattr(session, "kind", "") == "classroom"
        view = session.room if self.classroom else session  # the end lifts any fog: every figure exact
        headline, explanation, won = class_outcome_text(session) if self.classroom else outcome_text(session)
        self.headline, self.explanation, self.won = headline, explanation, won
        if not self.played_sound:
            self.app.sound.play("win" if won else "lose")
            self.played_sound = True
        rules = model.rules
        margin = 24
        chart_w = int((w - 3 * margin) * 0.58)
        chart_h = (h - 150 - 80 - 2 * 10) // 2
        top = 130
        self.charts = []
        specs = [("Capability race", chart_data.capability_chart, "capability"),
                 ("Share of world AI compute", chart_data.share_chart, "share"),
                 ("Teams' cash" if self.classroom else "Your cash", chart_data.cash_chart, "cash")]
        rects = [pygame.Rect(margin, top, chart_w, chart_h),
                 pygame.Rect(margin, top + chart_h + 10, (chart_w - 10) // 2, chart_h),
                 pygame.Rect(margin + (chart_w - 10) // 2 + 10, top + chart_h + 10, (chart_w - 10) // 2, chart_h)]
        for (title, make, kind), rect in zip(specs, rects):
            chart = Chart.showing(rect, title, make(view))
            self.charts.append(chart)
            self.hotspots.append(Hotspot(chart.plot.inflate(8, 8), lambda c=chart, k=kind: self._chart_tip(c, k)))
        x = margin * 2 + chart_w
        rows = standings(model)
        constraints = main_constraints(model)
        me = rules.lab_ids[view.slot] if view.slot is not None else None
        p = palette()
        teams = {t.seat: t for t in session.teams} if self.classroom else {}
        lines = [f"<font color='{p.hex('accent')}'><b>FINAL STANDINGS</b></font>"]
        for i, row in enumerate(rows, 1):
            tag = " <font color='#f2b84b'>(you)</font>" if row["lab"] == me else ""
            if row["lab"] in teams:
                team = teams[row["lab"]]
                colour = team_colour(team.colour)
                tag = f" <font color='#{colour.r:02x}{colour.g:02x}{colour.b:02x}'>({fmt.esc(team.name)})</font>"
            gone = " (gone)" if not row["alive"] else ""
            lines.append(f"{i}. <b>{fmt.esc(row['name'])}</b>{tag}{gone}: {row['capability']:.2f} · {fmt.money(row['cash_usd'])} · "
                         f"share {fmt.pct(row['share'])} · safety {row['safety']:.2f}")
        lines += milestone_lines(model, view.slot, p)
        why = constraints.get(me)
        if why:
            lines += ["", f"<font color='{p.hex('accent')}'><b>WHAT HELD YOU BACK MOST</b></font>",
                      "Nothing: in most turns your lab used everything it had." if why == "none" else
                      f"{binding_name(why).capitalize()}, in more turns than anything else."]
        if self.classroom:
            govs = [t for t in session.teams if t.kind == "government"]
            if govs:
                lines += ["", f"<font color='{p.hex('accent')}'><b>GOVERNMENT TEAMS</b></font>"]
                lines += [f"{fmt.esc(t.name)} ({fmt.esc(session.title_of(t))}): " + policy_line(model, rules.country_ids.index(t.seat))
                          for t in govs]
        labs = {rules.lab_ids.index(t.seat) for t in session.teams if t.kind == "lab"} if self.classroom else {view.slot}
        chance = rolls(model.news, labs)
        if chance:
            lines += ["", f"<font color='{p.hex('accent')}'><b>ROLLS OF CHANCE</b></font>"]
            for n in chance[:6]:
                colour = p.hex("good") if n.tone == "good" else p.hex("bad")
                lines.append(f"{fmt.quarter(n.date)}: <font color='{colour}'>{_html(n.text)}</font> "
                             f"<font color='{p.hex('muted')}'>{_html(odds_text(n))}</font>")
        key = [n for n in model.news if n.weight >= 3]
        if key:
            lines += ["", f"<font color='{p.hex('accent')}'><b>TURNING POINTS</b></font>"]
            lines += [f"{fmt.quarter(n.date)}: {fmt.esc(n.text)}" for n in key[-8:]]
        self.text_box((x, top, w - x - margin, h - top - 80), "<br>".join(lines))
        by = h - 64
        self.button((margin, by, 170, 44), "New game (N)", self.new_game, tip="Pick a lab and play again.", object_id="#primary")
        self.button((margin + 180, by, 170, 44), "Title screen", self.title, tip="Back to the title (Esc).")
        self.button((margin + 360, by, 170, 44), "Event log (E)", self.events, tip="Every news item of the game.")
        self.report_button = self.button((margin + 540, by, 220, 44), "Debrief report (R)", self.write_report,
                                         tip="Write the debrief report (HTML, printable, with a history CSV) into your "
                                             "reports folder and open it in your browser: the story, the charts, the "
                                             "level's debrief questions, and what-if batches of the same world.",
                                         object_id="#primary")
        self.report_label = self.label((margin + 770, by + 12, w - margin - 160 - (margin + 770), 22), "", object_id="#muted")
        self.button((w - margin - 140, by, 140, 44), "Quit (Q)", self.quit, tip="Close racegame.")
        who = "classroom game, " + ", ".join(f"{t.name} ({session.title_of(t)})" for t in session.teams) \
            if self.classroom else f"{model.lab_name(session.slot)} · {model.difficulty}"
        self.seed_text = f"{model.level.title} · {who} · seed {model.seed} · " \
                         f"{model.state.turn} turns to {fmt.quarter(rules.turn_date(max(model.state.turn - 1, 0)))}"
        self._show_report_state()

    def _chart_tip(self, chart, kind):
        index = chart.index_at(self.app.mouse)
        session = self.app.session
        view = session.room if getattr(session, "kind", "") == "classroom" else session
        return chart_data.chart_tip(kind, view, index) if index is not None else ""

    # -- the debrief report -----------------------------------------------------------------------
    @property
    def job(self):
        return getattr(self.app.session, "report_job", None)

    def write_report(self) -> None:
        session = self.app.session
        if session is None or (self.job is not None and not self.job.done):
            return
        model = session.model
        # A desktop player's lab is reported as a team: its decisions, and its what-if strategies.
        teams = None if self.classroom else {model.rules.lab_ids[session.slot]: "You"}
        session.report_job = ReportJob(model, teams, show=not headless())
        self._announced = False
        self._show_report_state()

    def _show_report_state(self) -> None:
        job = self.job
        if job is None:
            text, busy = "", False
        elif not job.done:
            text, busy = f"Writing the report ({job.runs} what-if games per batch)" + "." * (1 + int(self.app.time * 2) % 3), True
        elif job.error:
            text, busy = f"The report failed: {job.error}", False
        else:
            text, busy = f"Written: reports/{job.html_path.name}", False
        tip = (f"{fmt.esc(job.html_path)}<br>and {fmt.esc(job.csv_path.name)} beside it" if job is not None and job.done
               and not job.error else fmt.esc(text))
        if self.report_label.text != text:
            self.report_label.set_text(fit(text, font(13), self.report_label.rect.w - 4))
            self.report_label.set_tooltip(tip or None, wrap_width=500)
        if busy and self.report_button.is_enabled:
            self.report_button.disable()
            self.report_button.set_text("Writing...")
        elif not busy and not self.report_button.is_enabled:
            self.report_button.enable()
            self.report_button.set_text("Debrief report (R)")

    def _report_done(self) -> None:
        self._announced = True
        announce_report(self.app, self.job)

    def new_game(self) -> None:
        level = self.app.session.model.level.path
        classroom = self.classroom
        self.app.session = None
        self.app.reset_to("title")
        if classroom:

            self.app.push("classroom_setup", level=level)
        else:
            self.app.push("new_game", level=level)

    def title(self) -> None:
        self.app.session = None
        self.app.reset_to("title")

    def events(self) -> None:
        self.app.push("event_log")

    def quit(self) -> None:
        self.app.quit(0)

    def update(self, dt: float) -> None:
        super().update(dt)
        for chart in self.charts:
            chart.hover_index = chart.index_at(self.app.mouse)
        self._show_report_state()
        job = self.job
        if job is not None and job.done and not getattr(self, "_announced", True) and self.app.top is self:
            self._report_done()

    def draw_below_widgets(self, surface) -> None:
        p = palette()
        w, _ = self.app.size
        colour = p.good if self.won else p.bad
        pygame.draw.rect(surface, colour, (0, 0, w, 6))
        head = font(34, True).render(self.headline, True, colour)
        surface.blit(head, (24, 22))
        sub = font(17).render(self.explanation, True, p.text)
        surface.blit(sub, (26, 70))
        meta = font(12).render(self.seed_text, True, p.muted)
        surface.blit(meta, (26, 98))
        for chart in self.charts:
            chart.draw(surface)


def milestone_lines(model, slot, p) -> list[str]:
    """The milestones revealed: what each took, who passed or failed it and when, how close
    the race came, and (for a player's lab) where it stood."""
    if not model.state.ended[0] and model.running:
        return []  # the draw stays secret while the game runs
    records = milestone_reveal(model)
    reached = best_reached(model)
    lines = ["", f"<font color='{p.hex('accent')}'><b>MILESTONES, REVEALED</b></font>"]
    for rec in records:
        first = rec["passed"][0] if rec["passed"] else None
        who = (f"first passed by {fmt.esc(first['lab'])}, {fmt.quarter(first['date'])}" if first else
               "reached" if rec["short"] <= 0 else f"nobody got there: the best model ended {rec['short']:.2f} short")
        fails = ", ".join(fmt.esc(f["lab"]) for f in rec["failed"])
        failed = f"; <font color='{p.hex('bad')}'>failed: {fails}</font>" if fails else ""
        yours = ""
        if slot is not None:
            yours = f"; you: {lab_standing(rec, slot, float(reached[slot]), fmt.quarter)}"
        lines.append(f"{fmt.esc(rec['name'])}: took <b>{rec['requirement']:.2f}</b>; {who}{failed}{yours}")
    lines += [f"Chips drawn: {fmt.esc(chip_date_words(rec, fmt.quarter))}" for rec in chip_dates(model)]
    return lines


def _html(text: str) -> str:
    return fmt.esc(text)  # the module never imported html: the end screen failed on any roll of chance
