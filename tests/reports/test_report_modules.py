"""The reports package stays in pieces a newcomer can hold: no import cycle, no module too long."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent.parent / "tracker" / "reports"


def _imports(path: Path) -> set[str]:
    """Modules of tracker.reports that ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "tracker.reports":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("tracker.reports."):
                found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names if a.name.startswith("tracker.reports."))
    return found - {path.stem}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*trail, node, target]
            if target not in state and (found := visit(target, [*trail, node])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [])):
            return found
    return None


def test_no_import_cycle_inside_reports():
    graph = {path.stem: _imports(path) for path in PACKAGE.glob("*.py")}
    assert "parallel" not in graph["render"] or "render" not in graph["parallel"]
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_the_cycle_check_sees_a_cycle():
    assert _cycle({"render": {"parallel"}, "parallel": {"engine"}, "engine": {"render"}}) == [
        "engine",
        "render",
        "parallel",
        "engine",
    ]


def test_weasyprint_is_imported_by_the_engine_alone():
    importers = {
        path.stem
        for path in PACKAGE.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any(
            name.startswith("weasyprint")
            for name in (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            )
        )
    }
    assert importers == {"engine"}


def test_the_layout_modules_are_short():
    for name in ("parallel", "splitting", "layout_pool", "numbering", "engine", "render", "assets"):
        lines = len((PACKAGE / f"{name}.py").read_text(encoding="utf-8").splitlines())
        assert lines <= 400, f"{name}.py has {lines} lines"
