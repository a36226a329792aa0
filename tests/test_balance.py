"""The baseline's calibration figures and balance targets (seeded, so repeatable).

Each report judges every figure and target it prints. The ones listed as still open below are
the project's known gaps (docs/CALIBRATION.md says why); every other one must hold, so a
change that breaks a met target fails here, and one that meets an open target shows as an
unexpected pass to move out of the list.
"""

from racegame.analysis.balance import report as balance_report
from racegame.analysis.calibrate import report as calibration_report

CALIBRATION_OPEN: set = set()  # every judged figure and claim holds

BALANCE_OPEN = {
    # Met at 2,000 games but near the edge, so a verdict on the 120 games played here is a
    # coin toss: China's labs win 8.8% of decided games over seeds 1-8 (8.3-9.5% a seed),
    # and six or more labs reach 2% at every seed (Tianhe, Keel and Tempo 2.5-2.6% at seed 1).
    "Chinese labs win 8-45% of decided games",
    "at least six labs each win at least 2%",
    # The efficiency innovator stays under 2% (0.2% at seed 1); the national champion, with
    # China's compute pool, wins 2.6%.
    "every archetype wins at least 2% of games under AI play",
    # Measurable at 2,000 games at seeds 2-8 (docs/BALANCE.md: -3.3 to -6.3 points), not at
    # seed 1 (-1.7 [-4.0, +0.6]) nor at the 120 games this test plays.
    "catastrophes fall when AI labs are more careful",
}
# Doing nothing never wins at seed 1 since AI labs a pause holds train one turn at a time
# (none of the nine labs in 2,000 games): it must hold here too. At seeds 2-4 Tianhe, the
# state's champion that Beijing's pool feeds, wins 1-2 games in 2,000 doing nothing.


def _judged(run):
    verdicts = {}
    text, _ = run(verdicts)
    assert verdicts, "the report judged nothing"
    return text, {name for name, holds in verdicts.items() if not holds}, verdicts


def test_baseline_calibration_holds_every_figure_not_listed_as_open(baseline):
    # 300 games: with efficiency partly in breakthroughs and China's EUV date drawn, fewer
    # games leave the small effect of open releases on the leader's margin (-0.02 OOM at 1,000
    # games) inside the noise.
    text, missed, verdicts = _judged(lambda v: calibration_report(baseline, seed=1, replicas=300, ablations=False, verdicts=v))
    assert len(verdicts) >= 20
    assert missed <= CALIBRATION_OPEN, text
    assert "Tighter export controls cut China's share of compute (at least 3 points, after two years)" in verdicts
    # Every trend is reported over the whole window: the later years too, for the games still running.
    for figure in ("Algorithmic efficiency growth, x/yr, fit 2030-", "Power of the largest lab, growth x/yr, fit 2030-",
                   "China share of AI compute, median 2030-", "China's lag behind the US frontier, 2028-"):
        assert figure in text, figure
    assert "over the games still running" in text


def test_baseline_meets_every_balance_target_not_listed_as_open(baseline):
    text, missed, verdicts = _judged(lambda v: balance_report(baseline, seed=1, runs=120, labs=["polymath", "tempo"], verdicts=v))
    assert len(verdicts) >= 8
    assert missed <= BALANCE_OPEN, text


def test_the_balance_reports_are_the_same_on_two_workers(baseline):
    """Every batch of games is seeded: parallel workers change the time, never the report."""
    import numpy as np

    from racegame.analysis.balance import play_all
    from racegame.strategies import LeverController

    told = []
    one, _ = balance_report(baseline, seed=2, runs=16, labs=["keel"])
    two, _ = balance_report(baseline, seed=2, runs=16, labs=["keel"], workers=2, progress=lambda d, t: told.append((d, t)))
    assert one == two and told[-1] == (len(told), len(told)) and len(told) == 2 + 7  # base, careful, 7 strategies
    # The jobs the levers report plays: a lever moved (a controller object), a difficulty.
    jobs = [(baseline, 3, 12, {"player": "abyss", "strategy": LeverController({"risk": 0.0}, {"run_turns": 2})}),
            (baseline, 3, 12, {"player": "abyss", "strategy": "human_like", "difficulty": "hard"})]
    for a, b in zip(play_all(jobs), play_all(jobs, workers=2)):
        assert all(np.array_equal(getattr(a, k), getattr(b, k)) for k in vars(a))


def test_a_power_lever_sets_how_new_capacity_is_powered_exactly():
    """The balance's power levers mean what a player's plan means: none on-site is none, and a
    PPA share backs that share of the new capacity (what is not on-site), whatever the AI's
    own shares would have been."""
    import numpy as np

    from racegame.model import RaceModel
    from racegame.strategies import LeverController

    for changes in ({"onsite_share": 0.0}, {"onsite_share": 0.7}, {"onsite_share": 0.0, "ppa_share": 0.6},
                    {"onsite_share": 0.7, "ppa_share": 0.6}):
        model = RaceModel(level="baseline", rng=2, replicas=4, player="colossus", controller=LeverController({}, changes))
        slot = model.rules.lab_ids.index("colossus")
        built = 0.0
        for _ in range(6):
            orders = model.decide()[1]
            build = orders.labs.build_mw[:, slot]
            onsite = changes["onsite_share"]
            np.testing.assert_allclose(orders.labs.onsite_mw[:, slot], build * onsite)
            if "ppa_share" in changes:
                np.testing.assert_allclose(orders.labs.ppa_mw[:, slot], build * min(changes["ppa_share"], 1.0 - onsite))
            built += float(build.sum())
            model.step()
        assert built > 0  # the lab did build, so the shares were tested on something


def test_the_report_says_which_wins_came_as_a_pause_ended():
    """Balance reports, per country, the wins that came within two turns of a pause ending and
    whose leaving ended it: the upsets the race's balance rests on (docs/BALANCE.md)."""
    import numpy as np

    from racegame.analysis.balance import Outcomes, pause_endings, play_games
    from racegame.engine.params import build_rules
    from racegame.level.loader import load_level

    level = load_level("baseline")
    rules = build_rules(level)
    out = Outcomes(4, np.array([0, 5, -1, 4]), np.array([0, 1, -1, 0]), np.array([False, False, True, False]),
                   np.array([20, 18, 12, 30]), np.array([19, 16, 11, -1]), np.array([0, 0, 1, -1]))
    assert list(out.after_pause()) == [True, True, True, False]
    assert pause_endings(out, rules) == "us 1 of 2 (us left 1); cn 1 of 1 (us left 1)"
    played = play_games(level, 1, 200)
    ended = played.pause_ended >= 1
    assert ended.any() and (played.pause_ended[ended] <= played.end_turn[ended]).all()
    assert set(np.unique(played.pause_leaver[ended])) <= {-1, 0, 1}
    assert (played.pause_leaver[~ended] == -1).all()
