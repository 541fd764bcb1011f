import itertools

import pytest
from django.core.management import call_command
from django.urls import reverse

from kring.core.demo import DEMO_PASSWORD, LOGINS
from kring.groups.models import Group
from kring.organisations.models import Department, Location, Membership, Organisation
from kring.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_has_the_promised_organisation(demo):
    organisation = Organisation.objects.get()
    assert Location.objects.filter(organisation=organisation).count() == 3
    assert Department.objects.filter(organisation=organisation).count() == 8
    participants = Programme.objects.get().roles.filter(role="participant")
    assert participants.count() == 60
    levels = Membership.objects.filter(user__programme_roles__role="participant").values_list(
        "function_level__rank", flat=True
    )
    assert set(levels) == {1, 2, 3, 4}
    assert organisation.memberships.filter(role="facilitator").count() == 3


def test_the_demo_groups_obey_the_intervision_rules(demo):
    groups = Group.objects.all()
    assert groups.count() == 8
    for group in groups:
        users = [m.user for m in group.memberships.current()]
        assert 4 <= len(users) <= 10
        memberships = Membership.objects.filter(user__in=users)
        managers = {m.pk: m.line_manager_id for m in memberships}
        for a, b in itertools.permutations(managers, 2):
            assert managers[a] != b, f"{group}: a manager with their own report"
        assert group.meetings.exists()


def test_running_the_demo_twice_changes_nothing(demo):
    counts = (Membership.objects.count(), Group.objects.count())
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Membership.objects.count(), Group.objects.count()) == counts


@pytest.mark.parametrize("email", [email for email, _role in LOGINS])
def test_every_demo_login_reaches_its_dashboard(demo, client, email):
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("core:dashboard")
    assert response.status_code == 200


def test_the_demo_participant_sees_their_group_and_case(demo, client):
    client.post(
        reverse("accounts:login"),
        {"username": "deelnemer@delinde.example", "password": DEMO_PASSWORD},
    )
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Groep 1" in body
    group = Group.objects.get(name="Groep 1")
    group_page = client.get(reverse("groups:detail", kwargs={"group_id": group.pk})).content
    assert "Grenzen stellen" in group_page.decode()
