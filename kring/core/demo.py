"""Demo data: a fictional care organisation with one running intervision programme.

Demo passwords exist only here. Running it twice changes nothing.
"""

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kring.groups.models import (
    GroundRule,
    GroundRuleAcceptance,
    GroundRuleSet,
    Group,
    GroupMembership,
)
from kring.meetings.models import Case
from kring.organisations.models import Department, FunctionLevel, Location, Membership, Organisation
from kring.planning.models import Meeting, Room
from kring.programmes.models import Programme, ProgrammeGoal, ProgrammeRole, StatusChange

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


def _user(email, full_name):
    User = get_user_model()
    # Demo people log in at once: their addresses count as confirmed.
    user = User.objects.create_user(
        email=email, password=DEMO_PASSWORD, full_name=full_name, email_verified_at=timezone.now()
    )
    return user


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
def load_demo() -> bool:
    """Create the demo; returns False when it was already there."""
    if Organisation.objects.filter(slug=ORGANISATION_SLUG).exists():
        return False
    User = get_user_model()
    if not User.objects.filter(email="platform@kring.example").exists():
        User.objects.create_superuser(
            email="platform@kring.example", password=DEMO_PASSWORD, full_name="Platformbeheer Kring"
        )

    org = Organisation.objects.create(name="Zorggroep De Linde", slug=ORGANISATION_SLUG)
    locations = [Location.objects.create(organisation=org, name=name) for name in LOCATIONS]
    for location in locations:
        for room in ["Lindezaal", "Kastanjekamer", "Eikenkamer"]:
            Room.objects.create(organisation=org, location=location, name=room, capacity=10)
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

    # 60 participants: 4 managers, 12 team leaders, 44 staff, each with a line manager.
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

    template = GroundRuleSet.objects.create(organisation=org, name="Spelregels De Linde")
    for order, text in enumerate(GROUND_RULES):
        GroundRule.objects.create(rule_set=template, text=text, order=order)

    programme = Programme.objects.create(
        organisation=org,
        title="Intervisie 2026-2027",
        status=Programme.Status.RUNNING,
        reason="Medewerkers willen meer ruimte om met collega's van andere afdelingen "
        "dilemma's uit hun werk te bespreken.",
        context="Opdrachtgever: raad van bestuur. Betrokken: teams, HR, ondernemingsraad.",
        target_group="Alle zorgmedewerkers en leidinggevenden van De Linde.",
        preconditions="Zes bijeenkomsten van twee uur per deelnemer, in werktijd.",
        roles_and_tasks="HR coördineert, drie externe begeleiders, leidinggevenden geven tijd.",
        communication_plan="Kick-off in september, nieuwsbrief per kwartaal, evaluatie in juni.",
        group_size_min=6,
        group_size_max=8,
        meeting_count=6,
        interval_weeks=6,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 6, 30),
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
    history = ["draft", "submitted", "approved", "registration_open", "groups_formed", "running"]
    for before, after in itertools.pairwise(history):
        by = sponsor.user if after == "approved" else coordinator.user
        StatusChange.objects.create(programme=programme, from_status=before, to_status=after, by=by)

    roles = [(coordinator.user, "coordinator"), (sponsor.user, "sponsor")]
    roles += [(f.user, "facilitator") for f in facilitators]
    roles += [(p.user, "participant") for p in participants]
    managers = {p.line_manager.user for p in participants if p.line_manager}
    roles += [(user, "line_manager") for user in managers]
    ProgrammeRole.objects.bulk_create(
        ProgrammeRole(programme=programme, user=user, role=role) for user, role in roles
    )

    amsterdam = ZoneInfo(settings.TIME_ZONE)
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
            facilitator=facilitators[(number - 1) % 3].user,
            ground_rule_set=rules,
        )
        for person in members:
            GroupMembership.objects.create(
                group=group, user=person.user, joined_on=date(2026, 9, 15)
            )
            GroundRuleAcceptance.objects.create(rule_set=rules, user=person.user, revision=1)
        location = LOCATIONS[(number - 1) % 3]
        first = date(2026, 10, 5) + timedelta(days=number - 1)
        for sequence in range(3):
            day = first + timedelta(weeks=6 * sequence)
            Meeting.objects.create(
                group=group,
                starts_at=datetime.combine(day, time(14, 0), tzinfo=amsterdam),
                duration_minutes=120,
                mode=Meeting.Mode.ON_SITE,
                location=f"De Linde {location}, zaal {number}",
                status=Meeting.Status.HELD if day < date(2026, 11, 23) else Meeting.Status.PLANNED,
            )
        if number == 1:
            Case.objects.create(
                group=group,
                presenter=participants[16].user,
                title="Grenzen stellen bij een veeleisende familie",
                description="De dochter van een cliënt belt dagelijks met nieuwe eisen. "
                "Hoe blijf ik vriendelijk en toch duidelijk?",
            )
    return True


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
