"""Loading the built-in default report format (also from the data migration, with the
historical models: so this uses only the models it is given)."""

from .sections import DEFAULT_SECTIONS


def load(format_model, version_model) -> bool:
    """Make sure the default format exists and its newest version has today's sections.
    Returns whether anything was added."""
    default, _created = format_model.objects.get_or_create(organisation=None)
    latest = version_model.objects.filter(format=default).order_by("-number").first()
    if latest is not None and latest.sections == DEFAULT_SECTIONS:
        return False
    version_model.objects.create(
        format=default, number=(latest.number + 1) if latest else 1, sections=DEFAULT_SECTIONS
    )
    return True
