"""Pages of the confidentiality app for every member: who read my case."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import audit, policy


@login_required
def case_reads(request):
    """ "Wie las mijn inbreng?": for each of the person's own cases, who read it and when.

    Only the presenter's own cases exist here; there is no way to ask about anyone else's.
    """
    cases = policy.read_own_cases(request.user)
    reads = audit.reads_of(cases, except_by=request.user)
    rows = [
        {
            "case": case,
            "reads": reads[str(case.pk)],
            "can_open": policy.can(request.user, policy.Action.VIEW_CASE, case),
        }
        for case in cases
    ]
    return render(request, "confidentiality/case_reads.html", {"rows": rows})
