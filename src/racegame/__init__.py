"""racegame: an agent-based strategy game of the US-China race for advanced AI."""

__version__ = "0.1.0"


def __getattr__(name):
    # Lazy, so that ``import racegame.engine`` never pulls in Mesa or the front end.
    if name == "RaceModel":
        from .model import RaceModel

        return RaceModel
    if name == "forecast":
        from .futures import forecast

        return forecast
    raise AttributeError(name)


__all__ = ["RaceModel", "forecast", "__version__"]
