"""A picture of everything Kring stores, to prove that a refused request changed nothing.

Left out on purpose: the audit log (a refusal is recorded there, by design), sessions and
the task queue and the policy's ties version (machinery, not data: the version follows the
tables it counts the changes of), and `last_login` (logging a test client in sets it).
"""

from django.apps import apps

LEFT_OUT_MODELS = {
    "confidentiality.auditevent",
    "confidentiality.auditchainhead",
    "confidentiality.tiesversion",
}
LEFT_OUT_FIELDS = {"last_login"}


def _kring_models():
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("kring."):
            continue
        if model._meta.label_lower in LEFT_OUT_MODELS:
            continue
        yield model


def database_snapshot() -> dict[str, list[tuple]]:
    """Model label → every row, as (pk, field values...), decrypted and in pk order."""
    snapshot = {}
    for model in _kring_models():
        fields = [
            f.attname for f in model._meta.concrete_fields if f.attname not in LEFT_OUT_FIELDS
        ]
        rows = model._base_manager.order_by("pk").values_list(*fields)
        snapshot[model._meta.label] = [tuple(map(repr, row)) for row in rows]
    return snapshot


def changes(before: dict, after: dict) -> dict[str, tuple]:
    """The models whose rows differ: label → (rows gone, rows new)."""
    differing = {}
    for label in before.keys() | after.keys():
        old, new = set(before.get(label, [])), set(after.get(label, []))
        if old != new:
            differing[label] = (sorted(old - new), sorted(new - old))
    return differing
