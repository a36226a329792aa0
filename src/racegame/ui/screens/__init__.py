"""The game's screens, one per file; ``base.Screen`` is their contract."""
