from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality.policy import Action, can, get_or_deny

from . import registration as services
from .forms import RegistrationForm
from .models import Programme, Registration


def programme_page(request, token):
    """The programme page: the seven W questions, roles, ground rules and registration."""
    programme = get_object_or_404(
        Programme.objects.select_related("organisation", "ground_rule_set"),
        registration_token=token,
    )
    if not can(request.user, Action.REGISTER, programme):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    own = None
    if request.user.is_authenticated:
        own = (
            programme.registrations.filter(user=request.user)
            .exclude(status=Registration.Status.WITHDRAWN)
            .first()
        )
    form = RegistrationForm(request.POST or None, programme=programme, user=request.user)
    if request.method == "POST" and own is None and form.is_valid():
        try:
            registration = services.register(
                programme=programme,
                user=request.user,
                data=form.cleaned_data,
                wishes=form.wish_addresses(),
            )
        except services.RegistrationError as error:
            form.add_error(error.field, str(error))
        else:
            if not request.user.is_authenticated:
                # The same answer whether or not the address had an account: the mail to
                # the address says which it was.
                messages.info(
                    request,
                    _(
                        "Check your mailbox: we have sent a message to %(email)s. Follow "
                        "the link in it to finish your registration."
                    )
                    % {"email": form.cleaned_data["email"].strip().lower()},
                )
            elif registration.status == Registration.Status.WAITING:
                messages.warning(request, _("The programme is full: you are on the waiting list."))
            else:
                messages.success(request, _("You are registered. Welcome!"))
            return redirect("programmes:page", token=token)
    return render(
        request,
        "programmes/page.html",
        {
            "programme": programme,
            "form": form,
            "own": own,
            "is_open": services.registration_is_open(programme),
            "places_left": None
            if programme.capacity is None
            else max(programme.capacity - services.places_taken(programme), 0),
            "rules": programme.ground_rule_set.rules.all() if programme.ground_rule_set else [],
            "goals": programme.goals.all(),
        },
    )


@login_required
@require_POST
def withdraw_registration(request, registration_id):
    registration = get_or_deny(
        request.user, Action.MANAGE_REGISTRATION, Registration, pk=registration_id
    )
    services.withdraw(registration=registration)
    messages.success(request, _("The registration has been withdrawn."))
    if registration.user_id == request.user.pk:
        return redirect("core:dashboard")
    return redirect("programmes:registrations", programme_id=registration.programme_id)


@login_required
def registrations(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    return render(
        request,
        "programmes/registrations.html",
        {
            "programme": programme,
            "registrations": programme.registrations.select_related(
                "user", "function_level", "line_manager"
            ).prefetch_related("wishes"),
            "places_taken": services.places_taken(programme),
        },
    )


@login_required
@require_POST
def toggle_registration(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    closed = request.POST.get("closed") == "1"
    services.set_registration_closed(programme=programme, closed=closed)
    messages.success(
        request, _("Registration is closed.") if closed else _("Registration is open again.")
    )
    return redirect("programmes:registrations", programme_id=programme.pk)


def manager_confirmation(request, token):
    """A line manager confirms, by e-mailed link, that a participant gets the time."""
    registration = services.registration_for_manager_token(token)
    if registration is None:
        return render(request, "programmes/manager_confirmation_invalid.html", status=404)
    if request.method == "POST":
        confirmed = request.POST.get("answer") == "yes"
        try:
            services.answer_manager_confirmation(registration=registration, confirmed=confirmed)
        except services.RegistrationError:  # answered in another window meanwhile
            return render(request, "programmes/manager_confirmation_invalid.html", status=404)
        return render(
            request,
            "programmes/manager_confirmation_done.html",
            {"registration": registration, "confirmed": confirmed},
        )
    return render(request, "programmes/manager_confirmation.html", {"registration": registration})
