from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kring.accounts import services as account_services
from kring.confidentiality.policy import Action, get_or_deny

from .forms import InviteForm, MembershipForm
from .models import Membership, Organisation
from .services import update_membership


@login_required
def people(request, slug):
    organisation = get_or_deny(request.user, Action.MANAGE_PEOPLE, Organisation, slug=slug)
    memberships = organisation.memberships.select_related(
        "user", "function_level", "department", "location", "line_manager__user"
    )
    invitations = organisation.invitations.filter(accepted_at__isnull=True)
    return render(
        request,
        "organisations/people.html",
        {"organisation": organisation, "memberships": memberships, "invitations": invitations},
    )


@login_required
def invite(request, slug):
    organisation = get_or_deny(request.user, Action.MANAGE_PEOPLE, Organisation, slug=slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.invite_member(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except account_services.InvitationError:
            form.add_error("email", _("This person is already a member of the organisation."))
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("organisations:people", slug=organisation.slug)
    return render(
        request, "organisations/invite.html", {"organisation": organisation, "form": form}
    )


@login_required
def edit_person(request, slug, membership_id):
    organisation = get_or_deny(request.user, Action.MANAGE_PEOPLE, Organisation, slug=slug)
    membership = get_object_or_404(
        Membership.objects.filter(organisation=organisation).select_related("user"),
        pk=membership_id,
    )
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        extra = form.cleaned_data.pop("extra_attributes_text")
        update_membership(
            membership=membership,
            data={field: form.cleaned_data[field] for field in MembershipForm.Meta.fields},
            extra_attributes=extra,
        )
        messages.success(
            request, _("The changes for %(name)s are saved.") % {"name": membership.user}
        )
        return redirect("organisations:people", slug=organisation.slug)
    return render(
        request,
        "organisations/edit_person.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )
