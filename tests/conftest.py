"""Test personas, as in healthchecks' hc/test.py: named people per role around one group.

`world` builds one organisation with a running programme and two groups, and a second
organisation with its own admin. Every access test uses these same people.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import translation

from kring.organisations.models import Membership
from kring.programmes.models import ProgrammeRole

from . import factories as f

Role = ProgrammeRole.Role


@dataclass
class World:
    organisation: object
    programme: object
    group: object
    other_group: object
    meeting: object
    case: object
    log_entry: object
    other_organisation: object
    people: dict
    # The second organisation's full cast and objects; filled in by the `zuid` fixture.
    other: object = None


@dataclass
class Zuid:
    """Gemeente Zuid (world.other_organisation) with a cast and objects of its own."""

    organisation: object
    programme: object
    group: object
    meeting: object
    case: object
    log_entry: object
    poll: object
    registration: object
    proposal: object
    run: object
    room: object
    people: dict  # zuid_participant, zuid_facilitator, zuid_coordinator, zuid_admin


@pytest.fixture(autouse=True)
def _dutch_to_start_with():
    """Every test starts in Kring's own language: a request of someone who chose English
    leaves English active on the test's thread (as it does on a server's request thread,
    where the next request chooses again)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The real database queue, so deferred tasks (reminders) behave as in production;
    # `run_tasks` plays the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(scope="session", autouse=True)
def _live_sockets_let_go_of_the_test_database(django_db_setup, django_db_blocker):
    """At the end, before the test database is dropped (set up after it, so torn down
    before it; and after any live server, set up later): what the sockets of a server
    stopping last did on those threads must not keep a connection to it."""
    yield
    from kring.live import consumers

    if consumers.threads_started():
        with django_db_blocker.unblock():
            consumers.close_database_connections()


@pytest.fixture(autouse=True)
def _live_sockets_let_go_of_the_database():
    """The live sockets' threads keep their database connections (as on a server): after
    a test that used them, close those, so that the test database can be flushed and
    dropped (PostgreSQL refuses to drop a database others are connected to). And forget
    the viewers they kept: after a rollback the ties version and the ids come again."""
    yield
    from kring.confidentiality import policy
    from kring.live import consumers

    policy.forget_kept_viewers()
    if consumers.threads_started():
        consumers.close_database_connections()


@pytest.fixture
def world(db) -> World:
    org = f.OrganisationFactory(name="Zorg Noord", slug="zorg-noord")
    programme = f.ProgrammeFactory(organisation=org, title="Intervisie Noord")
    rules = f.GroundRuleSetFactory()
    f.GroundRuleFactory(rule_set=rules)

    def person(key, org_role=Membership.Role.MEMBER, organisation=org, **attributes):
        user = f.UserFactory(email=f"{key}@example.org", full_name=key.replace("_", " ").title())
        membership = f.MembershipFactory(
            user=user, organisation=organisation, role=org_role, **attributes
        )
        return user, membership

    people = {}
    people["admin"], _ = person("admin", Membership.Role.ADMIN)
    people["coordinator"], _ = person("coordinator", Membership.Role.COORDINATOR)
    people["sponsor"], _ = person("sponsor")
    people["facilitator"], _ = person("facilitator", Membership.Role.FACILITATOR)
    people["other_facilitator"], _ = person("other_facilitator", Membership.Role.FACILITATOR)
    people["line_manager"], manager_membership = person("line_manager")
    people["participant"], _ = person("participant", line_manager=manager_membership)
    people["other_participant"], _ = person("other_participant")
    people["outsider"], _ = person("outsider")  # same organisation, no programme role
    # Reads the organisation's audit log (after a second factor), nothing else.
    people["privacy_officer"], _ = person("privacy_officer", Membership.Role.PRIVACY_OFFICER)
    other_org = f.OrganisationFactory(name="Gemeente Zuid", slug="gemeente-zuid")
    people["other_admin"], _ = person("other_admin", Membership.Role.ADMIN, organisation=other_org)

    for key, role in [
        ("coordinator", Role.COORDINATOR),
        ("sponsor", Role.SPONSOR),
        ("facilitator", Role.FACILITATOR),
        ("other_facilitator", Role.FACILITATOR),
        ("participant", Role.PARTICIPANT),
        ("other_participant", Role.PARTICIPANT),
        ("line_manager", Role.LINE_MANAGER),
    ]:
        f.ProgrammeRoleFactory(programme=programme, user=people[key], role=role)

    group = f.GroupFactory(
        programme=programme,
        name="Groep Noord 1",
        facilitator=people["facilitator"],
        ground_rule_set=rules,
    )
    other_group = f.GroupFactory(
        programme=programme, name="Groep Noord 2", facilitator=people["other_facilitator"]
    )
    f.GroupMembershipFactory(group=group, user=people["participant"])
    f.GroupMembershipFactory(group=other_group, user=people["other_participant"])
    meeting = f.MeetingFactory(group=group)
    case = f.CaseFactory(group=group, presenter=people["participant"])
    log_entry = f.LearningLogEntryFactory(author=people["participant"])
    return World(
        organisation=org,
        programme=programme,
        group=group,
        other_group=other_group,
        meeting=meeting,
        case=case,
        log_entry=log_entry,
        other_organisation=other_org,
        people=people,
    )


@pytest.fixture
def zuid(world) -> Zuid:
    """The second organisation's cast and objects, as `world.other` (kept out of
    `world.people`, which the authorization matrix iterates over)."""
    from kring.groups.composition import default_rules
    from kring.groups.models import Proposal
    from kring.planning import services as planning_services
    from kring.planning.models import PlanningRun, Room
    from kring.programmes.models import Registration

    org = world.other_organisation
    people = {}
    programme = f.ProgrammeFactory(organisation=org, title="Intervisie Zuid")
    for key, org_role, programme_role in [
        ("zuid_participant", Membership.Role.MEMBER, Role.PARTICIPANT),
        ("zuid_other_participant", Membership.Role.MEMBER, Role.PARTICIPANT),
        ("zuid_facilitator", Membership.Role.FACILITATOR, Role.FACILITATOR),
        ("zuid_coordinator", Membership.Role.COORDINATOR, Role.COORDINATOR),
        ("zuid_line_manager", Membership.Role.MEMBER, Role.LINE_MANAGER),
        ("zuid_admin", Membership.Role.ADMIN, None),
    ]:
        user = f.UserFactory(email=f"{key}@example.org", full_name=key.replace("_", " ").title())
        f.MembershipFactory(user=user, organisation=org, role=org_role)
        if programme_role:
            f.ProgrammeRoleFactory(programme=programme, user=user, role=programme_role)
        people[key] = user
    group = f.GroupFactory(
        programme=programme, name="Groep Zuid 1", facilitator=people["zuid_facilitator"]
    )
    f.GroupMembershipFactory(group=group, user=people["zuid_participant"])
    meeting = f.MeetingFactory(group=group)
    case = f.CaseFactory(group=group, presenter=people["zuid_participant"])
    log_entry = f.LearningLogEntryFactory(author=people["zuid_participant"])
    poll = planning_services.create_poll(
        group=group,
        title="Wanneer in Zuid?",
        starts=[meeting.starts_at, meeting.ends_at],
        by=people["zuid_facilitator"],
    )
    registration = Registration.objects.create(programme=programme, user=people["zuid_participant"])
    proposal = Proposal.objects.create(
        programme=programme,
        number=1,
        rules=default_rules(programme),
        status=Proposal.Status.READY,
        created_by=people["zuid_coordinator"],
    )
    run = PlanningRun.objects.create(
        programme=programme, rules={}, created_by=people["zuid_coordinator"]
    )
    room = Room.objects.create(
        organisation=org, name="Zaal Zuid", location=f.LocationFactory(organisation=org)
    )
    world.other = Zuid(
        organisation=org,
        programme=programme,
        group=group,
        meeting=meeting,
        case=case,
        log_entry=log_entry,
        poll=poll,
        registration=registration,
        proposal=proposal,
        run=run,
        room=room,
        people=people,
    )
    return world.other


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def run_tasks():
    """Run every task that is due, as `manage.py db_worker` does, and fail on a failed task.

    The worker's own loop closes database connections between tasks, which would end the
    test's transaction, so this drives its `run_task` directly.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )

    def _run():
        while (due := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
            due.claim(worker.worker_id)
            # A real worker runs outside any transaction, so work a task defers with
            # `on_commit` (the mails it enqueues) happens at once; inside the test's
            # transaction it must be run explicitly.
            with TestCase.captureOnCommitCallbacks(execute=True):
                worker.run_task(due)
            due.refresh_from_db()
            assert due.status != "FAILED", f"task {due.task_path} failed: {due.traceback}"

    return _run


@pytest.fixture
def User():
    return get_user_model()


@pytest.fixture
def plan_kickoff(world):
    """Plan a kick-off of the world's programme, three weeks from now."""
    from datetime import timedelta

    from django.utils import timezone

    from kring.kickoffs import services
    from kring.kickoffs.models import Kickoff

    def _plan(audience=Kickoff.Audience.PARTICIPANTS, **changes):
        values = {
            "starts_at": (timezone.now() + timedelta(days=21)).replace(second=0, microsecond=0),
            "duration_minutes": 90,
            "location": "Zaal De Linde",
            "video_link": "",
            **changes,
        }
        return services.plan_kickoff(
            programme=world.programme, audience=audience, by=world.people["coordinator"], **values
        )

    return _plan
