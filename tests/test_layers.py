"""The tree is the pipeline: no module imports a later stage, and the imports between modules form no cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

STAGES: list[tuple[str, ...]] = [
    ("harness.errors", "harness.normalize", "harness.project", "schemas", "harness"),
    ("harness.documents", "harness.sentences"),
    ("harness.prompts",),
    ("harness.backends",),
    ("harness.postprocess",),
    ("harness.run",),
    ("harness.goldens",),
    ("harness.scoring",),
    ("harness.compare",),
    ("harness.evaluation",),
    ("harness.report",),
    ("harness.cli", "harness.pytest_plugin", "harness.__main__"),
]
"""Each stage may import its own and earlier stages only (``harness`` itself: its version)."""


def stage_of(module: str) -> int:
    """The stage of the longest prefix that names it."""
    best, best_length = -1, -1
    for index, prefixes in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    assert best >= 0, f"{module} belongs to no stage of the pipeline"
    return best


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Project modules imported anywhere in the file (lazy imports inside functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] in {"harness", "schemas"}}


GRAPH = {
    module_name(path): imports_of(path)
    for package in ("harness", "schemas")
    for path in sorted((ROOT / package).rglob("*.py"))
}


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_a_module_imports_no_later_stage(module: str) -> None:
    later = sorted(name for name in GRAPH[module] if stage_of(name) > stage_of(module))
    assert not later, f"{module} (stage {stage_of(module)}) imports later stages: {later}"


def test_schemas_know_nothing_of_harness() -> None:
    leaks = {module: sorted(n for n in names if n.startswith("harness")) for module, names in GRAPH.items()}
    assert {module: names for module, names in leaks.items() if module.startswith("schemas") and names} == {}


def test_the_imports_between_modules_form_no_cycle() -> None:
    def resolve(name: str) -> str | None:
        while name and name not in GRAPH:
            name = name.rpartition(".")[0]
        return name or None

    edges = {
        module: {target for name in names if (target := resolve(name)) and target != module}
        for module, names in GRAPH.items()
    }
    # A package's __init__ importing its own submodules, and they importing the package, is how packages work.
    edges = {
        m: {t for t in targets if not (t.startswith(m + ".") or m.startswith(t + "."))} for m, targets in edges.items()
    }
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)


def test_harness_has_at_most_eight_top_level_modules() -> None:
    assert len(list((ROOT / "harness").glob("*.py"))) <= 8


HEAVY_LIBRARIES = ("numpy", "scipy", "jinja2", "openai", "instructor")
"""What the commands' work needs and ``harness --help`` must not wait for (together: most of a second)."""


def test_loading_the_command_line_loads_no_heavy_library() -> None:
    """Each command imports the library it calls when it runs; the CLI alone loads typer and rich."""
    loaded = "sorted({name.split('.')[0] for name in sys.modules}"
    probe = f"import sys, harness.cli; print({loaded} & {set(HEAVY_LIBRARIES)!r}))"
    process = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=ROOT)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "[]"
