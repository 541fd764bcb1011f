"""Pages for the second factor: set up an authenticator app, verify this session."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from . import two_factor

PENDING_KEY = "kring_otp_pending_key"


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def next_url(request) -> str:
    """Where to go after the second factor: a page of this site, else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:dashboard")


def with_next(url_name: str, target: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


@login_required
def setup(request):
    user = request.user
    target = next_url(request)
    if two_factor.has_device(user) and not user.is_verified():
        # A second authenticator set up with only a password would make the first one
        # pointless: whoever replaces it proves they hold it first.
        return redirect(with_next("otp:verify", target))
    # The key lives in the session until a first code proves the app has it, so opening
    # this page saves nothing.
    key = request.session.get(PENDING_KEY)
    if not key or request.method == "GET":
        key = request.session[PENDING_KEY] = two_factor.new_secret()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.confirm_device(user=user, key=key, token=form.cleaned_data["token"])
        if device is not None:
            del request.session[PENDING_KEY]
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(target)
        form.add_error("token", _("This code is not right. Check the time on your phone."))
    return render(
        request,
        "confidentiality/otp/setup.html",
        {
            "form": form,
            "next": target,
            "replacing": two_factor.has_device(user),
            "secret": two_factor.readable_secret(key),
            # segno writes the SVG from our own otpauth:// link: nothing of the user's.
            "qr_code": mark_safe(two_factor.qr_code_svg(user=user, key=key)),  # noqa: S308
        },
    )


@login_required
def verify(request):
    user = request.user
    target = next_url(request)
    if not two_factor.has_device(user):
        return redirect(with_next("otp:setup", target))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp doubles the wait after every wrong code; say so instead of "wrong".
        if two_factor.is_throttled(user):
            form.add_error("token", _("Too many wrong codes. Wait a moment and try again."))
        elif device := two_factor.verify(user=user, token=form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(target)
        else:
            form.add_error("token", _("This code is not right. Check the time on your phone."))
    return render(request, "confidentiality/otp/verify.html", {"form": form, "next": target})
