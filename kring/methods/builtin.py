"""The built-in methods: one JSON file per method in `builtin/`, named by its key."""

import json
from pathlib import Path

from . import structure

DIRECTORY = Path(__file__).resolve().parent / "builtin"


def builtin_contents() -> dict[str, dict]:
    """Every built-in method's content by key; a file that is not valid stops everything."""
    contents = {}
    for path in sorted(DIRECTORY.glob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        problems = structure.validate(content)
        if problems:
            raise ValueError(f"{path.name}: " + "; ".join(str(p) for p in problems))
        contents[path.stem] = content
    return contents


def load(method_model, version_model) -> int:
    """Create the built-ins that are missing and a new version of each one whose file
    changed; returns how many versions were added. Safe to run again and again (it is run
    by a data migration and by `services.load_builtin_methods`)."""
    added = 0
    for key, content in builtin_contents().items():
        method, _ = method_model.objects.get_or_create(organisation=None, builtin_key=key)
        latest = version_model.objects.filter(method=method).order_by("-number").first()
        if latest is not None and latest.content == content:
            continue
        version_model.objects.create(
            method=method, number=(latest.number + 1) if latest else 1, content=content
        )
        added += 1
    return added
