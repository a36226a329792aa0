"""Calibration helpers: figures late in the window speak for the games still running, and
timing comparisons count every game."""

import numpy as np

from racegame.analysis.calibrate import Trace, _agi_or_horizon_years, by_year, growth, span


def _trace(years, live, values):
    trace = Trace(rules=None)
    trace.years = list(years)
    trace.live = [np.asarray(x, dtype=bool) for x in live]
    return trace, [np.asarray(v, dtype=float) for v in values]


def test_a_year_with_few_games_left_counts_only_when_asked_for():
    # Four games; in 2026 only one is still running.
    trace, values = _trace([2025.0, 2025.5, 2026.0, 2026.5],
                           [[1, 1, 1, 1]] * 2 + [[1, 0, 0, 0]] * 2,
                           [[1, 2, 3, 4], [2, 3, 4, 5], [10, 0, 0, 0], [20, 0, 0, 0]])
    assert sorted(by_year(trace, values)) == [2025]
    late = by_year(trace, values, min_running=0.2)
    assert late == {2025: 3.5, 2026: 20.0}  # per game its highest value in the year; the median over games
    assert by_year(trace, values, sum_within=True, min_running=0.2)[2026] == 30.0


def test_unpaused_figures_leave_out_the_games_a_pause_held_that_year():
    # Three games all running; the second is under a pause for one turn of 2025 and none of 2026.
    trace, values = _trace([2025.0, 2025.5, 2026.0, 2026.5], [[1, 1, 1]] * 4,
                           [[1, 9, 3], [2, 9, 4], [5, 6, 7], [5, 6, 7]])
    trace.paused = [np.array(p, dtype=bool) for p in ([0, 0, 0], [0, 1, 0], [0, 0, 0], [0, 0, 0])]
    assert by_year(trace, values) == {2025: 4.0, 2026: 6.0}
    assert by_year(trace, values, unpaused=True) == {2025: 3.0, 2026: 6.0}  # the median of 2 and 4
    trace.paused = [np.ones(3, dtype=bool)] * 4  # every game paused: no year to speak of
    assert by_year(trace, values, unpaused=True) == {}


def test_a_fit_is_labelled_with_the_years_it_used():
    series = {2030: 1.0, 2031: 2.0, 2032: 4.0}
    assert span(series, range(2030, 2036)) == "2030-32"
    assert abs(growth(series, range(2030, 2036)) - 2.0) < 1e-9
    assert span({}, range(2030, 2036)) == "2030-35"  # nothing to fit: the window asked for


def test_games_without_agi_count_the_horizon_not_nothing():
    class Final:
        end_turn = np.array([3, 7, 7])
        outcome = np.array([1, 2, 3])  # safe AGI, catastrophe, horizon

    class Rules:
        turn_years = np.arange(9) * 0.25

    trace = Trace(rules=Rules())
    trace.final = Final()
    np.testing.assert_allclose(_agi_or_horizon_years(trace), [1.0, 2.0, 2.0])
