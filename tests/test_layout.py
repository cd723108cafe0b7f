"""The tree reads as the data flow (../shared/DESIGN.md, "Layout: one package per stage").

Checked on the source itself: one package per stage with a public face, other stages
importing only from that face, no import cycle, the libraries that touch the outside world
each in the one stage that owns them, and tests/ mirroring monitor/.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "monitor"
STAGES = ("alerts", "cli", "collect", "daemon", "reading", "register", "store")
MAX_LOOSE_MODULES = 6
MAX_MODULE_LINES = 900

# who may import what: the outside world, each in one place
OWNERS = {
    "sqlite3": ("store",),
    "sqlite_utils": ("store",),
    "httpx": ("collect.fetch",),
    "socket": ("collect.fetch", "daemon.sdnotify"),  # HTTP; systemd's AF_UNIX notify socket
    "feedparser": ("collect.feeds",),
    "trafilatura": ("collect.pages",),
    "apprise": ("alerts.delivery",),
    "apscheduler": ("daemon.scheduler",),
}


def modules() -> list[str]:
    """Every module of the package by dotted name (``monitor.reading.figures``)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def source_of(module: str) -> Path:
    path = ROOT.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def imports(module: str, top_level_only: bool) -> Iterator[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for each import of ``module``."""
    tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [a.name for a in node.names], node.lineno


def stage_of(module: str) -> str | None:
    """The stage a module belongs to (``reading``), None for the loose modules at the top."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else None


def test_each_stage_is_a_package_with_a_documented_face() -> None:
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert packages == sorted(STAGES)
    for stage in STAGES:
        face = ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))
        doc = ast.get_docstring(face) or ""
        assert "Takes in" in doc or stage in ("cli", "store"), f"monitor/{stage}: say what the stage takes in"
        assert len(doc) > 200 or stage in ("cli", "store"), f"monitor/{stage}/__init__.py needs a docstring"


def test_few_loose_modules_stay_at_the_top() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= MAX_LOOSE_MODULES, loose


def test_no_module_outgrows_its_purpose() -> None:
    for module in modules():
        lines = source_of(module).read_text(encoding="utf-8").count("\n")
        assert lines <= MAX_MODULE_LINES, f"{module}: {lines} lines"


def test_other_stages_import_only_from_a_stage_face() -> None:
    wrong = []
    for module in modules():
        own = stage_of(module)
        for target, _, line in imports(module, top_level_only=False):
            parts = target.split(".")
            if parts[0] != "monitor" or len(parts) < 3:
                continue
            if parts[1] in STAGES and parts[1] != own:
                wrong.append(f"{module}:{line} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_a_stage_does_not_import_its_own_face() -> None:
    # the face imports the stage's modules: a module importing the face would run in a circle
    wrong = [
        f"{module}:{line}"
        for module in modules()
        if (own := stage_of(module)) and module != f"monitor.{own}"
        for target, names, line in imports(module, top_level_only=False)
        if target == f"monitor.{own}" and not all((PACKAGE / own / f"{n}.py").exists() for n in names)
    ]
    assert not wrong, wrong


def test_no_import_cycle_at_module_level() -> None:
    known = set(modules())
    graph: dict[str, set[str]] = {m: set() for m in known}
    for module in known:
        for target, names, _ in imports(module, top_level_only=True):
            submodules = {f"{target}.{name}" for name in names} & known
            if submodules and len(submodules) == len(names):
                graph[module] |= submodules  # "from monitor.daemon import sdnotify" imports a module
            elif target in known:
                graph[module].add(target)
    cycles = [c for c in _strongly_connected(graph) if len(c) > 1]
    assert not cycles, cycles


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative over sorted nodes (deterministic)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
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
                found.append(sorted(component))
    return found


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_the_outside_world_is_reached_from_one_stage(library: str) -> None:
    owners = OWNERS[library]
    users = sorted(
        module
        for module in modules()
        for target, _, _ in imports(module, top_level_only=False)
        if target == library or target.startswith(library + ".")
    )
    assert users, f"nobody imports {library}: drop it from OWNERS"
    strays = [m for m in users if not any(m == f"monitor.{o}" or m.startswith(f"monitor.{o}.") for o in owners)]
    assert not strays, f"{library} is imported outside {owners}: {strays}"


def test_pyproject_ships_every_package_and_the_seeds() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = {m for m in modules() if source_of(m).name == "__init__.py"}
    assert set(config["packages"]) == packages | {"monitor.seeds"}
    assert config["package-dir"]["monitor.seeds"] == "seeds"


def test_tests_mirror_the_stages() -> None:
    for stage in STAGES:
        assert sorted((ROOT / "tests" / stage).glob("test_*.py")), f"tests/{stage}/ has no tests"
