"""The organisation's audit log in the app: its privacy officer only, after a second factor."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.confidentiality import audit
from kring.confidentiality.log_views import EXPORT_COLUMNS
from kring.confidentiality.models import AuditEvent
from kring.organisations.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

LOG = "/privacy/log/zorg-noord/"
EXPORT = "/privacy/log/zorg-noord/export.csv"
Event = AuditEvent.Event
Capacity = AuditEvent.Capacity


def verified_login(login, user):
    """Log in and pass the second factor, as a person with an authenticator app would."""
    device = TOTPDevice.objects.create(user=user, name="Kring", confirmed=True)
    client = login(user)
    code = f"{TOTP(device.bin_key).token():06d}"
    response = client.post("/privacy/2fa/verify/", {"token": code})
    assert response.status_code == 302
    return client


def record_case_read(world, *, description="", reader=None):
    audit.record(
        Event.READ,
        actor=reader or world.people["facilitator"],
        capacity=Capacity.FACILITATOR,
        targets=[
            audit.Target(
                obj=world.case,
                subject_id=world.people["participant"].pk,
                organisation_id=world.organisation.pk,
            )
        ],
        description=description,
    )


def record_other_organisation_event(world, *, description):
    audit.record(
        Event.CHANGE,
        actor=world.people["other_admin"],
        capacity=Capacity.ADMIN,
        targets=[
            audit.Target(
                obj=world.other_organisation,
                subject_id=None,
                organisation_id=world.other_organisation.pk,
            )
        ],
        description=description,
    )


def test_without_a_device_the_privacy_officer_is_sent_to_set_one_up(world, login):
    client = login(world.people["privacy_officer"])
    for url in [LOG, EXPORT]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/privacy/2fa/setup/?next=")
    assert not AuditEvent.objects.filter(capacity=Capacity.PRIVACY_OFFICER).exists()


def test_with_a_device_but_not_this_session_the_officer_is_asked_for_a_code(world, login):
    officer = world.people["privacy_officer"]
    TOTPDevice.objects.create(user=officer, name="Kring", confirmed=True)
    response = login(officer).get(LOG)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/privacy/2fa/verify/?next=")


def test_the_verified_officer_sees_their_organisations_entries_only(world, login):
    record_case_read(world, description="north-entry")
    record_other_organisation_event(world, description="south-entry")
    response = verified_login(login, world.people["privacy_officer"]).get(LOG)
    assert response.status_code == 200
    body = response.content.decode()
    assert "north-entry" in body
    assert "facilitator@example.org&gt;" in body  # the acting person's label
    assert "south-entry" not in body


def test_a_privacy_officer_of_another_organisation_finds_no_log(world, login):
    officer = f.UserFactory(email="po-zuid@example.org")
    f.MembershipFactory(
        user=officer, organisation=world.other_organisation, role=Membership.Role.PRIVACY_OFFICER
    )
    client = verified_login(login, officer)
    assert client.get(LOG).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert client.get(f"/privacy/log/{world.other_organisation.slug}/").status_code == 200


@pytest.mark.parametrize("role", ["coordinator", "admin", "facilitator", "participant"])
def test_other_roles_of_the_organisation_find_no_log_even_with_a_second_factor(role, world, login):
    record_case_read(world, description="north-entry")
    client = verified_login(login, world.people[role])
    before = AuditEvent.objects.count()
    for url in [LOG, EXPORT]:
        response = client.get(url)
        assert response.status_code == 404
        assert "north-entry" not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_a_deactivated_privacy_officer_finds_no_log(world, login):
    officer = world.people["privacy_officer"]
    client = verified_login(login, officer)
    Membership.objects.filter(user=officer).update(is_active=False)
    assert client.get(LOG).status_code == 404


def test_reading_the_log_is_itself_recorded(world, login):
    officer = world.people["privacy_officer"]
    client = verified_login(login, officer)
    client.get(LOG, {"event": "read"})
    entry = AuditEvent.objects.get(actor=officer)
    assert entry.event == Event.READ
    assert entry.capacity == Capacity.PRIVACY_OFFICER
    assert entry.organisation == world.organisation
    assert (entry.object_type, entry.object_id) == (
        "organisations.organisation",
        str(world.organisation.pk),
    )
    assert "event=read" in entry.description
    # The page shows its own reading too: the officer is audited like everyone else.
    assert "audit log page 1" in client.get(LOG).content.decode()


def test_the_export_is_recorded_and_every_cell_is_neutralised(world, login):
    officer = world.people["privacy_officer"]
    record_case_read(world, description='=HYPERLINK("https://evil.example","klik")')
    response = verified_login(login, officer).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, *entries = rows
    assert len(header) == len(EXPORT_COLUMNS)
    column = [name for name, _label in EXPORT_COLUMNS].index("description")
    descriptions = [row[column] for row in entries]
    assert '\'=HYPERLINK("https://evil.example","klik")' in descriptions
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    export = AuditEvent.objects.get(actor=officer, event=Event.EXPORT)
    assert export.capacity == Capacity.PRIVACY_OFFICER
    assert export.organisation == world.organisation


def test_the_log_filters_by_event_person_and_date(world, login):
    record_case_read(world, description="read-by-facilitator")
    record_case_read(world, description="read-by-participant", reader=world.people["participant"])
    audit.record(
        Event.REFUSED,
        actor=world.people["coordinator"],
        capacity=Capacity.COORDINATOR,
        targets=[audit.Target(world.case, world.people["participant"].pk, world.organisation.pk)],
        description="refused-coordinator",
    )
    client = verified_login(login, world.people["privacy_officer"])

    body = client.get(LOG, {"event": "refused"}).content.decode()
    assert "refused-coordinator" in body and "read-by-facilitator" not in body

    body = client.get(LOG, {"person": world.people["facilitator"].pk}).content.decode()
    assert "read-by-facilitator" in body
    assert "read-by-participant" not in body and "refused-coordinator" not in body

    # Whose data it is counts too: all three entries are about the participant's case.
    body = client.get(LOG, {"person": world.people["participant"].pk}).content.decode()
    assert all(text in body for text in ["read-by-", "refused-coordinator"])

    yesterday = timezone.localdate() - timedelta(days=1)
    body = client.get(LOG, {"date_to": yesterday.isoformat()}).content.decode()
    assert "read-by-facilitator" not in body
    body = client.get(LOG, {"date_from": timezone.localdate().isoformat()}).content.decode()
    assert "read-by-facilitator" in body

    rows = list(csv.reader(io.StringIO(client.get(EXPORT, {"event": "refused"}).content.decode())))
    assert [row for row in rows[1:] if "refused-coordinator" in row] and len(rows) == 2


def test_extreme_dates_in_the_filter_are_form_errors(world, login):
    client = verified_login(login, world.people["privacy_officer"])
    for value in ["9999-12-31", "0001-01-01"]:
        assert client.get(LOG, {"date_to": value}).status_code == 200
        assert client.get(EXPORT, {"date_from": value}).status_code == 200


def test_the_log_is_paginated(world, login):
    audit.record(
        Event.READ,
        actor=world.people["facilitator"],
        capacity=Capacity.FACILITATOR,
        targets=[
            audit.Target(world.case, world.people["participant"].pk, world.organisation.pk)
            for _ in range(60)
        ],
        description="many-reads",
    )
    client = verified_login(login, world.people["privacy_officer"])
    first = client.get(LOG).content.decode()
    second = client.get(LOG, {"page": 2}).content.decode()
    # Each look at the log is the newest entry: page 1 holds it and 49 of the reads; when
    # page 2 is asked for, two readings stand before the reads, so 12 reads are left for it.
    assert first.count("many-reads") == 49
    assert second.count("many-reads") == 12


def test_the_menu_leads_the_privacy_officer_and_nobody_else_to_the_log(world, login):
    assert LOG in login(world.people["privacy_officer"]).get("/").content.decode()
    for role in ["admin", "coordinator", "participant"]:
        assert LOG not in login(world.people[role]).get("/").content.decode()


def test_the_organisation_admin_can_invite_and_appoint_a_privacy_officer(world, login):
    client = login(world.people["admin"])
    response = client.post(
        "/organisations/zorg-noord/people/invite/",
        {"email": "fg@example.org", "full_name": "Functionaris", "role": "privacy_officer"},
    )
    assert response.status_code == 302
    assert world.organisation.invitations.get(email="fg@example.org").role == "privacy_officer"
    membership = world.people["outsider"].memberships.get()
    response = client.post(
        f"/organisations/zorg-noord/people/{membership.pk}/",
        {"role": "privacy_officer", "extra_attributes_text": ""},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.PRIVACY_OFFICER
