import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_page_answers_in_dutch(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_a_forbidden_page_answers_in_dutch(world, login):
    # A member of the group on the facilitator's attendance page of that group.
    response = login(world.people["participant"]).get(
        f"/planning/groups/{world.group.pk}/attendance/"
    )
    assert response.status_code == 403
    assert "Je hebt geen toegang tot deze pagina" in response.content.decode()


def test_the_server_error_page_needs_nothing_but_itself(rf):
    from kring.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_a_missing_page_is_kring_own_dutch_page_also_with_debug_on(world, login, settings):
    settings.DEBUG = True
    response = login(world.people["participant"]).get("/groups/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Django tried these URL patterns" not in body
    assert "bestaat niet, of is niet voor jou bedoeld" in body


def test_an_address_no_page_has_is_kring_own_dutch_page_also_with_debug_on(client, settings):
    settings.DEBUG = True
    response = client.get("/bestaat-niet/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Django tried these URL patterns" not in body
    assert "Pagina niet gevonden" in body


def test_an_address_without_its_slash_still_finds_its_page_with_debug_on(client, settings):
    settings.DEBUG = True
    response = client.get("/accounts/login")
    assert response.status_code == 301
    assert response["Location"] == "/accounts/login/"
