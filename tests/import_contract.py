"""The import contract of a package laid out like ``tracker/`` (docs/architecture.md).

:func:`check` reads every module with :mod:`ast` (nothing is imported or run) and returns the
broken rules, one readable line each:

- **layers**: a library (``core``, ``uzbek``, ``charts``, ``extensions``) imports no feature;
- **views**: a feature never imports another feature's views (``views.py`` or ``*_views.py``);
- **private**: no module uses a ``_private`` name of another module (``from m import _x`` or
  ``m._x`` through a module alias);
- **cycles**: no cycle between modules through imports at module level.

Decisions (written down here and in docs/architecture.md):

- Imports under ``if TYPE_CHECKING:`` are annotations only and never run: they are ignored.
- Imports inside a function are *deferred*: they run at call time, so they cannot deadlock an
  import, but they still count for the layer, views and private rules. A cycle closed only by a
  deferred import is reported separately (:attr:`Report.deferred_cycles`), so that the test can
  hold it to its own, stricter-over-time allow-list.
- The package's ``__init__`` (the app factory) and ``models`` (all models for Alembic) are the
  composition root: they may import everything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: Sub-packages and modules every feature may use, and which use no feature.
LIBRARIES = frozenset({"core", "uzbek", "charts", "extensions"})
#: Modules that wire the application together and may import every feature.
ROOTS = frozenset({"__init__", "models"})


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    deferred: bool
    #: Private names used from the target (``from target import _x`` or ``target._x``).
    private: tuple[str, ...] = ()


@dataclass
class Report:
    layers: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    private: list[str] = field(default_factory=list)
    cycles: list[str] = field(default_factory=list)
    deferred_cycles: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.layers + self.views + self.private + self.cycles


def module_names(root: Path) -> dict[str, Path]:
    """``{"tracker.plans.services": path}`` for every module below the package folder ``root``."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement with whether it is deferred (inside a function); type-only skipped."""

    def walk(nodes: Iterable[ast.AST], deferred: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node, deferred
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                yield from walk(node.orelse, deferred)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(ast.iter_child_nodes(node), True)
            else:
                yield from walk(ast.iter_child_nodes(node), deferred)

    yield from walk(tree.body, False)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _private_attributes(tree: ast.Module, aliases: dict[str, str]) -> dict[str, set[str]]:
    """``alias._name`` uses, by the module the alias stands for."""
    used: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            used.setdefault(aliases[node.value.id], set()).add(node.attr)
    return used


def edges_of(module: str, path: Path, known: dict[str, Path]) -> list[Edge]:
    """The imports of one module that point at modules of the same package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    top = module.split(".")[0]
    is_package = path.name == "__init__.py"
    found: list[Edge] = []
    aliases: dict[str, str] = {}
    for node, deferred in _imports(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == top and alias.name in known:
                    found.append(Edge(module, alias.name, node.lineno, deferred))
                    if alias.asname:
                        aliases[alias.asname] = alias.name
            continue
        base = _resolve(module, is_package, node)
        if base.split(".")[0] != top:
            continue
        private = []
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            if sub in known:  # ``from pkg import module``
                found.append(Edge(module, sub, node.lineno, deferred))
                aliases[alias.asname or alias.name] = sub
            elif alias.name.startswith("_") and not alias.name.startswith("__"):
                private.append(alias.name)
        if base in known and (private or all(f"{base}.{a.name}" not in known for a in node.names)):
            found.append(Edge(module, base, node.lineno, deferred, tuple(private)))
    for target, names in _private_attributes(tree, aliases).items():
        found.append(Edge(module, target, 0, True, tuple(sorted(names))))
    return found


def _area(module: str) -> str:
    """The feature or library a module belongs to (``tracker.plans.views`` → ``plans``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_views(module: str) -> bool:
    last = module.split(".")[-1]
    return last == "views" or last.endswith("_views")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def check(root: Path) -> Report:
    """Check the package in the folder ``root`` (for example ``tracker/``)."""
    known = module_names(root)
    report = Report()
    strict: dict[str, set[str]] = {name: set() for name in known}
    loose: dict[str, set[str]] = {name: set() for name in known}
    for module, path in known.items():
        source_area = _area(module)
        for edge in edges_of(module, path, known):
            target_area = _area(edge.target)
            where = f"{module}:{edge.line}" if edge.line else module
            if source_area != target_area and source_area not in ROOTS:
                if source_area in LIBRARIES and target_area not in LIBRARIES:
                    report.layers.append(f"{where} (library) imports the feature module {edge.target}")
                if _is_views(edge.target):
                    report.views.append(f"{where} imports another feature's views {edge.target}")
            if edge.private and edge.target != module:
                names = ", ".join(edge.private)
                report.private.append(f"{where} uses private {names} of {edge.target}")
            if edge.target != module and edge.line:
                loose[module].add(edge.target)
                if not edge.deferred:
                    strict[module].add(edge.target)
    report.cycles = [" ⇄ ".join(c) for c in _cycles(strict)]
    strict_sets = [set(c.split(" ⇄ ")) for c in report.cycles]
    report.deferred_cycles = [
        " ⇄ ".join(c) for c in _cycles(loose) if not any(set(c) <= s for s in strict_sets)
    ]
    return report
