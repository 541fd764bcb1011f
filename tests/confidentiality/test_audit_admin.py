"""Platform staff cannot change, add or delete a line of the audit log in the Django admin."""

import pytest

from kring.confidentiality import audit
from kring.confidentiality.models import AuditEvent
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def entry():
    case = CaseFactory()
    audit.record(
        AuditEvent.Event.READ,
        actor=case.presenter,
        capacity=AuditEvent.Capacity.AUTHOR,
        targets=[audit.Target(case, case.presenter_id, None)],
        description="case",
    )
    return AuditEvent.objects.get()


def test_the_admin_cannot_change_add_or_delete_entries(staff_client, entry):
    base = "/admin/confidentiality/auditevent/"
    changed = staff_client.post(f"{base}{entry.pk}/change/", {"description": "rewritten"})
    assert changed.status_code == 403
    assert staff_client.get(f"{base}add/").status_code == 403
    assert staff_client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.description == "case"
    assert audit.verify_chain().intact
