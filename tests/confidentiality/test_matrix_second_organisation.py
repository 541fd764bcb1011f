"""A second organisation, Gemeente Zuid, with its own cast and objects (§7).

Every role of one organisation on every URL of the matrix with the other organisation's
objects finds nothing (404) and changes nothing, in both directions; and a form that names
a person, facilitator, room or group of the other organisation is refused.
"""

import pytest
from django.urls import reverse

from .snapshot import changes, database_snapshot
from .test_authorization_matrix import (
    CONTENT_MARKER,
    MATRIX,
    ROLES,
    _role_swap,
    _withdrawn_case,
)

# URLs reached with a secret token rather than an object id: not about whose object it is.
BY_TOKEN = {
    "accounts:first_password",
    "accounts:accept_invitation",
    "accounts:confirm_address",
    "accounts:password_reset_confirm",
    "programmes:page",
    "programmes:manager_confirmation",
    "planning:feed",
}
NORTH_ROLES = [role for role in ROLES if role not in {"anonymous", "other_admin"}]


def _object_urls():
    from types import SimpleNamespace

    probe = SimpleNamespace()  # a rule without object ids never looks at the world
    names = []
    for name, rule in sorted(MATRIX.items()):
        if name in BY_TOKEN:
            continue
        try:
            if not rule.kwargs(probe):
                continue
        except (AttributeError, TypeError, KeyError):
            pass  # it needs the world: it names objects
        names.append(name)
    return names


OBJECT_URLS = _object_urls()


def _zuid_kwargs(url_name, north_kwargs, world, zuid):
    """The same URL, with Zuid's objects in place of Noord's."""
    from types import SimpleNamespace

    people = zuid.people
    if url_name == "meetings:delete_case":
        mirror = SimpleNamespace(
            group=zuid.group, people={"participant": people["zuid_participant"]}
        )
        return _withdrawn_case(mirror)
    if url_name == "meetings:answer_swap":
        mirror = SimpleNamespace(
            group=zuid.group,
            meeting=zuid.meeting,
            people={"participant": people["zuid_participant"]},
        )
        return _role_swap(mirror)
    if url_name.startswith("records:"):
        return _zuid_record(url_name, north_kwargs, zuid)
    if url_name in ZUID_CASE_CHOICES:
        return _zuid_case_choice(url_name, zuid)
    if url_name.startswith("reports:") and "meeting_id" in north_kwargs:
        return _zuid_report(zuid)
    values = {
        "slug": zuid.organisation.slug,
        "programme_id": zuid.programme.pk,
        "group_id": zuid.group.pk,
        "meeting_id": zuid.meeting.pk,
        "case_id": zuid.case.pk,
        "membership_id": people["zuid_participant"].memberships.get().pk,
        "registration_id": zuid.registration.pk,
        "proposal_id": zuid.proposal.pk,
        "run_id": zuid.run.pk,
        "poll_id": zuid.poll.pk,
        "option_id": zuid.poll.options.first().pk,
        "assignment_id": zuid.programme.preparation_assignments.create(
            text="Zuid bereidt voor", due_on="2027-01-10"
        ).pk,
        **_zuid_kickoff_and_communication(url_name, north_kwargs, zuid),
        **_zuid_method(north_kwargs, zuid),
    }
    return {key: values.get(key, value) for key, value in north_kwargs.items()}


def _zuid_record(url_name, north_kwargs, zuid):
    """Zuid's own kept record or action point, for the URLs of the meeting record."""
    from types import SimpleNamespace

    from .test_authorization_matrix import MATRIX

    mirror = SimpleNamespace(
        group=zuid.group,
        meeting=zuid.meeting,
        people={"participant": zuid.people["zuid_participant"]},
    )
    return MATRIX[url_name].kwargs(mirror)


def _zuid_report(zuid):
    """Zuid's own submitted report of a held meeting, for the URLs of a report."""
    from types import SimpleNamespace

    from .test_authorization_matrix import _report

    mirror = SimpleNamespace(
        group=zuid.group,
        people={
            "participant": zuid.people["zuid_participant"],
            "facilitator": zuid.people["zuid_facilitator"],
        },
    )
    return _report(mirror)


def _zuid_method(north_kwargs, zuid):
    """Zuid's own copy of a method, for the URLs that name one."""
    from types import SimpleNamespace

    from .test_authorization_matrix import _method

    if "method_id" not in north_kwargs:
        return {}
    mirror = SimpleNamespace(
        organisation=zuid.organisation, people={"coordinator": zuid.people["zuid_coordinator"]}
    )
    return _method(mirror)


def _zuid_kickoff_and_communication(url_name, north_kwargs, zuid):
    """Zuid's own kick-off, planned message and notice, for the URLs that name them."""
    from types import SimpleNamespace

    from .test_authorization_matrix import _kickoff, _message, _notice

    mirror = SimpleNamespace(
        programme=zuid.programme,
        people={
            "coordinator": zuid.people["zuid_coordinator"],
            "participant": zuid.people["zuid_participant"],
        },
    )
    makers = {"kickoff_id": _kickoff, "message_id": _message, "notice_id": _notice}
    return {key: makers[key](mirror)[key] for key in north_kwargs if key in makers}


# Zuid's own chosen case and open vote, for the URLs that need one to act on.
ZUID_CASE_CHOICES = {"meetings:remove_choice", "meetings:cast_ballot", "meetings:close_vote"}


def _zuid_case_choice(url_name, zuid):
    from types import SimpleNamespace

    mirror = SimpleNamespace(
        group=zuid.group,
        meeting=zuid.meeting,
        case=zuid.case,
        people={"participant": zuid.people["zuid_participant"]},
    )
    return MATRIX[url_name].kwargs(mirror)


def _assert_not_found_and_unchanged(client, user, url, rule, label):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    before = database_snapshot() if rule.method == "post" else None
    # Data made for the other world's people (a member to hand over to) is left out: the
    # answer must be 404 whatever is sent.
    data = {} if callable(rule.data) else rule.data
    response = getattr(client, rule.method)(url, data)
    assert response.status_code == 404, f"{label}: got {response.status_code}"
    assert CONTENT_MARKER not in response.content.decode(), f"{label}: content shown"
    if before is not None:
        assert not changes(before, database_snapshot()), f"{label}: data changed"


def test_the_matrix_has_object_urls():
    assert {"groups:detail", "meetings:case_detail", "planning:poll_confirm"} <= set(OBJECT_URLS)


@pytest.mark.parametrize("url_name", OBJECT_URLS)
def test_one_organisations_people_find_nothing_of_the_other(url_name, world, zuid, client):
    rule = MATRIX[url_name]
    north_kwargs = rule.kwargs(world)
    north_url = reverse(url_name, kwargs=north_kwargs)
    zuid_url = reverse(url_name, kwargs=_zuid_kwargs(url_name, north_kwargs, world, zuid))
    assert zuid_url != north_url
    for role in NORTH_ROLES:
        _assert_not_found_and_unchanged(
            client, world.people[role], zuid_url, rule, f"Noord {role} on Zuid {url_name}"
        )
    for key, person in zuid.people.items():
        _assert_not_found_and_unchanged(
            client, person, north_url, rule, f"{key} on Noord {url_name}"
        )


def test_zuid_people_do_reach_their_own_objects(world, zuid, login):
    """The 404s above are about whose objects they are, not a broken second world."""
    participant = login(zuid.people["zuid_participant"])
    assert participant.get(reverse("groups:detail", args=[zuid.group.pk])).status_code == 200
    assert participant.get(reverse("meetings:case_detail", args=[zuid.case.pk])).status_code == 200
    coordinator = login(zuid.people["zuid_coordinator"])
    assert coordinator.get(reverse("groups:proposal", args=[zuid.proposal.pk])).status_code == 200
    admin = login(zuid.people["zuid_admin"])
    assert admin.get(reverse("planning:rooms", args=[zuid.organisation.slug])).status_code == 200


# Inside form fields: naming the other organisation's people, rooms and groups.


def _refused_and_unchanged(client, url, data):
    before = database_snapshot()
    response = client.post(url, data)
    assert response.status_code in {200, 302, 404}, response.status_code
    assert not changes(before, database_snapshot())
    return response


def _draft(world):
    from kring.programmes.models import Programme

    world.programme.status = Programme.Status.DRAFT
    world.programme.save()
    return reverse("programmes:plan_edit", kwargs={"programme_id": world.programme.pk})


@pytest.mark.parametrize(
    "field",
    ["sponsor", "facilitators", "ground_rule_set"],
)
def test_the_plan_names_nobody_and_nothing_of_another_organisation(field, world, zuid, login):
    from kring.groups.models import GroundRuleSet
    from tests.programmes.test_plan import _plan_data

    foreign = {
        "sponsor": zuid.people["zuid_coordinator"].pk,
        "facilitators": [zuid.people["zuid_facilitator"].pk],
        "ground_rule_set": GroundRuleSet.objects.create(
            name="Regels Zuid", organisation=zuid.organisation
        ).pk,
    }[field]
    url = _draft(world)
    client = login(world.people["coordinator"])
    response = _refused_and_unchanged(client, url, _plan_data(**{field: foreign}))
    assert response.status_code == 200 and response.context["form"].errors.get(field)
    # and the same plan naming nobody foreign is saved: the refusal was about the name
    client.post(url, _plan_data())
    world.programme.refresh_from_db()
    assert world.programme.title == "Intervisie voor teamleiders"


def test_a_new_programme_is_not_made_for_another_organisation(world, zuid, login):
    from kring.programmes.models import Programme
    from tests.programmes.test_plan import _plan_data

    client = login(world.people["coordinator"])
    url = reverse("programmes:create") + f"?organisation={zuid.organisation.pk}"
    client.post(url, _plan_data(organisation=zuid.organisation.pk))
    assert (
        not Programme.objects.filter(organisation=zuid.organisation)
        .exclude(pk=zuid.programme.pk)
        .exists()
    )


@pytest.mark.parametrize("field", ["line_manager", "function_level", "department", "location"])
def test_a_persons_details_name_nothing_of_another_organisation(field, world, zuid, login):
    from tests import factories as f

    foreign = {
        "line_manager": lambda: zuid.people["zuid_line_manager"].memberships.get().pk,
        "function_level": lambda: f.FunctionLevelFactory(organisation=zuid.organisation).pk,
        "department": lambda: f.DepartmentFactory(organisation=zuid.organisation).pk,
        "location": lambda: f.LocationFactory(organisation=zuid.organisation).pk,
    }[field]()
    membership = world.people["participant"].memberships.get()
    url = reverse(
        "organisations:edit_person",
        kwargs={"slug": world.organisation.slug, "membership_id": membership.pk},
    )
    data = {"role": "member", "profession": "Verpleegkundige", field: foreign}
    response = _refused_and_unchanged(login(world.people["admin"]), url, data)
    assert response.status_code == 200 and response.context["form"].errors.get(field)


def test_a_room_is_not_placed_at_another_organisations_location(world, zuid, login):
    from tests import factories as f

    url = reverse("planning:rooms", kwargs={"slug": world.organisation.slug})
    data = {"name": "Zaal X", "location": zuid.room.location.pk, "capacity": "8"}
    response = _refused_and_unchanged(login(world.people["admin"]), url, data)
    assert response.status_code == 200 and response.context["form"].errors.get("location")
    own = f.LocationFactory(organisation=world.organisation)
    login(world.people["admin"]).post(url, {**data, "location": own.pk})
    assert world.organisation.rooms.filter(name="Zaal X").exists()


def _proposal_with_people(world):
    from kring.groups.composition import default_rules
    from kring.groups.models import Proposal

    return Proposal.objects.create(
        programme=world.programme,
        number=7,
        rules=default_rules(world.programme),
        status=Proposal.Status.READY,
        groups=[[world.people["participant"].pk], [world.people["other_participant"].pk]],
        created_by=world.people["coordinator"],
    )


@pytest.mark.parametrize(
    "action, data",
    [
        ("move", lambda z, w: {"person": z["zuid_participant"].pk, "to_group": "1"}),
        (
            "swap",
            lambda z, w: {"first": w["participant"].pk, "second": z["zuid_participant"].pk},
        ),
        ("lock", lambda z, w: {"person": [z["zuid_participant"].pk], "lock": "1"}),
    ],
)
def test_a_proposal_takes_in_nobody_of_another_organisation(action, data, world, zuid, login):
    proposal = _proposal_with_people(world)
    url = reverse(f"groups:proposal_{action}", kwargs={"proposal_id": proposal.pk})
    client = login(world.people["coordinator"])
    _refused_and_unchanged(client, url, data(zuid.people, world.people))
    proposal.refresh_from_db()
    assert zuid.people["zuid_participant"].pk not in sum(proposal.groups, [])


def test_the_attendance_of_another_organisations_person_is_not_recorded(world, zuid, login):
    from kring.planning.models import Attendance

    url = reverse("planning:attendance", kwargs={"meeting_id": world.meeting.pk})
    login(world.people["facilitator"]).post(
        url,
        {
            f"user_{world.people['participant'].pk}": "present",
            f"user_{zuid.people['zuid_participant'].pk}": "absent",
        },
    )
    assert Attendance.objects.filter(user=world.people["participant"]).exists()
    assert not Attendance.objects.filter(user=zuid.people["zuid_participant"]).exists()


def test_registering_ties_no_line_manager_or_wish_to_another_organisation(
    world, zuid, login, django_capture_on_commit_callbacks, run_tasks
):
    from django.core import mail

    from kring.programmes.models import Programme, Registration

    world.programme.registration_token = "noord-token"
    world.programme.status = Programme.Status.REGISTRATION_OPEN
    world.programme.save()
    url = reverse("programmes:page", kwargs={"token": "noord-token"})
    with django_capture_on_commit_callbacks(execute=True):
        login(world.people["outsider"]).post(
            url,
            {
                "line_manager_email": "zuid_line_manager@example.org",
                "prefer_1": "zuid_participant@example.org",
                "avoid": "zuid_coordinator@example.org",
                "accept_ground_rules": "on",
            },
        )
    run_tasks()
    registration = Registration.objects.get(user=world.people["outsider"])
    assert registration.line_manager is None
    assert not registration.wishes.exists()
    zuid_addresses = {person.email for person in zuid.people.values()}
    assert not [m for m in mail.outbox if zuid_addresses & set(m.to)]


def test_a_confirmed_plan_books_no_room_of_another_organisation(world, zuid, login):
    from kring.planning.models import Meeting, PlanningRun

    run = PlanningRun.objects.create(
        programme=world.programme,
        rules={},
        status=PlanningRun.Status.READY,
        plan=[
            {
                "group": world.group.pk,
                "meetings": [
                    {"date": "2027-03-01", "start": "14:00", "room": zuid.room.pk, "location": "X"}
                ],
            }
        ],
        created_by=world.people["coordinator"],
    )
    login(world.people["coordinator"]).post(
        reverse("planning:run_confirm", kwargs={"run_id": run.pk})
    )
    created = Meeting.objects.get(group=world.group, starts_at__date="2027-03-01")
    assert created.room is None and "Zuid" not in created.location
    assert not Meeting.objects.filter(room=zuid.room).exists()


def test_comparing_proposals_shows_none_of_another_organisation(world, zuid, login):
    zuid.proposal.groups = [[zuid.people["zuid_participant"].pk]]
    zuid.proposal.save()
    url = reverse("groups:compare", kwargs={"programme_id": world.programme.pk})
    own = _proposal_with_people(world)
    response = login(world.people["coordinator"]).get(url, {"proposal": [own.pk, zuid.proposal.pk]})
    assert response.status_code == 200
    assert [proposal for proposal, _summary in response.context["columns"]] == [own]


def test_inviting_another_organisations_member_tells_nothing_and_grants_nothing(world, zuid, login):
    from kring.organisations.models import Membership

    url = reverse("organisations:invite", kwargs={"slug": world.organisation.slug})
    client = login(world.people["admin"])
    answers = []
    for email in ["zuid_participant@example.org", "nobody-yet@example.org"]:
        response = client.post(
            url, {"email": email, "full_name": "Iemand", "role": "coordinator"}, follow=True
        )
        body = response.content.decode().replace(email, "<address>")
        assert "Gemeente Zuid" not in body
        answers.append([str(m) for m in response.context["messages"]])
    assert answers[0] == [a.replace("nobody-yet", "zuid_participant") for a in answers[1]]
    zuid_participant = zuid.people["zuid_participant"]
    assert not Membership.objects.filter(
        user=zuid_participant, organisation=world.organisation
    ).exists()  # only on accepting
    assert zuid_participant.memberships.get().organisation == zuid.organisation


def test_an_admin_cannot_edit_another_organisations_person_under_their_own_address(
    world, zuid, login
):
    membership = zuid.people["zuid_participant"].memberships.get()
    url = reverse(
        "organisations:edit_person",
        kwargs={"slug": world.organisation.slug, "membership_id": membership.pk},
    )
    client = login(world.people["admin"])
    assert client.get(url).status_code == 404
    before = database_snapshot()
    assert client.post(url, {"role": "admin", "profession": "Overgenomen"}).status_code == 404
    assert not changes(before, database_snapshot())
