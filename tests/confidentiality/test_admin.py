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


def test_the_admin_does_not_show_the_kind_of_a_case(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    case = CaseFactory(kind="personal_theme")
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/admin/meetings/case/{case.pk}/change/").content.decode()
    assert "personal_theme" not in page
    assert "persoonlijk thema" not in page.lower() and "personal theme" not in page.lower()
