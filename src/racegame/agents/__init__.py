"""Mesa agents and their AI strategies."""

from .seats import EnergyGrid, Government, Lab

__all__ = ["Lab", "Government", "EnergyGrid"]
