"""In-app notices: what awaits a person, a count in the header, read and read all."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from kring.notifications.models import Notice
from kring.planning import services as planning_services
from kring.programmes import services as programme_services
from kring.programmes.models import Programme


def _submit(world):
    Programme.objects.filter(pk=world.programme.pk).update(status=Programme.Status.DRAFT)
    world.programme.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        programme_services.change_status(
            programme=world.programme, to_status="submitted", by=world.people["coordinator"]
        )


def test_the_sponsor_is_told_by_mail_and_notice_when_a_plan_awaits_approval(
    world, login, run_tasks
):
    _submit(world)
    run_tasks()
    sponsor = world.people["sponsor"]
    assert [m.to[0] for m in mail.outbox] == [sponsor.email]
    assert mail.outbox[0].subject == "Het plan van “Intervisie Noord” wacht op je goedkeuring"
    notice = Notice.objects.get()
    assert notice.recipient == sponsor
    assert notice.text == "Het plan van aanpak van “Intervisie Noord” wacht op je goedkeuring."
    assert notice.link == reverse("programmes:detail", args=[world.programme.pk])


def test_the_header_counts_unread_notices(world, login):
    _submit(world)
    client = login(world.people["sponsor"])
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "1 nieuwe melding" in page
    other = login(world.people["participant"]).get(reverse("core:dashboard")).content.decode()
    assert "nieuwe melding" not in other


def test_the_header_count_costs_one_query(world, login, django_assert_num_queries):
    from django.test import RequestFactory

    from kring.notifications.context_processors import notices

    request = RequestFactory().get("/")
    request.user = world.people["sponsor"]
    with django_assert_num_queries(1):
        assert notices(request) == {"unread_notice_count": 0}


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(world, login):
    _submit(world)
    notice = Notice.objects.get()
    client = login(world.people["sponsor"])
    response = client.post(reverse("notifications:read", args=[notice.pk]), {"open": "1"})
    assert response.headers["Location"] == notice.link
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "nieuwe melding" not in client.get(reverse("notifications:notices")).content.decode()


def test_all_notices_are_marked_read_at_once(world, login):
    for kind in ["poll_awaits_answer", "kickoff_invitation"]:
        Notice.objects.create(recipient=world.people["participant"], kind=kind, params={})
    Notice.objects.create(recipient=world.people["other_participant"], kind="poll_awaits_answer")
    login(world.people["participant"]).post(reverse("notifications:read_all"))
    assert not Notice.objects.filter(recipient=world.people["participant"], read_at=None)
    assert Notice.objects.filter(recipient=world.people["other_participant"], read_at=None)


def test_another_persons_notice_is_not_found(world, zuid, login):
    notice = Notice.objects.create(recipient=world.people["participant"], kind="poll_awaits_answer")
    url = reverse("notifications:read", args=[notice.pk])
    for person in [world.people["coordinator"], zuid.people["zuid_coordinator"]]:
        assert login(person).post(url).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    page = login(world.people["coordinator"]).get(reverse("notifications:notices"))
    assert "wacht op je antwoord" not in page.content.decode()


def test_members_are_told_when_a_poll_awaits_their_answer(world):
    with TestCase.captureOnCommitCallbacks(execute=True):
        poll = planning_services.create_poll(
            group=world.group,
            title="Wanneer in maart?",
            starts=[world.meeting.starts_at],
            by=world.people["facilitator"],
        )
    notices = list(Notice.objects.filter(kind=Notice.Kind.POLL_AWAITS_ANSWER))
    # The member, not the facilitator who opened the poll, nor the other group.
    assert [n.recipient for n in notices] == [world.people["participant"]]
    assert (
        notices[0].text
        == "Groep Noord 1: de datumprikker “Wanneer in maart?” wacht op je antwoord."
    )
    assert notices[0].link == reverse("planning:poll", args=[poll.pk])
