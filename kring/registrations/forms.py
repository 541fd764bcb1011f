from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import COMMENT_LENGTH
from kring.programmes.models import Programme, Wish


class RegistrationForm(forms.Form):
    """What a participant tells when registering; wishes stay private."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail address"))
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("You log in with your e-mail address and this password."),
    )
    organisation_name = forms.CharField(
        label=_("Your organisation"), max_length=200, required=False
    )
    function_level = forms.ModelChoiceField(
        label=_("Function level"), queryset=None, required=False
    )
    department = forms.CharField(label=_("Department"), max_length=120, required=False)
    location = forms.CharField(label=_("Location"), max_length=120, required=False)
    profession = forms.CharField(label=_("Profession"), max_length=120, required=False)
    line_manager_email = forms.EmailField(
        label=_("E-mail address of your line manager"),
        required=False,
        help_text=_("Your line manager is never placed in your group."),
    )
    prefer_1 = forms.EmailField(label=_("Preferably with (e-mail address)"), required=False)
    prefer_2 = forms.EmailField(label=_("Preferably with (e-mail address)"), required=False)
    prefer_3 = forms.EmailField(label=_("Preferably with (e-mail address)"), required=False)
    avoid = forms.CharField(
        label=_("Not with (e-mail addresses, one per line)"),
        required=False,
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only you and the grouping engine know whom your wishes are about; the "
            "coordinator sees only whether they were granted, the people you name never."
        ),
    )
    notes = forms.CharField(
        label=_("Anything the coordinator should know (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example that you work in shifts, or what you need to take part. "
            "Only you and the coordinators read this."
        ),
    )
    accept_ground_rules = forms.BooleanField(
        label=_("I have read the ground rules and accept them."),
        error_messages={"required": _("You can only take part if you accept the ground rules.")},
    )

    def __init__(self, *args, programme: Programme, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.user = user if user.is_authenticated else None
        self.fields["function_level"].queryset = programme.organisation.function_levels.all()
        if self.user:
            # Known people do not type their name, address or a password again.
            for name in ["full_name", "email", "password"]:
                del self.fields[name]
        else:
            self.fields["password"].required = True
        if programme.visibility == Programme.Visibility.OPEN:
            self.fields["organisation_name"].required = True
        else:
            del self.fields["organisation_name"]
        if programme.requires_manager_confirmation:
            self.fields["line_manager_email"].required = True
            self.fields["line_manager_email"].help_text = _(
                "Your line manager confirms by e-mail that you get the time."
            )

    def clean_avoid(self):
        addresses = [line.strip().lower() for line in self.cleaned_data["avoid"].splitlines()]
        addresses = [address for address in addresses if address]
        validator = forms.EmailField()
        for address in addresses:
            try:
                validator.clean(address)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("“%(address)s” is not an e-mail address."), params={"address": address}
                ) from error
        return addresses

    def wish_addresses(self) -> list[tuple[str, str]]:
        prefer = [self.cleaned_data.get(f"prefer_{n}") for n in range(1, Wish.MAX_PREFER + 1)]
        wishes = [(Wish.Kind.PREFER, address.lower()) for address in prefer if address]
        wishes += [(Wish.Kind.AVOID, address) for address in self.cleaned_data.get("avoid", [])]
        return wishes
