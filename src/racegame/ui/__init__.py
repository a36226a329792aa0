"""The desktop front end (pygame-ce + pygame_gui). Nothing outside this package imports pygame."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
