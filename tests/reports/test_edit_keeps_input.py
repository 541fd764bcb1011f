"""The note taker (or the facilitator) edits the report in one form: a textarea per
section with its prompt; nothing typed is lost when the form comes back with an error."""

import pytest
from django.urls import reverse

from kring.reports.models import SECTION_MAX_LENGTH, Report

pytestmark = pytest.mark.django_db


def _post(client, report, **changes):
    data = {"updated": report.updated_at.isoformat(), **report.texts, **changes}
    return client.post(reverse("reports:edit", kwargs={"meeting_id": report.meeting_id}), data)


def test_the_edit_page_has_a_textarea_per_section_with_its_prompt(drafted, note_taker, login):
    page = login(note_taker).get(reverse("reports:edit", kwargs={"meeting_id": drafted.meeting_id}))
    body = page.content.decode()
    for section in drafted.format_version.localised_sections():
        assert f'name="{section["key"]}"' in body
        assert section["prompt"] in body
    assert body.count("<textarea") == len(drafted.format_version.sections)


def test_saving_a_draft_keeps_it_a_draft(drafted, note_taker, login):
    response = _post(login(note_taker), drafted, advice="Nieuw advies", save="1")
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.texts["advice"] == "Nieuw advies" and drafted.status == Report.Status.DRAFT


def test_submitting_from_the_form(drafted, note_taker, login):
    response = _post(login(note_taker), drafted, submit="1")
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.status == Report.Status.AWAITING_APPROVAL


def test_a_section_too_long_comes_back_with_everything_typed(drafted, note_taker, login):
    too_long = "x" * (SECTION_MAX_LENGTH + 1)
    response = _post(
        login(note_taker), drafted, advice=too_long, takeaways="TYPED-TAKEAWAY", submit="1"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "TYPED-TAKEAWAY" in body and too_long in body
    drafted.refresh_from_db()
    assert drafted.status == Report.Status.DRAFT and "TYPED-TAKEAWAY" not in drafted.texts.values()


def test_an_edit_over_someone_elses_newer_edit_is_refused_and_kept(
    drafted, note_taker, world, login
):
    from kring.reports import services

    opened = drafted.updated_at.isoformat()
    texts = dict(drafted.texts, advice="Advies van de begeleider")
    services.save_report(report=drafted, texts=texts, submit=False, by=world.people["facilitator"])
    response = login(note_taker).post(
        reverse("reports:edit", kwargs={"meeting_id": drafted.meeting_id}),
        {**texts, "updated": opened, "advice": "MY-OWN-ADVICE"},
    )
    assert response.status_code == 400
    assert "MY-OWN-ADVICE" in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.texts["advice"] == "Advies van de begeleider"


def test_other_members_read_but_do_not_edit(drafted, members, login):
    url = reverse("reports:edit", kwargs={"meeting_id": drafted.meeting_id})
    assert login(members[2]).get(url).status_code == 403
    assert (
        login(members[2])
        .get(reverse("reports:detail", kwargs={"meeting_id": drafted.meeting_id}))
        .status_code
        == 200
    )
