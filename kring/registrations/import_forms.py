from django import forms
from django.utils.translation import gettext_lazy as _

from .imports import FIELDS, FIELDS_BY_KEY, ColumnMapping, ImportFileError, ImportTable, read_table


class ParticipantFileForm(forms.Form):
    file = forms.FileField(
        label=_("File with participants"),
        help_text=_(
            "A CSV file (.csv, separated by semicolons or commas) or an Excel file (.xlsx; "
            "the first sheet is read). The first row holds the column names; at most 5000 "
            "people per file."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.table = read_table(uploaded)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return uploaded


class ColumnMappingForm(forms.Form):
    """For each of our fields, the column of the file that holds it."""

    def __init__(self, *args, table: ImportTable, mapping: ColumnMapping, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        columns = [(str(index), header) for index, header in enumerate(table.headers)]
        for spec in FIELDS:
            empty = _("— choose a column —") if spec.required else _("— not in the file —")
            index = mapping.columns.get(spec.key)
            self.fields[spec.key] = forms.ChoiceField(
                label=spec.label,
                choices=[("", empty), *columns],
                required=spec.required,
                initial="" if index is None else str(index),
            )
        self.fields["extra_columns"] = forms.MultipleChoiceField(
            label=_("Other columns to keep as free attributes"),
            help_text=_(
                "Only tick what group composition needs, such as a team or a shift. "
                "Leave out everything else (such as dates of birth)."
            ),
            choices=columns,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=[str(index) for index in mapping.extra_columns],
        )

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for spec in FIELDS:
            column = cleaned.get(spec.key)
            if not column:
                continue
            if column in used:
                self.add_error(
                    spec.key,
                    _("This column is already used for “%(field)s”.")
                    % {"field": FIELDS_BY_KEY[used[column]].label},
                )
            else:
                used[column] = spec.key
        chosen = {spec.key: cleaned.get(spec.key) or None for spec in FIELDS}
        if not ColumnMapping(columns=chosen).has_name:
            self.add_error(
                "full_name",
                _(
                    "Choose the column with the full name, or the columns with the first "
                    "name and the last name (and the infix, if the file has one)."
                ),
            )
        return cleaned

    def mapping(self) -> ColumnMapping:
        columns = {
            spec.key: int(self.cleaned_data[spec.key]) if self.cleaned_data.get(spec.key) else None
            for spec in FIELDS
        }
        mapped = {index for index in columns.values() if index is not None}
        extras = [
            int(index) for index in self.cleaned_data["extra_columns"] if int(index) not in mapped
        ]
        return ColumnMapping(columns=columns, extra_columns=extras)
