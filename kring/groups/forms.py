from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import LARGEST_ID

from .composition import WEIGHTS

# More groups than any programme has (1,000 people in groups of 4): the engine then
# reports that there are too few people instead of building an enormous model.
MAX_GROUP_COUNT = 250


class CompositionRulesForm(forms.Form):
    """The rules and weights for composing groups, explained in plain words."""

    group_size_min = forms.IntegerField(label=_("Smallest group"), min_value=4, max_value=10)
    group_size_max = forms.IntegerField(label=_("Largest group"), min_value=4, max_value=10)
    group_count = forms.IntegerField(
        label=_("Number of groups"),
        min_value=1,
        max_value=MAX_GROUP_COUNT,
        required=False,
        help_text=_("Leave empty to let Kring choose."),
    )
    max_level_spread = forms.IntegerField(
        label=_("Largest difference in function level within a group"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("0 means everyone in a group has the same level; empty means no limit."),
    )
    time_limit = forms.IntegerField(
        label=_("Time to search (seconds)"), min_value=1, max_value=300, initial=10
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in WEIGHTS.items():
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=10,
                help_text=_("0 = does not matter, 10 = matters most."),
            )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("group_size_min"), cleaned.get("group_size_max")
        if low and high and low > high:
            self.add_error(
                "group_size_max", _("The largest group cannot be smaller than the smallest.")
            )
        return cleaned


class MoveForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=LARGEST_ID)
    to_group = forms.IntegerField(label=_("Move to group"), min_value=1, max_value=MAX_GROUP_COUNT)


class SwapForm(forms.Form):
    first = forms.IntegerField(label=_("Person"), min_value=1, max_value=LARGEST_ID)
    second = forms.IntegerField(label=_("Swap with"), min_value=1, max_value=LARGEST_ID)
