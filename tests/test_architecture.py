"""The floor plan of the house: one direction, no import cycles, light package faces.

Every ``import`` statement of ``spatial/`` and ``coupling/`` (at module level or inside a
function; not the type-only ones under ``if TYPE_CHECKING:``) is read with :mod:`ast`; an
edge goes from a module to each toolkit module it names. ``spatial`` must never import
``coupling``, and the graph must have no cycle. Importing a package face must not load
``coupling`` (for ``spatial``), matplotlib or esda.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("spatial", "coupling")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "tools" not in p.relative_to(ROOT).parts
    }


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Toolkit modules named by the import statements of one module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for inner in ast.walk(block)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:  # type-only imports never run
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            targets = [f"{stem}.{alias.name}" for alias in node.names]
            targets = [t if t in known else stem for t in targets]
        else:
            continue
        found |= {t for t in targets if t in known}
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def test_spatial_never_imports_coupling():
    offending = {
        name: sorted(t for t in targets if t.split(".")[0] == "coupling")
        for name, targets in _graph().items()
        if name.split(".")[0] == "spatial"
    }
    offending = {k: v for k, v in offending.items() if v}
    assert not offending, f"spatial imports coupling: {offending}"


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_walk_sees_imports_inside_functions():
    graph = _graph()
    assert "spatial.geography" in graph["spatial.models.data"]  # imported inside a function
    assert "spatial.exploratory.autocorrelation" in graph["spatial.viz.charts"]


@pytest.mark.parametrize(
    ("package", "absent"),
    [
        ("spatial", ("coupling", "matplotlib", "esda", "statsmodels", "libpysal", "numba")),
        ("coupling", ("matplotlib", "esda", "statsmodels", "libpysal", "numba")),
    ],
)
def test_package_faces_load_no_heavy_modules(package, absent):
    code = (
        f"import sys, {package}\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(absent)!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"import {package} loaded {out.stdout.strip()}"


def test_lazy_names_of_the_spatial_face_resolve():
    import coupling
    import spatial
    import spatial.viz

    for module in (spatial, spatial.viz, coupling):
        for name in module.__all__:
            assert getattr(module, name) is not None
        with pytest.raises(AttributeError, match="no attribute 'nothing'"):
            module.nothing  # noqa: B018


def test_no_lazy_name_is_also_the_name_of_a_submodule():
    """Importing a submodule sets the package attribute of its name, which would shadow a
    lazy attribute of the same name for good (``coupling.topsis`` is imported eagerly)."""
    import coupling
    import spatial

    for package in (spatial, coupling):
        folder = Path(package.__file__).parent
        submodules = {p.stem for p in folder.glob("*.py")} | {
            p.name for p in folder.iterdir() if (p / "__init__.py").is_file()
        }
        assert not set(package._LAZY) & submodules
