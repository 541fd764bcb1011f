"""Demo data: a fictional care organisation half-way through its intervision year.

One programme runs (groups, held meetings with attendance, meetings ahead), a second one
takes registrations, a third waits for the sponsor's approval.

Demo passwords exist only here. Running it twice changes nothing.
"""

import functools
import itertools
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from kring.groups.models import (
    GroundRule,
    GroundRuleAcceptance,
    GroundRuleSet,
    Group,
    GroupMembership,
)
from kring.kickoffs.demo import add_demo_kickoffs_and_messages
from kring.live.demo import add_demo_written_round
from kring.meetings.demo_cases import add_demo_cases
from kring.methods.demo import DEMO_THEMES, add_demo_cycle_plan, demo_method_key
from kring.methods.services import load_builtin_methods
from kring.organisations.models import Department, FunctionLevel, Location, Membership, Organisation
from kring.planning.models import Attendance, Meeting, Room
from kring.programmes.models import (
    AssignmentCompletion,
    PreparationAssignment,
    Programme,
    ProgrammeGoal,
    ProgrammeRole,
    Registration,
    StatusChange,
)
from kring.records.demo import add_demo_records
from kring.reports.demo import add_demo_reports

DEMO_PASSWORD = "kring-demo"  # noqa: S105 - demo data only
DOMAIN = "delinde.example"
ORGANISATION_SLUG = "zorggroep-de-linde"

LOGINS = [
    ("admin@" + DOMAIN, "Organisation admin"),
    ("privacy@" + DOMAIN, "Privacy officer (audit log, after a second factor)"),
    ("coordinator@" + DOMAIN, "Coordinator (programme leader, HR)"),
    ("sponsor@" + DOMAIN, "Sponsor (board member)"),
    ("facilitator1@" + DOMAIN, "Facilitator of groups 1, 4 and 7"),
    ("facilitator2@" + DOMAIN, "Facilitator of groups 2, 5 and 8"),
    ("facilitator3@" + DOMAIN, "Facilitator of groups 3 and 6"),
    ("deelnemer@" + DOMAIN, "Participant in group 1"),
    ("leidinggevende@" + DOMAIN, "Line manager of the participant (also a participant)"),
    ("platform@kring.example", "Platform staff (Django admin, no content)"),
]

LOCATIONS = ["Amersfoort", "Leusden", "Soest"]
DEPARTMENTS = [
    "Wijkverpleging",
    "Verpleeghuiszorg",
    "Dagbesteding",
    "Thuisbegeleiding",
    "Revalidatie",
    "Psychogeriatrie",
    "Kwaliteit en beleid",
    "Behandeldienst",
]
LEVELS = ["Medewerker", "Senior medewerker", "Teamleider", "Manager"]
PROFESSIONS = [
    "Verpleegkundige",
    "Verzorgende IG",
    "Begeleider",
    "Fysiotherapeut",
    "Psycholoog",
    "Specialist ouderengeneeskunde",
    "Beleidsmedewerker",
    "Ergotherapeut",
]
FIRST_NAMES = [
    "Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ilse", "Joost",
    "Karin", "Lars", "Maud", "Niels", "Olga", "Pieter", "Rosa", "Sven", "Tessa", "Umut",
]  # fmt: skip
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Yilmaz"]
GROUND_RULES = [
    "Deelname is vrijwillig, maar niet vrijblijvend: afwezigheid meld je vooraf.",
    "We zijn gelijkwaardig; ieders inbreng telt.",
    "Wat in de groep besproken wordt, blijft in de groep.",
    "De inbrenger mag op elk moment een grens aangeven.",
    "We helpen de inbrenger en wegen alle opties; we proberen niet te overtuigen.",
    "De intervisiebegeleider bemoeit zich niet met de inhoud.",
    "We houden ons aan de afgesproken werkvorm.",
    "Telefoons staan uit en niemand heeft bereikbaarheidsdienst tijdens de bijeenkomst.",
]
GROUP_SIZES = [8, 8, 8, 8, 7, 7, 7, 7]  # 60 participants in 8 groups
MEETINGS_PER_GROUP = 6
ROOMS = ["Lindezaal", "Kastanjekamer", "Eikenkamer"]


def _user(email, full_name):
    User = get_user_model()
    # Demo people log in at once: their addresses count as confirmed. One password hash for
    # all of them: hashing seventy times would make loading the demo slow for nothing.
    user = User.objects.create_user(
        email=email, password=None, full_name=full_name, email_verified_at=timezone.now()
    )
    user.password = _demo_password_hash()
    user.save(update_fields=["password"])
    return user


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _people_names():
    for first, last in itertools.product(FIRST_NAMES, LAST_NAMES):
        yield f"{first} {last}"


def _compose_groups(participants: list[Membership]) -> list[list[Membership]]:
    """Deal people over the groups by department, never a manager with their own report."""
    ordered = sorted(participants, key=lambda m: (m.department_id, m.pk))
    groups: list[list[Membership]] = [[] for _ in GROUP_SIZES]

    for index, person in enumerate(ordered):
        for offset in range(len(groups)):
            group = groups[(index + offset) % len(groups)]
            if len(group) < GROUP_SIZES[(index + offset) % len(groups)] and not _manages_any(
                person, group
            ):
                group.append(person)
                break
        else:  # pragma: no cover - the demo population always fits
            raise RuntimeError("demo participants do not fit the groups")
    return groups


@transaction.atomic
def load_demo(today: date | None = None) -> bool:
    """Create the demo; returns False when it was already there.

    The dates follow `today`, so whenever the demo is loaded its main programme is half-way
    through its year: meetings held (with attendance) behind it, meetings planned ahead.
    """
    if Organisation.objects.filter(slug=ORGANISATION_SLUG).exists():
        return False
    today = today or timezone.localdate()
    # The built-in methods come with a data migration; a database emptied since (as a
    # test's flush does) gets them back here, since the demo's meetings follow them.
    load_builtin_methods()
    User = get_user_model()
    if not User.objects.filter(email="platform@kring.example").exists():
        User.objects.create_superuser(
            email="platform@kring.example", password=DEMO_PASSWORD, full_name="Platformbeheer Kring"
        )

    org = Organisation.objects.create(name="Zorggroep De Linde", slug=ORGANISATION_SLUG)
    locations = [Location.objects.create(organisation=org, name=name) for name in LOCATIONS]
    rooms = {
        location.name: [
            Room.objects.create(organisation=org, location=location, name=name, capacity=10)
            for name in ROOMS
        ]
        for location in locations
    }
    departments = [Department.objects.create(organisation=org, name=name) for name in DEPARTMENTS]
    levels = [
        FunctionLevel.objects.create(organisation=org, name=name, rank=rank)
        for rank, name in enumerate(LEVELS, 1)
    ]

    def member(email, name, role=Membership.Role.MEMBER, **attributes):
        return Membership.objects.create(
            user=_user(email, name), organisation=org, role=role, **attributes
        )

    member(f"admin@{DOMAIN}", "Ingrid Hoekstra", Membership.Role.ADMIN)
    member(f"privacy@{DOMAIN}", "Fatima Bakker", Membership.Role.PRIVACY_OFFICER)
    coordinator = member(f"coordinator@{DOMAIN}", "Marloes van Dijk", Membership.Role.COORDINATOR)
    sponsor = member(f"sponsor@{DOMAIN}", "Henk Brouwer")
    facilitators = [
        member(f"facilitator{n}@{DOMAIN}", name, Membership.Role.FACILITATOR)
        for n, name in enumerate(["Sanne Kok", "Ruben de Graaf", "Yara El Amrani"], 1)
    ]
    participants = _participants(member, levels, departments, locations)

    template = GroundRuleSet.objects.create(organisation=org, name="Spelregels De Linde")
    for order, text in enumerate(GROUND_RULES):
        GroundRule.objects.create(rule_set=template, text=text, order=order)

    people = _People(coordinator.user, sponsor.user, [f.user for f in facilitators])
    running = _running_programme(org, template, people, participants, rooms, today)
    _programme_for_team_leaders(org, template, people, participants, today)
    _programme_awaiting_approval(org, template, people, today)
    add_demo_kickoffs_and_messages(running, people.coordinator, people.facilitators[0], today)
    return True


class _People:
    def __init__(self, coordinator, sponsor, facilitators):
        self.coordinator = coordinator
        self.sponsor = sponsor
        self.facilitators = facilitators


def _participants(member, levels, departments, locations) -> list[Membership]:
    """60 people: 4 managers, 12 team leaders, 44 staff, each with a line manager."""
    names = _people_names()
    participants: list[Membership] = []
    for index in range(60):
        if index < 4:
            level, manager = levels[3], None
        elif index < 16:
            level, manager = levels[2], participants[(index - 4) % 4]
        else:
            level = levels[(index % 2)]
            manager = participants[4 + (index - 16) % 12]
        if index == 4:
            email, name = f"leidinggevende@{DOMAIN}", "Peter Willems"
        elif index == 16:
            email, name = f"deelnemer@{DOMAIN}", "Anna de Vries"
        else:
            name = next(names)
            if name == "Anna de Vries":
                name = next(names)
            email = f"{name.lower().replace(' ', '.')}@{DOMAIN}"
        participants.append(
            member(
                email,
                name,
                function_level=level,
                department=departments[index % len(departments)],
                location=locations[index % len(locations)],
                profession=PROFESSIONS[(index * 3) % len(PROFESSIONS)],
                line_manager=manager,
            )
        )
    # The demo participant reports to the demo line manager.
    participants[16].line_manager = participants[4]
    participants[16].save(update_fields=["line_manager"])
    return participants


def _history(programme, steps, people, at):
    """The status changes that brought a programme where it is, a week apart."""
    for number, (before, after) in enumerate(itertools.pairwise(steps)):
        by = people.sponsor if after == "approved" else people.coordinator
        change = StatusChange.objects.create(
            programme=programme, from_status=before, to_status=after, by=by
        )
        # `at` is set on creation; the demo's steps happened over the past weeks.
        StatusChange.objects.filter(pk=change.pk).update(at=at + timedelta(weeks=number))


def _register(programme, membership, *, at, manager_confirmation, source):
    return Registration.objects.create(
        programme=programme,
        user=membership.user,
        source=source,
        organisation_name=programme.organisation.name,
        function_level=membership.function_level,
        department=membership.department.name if membership.department else "",
        location=membership.location.name if membership.location else "",
        profession=membership.profession,
        line_manager=membership.line_manager.user if membership.line_manager else None,
        accepted_ground_rules_at=at,
        manager_confirmation=manager_confirmation,
        manager_answered_at=at
        if manager_confirmation == Registration.ManagerConfirmation.CONFIRMED
        else None,
    )


def _running_programme(org, template, people, participants, rooms, today):
    """The main programme, running for three months of its year."""
    starts_on = (today.replace(day=1) - timedelta(days=80)).replace(day=1)
    ends_on = date(starts_on.year + 1, starts_on.month, 1) - timedelta(days=1)
    amsterdam = ZoneInfo(settings.TIME_ZONE)
    programme = Programme.objects.create(
        organisation=org,
        title=f"Intervisie {starts_on.year}-{starts_on.year + 1}",
        status=Programme.Status.RUNNING,
        description="Zes keer per jaar twee uur met collega's van andere afdelingen en locaties "
        "een vraag uit je eigen werk bespreken, onder leiding van een ervaren begeleider.",
        reason="Medewerkers willen meer ruimte om met collega's van andere afdelingen "
        "dilemma's uit hun werk te bespreken.",
        context="Opdrachtgever: raad van bestuur. Betrokken: teams, HR, ondernemingsraad.",
        target_group="Alle zorgmedewerkers en leidinggevenden van De Linde.",
        preconditions="Zes bijeenkomsten van twee uur per deelnemer, in werktijd.",
        time_per_participant="12 uur per jaar",
        budget=Decimal("15000.00"),
        cost_per_participant=Decimal("250.00"),
        methods="Incidentmethode, roddelmethode en de zesstappenmethode.",
        evaluation_moments="Na elke bijeenkomst een korte check; in juni de jaarevaluatie.",
        venue="De Linde Amersfoort, Leusden en Soest",
        roles_and_tasks="HR coördineert, drie externe begeleiders, leidinggevenden geven tijd.",
        communication_plan="Kick-off bij de start, nieuwsbrief per kwartaal, evaluatie aan het "
        "einde.",
        group_size_min=6,
        group_size_max=8,
        meeting_count=MEETINGS_PER_GROUP,
        interval_weeks=6,
        starts_on=starts_on,
        ends_on=ends_on,
        requires_manager_confirmation=True,
        ground_rule_set=template,
    )
    for order, text in enumerate(
        [
            "Deelnemers reflecteren op hun eigen handelen.",
            "Collega's van verschillende afdelingen leren van elkaar.",
            "Na een jaar draaien de groepen zelfstandig.",
        ]
    ):
        ProgrammeGoal.objects.create(programme=programme, text=text, order=order)
    opened = datetime.combine(starts_on - timedelta(weeks=6), time(9, 0), tzinfo=amsterdam)
    _history(
        programme,
        ["draft", "submitted", "approved", "registration_open", "groups_formed", "running"],
        people,
        opened,
    )

    roles = [(people.coordinator, "coordinator"), (people.sponsor, "sponsor")]
    roles += [(f, "facilitator") for f in people.facilitators]
    roles += [(p.user, "participant") for p in participants]
    managers = {p.line_manager.user for p in participants if p.line_manager}
    roles += [(user, "line_manager") for user in managers]
    ProgrammeRole.objects.bulk_create(
        ProgrammeRole(programme=programme, user=user, role=role) for user, role in roles
    )
    for index, person in enumerate(participants):
        _register(
            programme,
            person,
            at=opened + timedelta(days=index % 10),
            manager_confirmation=Registration.ManagerConfirmation.CONFIRMED
            if person.line_manager
            else Registration.ManagerConfirmation.NOT_NEEDED,
            source=Registration.Source.IMPORT if index % 3 else Registration.Source.SELF,
        )

    first_meetings = starts_on + timedelta(weeks=5)
    assignment = PreparationAssignment.objects.create(
        programme=programme,
        text="Schrijf een situatie uit je werk op waar je nog over nadenkt: wat gebeurde er, "
        "wat deed jij, en welke vraag heb je aan je collega's?",
        due_on=first_meetings - timedelta(days=3),
        sent_at=datetime.combine(starts_on, time(9, 0), tzinfo=amsterdam),
    )

    composed = _compose_groups(participants)
    # Put the demo participant in group 1 by swapping with someone compatible.
    _move_into_first_group(composed, participants[16])
    for number, members in enumerate(composed, 1):
        rules = GroundRuleSet.objects.create(name=f"Spelregels groep {number}")
        for rule in template.rules.all():
            GroundRule.objects.create(rule_set=rules, text=rule.text, order=rule.order)
        group = Group.objects.create(
            programme=programme,
            name=f"Groep {number}",
            facilitator=people.facilitators[(number - 1) % 3],
            ground_rule_set=rules,
        )
        for person in members:
            GroupMembership.objects.create(
                group=group, user=person.user, joined_on=starts_on + timedelta(weeks=2)
            )
            GroundRuleAcceptance.objects.create(rule_set=rules, user=person.user, revision=1)
            AssignmentCompletion.objects.create(assignment=assignment, user=person.user)
        _meetings(group, number, [m.user for m in members], rooms, first_meetings, today)
        _roles(group, people.facilitators[(number - 1) % 3])
        add_demo_cases(group, number, participants[16].user, today)
        add_demo_records(group, people.facilitators[(number - 1) % 3])
        add_demo_reports(group, awaiting_last=number == 1, still_to_approve=participants[16].user)
        add_demo_cycle_plan(group, by=people.coordinator)
        if number == 2:  # a group that also works in writing between its meetings
            add_demo_written_round(group)
    return programme


def _meetings(group, number, members, rooms, first_week, today):
    """Six meetings every six weeks on the group's own weekday, time and room.

    A facilitator leads groups 1, 4 and 7 (and so on): those meet on different weekdays, so
    nobody is booked twice. Meetings in the past were held and have their attendance.
    """
    amsterdam = ZoneInfo(settings.TIME_ZONE)
    weekday = (1, 2, 3)[(number - 1) // 3 % 3]  # Tuesday, Wednesday or Thursday
    start = (time(9, 30), time(14, 0), time(19, 0))[(number - 1) % 3]
    location = LOCATIONS[(number - 1) % 3]
    room = rooms[location][(number - 1) // 3 % len(ROOMS)]
    # A third of the groups meets in each of three weeks in a row.
    first_week += timedelta(weeks=(number - 1) % 3)
    days = _meeting_days(first_week, weekday, count=MEETINGS_PER_GROUP, weeks_apart=6)
    for sequence, day in enumerate(days):
        held = day < today
        meeting = Meeting.objects.create(
            group=group,
            starts_at=datetime.combine(day, start, tzinfo=amsterdam),
            duration_minutes=120,
            mode=Meeting.Mode.ON_SITE,
            location=f"De Linde {location}, {room.name}",
            room=room,
            # Theme and method as the programme's cycle plan gives them (`kring.methods.demo`).
            theme=DEMO_THEMES[sequence % len(DEMO_THEMES)],
            status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
            method_version=_demo_method(sequence),
        )
        if held:
            Attendance.objects.bulk_create(
                Attendance(meeting=meeting, user=user, **_attendance(number, sequence, position))
                for position, user in enumerate(members)
            )
            last_held = sequence + 1 == len(days) or days[sequence + 1] >= today
            _check_answers(meeting, members, number, sequence, leave_last=last_held)
        elif sequence == _next_index(days, today) and number == 1:
            # Someone in group 1 has already said they cannot come to the next meeting.
            Attendance.objects.create(
                meeting=meeting,
                user=members[0],  # not the demo participant, who was added last
                status=Attendance.Status.ABSENT_WITH_NOTICE,
                reason="Scholingsdag",
            )


def _demo_method_version(key):
    from kring.methods.models import Method

    return Method.objects.get(builtin_key=key, organisation=None).current


def _demo_method(sequence):
    """The method the programme's cycle plan gives the meeting, growing in complexity."""
    return _demo_method_version(demo_method_key(sequence))


def _roles(group, facilitator):
    """The phase-out plan over the six meetings, the roles held so far and the coming rota."""
    from kring.meetings import rota

    meetings = list(group.meetings.order_by("starts_at"))
    stages = dict(zip((m.pk for m in meetings), (1, 1, 2, 2, 3, 4), strict=False))
    rota.set_phase_out(group=group, stages_by_meeting=stages, by=facilitator)
    rota.record_held_roles(group, [m for m in meetings if m.status == Meeting.Status.HELD])
    if rota.series(group):
        rota.plan_rota(group=group, by=facilitator)


def _check_answers(meeting, members, number, sequence, *, leave_last):
    """The one-minute check of a held meeting: most who were there answered (at the last
    held meeting not the demo participant, added last). Each check has closed since."""
    from kring.evaluation.models import CheckAnswer, CheckParticipation

    remarks = ["Fijn dat we de tijd namen voor de vragen.", "Iets meer tijd voor advies graag.", ""]
    present = [
        user
        for position, user in enumerate(members)
        if _attendance(number, sequence, position)["status"] == Attendance.Status.PRESENT
    ]
    for position, user in enumerate(present):
        answered = not (leave_last and user == members[-1]) and (position + sequence) % 6 != 5
        CheckParticipation.objects.create(meeting=meeting, user=user, answered=answered)
        if answered:
            CheckAnswer.objects.create(
                meeting=meeting,
                usefulness=(3, 4, 4, 5, 5)[(number + sequence + position) % 5],
                safety=(4, 5, 5, 4, 3)[(number + sequence * 2 + position) % 5],
                remark=remarks[(sequence + position) % 7] if (sequence + position) % 7 < 2 else "",
            )


def _next_index(days, today):
    return next((index for index, day in enumerate(days) if day >= today), None)


def _attendance(number, sequence, position) -> dict:
    """Mostly present; now and then absent with notice; one person in group 2 keeps missing."""
    if number == 2 and position == 0:
        return {"status": Attendance.Status.ABSENT_WITH_NOTICE, "reason": "Dienst"}
    if (number * 7 + sequence * 5 + position * 3) % 17 == 0:
        return {"status": Attendance.Status.ABSENT_WITH_NOTICE, "reason": "Ziek"}
    if (number + sequence + position) % 29 == 0:
        return {"status": Attendance.Status.ABSENT_WITHOUT_NOTICE}
    return {"status": Attendance.Status.PRESENT}


def _meeting_days(first_week: date, weekday: int, *, count: int, weeks_apart: int) -> list[date]:
    """Dates on `weekday` (0 = Monday) every `weeks_apart` weeks, never on a Dutch public
    holiday or in the Christmas break: such a meeting moves a week later."""
    day = first_week + timedelta(days=(weekday - first_week.weekday()) % 7)
    dutch_holidays = holidays.country_holidays("NL", years=range(day.year, day.year + 3))
    days = []
    while len(days) < count:
        while day in dutch_holidays or _in_christmas_break(day):
            day += timedelta(weeks=1)
        days.append(day)
        day += timedelta(weeks=weeks_apart)
    return days


def _in_christmas_break(day: date) -> bool:
    return (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 4)


def _programme_for_team_leaders(org, template, people, participants, today):
    """A second programme with registration open: team leaders register, some line managers
    have still to confirm."""
    starts_on = (today.replace(day=1) + timedelta(days=62)).replace(day=1)
    programme = Programme.objects.create(
        organisation=org,
        title=f"Intervisie voor leidinggevenden {starts_on.year}",
        status=Programme.Status.REGISTRATION_OPEN,
        description="Voor teamleiders en managers: vijf bijeenkomsten over leidinggeven in de "
        "zorg, met collega's van andere locaties.",
        reason="Teamleiders vragen om een plek om dilemma's in het leidinggeven te bespreken.",
        target_group="Teamleiders en managers van De Linde.",
        time_per_participant="10 uur",
        budget=Decimal("6000.00"),
        group_size_min=4,
        group_size_max=6,
        meeting_count=5,
        interval_weeks=8,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=300),
        capacity=18,
        requires_manager_confirmation=True,
        ground_rule_set=template,
        # Open registration has its link, as opening it in the app gives one.
        registration_token=secrets.token_urlsafe(24),
    )
    ProgrammeGoal.objects.create(
        programme=programme, text="Leidinggevenden leren van elkaars aanpak.", order=0
    )
    _history(
        programme,
        ["draft", "submitted", "approved", "registration_open"],
        people,
        datetime.combine(
            today - timedelta(weeks=5), time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE)
        ),
    )
    ProgrammeRole.objects.bulk_create(
        [
            ProgrammeRole(programme=programme, user=people.coordinator, role="coordinator"),
            ProgrammeRole(programme=programme, user=people.sponsor, role="sponsor"),
        ]
    )
    opened = timezone.now() - timedelta(days=20)
    team_leaders = participants[4:16]
    for index, person in enumerate(team_leaders[1:]):  # the demo line manager has not yet
        pending = index % 4 == 3
        _register(
            programme,
            person,
            at=opened + timedelta(days=index),
            manager_confirmation=Registration.ManagerConfirmation.PENDING
            if pending
            else Registration.ManagerConfirmation.CONFIRMED,
            source=Registration.Source.SELF,
        )
        ProgrammeRole.objects.create(programme=programme, user=person.user, role="participant")
        if not pending:
            ProgrammeRole.objects.get_or_create(
                programme=programme, user=person.line_manager.user, role="line_manager"
            )
    return programme


def _programme_awaiting_approval(org, template, people, today):
    """A third programme whose plan waits for the sponsor's decision."""
    starts_on = (today.replace(day=1) + timedelta(days=120)).replace(day=1)
    programme = Programme.objects.create(
        organisation=org,
        title=f"Intervisie nieuwe medewerkers {starts_on.year}",
        status=Programme.Status.SUBMITTED,
        description="Nieuwe collega's in hun eerste jaar bespreken wat ze tegenkomen.",
        reason="Nieuwe medewerkers vallen in hun eerste jaar vaker uit; intervisie helpt hen "
        "sneller hun weg te vinden.",
        context="In samenwerking met de praktijkopleiders.",
        target_group="Medewerkers die minder dan een jaar bij De Linde werken.",
        time_per_participant="8 uur",
        budget=Decimal("4500.00"),
        cost_per_participant=Decimal("150.00"),
        group_size_min=5,
        group_size_max=7,
        meeting_count=4,
        interval_weeks=6,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=200),
        ground_rule_set=template,
    )
    ProgrammeGoal.objects.create(
        programme=programme, text="Nieuwe collega's voelen zich sneller thuis.", order=0
    )
    _history(
        programme,
        ["draft", "submitted"],
        people,
        datetime.combine(
            today - timedelta(days=3), time(11, 0), tzinfo=ZoneInfo(settings.TIME_ZONE)
        ),
    )
    ProgrammeRole.objects.bulk_create(
        [
            ProgrammeRole(programme=programme, user=people.coordinator, role="coordinator"),
            ProgrammeRole(programme=programme, user=people.sponsor, role="sponsor"),
        ]
    )
    return programme


def _move_into_first_group(groups, person):
    home = next(group for group in groups if person in group)
    if home is groups[0]:
        return
    for candidate in groups[0]:
        others_first = [m for m in groups[0] if m is not candidate]
        others_home = [m for m in home if m is not person]
        if not _manages_any(person, others_first) and not _manages_any(candidate, others_home):
            groups[0].remove(candidate)
            home.remove(person)
            groups[0].append(person)
            home.append(candidate)
            return
    raise RuntimeError("cannot place the demo participant in group 1")  # pragma: no cover


def _manages_any(person, group):
    return any(
        other.line_manager_id == person.pk or person.line_manager_id == other.pk for other in group
    )
