"""Many games and what they say: batches and sweeps (``batch``, on Dask with ``cluster``),
experimental designs and sensitivity indices (``designs``, ``sensitivity``), the Python and
EMA Workbench interfaces (``experiments``, ``ema``), reading results (``summarize``), the
balance and calibration reports (``balance``, ``calibrate``) and the HTML debrief
(``report``).

The model and the engine never import this package (tests/test_architecture.py).
"""
