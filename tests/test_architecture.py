"""The front end's shape: screens open each other by name, and no import circle binds them."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
UI = SRC / "racegame" / "ui"


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


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in UI.rglob("*.py")}
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
    assert _cycles(_graph()) == []


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
