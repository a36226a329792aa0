"""Errors a user can cause and fix: bad level files, saves or command-line values.

The CLI prints these as one clear message (no traceback); everything else is a bug.
"""


class RaceError(Exception):
    """A problem in something the user gave us, explained in words they can act on."""


class LevelError(RaceError):
    """A level file that cannot be loaded. Carries every problem found, not just the first."""

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"{self.path}: {count} problem{'s' * (count != 1)}:\n{lines}")


class SaveError(RaceError):
    """A save file that cannot be loaded: corrupt, foreign, or from an incompatible version."""


class RangeError(RaceError):
    """A game whose numbers left the range the simulation is built for (NaN, infinities, or
    magnitudes no real world reaches): refused with the array, lab, replica and turn named."""
