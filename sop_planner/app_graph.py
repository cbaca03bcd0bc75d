"""The app-to-app import graph of the project, its cycles, and the imports that make them.

Pure Python (`ast` only, nothing of Django or the project is imported), so it runs on any
checkout in a second: `bin/app-graph` prints the graph and exits 1 when apps import each
other in a cycle, and a platform test keeps it that way.

Every import counts, also one inside a function or under `TYPE_CHECKING`, and a literal
`import_module("app.module")`: a lazy import is still a dependency. Migrations and tests
are skipped (a migration names the apps it depends on by design).

The project shell that must wire every app together is a node of its own, `site`: the
modules in `SITE_MODULES`. Everything else in `sop_planner` is the shared helpers at the
bottom of the graph, which imports no app.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SITE = "site"
SITE_MODULES = frozenset(
    {
        "sop_planner",  # the package itself: it only loads the Celery app
        "sop_planner.settings",
        "sop_planner.urls",
        "sop_planner.celery",
        "sop_planner.wsgi",
        "sop_planner.asgi",
        "sop_planner.api_router",
    }
)
SKIPPED_DIRS = frozenset({"migrations", "tests", ".venv", "node_modules", "__pycache__"})


@dataclass(frozen=True)
class ImportSite:
    """One import statement: where it is, and the app it reaches."""

    path: str
    line: int
    target: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class AppGraph:
    """App -> the apps it imports, and for each edge the import statements that make it."""

    apps: set[str] = field(default_factory=set)
    edges: dict[tuple[str, str], list[ImportSite]] = field(default_factory=dict)

    def add(self, source: str, site: ImportSite) -> None:
        if site.target != source:
            self.edges.setdefault((source, site.target), []).append(site)

    def successors(self, app: str) -> list[str]:
        return sorted(target for source, target in self.edges if source == app)

    def cycles(self) -> list[list[str]]:
        """The strongly connected components with more than one app, each sorted."""
        nodes = sorted(self.apps | {app for edge in self.edges for app in edge})
        components = strongly_connected_components(nodes, self.successors)
        return sorted(sorted(c) for c in components if len(c) > 1)

    def cycle_edges(self) -> dict[tuple[str, str], list[ImportSite]]:
        """The edges inside a cycle, with the imports that make each."""
        component_of = {app: i for i, c in enumerate(self.cycles()) for app in c}
        return {
            (source, target): sites
            for (source, target), sites in sorted(self.edges.items())
            if source in component_of and component_of[source] == component_of.get(target)
        }


def strongly_connected_components(nodes, successors) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit on a big graph)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(successors(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    components.append(_pop_component(stack, on_stack, node))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(successors(child))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return components


def _pop_component(stack: list[str], on_stack: set[str], root: str) -> list[str]:
    component = []
    while True:
        node = stack.pop()
        on_stack.discard(node)
        component.append(node)
        if node == root:
            return component


def find_apps(root: Path) -> set[str]:
    """The project's apps: top-level packages with an `apps.py`, and the project package
    (the one with `settings.py`)."""
    markers = [*root.glob("*/apps.py"), *root.glob("*/settings.py")]
    return {path.parent.name for path in markers if path.parent.name not in SKIPPED_DIRS}


def node_of(module: str, apps: set[str]) -> str | None:
    """The graph node a dotted module belongs to, or None when it is not the project's."""
    if module in SITE_MODULES or any(
        module.startswith(name + ".") for name in SITE_MODULES if "." in name
    ):
        return SITE
    top = module.split(".", 1)[0]
    return top if top in apps else None


def python_files(root: Path, apps: set[str]) -> Iterator[Path]:
    for app in sorted(apps):
        for path in sorted((root / app).rglob("*.py")):
            if not SKIPPED_DIRS.intersection(path.relative_to(root).parts):
                yield path


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, int]]:
    """Every name an AST imports, absolute (`from a import b` gives `a.b`), with its line."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module or "", node.level, package)
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno
        elif _is_import_module_call(node):
            yield node.args[0].value, node.lineno  # type: ignore[attr-defined]


def _absolute(name: str, level: int, package: str) -> str:
    if not level:
        return name
    parts = package.split(".")
    base = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*base, name] if name else base)


def _is_import_module_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    argument = node.args[0]
    return name in {"import_module", "__import__"} and (
        isinstance(argument, ast.Constant) and isinstance(argument.value, str)
    )


def build_graph(root: Path) -> AppGraph:
    """Scan the apps under `root` and return their import graph."""
    apps = find_apps(root)
    graph = AppGraph(apps=apps | ({SITE} if "sop_planner" in apps else set()))
    for path in python_files(root, apps):
        module = module_name(path, root)
        source = node_of(module, apps)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        seen: set[tuple[str, int]] = set()
        for imported, line in imported_modules(tree, module, path.name == "__init__.py"):
            target = node_of(imported, apps)
            if source and target and (target, line) not in seen:
                seen.add((target, line))
                graph.add(source, ImportSite(str(path.relative_to(root)), line, target))
    return graph


def report_lines(graph: AppGraph) -> Iterable[str]:
    """The graph in words: each app and what it imports, then every cycle's imports."""
    for app in sorted(graph.apps):
        yield f"{app} -> {' '.join(graph.successors(app)) or '(nothing)'}"
    cycles = graph.cycles()
    if not cycles:
        yield "No cycle: the apps are layered."
        return
    for component in cycles:
        yield ""
        yield f"Cycle between: {' '.join(component)}"
    yield ""
    yield "Imports that make a cycle:"
    for (source, target), sites in graph.cycle_edges().items():
        yield f"  {source} -> {target}: {', '.join(str(site) for site in sites)}"


def main(root: Path) -> int:
    """Print the graph of the checkout at `root`; 1 when it has a cycle, else 0."""
    graph = build_graph(root)
    for line in report_lines(graph):
        print(line)
    return 1 if graph.cycles() else 0
