from django.urls import reverse

from kring.organisations.models import Membership
from tests.factories import DepartmentFactory, FunctionLevelFactory, LocationFactory


def _edit_url(world, key):
    membership = Membership.objects.get(user=world.people[key], organisation=world.organisation)
    return membership, reverse(
        "organisations:edit_person",
        kwargs={"slug": world.organisation.slug, "membership_id": membership.pk},
    )


def test_the_admin_sees_everyone_with_their_attributes(world, login):
    body = (
        login(world.people["admin"])
        .get(reverse("organisations:people", kwargs={"slug": world.organisation.slug}))
        .content.decode()
    )
    for key in ["participant", "coordinator", "line_manager"]:
        assert world.people[key].email in body
    assert world.people["other_admin"].email not in body


def test_the_admin_sets_attributes_and_a_line_manager(world, login):
    level = FunctionLevelFactory(organisation=world.organisation, name="Senior", rank=2)
    department = DepartmentFactory(organisation=world.organisation, name="Wijkzorg")
    location = LocationFactory(organisation=world.organisation, name="Zwolle")
    membership, url = _edit_url(world, "other_participant")
    manager, _ = _edit_url(world, "line_manager")
    response = login(world.people["admin"]).post(
        url,
        {
            "role": "member",
            "function_level": level.pk,
            "department": department.pk,
            "location": location.pk,
            "profession": "Verpleegkundige",
            "line_manager": manager.pk,
            "extra_attributes_text": "team: nachtdienst\nuren: 32",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.function_level, membership.department, membership.location) == (
        level,
        department,
        location,
    )
    assert membership.line_manager == manager
    assert membership.extra_attributes == {"team": "nachtdienst", "uren": "32"}


def test_a_loop_of_line_managers_is_refused(world, login):
    manager, url = _edit_url(world, "line_manager")
    participant, _ = _edit_url(world, "participant")  # reports to line_manager already
    response = login(world.people["admin"]).post(
        url, {"role": "member", "line_manager": participant.pk, "extra_attributes_text": ""}
    )
    assert response.status_code == 200
    assert "kring van leidinggevenden" in response.content.decode()
    manager.refresh_from_db()
    assert manager.line_manager is None


def test_a_malformed_attribute_line_is_explained(world, login):
    _, url = _edit_url(world, "participant")
    response = login(world.people["admin"]).post(
        url, {"role": "member", "extra_attributes_text": "zonder dubbele punt"}
    )
    assert "Regel 1" in response.content.decode()
