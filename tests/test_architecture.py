"""The code's shape: screens open each other by name, no import circle binds the front end or
the analysis modules, and the game never imports its analysis."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
UI = SRC / "racegame" / "ui"
ANALYSIS = SRC / "racegame" / "analysis"


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every racegame module ``path`` imports, at the top or inside a function."""
    here = _module(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            root = ".".join(base + ([node.module] if node.module else []))
            out.add(root)
            out.update(f"{root}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


def _graph(folder: Path) -> dict[str, set[str]]:
    """Which modules under ``folder`` each module there imports."""
    files = {_module(p): p for p in folder.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in files and m != name} for name, path in files.items()}


def _cycles(graph) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_front_end_has_no_import_circle():
    assert _cycles(_graph(UI)) == []


def test_the_analysis_modules_have_no_import_circle():
    graph = _graph(ANALYSIS)
    assert _cycles(graph) == []
    # Dask's runner is handed to batch.run by its caller: batch itself never imports cluster.
    assert "racegame.analysis.cluster" not in graph["racegame.analysis.batch"]
    assert "racegame.analysis.batch" in graph["racegame.analysis.cluster"]  # the graph sees imports


def test_the_model_and_the_engine_never_import_the_analysis():
    game = [SRC / "racegame" / "model.py", *(SRC / "racegame" / "engine").rglob("*.py")]
    for path in game:
        wrong = sorted(m for m in _imports(path) if m.startswith("racegame.analysis"))
        assert not wrong, f"{path.name} imports {wrong}"


def test_screens_know_the_app_only_through_its_narrow_interface():
    outside = {"racegame.ui.app", "racegame.ui.launch", "racegame.ui.autopilot", "racegame.ui.driver"}
    for path in (UI / "screens").glob("*.py"):
        wrong = _imports(path) & outside
        assert not wrong, f"{path.name} imports {sorted(wrong)}: screens see the app only as a host (ui.host)"
    for name in ("session.py", "classroom.py"):
        assert not any(m.startswith("racegame.ui.screens") for m in _imports(UI / name)), name


def test_every_route_is_a_screen_with_that_name():
    from racegame.ui.screens.routes import ROUTES, SCREENS

    assert len(ROUTES) == len(SCREENS), "two screens share a route name"
    assert all(cls.name == name for name, cls in ROUTES.items())
