from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.utils.translation import gettext_lazy as _

from kring.core import emails


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _(
            "This e-mail address and password do not match. Check both and try again."
        ),
        "inactive": _("This account has been deactivated."),
        "unverified": _(
            "Your e-mail address is not confirmed yet. Follow the link in the e-mail we sent "
            "you, then log in."
        ),
    }

    def clean_username(self):
        # One spelling for the lockout count and the account: " Marloes@X.org" is marloes@x.org.
        return self.cleaned_data["username"].strip().lower()

    def confirm_login_allowed(self, user):
        """Only after the right password: saying so reveals nothing to a stranger."""
        super().confirm_login_allowed(user)
        if not user.email_verified:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, but its mail leaves through the queue like every other mail,
    and it also reaches an active account that has no password yet (an imported member):
    for them the link sets their first password. The page answers the same whether or
    not the address has an account."""

    def get_users(self, email):
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        emails.send("password_reset", to_email, context, language=context["user"].language)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits and not too common."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            try:
                password_validation.validate_password(password1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[("nl", "Nederlands"), ("en", "English")])
    next = forms.CharField(required=False, max_length=2000)
