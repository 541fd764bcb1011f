import pytest
from django.contrib import admin

from kring.meetings.models import LearningLogEntry
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_never_shows_case_content(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    case = CaseFactory(title="SECRET-CASE-TITLE-admin", situation="SECRET-CASE-DESCRIPTION")
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    for url in ["/admin/meetings/case/", f"/admin/meetings/case/{case.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "SECRET-" not in response.content.decode()


def test_learning_logs_are_not_in_the_admin():
    assert not admin.site.is_registered(LearningLogEntry)
