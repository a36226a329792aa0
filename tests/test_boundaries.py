"""The simulation core never pulls in the front end's libraries."""

import subprocess
import sys

CODE = """
import sys
for name in ("pygame", "pygame_gui", "matplotlib"):
    sys.modules[name] = None  # any import of these now fails
import racegame.engine
import racegame.reference
from racegame import RaceModel
from racegame.level.loader import load_level
m = RaceModel(level="baseline", rng=1)
m.step()
print("ok")
"""


def test_engine_and_model_import_without_front_end_libraries():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
