"""Planning all groups of a programme with `engine.scheduling`: the models become the
engine's input in one function and its answer becomes meetings in another."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

import engine.scheduling as scheduling
from engine.scheduling.jsonio import reason_to_json
from kring.groups.models import Group
from kring.organisations.models import Membership

from . import services, signals
from .models import BlackoutPeriod, Meeting, PlanningRun, PollAnswer, Room


def group_location(group: Group) -> str | None:
    """Where an on-site group meets: the location most of its members work at."""
    if group.programme.mode == group.programme.Mode.ONLINE:
        return None
    members = group.memberships.current().values("user")
    names = Counter(
        Membership.objects.filter(
            user__in=members, organisation=group.programme.organisation, location__isnull=False
        ).values_list("location__name", flat=True)
    )
    if names:
        return names.most_common(1)[0][0]
    return group.programme.venue or None


def blackout_dates(programme, window: tuple[date, date]) -> list[date]:
    days = set()
    for period in BlackoutPeriod.objects.filter(
        programme=programme, starts_on__lte=window[1], ends_on__gte=window[0]
    ):
        day = max(period.starts_on, window[0])
        while day <= min(period.ends_on, window[1]):
            days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def busy_elsewhere(group, member_ids: list[int], window) -> list[tuple[date, time, time]]:
    """When the group's members or facilitator already have another group's meeting (planned
    earlier, in any programme): the new meetings must not overlap those."""
    people = [*member_ids, *([group.facilitator_id] if group.facilitator_id else [])]
    others = (
        Meeting.objects.appointments()
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(group=group)
        .filter(starts_at__date__range=window)
        .filter(
            Q(group__facilitator_id__in=people)
            | Q(group__memberships__user_id__in=people, group__memberships__left_on__isnull=True)
        )
        .distinct()
    )
    busy = set()
    for meeting in others:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        busy.add((start.date(), start.time().replace(second=0, microsecond=0), end.time()))
    return sorted(busy)


def build_problem(programme, rules: dict) -> tuple[scheduling.SchedulingProblem, dict]:
    """The engine's problem, and per group (engine id) how many meetings it already has
    in the window: those count towards its series, so the engine plans only the rest."""
    groups = list(
        programme.groups.filter(memberships__left_on__isnull=True)
        .distinct()
        .select_related("programme")
        .order_by("name")
    )
    engine_groups, already = [], {}
    window = (date.fromisoformat(rules["window_start"]), date.fromisoformat(rules["window_end"]))
    wanted = int(rules["meeting_count"])
    margin = timedelta(days=int(rules["min_gap_days"]))
    for group in groups:
        # Meetings the group already has in the window count towards its series.
        existing = group.meetings.exclude(status=Meeting.Status.CANCELLED)
        have = existing.filter(starts_at__date__range=window).count()
        # New meetings keep their distance also from meetings just outside the window.
        near = (window[0] - margin, window[1] + margin)
        fixed_dates = sorted(
            {
                timezone.localtime(m).date()
                for m in existing.filter(starts_at__date__range=near).values_list(
                    "starts_at", flat=True
                )
            }
        )
        if have >= wanted:
            continue
        location = group_location(group)
        already[str(group.pk)] = have
        member_ids = list(group.memberships.current().values_list("user_id", flat=True))
        engine_groups.append(
            scheduling.Group(
                id=str(group.pk),
                member_ids=[str(u) for u in member_ids],
                facilitator_id=str(group.facilitator_id) if group.facilitator_id else None,
                location=location,
                meeting_count=wanted - have,
                fixed_dates=fixed_dates,
                busy=busy_elsewhere(group, member_ids, window),
            )
        )
    rooms = [
        scheduling.Room(id=str(room.pk), capacity=room.capacity, location=room.location.name)
        for room in Room.objects.filter(organisation=programme.organisation).select_related(
            "location"
        )
    ]
    zone = ZoneInfo(settings.TIME_ZONE)
    people = {person for group in engine_groups for person in group.person_ids}
    answers = [
        scheduling.AvailabilityAnswer(
            person_id=str(answer.user_id),
            date=answer.option.starts_at.astimezone(zone).date(),
            start=answer.option.starts_at.astimezone(zone).time().replace(second=0, microsecond=0),
            answer=scheduling.Answer(answer.answer),
        )
        for answer in PollAnswer.objects.filter(
            option__poll__group__programme=programme, user_id__in=[int(p) for p in people]
        ).select_related("option")
    ]
    problem = scheduling.SchedulingProblem(
        groups=engine_groups,
        window_start=date.fromisoformat(rules["window_start"]),
        window_end=date.fromisoformat(rules["window_end"]),
        start_times=[time.fromisoformat(t) for t in rules["start_times"]],
        meeting_count=int(rules["meeting_count"]),
        min_gap_days=int(rules["min_gap_days"]),
        max_gap_days=int(rules["max_gap_days"]) if rules.get("max_gap_days") else None,
        weekdays=[int(d) for d in rules["weekdays"]],
        duration_minutes=programme.meeting_duration_minutes,
        rooms=rooms if any(g.location for g in engine_groups) else [],
        blackout_dates=blackout_dates(programme, window),
        answers=answers,
    )
    return problem, already


@transaction.atomic
def start_planning(*, programme, rules: dict, by) -> PlanningRun:
    """Create a planning run and have the worker solve it; the page shows when it is ready."""
    run = PlanningRun.objects.create(programme=programme, rules=rules, created_by=by)
    signals.send_on_commit(signals.planning_run_due, run_id=run.pk)
    return run


def _reason(reason: scheduling.Reason, already: dict) -> dict:
    """A reason as stored on the run, with the meetings a group already has in the window
    (the engine was asked only for the rest)."""
    data = reason_to_json(reason)
    if reason.group_id is not None and "meeting_count" in reason.params:
        data["params"]["already_planned"] = already.get(reason.group_id, 0)
    return data


def answer_summary(problem: scheduling.SchedulingProblem, result) -> dict:
    """Poll answers the plan meets, counted only for the groups that held a poll.

    Without a poll the engine assumes "yes" for everyone, which says nothing about the
    plan; so groups without answers are counted apart instead of as "yes".
    """
    answered = {(a.person_id, a.date, a.start): a.answer for a in problem.answers}
    people = {person for person, _day, _start in answered}
    groups = {group.id: group for group in problem.groups}
    counts = Counter()
    polled = set()
    for plan in result.plans:
        group = groups[plan.group_id]
        if not people.intersection(group.person_ids):
            continue
        polled.add(plan.group_id)
        for meeting in plan.meetings:
            for person in group.person_ids:
                counts[answered.get((person, meeting.date, meeting.start), "unanswered")] += 1
    return {
        "polled_groups": len(polled),
        "groups": len(result.plans),
        "yes": counts["yes"],
        "if_need_be": counts["if_need_be"],
        "no": counts["no"],
        "unanswered": counts["unanswered"],
    }


def run_planning(*, run_id: int) -> PlanningRun:
    run = PlanningRun.objects.select_related("programme").get(pk=run_id)
    run.status = PlanningRun.Status.RUNNING
    run.save(update_fields=["status"])
    try:
        problem, already = build_problem(run.programme, run.rules)
        if not problem.groups:
            run.status = PlanningRun.Status.INFEASIBLE
            run.explanation = [{"code": "all_planned", "params": {}}]
            run.save(update_fields=["status", "explanation"])
            return run
        result = scheduling.solve(
            problem, time_limit_s=float(run.rules.get("time_limit", 20)), seed=0
        )
    except scheduling.SchedulingInputError as error:
        run.status = PlanningRun.Status.FAILED
        run.explanation = [{"code": "input_error", "text": str(error), "params": {}}]
        run.save(update_fields=["status", "explanation"])
        return run
    run.explanation = [_reason(reason, already) for reason in result.reasons]
    if result.feasible:
        run.status = PlanningRun.Status.READY
        run.plan = [
            {
                "group": int(plan.group_id),
                "meetings": [
                    {
                        "date": meeting.date.isoformat(),
                        "start": meeting.start.strftime("%H:%M"),
                        "room": int(meeting.room_id) if meeting.room_id else None,
                        "location": meeting.location,
                    }
                    for meeting in plan.meetings
                ],
            }
            for plan in result.plans
        ]
        run.objective = result.objective
        run.best_bound = result.best_bound
        run.answer_counts = answer_summary(problem, result)
    else:
        run.status = PlanningRun.Status.INFEASIBLE
    run.save()
    return run


@transaction.atomic
def confirm_planning(*, run: PlanningRun, by) -> list[Meeting]:
    """Turn a reviewed plan into meetings: invitations and reminders go out."""
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PlanningRun.Status.READY:
        raise services.PlanningError(_("Only a plan that is ready can be confirmed."))
    programme = run.programme
    zone = ZoneInfo(settings.TIME_ZONE)
    rooms = {room.pk: room for room in Room.objects.filter(organisation=programme.organisation)}
    groups = {group.pk: group for group in programme.groups.all()}
    created = []
    for plan in run.plan:
        group = groups[plan["group"]]
        for item in plan["meetings"]:
            room = rooms.get(item["room"])
            starts_at = datetime.combine(
                date.fromisoformat(item["date"]), time.fromisoformat(item["start"]), tzinfo=zone
            )
            online = item["location"] is None
            created.append(
                services.plan_meeting(
                    group=group,
                    starts_at=starts_at,
                    duration_minutes=programme.meeting_duration_minutes,
                    mode=Meeting.Mode.ONLINE if online else Meeting.Mode.ON_SITE,
                    location="" if online else (str(room) if room else item["location"]),
                    online_link=_video_link(group) if online else "",
                    room=room,
                    by=by,
                    notify=False,
                )
            )
    # One mail per person for the whole series, not one per meeting.
    services.notify_invited(created)
    run.status = PlanningRun.Status.CONFIRMED
    run.confirmed_at = timezone.now()
    run.confirmed_by = by
    run.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    return created


def _video_link(group: Group) -> str:
    if not group.programme.video_link:
        raise services.PlanningError(
            _("Online meetings need a video link: add one to the plan of approach first.")
        )
    return group.programme.video_link
