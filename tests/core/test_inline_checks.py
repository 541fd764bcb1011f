"""Inline validation: a field of the plan or the registration form is checked as soon as it
changes, in the person's language, and nothing is saved by a check."""

import pytest
from django.urls import reverse

from kring.programmes.models import Programme
from tests.programmes.test_plan import _plan_data

pytestmark = pytest.mark.django_db

CHECK = {"HTTP_HX_REQUEST": "true"}


def _check(client, url, field, data):
    return client.post(url, data, HTTP_X_KRING_CHECK=field, **CHECK)


@pytest.fixture
def draft_url(world):
    world.programme.status = Programme.Status.DRAFT
    world.programme.save()
    return reverse("programmes:plan_edit", kwargs={"programme_id": world.programme.pk})


def test_the_plan_form_asks_for_a_check_of_each_field_as_it_changes(world, login, draft_url):
    body = login(world.people["coordinator"]).get(draft_url).content.decode()
    assert 'id="id_group_size_max_field" hx-post=""' in body
    assert '"X-Kring-Check": "group_size_max"' in body


def test_a_check_answers_with_the_one_field_and_its_dutch_error(world, login, draft_url):
    client = login(world.people["coordinator"])
    response = _check(
        client, draft_url, "group_size_max", _plan_data(group_size_min="8", group_size_max="6")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="field" id="id_group_size_max_field"')
    assert "De grootste groep kan niet kleiner zijn dan de kleinste." in html
    assert "id_title" not in html  # only the field that changed


def test_a_field_that_is_right_comes_back_without_an_error(world, login, draft_url):
    client = login(world.people["coordinator"])
    html = _check(client, draft_url, "title", _plan_data(group_size_min="2")).content.decode()
    assert 'id="id_title"' in html and "errorlist" not in html  # other fields' errors wait


def test_a_check_saves_nothing(world, login, draft_url):
    client = login(world.people["coordinator"])
    _check(client, draft_url, "title", _plan_data(title="Een andere titel"))
    world.programme.refresh_from_db()
    assert world.programme.title == "Intervisie Noord"


def test_a_check_of_a_field_the_form_does_not_have_is_refused(world, login, draft_url):
    client = login(world.people["coordinator"])
    assert _check(client, draft_url, "is_superuser", _plan_data()).status_code == 400


@pytest.mark.parametrize("role", ["participant", "sponsor", "other_admin", "outsider"])
def test_only_who_may_edit_the_plan_can_have_its_fields_checked(world, login, draft_url, role):
    response = _check(login(world.people[role]), draft_url, "title", _plan_data())
    assert response.status_code in {403, 404}
    assert b"hx-post" not in response.content


def test_the_registration_form_checks_an_address_as_it_is_typed(world, client):
    world.programme.status = Programme.Status.REGISTRATION_OPEN
    world.programme.registration_token = "open-token-for-checks"
    world.programme.visibility = Programme.Visibility.OPEN
    world.programme.save()
    url = reverse("programmes:page", kwargs={"token": "open-token-for-checks"})
    page = client.get(url).content.decode()
    assert '"X-Kring-Check": "email"' in page
    html = _check(client, url, "email", {"email": "geen-adres"}).content.decode()
    assert 'id="id_email_field"' in html and "Voer een geldig e-mailadres in." in html
    assert world.programme.registrations.count() == 0
