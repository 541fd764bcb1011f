"""Tasks call services; services never reach for the task module (not even inside a
function), so the import goes one way and every action runs the same from a view, a
task or a command."""

import ast
from pathlib import Path

import kring.groups

GROUPS = Path(kring.groups.__file__).parent


def _imports(module: str) -> set[str]:
    tree = ast.parse((GROUPS / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found.update(f"{base}.{alias.name}".replace("..", ".") for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_groups_services_never_import_the_task_module():
    imports = _imports("services")
    assert not any(name.endswith("tasks") or ".tasks" in name for name in imports), imports


def test_the_task_module_calls_the_services():
    assert ".services" in _imports("tasks")
