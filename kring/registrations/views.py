"""Registrations of a programme: the coordinator's list, withdrawing, and the line
manager's answer by e-mailed link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality.policy import Action, get_or_deny
from kring.programmes.models import WAITING_FOR, Programme, Registration

from . import services


@login_required
@require_POST
def withdraw_registration(request, registration_id):
    registration = get_or_deny(
        request.user, Action.MANAGE_REGISTRATION, Registration, pk=registration_id
    )
    services.withdraw(registration=registration, by=request.user)
    messages.success(request, _("The registration has been withdrawn."))
    if registration.user_id == request.user.pk:
        return redirect("core:dashboard")
    return redirect("programmes:registrations", programme_id=registration.programme_id)


@login_required
def registrations(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    listed = programme.registrations.select_related(
        "user", "function_level", "line_manager"
    ).prefetch_related("wishes")
    # The start page's counts link here as ?show=<what the registrations wait for>.
    showing = request.GET.get("show", "")
    if showing in WAITING_FOR:
        listed = listed.waiting_for(showing)
    return render(
        request,
        "registrations/list.html",
        {
            "programme": programme,
            "registrations": listed,
            "showing": showing if showing in WAITING_FOR else "",
            "places_taken": services.places_taken(programme),
        },
    )


@login_required
@require_POST
def toggle_registration(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    closed = request.POST.get("closed") == "1"
    services.set_registration_closed(programme=programme, closed=closed, by=request.user)
    messages.success(
        request, _("Registration is closed.") if closed else _("Registration is open again.")
    )
    return redirect("programmes:registrations", programme_id=programme.pk)


def manager_confirmation(request, token):
    """A line manager confirms, by e-mailed link, that a participant gets the time."""
    registration = services.registration_for_manager_token(token)
    if registration is None:
        return render(request, "registrations/manager_confirmation_invalid.html", status=404)
    if request.method == "POST":
        confirmed = request.POST.get("answer") == "yes"
        try:
            services.answer_manager_confirmation(registration=registration, confirmed=confirmed)
        except services.RegistrationError:  # answered in another window meanwhile
            return render(request, "registrations/manager_confirmation_invalid.html", status=404)
        return render(
            request,
            "registrations/manager_confirmation_done.html",
            {"registration": registration, "confirmed": confirmed},
        )
    return render(
        request, "registrations/manager_confirmation.html", {"registration": registration}
    )
