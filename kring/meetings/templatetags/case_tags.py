"""Cases on other apps' pages: the group's backlog and a meeting's chosen cases.

Content (titles) is read only through the policy's audited readers; everyone who may not
read the group's content (coordinator, sponsor, line manager, admin) gets nothing.
"""

from django import template

from kring.confidentiality import policy
from kring.confidentiality.policy import Action, can
from kring.planning.models import Meeting

from .. import selectors, services
from ..models import Case, CaseBallot, CaseVote, MeetingCase

register = template.Library()


@register.inclusion_tag("meetings/_group_cases.html", takes_context=True)
def group_cases(context, group, cases):
    """The group page's cases, from the audited `read_backlog` the group view did."""
    user = context["request"].user
    choices = selectors.choices_by_case(group)
    open_cases = [c for c in cases if c.status == Case.Status.OPEN]
    waited = selectors.meetings_waited(group, open_cases)
    backlog = [
        {"case": c, "choice": choices.get(c.pk), "waited": waited.get(c.pk, 0)} for c in open_cases
    ]
    discussed = sorted(
        (c for c in cases if c.status == Case.Status.DISCUSSED),
        key=lambda c: c.discussed_at.starts_at if c.discussed_at else c.created_at,
        reverse=True,
    )
    return {
        "group": group,
        "user": user,
        "backlog": backlog,
        "discussed": discussed,
        "withdrawn": [c for c in cases if c.status == Case.Status.WITHDRAWN],
        "can_add_case": can(user, Action.ADD_CASE, group),
    }


@register.inclusion_tag("meetings/_meeting_cases.html", takes_context=True)
def meeting_cases(context, meeting):
    """The meeting page's cases: what is chosen, and the volunteer / choose / vote actions;
    after a held meeting the prompt "What do I take with me?"."""
    request = context["request"]
    user = request.user
    if not can(user, Action.VIEW_GROUP_CONTENT, meeting.group):
        return {"visible": False}
    chosen = policy.read_meeting_cases(user, meeting)
    how = dict(MeetingCase.objects.filter(meeting=meeting).values_list("case_id", "how"))
    rows = [
        {"case": c, "how": how.get(c.pk), "how_label": _how_label(how.get(c.pk))} for c in chosen
    ]
    planned = meeting.status == Meeting.Status.PLANNED
    may_choose = can(user, Action.CHOOSE_CASES, meeting)
    may_vote = can(user, Action.VOTE_ON_CASES, meeting)
    places = services.free_places(meeting) if planned else 0
    vote = CaseVote.objects.filter(meeting=meeting).first()
    backlog, own, tally, my_ballot = [], [], [], None
    if planned and (places or vote):
        choosable = {c.pk for c in services.votable_cases(meeting)}
        backlog = [c for c in policy.read_backlog(user, meeting.group) if c.pk in choosable]
        own = [c for c in backlog if c.presenter_id == user.pk]
    if vote is not None and not vote.is_open:
        titles = {c.pk: c for c in backlog} | {c.pk: c for c in chosen}
        tally = [(titles.get(case_id), votes) for case_id, votes in selectors.tally(vote)]
    elif vote is not None:
        my_ballot = (
            CaseBallot.objects.filter(vote=vote, voter=user)
            .values_list("case_id", flat=True)
            .first()
        )
    return {
        "visible": True,
        "meeting": meeting,
        "user": user,
        "rows": rows,
        "planned": planned,
        "places": places,
        "may_choose": may_choose and places > 0,
        "may_remove": may_choose,
        "may_volunteer": planned
        and places > 0
        and bool(own)
        and can(user, Action.VOLUNTEER_CASE, meeting),
        "own": own,
        "backlog": backlog,
        "vote": vote,
        "vote_open": vote is not None and vote.is_open,
        "may_vote": may_vote and vote is not None and vote.is_open,
        "my_ballot": my_ballot,
        "ballots": vote.ballots.count() if vote is not None else 0,
        "may_open_vote": may_choose
        and places > 0
        and len(backlog) >= 2
        and (vote is None or not vote.is_open),
        "tally": [row for row in tally if row[0] is not None],
        "prompt": selectors.prompts_for_meeting(user, meeting),
        "log_form_meeting": meeting.pk,
    }


def _how_label(how):
    return MeetingCase.How(how).label if how else ""
