"""The baseline meets its calibration ranges and balance targets (seeded, so repeatable)."""

from racegame.balance import report as balance_report
from racegame.calibrate import report as calibration_report


def test_baseline_calibration_sits_inside_the_public_ranges(baseline):
    text, ok = calibration_report(baseline, seed=1, replicas=100)
    assert ok, text


def test_baseline_meets_the_balance_targets(baseline):
    text, ok = balance_report(baseline, seed=1, runs=120, labs=["polymath", "meridian", "tempo"])
    assert ok, text
