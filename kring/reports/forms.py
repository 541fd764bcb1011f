"""Forms of the report: its text (a textarea per section), a member's reaction, the
programme's approval period, and the sections of a report format.

The forms only collect text; the services decide what the report becomes."""

import re

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import sections
from .models import (
    COMMENT_MAX_LENGTH,
    DEFAULT_APPROVAL_DAYS,
    MAX_APPROVAL_DAYS,
    MIN_APPROVAL_DAYS,
    SECTION_MAX_LENGTH,
    ReportApproval,
)


class ReportForm(forms.Form):
    """One textarea per section of the report's format, its prompt as help text. The
    `updated` field is the moment the report was opened: saving over a newer edit by
    someone else is refused, and the typed text stays in the form."""

    updated = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, report, **kwargs):
        self.report = report
        initial = {"updated": report.updated_at.isoformat(), **report.texts}
        super().__init__(*args, initial=initial, **kwargs)
        texts = report.texts
        for section in report.format_version.localised_sections():
            lines = (texts.get(section["key"]) or "").count("\n") + 1
            self.fields[section["key"]] = forms.CharField(
                label=section["title"],
                help_text=section["prompt"],
                required=False,
                max_length=SECTION_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": min(max(3, lines + 1), 15)}),
                error_messages={"max_length": _("At most %(limit_value)d characters, please.")},
            )

    def clean(self):
        data = super().clean()
        if data.get("updated") and data["updated"] != self.report.updated_at.isoformat():
            raise forms.ValidationError(
                _(
                    "Someone else changed the report while you were editing it. Your text is "
                    "kept below: compare it with the report and save again."
                )
            )
        return data

    def texts(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if key != "updated"}

    def section_fields(self):
        return [self[key] for key in self.fields if key != "updated"]


class ReactionForm(forms.Form):
    # The revision the member read: an approval never counts for a text changed since.
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    decision = forms.ChoiceField(
        label=_("Your reaction"),
        choices=[
            (ReportApproval.Decision.APPROVE, _("I approve this report")),
            (ReportApproval.Decision.COMMENT, _("I have a comment (the report is not final then)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you approve the report or comment.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should change? The note taker and the group read it."),
        error_messages={"max_length": _("At most %(limit_value)d characters, please.")},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == ReportApproval.Decision.COMMENT
            and not (data.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Write what should change in the report."))
        return data


class ReportSettingsForm(forms.Form):
    approval_days = forms.IntegerField(
        label=_("Days the members have to approve a report"),
        min_value=MIN_APPROVAL_DAYS,
        max_value=MAX_APPROVAL_DAYS,
        initial=DEFAULT_APPROVAL_DAYS,
        help_text=_(
            "After this many days without objection a submitted report becomes final "
            "(between 1 and 30)."
        ),
        error_messages={
            "required": _("Give a number of days between 1 and 30."),
            "invalid": _("Give a number of days between 1 and 30."),
            "min_value": _("Give a number of days between 1 and 30."),
            "max_value": _("Give a number of days between 1 and 30."),
        },
    )


class SectionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    title_nl = forms.CharField(label=_("Title in Dutch"), max_length=sections.MAX_TITLE)
    title_en = forms.CharField(label=_("Title in English"), max_length=sections.MAX_TITLE)
    prompt_nl = forms.CharField(
        label=_("Prompt in Dutch"),
        required=False,
        max_length=sections.MAX_PROMPT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    prompt_en = forms.CharField(
        label=_("Prompt in English"),
        required=False,
        max_length=sections.MAX_PROMPT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.ChoiceField(
        label=_("The draft takes its text from"), choices=sections.SOURCES.items(), initial="free"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title_nl", "title_en"):
            self.fields[name].error_messages["required"] = _("Give the section a title.")

    @staticmethod
    def initial_from(section: dict) -> dict:
        return {
            "key": section["key"],
            "title_nl": section["title"]["nl"],
            "title_en": section["title"]["en"],
            "prompt_nl": section.get("prompt", {}).get("nl", ""),
            "prompt_en": section.get("prompt", {}).get("en", ""),
            "source": section["source"],
        }


class BaseSectionFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        # A broken management form is already a non-form error: nothing to count then.
        if any(self.errors) or self.non_form_errors():
            return
        if not self.ordered_forms:
            raise forms.ValidationError(_("A report format needs at least one section."))


SectionFormSet = forms.formset_factory(
    SectionForm,
    formset=BaseSectionFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=sections.MAX_SECTIONS,
)


def _new_key(title: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9_]", "_", slugify(title).replace("-", "_"))[:30].strip("_")
    if not base or not base[0].isalpha():
        base = f"section_{base}".strip("_")
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def sections_from(formset) -> list[dict]:
    """The sections the valid formset describes, in the order asked for; a new section
    gets a key made from its English title."""
    taken = {
        form.cleaned_data["key"] for form in formset.ordered_forms if form.cleaned_data.get("key")
    }
    result, used = [], set()
    for form in formset.ordered_forms:
        data = form.cleaned_data
        key = data.get("key") or ""
        if not sections.KEY_PATTERN.match(key) or key in used:
            key = _new_key(data["title_en"], taken | used)
        used.add(key)
        result.append(
            {
                "key": key,
                "title": {"nl": data["title_nl"].strip(), "en": data["title_en"].strip()},
                "prompt": {"nl": data["prompt_nl"].strip(), "en": data["prompt_en"].strip()},
                "source": data["source"],
            }
        )
    return result
