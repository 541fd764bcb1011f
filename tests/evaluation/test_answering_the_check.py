from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kring.evaluation.models import CheckAnswer, CheckParticipation
from kring.planning.models import Attendance
from tests import factories as f


def _url(meeting):
    return reverse("evaluation:answer", kwargs={"meeting_id": meeting.pk})


def test_a_member_who_was_there_sees_one_short_page_with_two_labelled_rating_groups(
    held, members, login
):
    response = login(members[0]).get(_url(held))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('type="radio"') == 10
    assert "<legend>Hoe nuttig was deze bijeenkomst voor jou?</legend>" in body
    assert "<legend>Hoe veilig voelde je je om vrijuit te spreken?</legend>" in body
    assert "<script" not in body.split("<main", 1)[-1].split("</main>", 1)[0]


def test_an_answer_is_saved_without_who_gave_it(held, members, answer):
    response = answer(members[0], held, usefulness="4", safety="2", remark="Fijn gesprek")
    assert response.status_code == 302
    saved = CheckAnswer.objects.get()
    assert (saved.meeting, saved.usefulness, saved.safety, saved.remark) == (
        held,
        4,
        2,
        "Fijn gesprek",
    )
    # The answer knows no person and no time; the participation knows only "answered".
    fields = {field.name for field in CheckAnswer._meta.get_fields()}
    assert fields == {"id", "meeting", "usefulness", "safety", "remark"}
    assert CheckParticipation.objects.get(user=members[0], meeting=held).answered


def test_the_remark_is_encrypted_in_the_database(held, members, answer):
    from django.db import connection

    answer(members[0], held, remark="Heel persoonlijk")
    with connection.cursor() as cursor:
        cursor.execute("SELECT remark FROM evaluation_checkanswer")
        (stored,) = cursor.fetchone()
    assert "Heel persoonlijk" not in stored


def test_answer_keys_do_not_reveal_the_order_of_answering(held, members, answer):
    for user in members[:3]:
        answer(user, held)
    keys = list(CheckAnswer.objects.values_list("id", flat=True))
    assert all(key.version == 4 for key in keys)
    assert keys == sorted(keys)  # listed by random key, not by when they came in


def test_a_second_attempt_says_it_is_already_given_and_stores_nothing(held, members, answer):
    answer(members[0], held)
    response = answer(members[0], held, usefulness="1")
    assert CheckAnswer.objects.count() == 1
    page = response.client.get(_url(held)).content.decode()
    assert "Je hebt je check voor deze bijeenkomst al gegeven." in page


def test_a_missing_rating_gets_a_dutch_error_and_keeps_the_remark(held, members, answer):
    response = answer(members[0], held, usefulness="", remark="Mijn opmerking")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kies hoe nuttig de bijeenkomst was, van 1 tot 5." in body
    assert "Mijn opmerking" in body
    assert CheckAnswer.objects.count() == 0


def test_a_rating_outside_1_to_5_is_refused(held, members, answer):
    response = answer(members[0], held, usefulness="9")
    assert response.status_code == 400
    assert CheckAnswer.objects.count() == 0


def test_a_member_recorded_absent_cannot_answer(held, members, answer):
    response = answer(members[3], held)
    assert response.status_code == 403
    assert CheckAnswer.objects.count() == 0


def test_the_facilitator_does_not_answer(held, world, answer):
    assert answer(world.people["facilitator"], held).status_code == 403


def test_before_the_meeting_has_ended_there_is_no_check(world, members, answer):
    soon = f.MeetingFactory(group=world.group, starts_at=timezone.now() + timedelta(hours=1))
    assert answer(members[0], soon).status_code == 403


def test_without_recorded_attendance_everyone_not_reported_absent_answers(world, members, answer):
    ended = f.MeetingFactory(group=world.group, starts_at=timezone.now() - timedelta(hours=5))
    Attendance.objects.create(meeting=ended, user=members[1], status="absent_notice")
    assert answer(members[0], ended).status_code == 302
    assert answer(members[1], ended).status_code == 403


def test_a_cancelled_meeting_has_no_check(world, members, answer):
    ended = f.MeetingFactory(
        group=world.group, starts_at=timezone.now() - timedelta(days=2), status="cancelled"
    )
    assert answer(members[0], ended).status_code == 403
