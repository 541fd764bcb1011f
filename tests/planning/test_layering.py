"""Services never import the task module: tasks import services, and services hand work to
the worker through signals (kring/planning/signals.py)."""

import ast
from pathlib import Path

PLANNING = Path(__file__).resolve().parents[2] / "kring" / "planning"


def _imports(module: str) -> set[str]:
    tree = ast.parse((PLANNING / f"{module}.py").read_text())
    names = set()
    for node in ast.walk(tree):  # also imports inside functions
        if isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
            names.update(f"{node.module or ''}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_planning_module_but_the_app_config_imports_the_tasks():
    for path in PLANNING.glob("*.py"):
        if path.stem in {"tasks", "apps"}:
            continue
        assert not any(name.endswith("tasks") for name in _imports(path.stem)), path.name


def test_the_task_module_imports_the_services():
    assert {"services", ".services"} & {n.lstrip(".").split(".")[-1] for n in _imports("tasks")}
