"""How forms render: every field through Kring's own field template."""

from django.forms.renderers import TemplatesSetting


class KringFormRenderer(TemplatesSetting):
    """Django's templates from the project's engine, with Kring's field layout.

    `includes/field.html` puts the label over the input, help text under it and a checkbox
    before its label, so no form needs its own field markup.
    """

    field_template_name = "includes/field.html"
