"""The rota engine is plain Python: nothing in it imports Django or the web app."""

import ast
from pathlib import Path

ROTA = Path(__file__).resolve().parents[3] / "engine" / "rota"


def test_no_module_of_the_rota_engine_imports_django_or_kring():
    for path in ROTA.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(("django", "kring")), (path.name, name)
