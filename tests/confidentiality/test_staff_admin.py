"""Platform staff in the Django admin: every change audited, no route to content.

Before: a superuser could make themselves a group's facilitator or member in the admin
and then read its cases in the app.
"""

import pytest
from django.contrib import admin
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.confidentiality.models import AuditEvent
from kring.groups.models import Group, GroupMembership
from kring.organisations.models import Membership
from kring.programmes.models import ProgrammeRole
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return f.UserFactory(email="staff@kring.example", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _snapshot():
    return {
        "groups": list(Group.objects.order_by("pk").values_list("pk", "facilitator_id")),
        "group_memberships": list(
            GroupMembership.objects.order_by("pk").values_list("pk", "group_id", "user_id")
        ),
        "programme_roles": list(
            ProgrammeRole.objects.order_by("pk").values_list("pk", "user_id", "role")
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "user_id", "role", "is_active")
        ),
    }


def test_a_change_in_the_admin_is_written_to_the_audit_log(world, staff, staff_client):
    organisation = world.organisation
    response = staff_client.post(
        f"/admin/organisations/organisation/{organisation.pk}/change/",
        {
            "name": "Zorg Noord-Oost",
            "slug": organisation.slug,
            "min_respondents": 5,
            **{
                f"{prefix}-{key}": value
                for prefix in ["departments", "locations", "function_levels"]
                for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.name == "Zorg Noord-Oost"
    entry = AuditEvent.objects.get(actor=staff)
    assert entry.event == AuditEvent.Event.CHANGE
    assert entry.capacity == AuditEvent.Capacity.PLATFORM_STAFF
    assert entry.organisation == organisation
    assert (entry.object_type, entry.object_id) == (
        "organisations.organisation",
        str(organisation.pk),
    )
    assert "admin:" in entry.description


def test_additions_and_deletions_in_the_admin_are_audited(world, staff, staff_client):
    location = f.LocationFactory(organisation=world.organisation)
    staff_client.post(
        "/admin/planning/room/add/",
        {
            "name": "Zaal 12",
            "organisation": world.organisation.pk,
            "location": location.pk,
            "capacity": 8,
        },
    )
    room = world.organisation.rooms.get(name="Zaal 12")
    staff_client.post(f"/admin/planning/room/{room.pk}/delete/", {"post": "yes"})
    assert not world.organisation.rooms.filter(name="Zaal 12").exists()
    events = list(
        AuditEvent.objects.filter(actor=staff, object_type="planning.room")
        .order_by("id")
        .values_list("event", "capacity", "object_id", "organisation")
    )
    assert events == [
        ("create", "platform_staff", str(room.pk), world.organisation.pk),
        ("delete", "platform_staff", str(room.pk), world.organisation.pk),
    ]


def test_bulk_deletion_which_would_escape_the_log_is_not_offered():
    assert "delete_selected" not in dict(admin.site.actions)


def test_staff_cannot_make_themselves_facilitator_of_a_group(world, staff, staff_client):
    group = world.group
    url = f"/admin/groups/group/{group.pk}/change/"
    form = staff_client.get(url).context["adminform"].form
    assert "facilitator" not in form.fields
    before = _snapshot()
    response = staff_client.post(
        url,
        {
            "name": group.name,
            "facilitator": staff.pk,
            "programme": group.programme_id,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302  # saved, without the facilitator
    group.refresh_from_db()
    assert group.facilitator == world.people["facilitator"]
    assert _snapshot() == before


def test_staff_cannot_add_themselves_to_a_group(world, staff, staff_client):
    group = world.group
    existing = group.memberships.get()
    before = _snapshot()
    response = staff_client.post(
        f"/admin/groups/group/{group.pk}/change/",
        {
            "name": group.name,
            "programme": group.programme_id,
            "facilitator": group.facilitator_id,
            "memberships-TOTAL_FORMS": 2,
            "memberships-INITIAL_FORMS": 1,
            "memberships-0-id": existing.pk,
            "memberships-0-group": group.pk,
            "memberships-0-user": existing.user_id,
            "memberships-0-joined_on": existing.joined_on.isoformat(),
            "memberships-1-group": group.pk,
            "memberships-1-user": staff.pk,
            "memberships-1-joined_on": "2026-01-05",
        },
    )
    assert response.status_code == 302  # saved, without the new member
    assert staff_client.get("/admin/groups/groupmembership/add/").status_code == 404
    assert staff_client.get("/admin/groups/group/add/").status_code == 403
    assert not GroupMembership.objects.filter(user=staff).exists()
    assert _snapshot() == before


def test_staff_cannot_give_themselves_a_programme_role(world, staff, staff_client):
    programme = world.programme
    url = f"/admin/programmes/programme/{programme.pk}/change/"
    inline = next(
        formset
        for formset in staff_client.get(url).context["inline_admin_formsets"]
        if formset.opts.model is ProgrammeRole
    )
    assert not inline.has_add_permission and not inline.has_change_permission
    assert not inline.has_delete_permission
    before = _snapshot()
    form = staff_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    roles = list(programme.roles.all())
    data |= {
        "goals-TOTAL_FORMS": 0,
        "goals-INITIAL_FORMS": 0,
        "roles-TOTAL_FORMS": len(roles) + 1,
        "roles-INITIAL_FORMS": len(roles),
        **{f"roles-{i}-id": role.pk for i, role in enumerate(roles)},
        f"roles-{len(roles)}-user": staff.pk,
        f"roles-{len(roles)}-role": "facilitator",
        **{f"roles-{i}-DELETE": "on" for i in range(len(roles))},
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert not ProgrammeRole.objects.filter(user=staff).exists()
    assert _snapshot() == before


def test_organisation_memberships_are_read_only_in_the_admin(world, staff, staff_client):
    membership = world.people["participant"].memberships.get()
    before = _snapshot()
    assert staff_client.get("/admin/organisations/membership/add/").status_code == 403
    url = f"/admin/organisations/membership/{membership.pk}/change/"
    assert staff_client.get(url).status_code == 200  # staff may look
    response = staff_client.post(
        url,
        {"user": membership.user_id, "organisation": membership.organisation_id, "role": "admin"},
    )
    assert response.status_code == 403
    response = staff_client.post(
        "/admin/organisations/membership/add/",
        {"user": staff.pk, "organisation": world.organisation.pk, "role": "facilitator"},
    )
    assert response.status_code == 403
    assert _snapshot() == before


def test_staff_cannot_take_over_an_account(world, staff, staff_client):
    """A new password or address for a member would be a way into their group's content."""
    participant = world.people["participant"]
    url = f"/admin/accounts/user/{participant.pk}/password/"
    response = staff_client.post(url, {"password1": "staff-knows-it-1", "password2": "x"})
    assert response.status_code == 403
    form = (
        staff_client.get(f"/admin/accounts/user/{participant.pk}/change/").context["adminform"].form
    )
    assert "email" not in form.fields
    participant.refresh_from_db()
    assert participant.check_password(f.PASSWORD)


def test_staff_never_see_or_add_an_authenticator_key(world, staff, staff_client):
    device = TOTPDevice.objects.create(
        user=world.people["privacy_officer"], name="Kring", confirmed=True
    )
    body = staff_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in body
    assert staff_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    # Removing a lost one is what staff are for.
    staff_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.exists()


def test_the_audit_log_in_the_admin_needs_a_second_factor_and_is_itself_logged(
    world, staff, staff_client
):
    assert staff_client.get("/admin/confidentiality/auditevent/").status_code == 403
    device = TOTPDevice.objects.create(user=staff, name="Kring", confirmed=True)
    staff_client.post("/privacy/2fa/verify/", {"token": f"{TOTP(device.bin_key).token():06d}"})
    assert staff_client.get("/admin/confidentiality/auditevent/").status_code == 200
    reading = AuditEvent.objects.get(actor=staff, event=AuditEvent.Event.READ)
    assert reading.capacity == AuditEvent.Capacity.PLATFORM_STAFF


def test_staff_cannot_point_a_groups_meeting_elsewhere(world, staff_client):
    page = staff_client.get(f"/admin/planning/meeting/{world.meeting.pk}/change/")
    body = page.content.decode()
    for field in ["online_link", "location", "starts_at", "mode"]:
        assert f'name="{field}' not in body, field


def test_staff_cannot_bring_a_withdrawn_case_back(world, staff_client):
    from kring.meetings.models import Case

    world.case.status = Case.Status.WITHDRAWN
    world.case.save()
    response = staff_client.post(
        f"/admin/meetings/case/{world.case.pk}/change/", {"status": Case.Status.OPEN}
    )
    assert response.status_code == 403
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.WITHDRAWN


def test_staff_cannot_hand_a_programme_to_another_organisation_or_firm(world, staff_client):
    body = staff_client.get(
        f"/admin/programmes/programme/{world.programme.pk}/change/"
    ).content.decode()
    assert 'name="organisation"' not in body
    assert 'name="run_by"' not in body


def test_staff_cannot_make_a_firm_work_for_a_client(world, staff_client):
    from kring.organisations.models import ClientRelation

    firm = f.OrganisationFactory(is_facilitation_firm=True)
    response = staff_client.post(
        "/admin/organisations/clientrelation/add/",
        {"firm": firm.pk, "client": world.organisation.pk},
    )
    assert response.status_code == 403
    assert not ClientRelation.objects.exists()
