from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import AcceptInvitationForm, EmailAuthenticationForm, LanguageForm, PasswordResetForm
from .models import Invitation


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "emails/password_reset-body.txt"
    html_email_template_name = "emails/password_reset-body.html"
    subject_template_name = "emails/password_reset-subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"site_url": settings.SITE_URL}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("core:dashboard")

    def form_valid(self, form):
        """Set the password and log the person in. The reset link came by mail to the
        address, which proves it is theirs: an address not confirmed yet (an imported
        member setting their first password) is confirmed now, and every other session
        of the account ends."""
        user = form.user
        password = form.cleaned_data["new_password1"]
        if user.email_verified:
            form.save()
            services.end_sessions_of(user)
        else:
            services.confirm_address(user=user, password=password)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("Your password is set. Welcome to Kring."))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def accept_invitation(request, token):
    invitation = Invitation.objects.find_open(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing_user = services.account_for_invitation(invitation)
    if not services.needs_new_password(existing_user):
        # A person whose account and address are confirmed only says yes; no new password.
        if request.method == "POST":
            services.accept_invitation(invitation=invitation, full_name="", password=None)
            messages.success(
                request, _("You have joined %(org)s.") % {"org": invitation.organisation}
            )
            return HttpResponseRedirect(reverse("accounts:login"))
        return render(request, "accounts/invitation_confirm.html", {"invitation": invitation})
    full_name = existing_user.full_name if existing_user else invitation.full_name
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": full_name}
    )
    if request.method == "POST" and form.is_valid():
        user = services.accept_invitation(
            invitation=invitation,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to Kring. You have joined %(org)s.") % {"org": invitation.organisation},
        )
        return HttpResponseRedirect(reverse("core:dashboard"))
    welcome = existing_user is not None and services.is_active_member(
        existing_user, invitation.organisation
    )
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "welcome": welcome},
    )


def confirm_address(request, uidb64, token):
    """The link of a self-registration's mail. GET only asks, because mail scanners open
    links; the POST confirms the address and logs the person in.

    Whoever holds the mailbox chooses the password here: the one typed at registration may
    be an impostor's, who registered the address before its owner did.
    """
    user = services.user_for_address_confirmation(uidb64, token)
    if user is None:
        return render(request, "accounts/confirm_address_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.confirm_address(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your e-mail address is confirmed. Welcome to Kring."))
        return HttpResponseRedirect(reverse("core:dashboard"))
    return render(request, "accounts/confirm_address.html", {"email": user.email, "form": form})


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:dashboard")


def first_password(request, uidb64, token):
    """The link in a mail to someone who cannot log in yet: choose a password, then the
    page the mail was about. GET only asks (mail scanners open links); the POST sets the
    password, confirms the address and logs the person in.

    Once a password is set the link is spent; following it again leads to the login and
    on to the page, so an old mail still takes its reader where it said.
    """
    target = _safe_next(request, request.GET.get("next", ""))
    user = services.user_for_first_password(uidb64, token)
    if user is None:
        if request.user.is_authenticated:
            return HttpResponseRedirect(target)
        return render(
            request,
            "accounts/first_password_invalid.html",
            {"login_url": f"{reverse('accounts:login')}?{urlencode({'next': target})}"},
            status=404,
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_first_password(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set. Welcome to Kring."))
        return HttpResponseRedirect(target)
    return render(
        request,
        "accounts/first_password.html",
        {"email": user.email, "full_name": user.full_name, "form": form},
    )


@require_POST
def switch_language(request):
    """Switch between Dutch and English; remembered on the account and in a cookie."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or reverse("core:dashboard")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:dashboard")
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
            samesite="Lax",
            secure=not settings.DEBUG,
            httponly=True,
        )
    return response
