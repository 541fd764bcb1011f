from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import COMMENT_LENGTH

from .models import Membership


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class MembershipForm(forms.ModelForm):
    """Role and participant attributes of one person in the organisation."""

    extra_attributes_text = forms.CharField(
        label=_("Other attributes"),
        required=False,
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One per line, as "name: value", for example "team: night shift".'),
    )

    class Meta:
        model = Membership
        fields = ["role", "function_level", "department", "location", "profession", "line_manager"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.instance.organisation
        self.fields["function_level"].queryset = organisation.function_levels.all()
        self.fields["department"].queryset = organisation.departments.all()
        self.fields["location"].queryset = organisation.locations.all()
        self.fields["line_manager"].queryset = (
            organisation.memberships.filter(is_active=True)
            .exclude(pk=self.instance.pk)
            .select_related("user")
        )
        self.fields["line_manager"].label_from_instance = lambda membership: str(membership.user)
        self.fields["extra_attributes_text"].initial = "\n".join(
            f"{name}: {value}" for name, value in self.instance.extra_attributes.items()
        )

    def clean_extra_attributes_text(self):
        attributes = {}
        for number, line in enumerate(self.cleaned_data["extra_attributes_text"].splitlines(), 1):
            if not line.strip():
                continue
            name, separator, value = line.partition(":")
            if not separator or not name.strip() or not value.strip():
                raise forms.ValidationError(
                    _('Line %(number)s is not of the form "name: value".'),
                    params={"number": number},
                )
            attributes[name.strip()] = value.strip()
        return attributes

    def clean_line_manager(self):
        manager = self.cleaned_data["line_manager"]
        # Walk up the chain: a person cannot (indirectly) manage themselves.
        seen = {self.instance.pk}
        current = manager
        while current is not None:
            if current.pk in seen:
                raise forms.ValidationError(
                    _("This would make a loop of line managers. Choose someone else.")
                )
            seen.add(current.pk)
            current = current.line_manager
        return manager
