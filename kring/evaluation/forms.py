from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import limit_length

from .models import RATINGS, REMARK_MAX_LENGTH

CHOICES = [(value, str(value)) for value in RATINGS]


class CheckForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was this meeting for you?"),
        choices=CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how useful the meeting was, from 1 to 5.")},
    )
    safety = forms.TypedChoiceField(
        label=_("How safe did you feel to speak freely?"),
        choices=CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how safe you felt, from 1 to 5.")},
    )
    remark = forms.CharField(
        label=_("Anything else? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["remark"], REMARK_MAX_LENGTH)
