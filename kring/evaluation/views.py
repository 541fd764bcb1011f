from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kring.confidentiality import policy
from kring.confidentiality.policy import Action, get_or_deny
from kring.planning.models import Meeting

from . import services
from .forms import CheckForm


@login_required
def answer(request, meeting_id):
    meeting = get_or_deny(request.user, Action.ANSWER_CHECK, Meeting, pk=meeting_id)
    if services.has_answered(meeting=meeting, user=request.user):
        return render(request, "evaluation/answer.html", {"meeting": meeting, "done": True})
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(meeting=meeting, by=request.user, **form.cleaned_data)
        except services.AlreadyAnswered:
            messages.info(request, _("You have already given your check for this meeting."))
        else:
            messages.success(request, _("Thank you! Your answer has been saved anonymously."))
        return redirect("evaluation:answer", meeting_id=meeting.pk)
    status = 400 if form.errors else 200
    return render(
        request, "evaluation/answer.html", {"meeting": meeting, "form": form}, status=status
    )


@login_required
def results(request, meeting_id):
    meeting = get_or_deny(request.user, Action.VIEW_MEETING, Meeting, pk=meeting_id)
    check = policy.read_check_results(request.user, meeting)
    return render(request, "evaluation/results.html", {"meeting": meeting, "check": check})
