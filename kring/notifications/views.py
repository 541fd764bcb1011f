from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality.policy import Action, get_or_deny
from kring.programmes.models import CommunicationMessage, Programme

from . import audiences, services
from .forms import MessageForm
from .models import Notice


@login_required
def communication_plan(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_COMMUNICATION, Programme, pk=programme_id)
    rows = [
        {
            "message": message,
            "dispatch": services.dispatch_of(message),
            "audience_size": len(audiences.audience_of(programme, message.audience)),
        }
        for message in programme.messages.select_related("dispatch")
    ]
    return render(
        request, "notifications/communication_plan.html", {"programme": programme, "rows": rows}
    )


def _message(request, message_id):
    return get_or_deny(
        request.user,
        Action.MANAGE_COMMUNICATION,
        CommunicationMessage.objects.select_related("programme"),
        pk=message_id,
    )


@login_required
def message(request, message_id):
    """Review a planned message: edit its text, keep it as a draft, confirm it, or take a
    confirmation back."""
    planned = _message(request, message_id)
    dispatch = services.dispatch_of(planned)
    form = MessageForm(
        request.POST or None, initial={"subject": dispatch.subject, "body": dispatch.body}
    )
    if request.method == "POST":
        intent = request.POST.get("intent", "save")
        try:
            if intent == "back_to_draft":
                services.back_to_draft(message=planned, by=request.user)
                messages.success(request, _("The message is a draft again; it will not be sent."))
                return redirect("notifications:message", message_id=planned.pk)
            if form.is_valid():
                if intent == "confirm":
                    services.confirm(message=planned, by=request.user, **form.cleaned_data)
                    messages.success(request, _("Confirmed: Kring sends the message on its date."))
                    return redirect(
                        "notifications:communication_plan", programme_id=planned.programme_id
                    )
                services.save_draft(message=planned, by=request.user, **form.cleaned_data)
                messages.success(request, _("The draft is saved."))
                return redirect("notifications:message", message_id=planned.pk)
        except services.CommunicationError as error:
            form.add_error(None, str(error))
    return render(
        request,
        "notifications/message.html",
        {
            "planned": planned,
            "programme": planned.programme,
            "dispatch": dispatch,
            "form": form,
            "audience": audiences.audience_of(planned.programme, planned.audience),
            "send_time": services.send_time(planned.send_on),
            "date_passed": services.send_time(planned.send_on) <= timezone.now(),
        },
    )


@login_required
def notices(request):
    page = Paginator(Notice.objects.filter(recipient=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notices.html", {"page": page})


@login_required
@require_POST
def read(request, notice_id):
    notice = get_or_deny(request.user, Action.VIEW_NOTICE, Notice, pk=notice_id)
    services.mark_read(notice=notice, by=request.user)
    if (
        request.POST.get("open")
        and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None)
        and notice.link.startswith("/")
    ):
        return redirect(notice.link)
    return redirect("notifications:notices")


@login_required
@require_POST
def read_all(request):
    services.mark_all_read(by=request.user)
    messages.success(request, _("All notices are marked as read."))
    return redirect("notifications:notices")
