from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from kring.confidentiality.policy import Action, get_or_deny
from kring.core.forms import database_id
from kring.programmes.models import Programme

from . import composition, reasons, services
from .forms import CompositionRulesForm, MoveForm, SwapForm
from .models import Proposal


def _proposal(request, proposal_id):
    return get_or_deny(request.user, Action.MANAGE_PROGRAMME, Proposal, pk=proposal_id)


@login_required
def composition_home(request, programme_id):
    """Rules and weights, and the proposals made so far."""
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    latest = programme.proposals.first()
    initial = latest.rules if latest else composition.default_rules(programme)
    form = CompositionRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        proposal = services.start_composition(
            programme=programme, rules=dict(form.cleaned_data), by=request.user
        )
        return redirect("groups:proposal", proposal_id=proposal.pk)
    pool = composition.load_pool(programme)
    return render(
        request,
        "groups/composition.html",
        {
            "programme": programme,
            "form": form,
            "proposals": programme.proposals.all(),
            "pool_size": len(pool.registrations),
        },
    )


def _running(proposal) -> bool:
    return proposal.status in (Proposal.Status.QUEUED, Proposal.Status.RUNNING)


def _proposal_context(proposal) -> dict:
    pool = composition.load_pool(proposal.programme, history_before=proposal.created_at)
    groups = [[p for p in group if p in pool.registrations] for group in proposal.groups]
    locked = {int(p): i for p, i in proposal.locked.items()}
    context = {
        "programme": proposal.programme,
        "proposal": proposal,
        "explanation": reasons.word_all(pool, proposal.explanation),
        "running": _running(proposal),
    }
    if groups:
        context.update(
            groups=list(enumerate(composition.describe(pool, groups), 1)),
            rule_report=services.refusals(
                pool, composition.check(pool, proposal.rules, groups, locked)
            ),
            summary=composition.summary(pool, groups),
            locked=locked,
            others=proposal.programme.proposals.exclude(pk=proposal.pk).filter(
                status__in=[Proposal.Status.READY, Proposal.Status.PUBLISHED]
            ),
        )
    return context


@login_required
def proposal_detail(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    return render(request, "groups/proposal.html", _proposal_context(proposal))


@login_required
def proposal_progress(request, proposal_id):
    """How far the engine is, for htmx to poll; once it is done the page reloads itself
    (and without JavaScript, the link on the page shows the same)."""
    proposal = _proposal(request, proposal_id)
    if request.htmx and not _running(proposal):
        return HttpResponseClientRefresh()
    return render(request, "groups/_progress.html", {"proposal": proposal, "running": True})


def _refused(request, error):
    for reason in error.reasons:
        messages.error(request, reason)


def _after_change(request, proposal):
    """htmx swaps the groups and the report in place; without it, the page reloads."""
    if request.htmx:
        proposal.refresh_from_db()
        return render(request, "groups/_proposal_body.html", _proposal_context(proposal))
    return redirect("groups:proposal", proposal_id=proposal.pk)


@login_required
@require_POST
def move(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move_person(
                proposal=proposal,
                person=form.cleaned_data["person"],
                to_group=form.cleaned_data["to_group"] - 1,
                by=request.user,
            )
            messages.success(request, _("Moved."))
        except services.CompositionError as error:
            _refused(request, error)
    return _after_change(request, proposal)


@login_required
@require_POST
def swap(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    form = SwapForm(request.POST)
    if form.is_valid():
        try:
            services.swap_people(
                proposal=proposal,
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
                by=request.user,
            )
            messages.success(request, _("Swapped."))
        except services.CompositionError as error:
            _refused(request, error)
    return _after_change(request, proposal)


@login_required
@require_POST
def lock(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    people = [database_id(p) for p in request.POST.getlist("person")]
    people = [person for person in people if person is not None]
    try:
        services.set_lock(
            proposal=proposal,
            people=people,
            locked=request.POST.get("lock") == "1",
            by=request.user,
        )
    except services.CompositionError as error:
        _refused(request, error)
    return _after_change(request, proposal)


@login_required
@require_POST
def reoptimise(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    # Around the locks when there are groups; otherwise (a run that found none) anew.
    new = services.start_composition(
        programme=proposal.programme,
        rules=proposal.rules,
        by=request.user,
        based_on=proposal if proposal.groups else None,
    )
    return redirect("groups:proposal", proposal_id=new.pk)


@login_required
@require_POST
def publish(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    try:
        groups = services.publish(proposal=proposal, by=request.user)
    except services.CompositionError as error:
        _refused(request, error)
        return redirect("groups:proposal", proposal_id=proposal.pk)
    messages.success(
        request,
        _("%(count)s groups are published; everyone has been told by e-mail.")
        % {"count": len(groups)},
    )
    return redirect("programmes:detail", programme_id=proposal.programme_id)


@login_required
def compare(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    ids = [database_id(p) for p in request.GET.getlist("proposal")]
    if None in ids:
        raise Http404
    chosen = programme.proposals.filter(pk__in=ids).exclude(groups=[])
    columns = []
    for proposal in chosen:
        pool = composition.load_pool(programme, history_before=proposal.created_at)
        groups = [[p for p in g if p in pool.registrations] for g in proposal.groups]
        columns.append((proposal, composition.summary(pool, groups)))
    return render(request, "groups/compare.html", {"programme": programme, "columns": columns})
