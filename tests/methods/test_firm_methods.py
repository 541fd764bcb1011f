"""A facilitation firm brings its own methods to the clients it works for."""

from django.urls import reverse

from kring.methods import services
from kring.methods.models import Method
from kring.organisations.models import ClientRelation, Membership
from tests import factories as f


def _firm_method(world):
    firm = f.OrganisationFactory(name="Bureau Samen Leren", slug="bureau-samen-leren")
    firm_admin = f.UserFactory(email="bureau@example.org", full_name="Bureau Admin")
    f.MembershipFactory(user=firm_admin, organisation=firm, role=Membership.Role.ADMIN)
    ClientRelation.objects.create(firm=firm, client=world.organisation)
    world.programme.run_by = firm
    world.programme.save(update_fields=["run_by"])
    method = services.copy_method(
        method=Method.objects.get(builtin_key="balint", organisation=None),
        organisation=firm,
        by=firm_admin,
    )
    return firm, method


def test_the_clients_people_find_the_firms_method_in_the_library_and_can_read_it(world, login):
    firm, method = _firm_method(world)
    client = login(world.people["participant"])
    library = client.get(reverse("methods:library")).content.decode()
    assert "Eigen werkvorm van Bureau Samen Leren" in library
    assert client.get(reverse("methods:detail", args=[method.pk])).status_code == 200


def test_the_facilitator_chooses_the_firms_method_for_a_meeting_of_a_programme_it_runs(
    world, login
):
    firm, method = _firm_method(world)
    login(world.people["facilitator"]).post(
        reverse("methods:choose_for_meeting", args=[world.meeting.pk]), {"method": method.pk}
    )
    world.meeting.refresh_from_db()
    assert world.meeting.method_version == method.current


def test_an_organisation_the_firm_does_not_work_for_finds_nothing_of_it(world, login):
    firm, method = _firm_method(world)
    client = login(world.people["other_admin"])
    assert "Bureau Samen Leren" not in client.get(reverse("methods:library")).content.decode()
    assert client.get(reverse("methods:detail", args=[method.pk])).status_code == 404
