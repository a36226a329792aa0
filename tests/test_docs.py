"""Docs that are generated must be current."""

from pathlib import Path

from racegame.level.reference_doc import render


def test_level_reference_is_up_to_date():
    path = Path(__file__).resolve().parents[1] / "docs" / "LEVELS.md"
    assert path.read_text() == render(), "regenerate: python -m racegame.level.reference_doc > docs/LEVELS.md"
