from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import CASE_TEXT_LENGTH, SHORT_TEXT_LENGTH


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=SHORT_TEXT_LENGTH)
    body = forms.CharField(
        label=_("Message"),
        max_length=CASE_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Each person gets it with their own greeting and a link to the programme."),
    )
