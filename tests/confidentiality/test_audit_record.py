"""What one audit entry holds (NEN 7513), and where its client IP and request id come from."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from kring.confidentiality import audit
from kring.confidentiality.middleware import AuditContextMiddleware
from kring.confidentiality.models import AuditEvent


def _read_case_in_a_request(world, **headers):
    """A request through the middleware in which the facilitator reads the case."""
    request = RequestFactory().get("/cases/", **headers)

    def view(request):
        audit.record(
            AuditEvent.Event.READ,
            actor=world.people["facilitator"],
            capacity=AuditEvent.Capacity.FACILITATOR,
            targets=[audit.Target(world.case, world.case.presenter_id, world.organisation.pk)],
            description="case",
        )
        return HttpResponse("ok")

    response = AuditContextMiddleware(view)(request)
    return response, AuditEvent.objects.get()


def test_an_entry_records_who_did_what_in_which_capacity_with_whose_data(world):
    _, entry = _read_case_in_a_request(world, REMOTE_ADDR="192.0.2.7")
    facilitator, presenter = world.people["facilitator"], world.people["participant"]
    assert entry.event == AuditEvent.Event.READ
    assert (entry.object_type, entry.object_id) == ("meetings.case", str(world.case.pk))
    assert (entry.actor, entry.capacity) == (facilitator, AuditEvent.Capacity.FACILITATOR)
    assert entry.actor_label == f"#{facilitator.pk} Facilitator <facilitator@example.org>"
    assert entry.subject == presenter
    assert entry.subject_label == f"#{presenter.pk} Participant <participant@example.org>"
    assert entry.organisation == world.organisation
    assert entry.organisation_label == f"#{world.organisation.pk} Zorg Noord"
    assert entry.client_ip == "192.0.2.7"
    assert entry.description == "case"
    assert entry.at is not None


def test_a_sane_request_id_from_the_proxy_is_kept_and_sent_back(world):
    response, entry = _read_case_in_a_request(world, HTTP_X_REQUEST_ID="req-2026-abcdef12")
    assert entry.request_id == response["X-Request-ID"] == "req-2026-abcdef12"


def test_an_odd_request_id_is_replaced_by_a_generated_one(world):
    response, entry = _read_case_in_a_request(world, HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert entry.request_id == response["X-Request-ID"]
    assert len(entry.request_id) == 32 and entry.request_id.isalnum()


def test_forwarded_for_is_ignored_without_a_proxy(world, settings):
    settings.KRING_BEHIND_PROXY = False
    _, entry = _read_case_in_a_request(
        world, REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert entry.client_ip == "192.0.2.7"


def test_behind_a_proxy_the_address_it_saw_is_recorded(world, settings):
    settings.KRING_BEHIND_PROXY = True
    _, entry = _read_case_in_a_request(
        world, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert entry.client_ip == "203.0.113.9"  # the first hop was the client's own claim


def test_a_real_page_records_the_address_and_request_id(world, login):
    client = login(world.people["facilitator"])
    response = client.get(
        reverse("meetings:case_detail", kwargs={"case_id": world.case.pk}),
        REMOTE_ADDR="192.0.2.44",
    )
    entry = AuditEvent.objects.get(actor=world.people["facilitator"])
    assert entry.client_ip == "192.0.2.44"
    assert entry.request_id == response["X-Request-ID"]


def test_outside_a_request_an_entry_has_no_address(world):
    audit.record(
        AuditEvent.Event.EXPORT,
        actor=None,
        capacity=AuditEvent.Capacity.NONE,
        targets=[audit.Target(world.case, None, None)],
    )
    entry = AuditEvent.objects.get()
    assert (entry.client_ip, entry.request_id, entry.actor, entry.actor_label) == (
        None,
        "",
        None,
        "",
    )


def test_an_anonymous_actor_is_stored_as_no_actor(world):
    audit.record(
        AuditEvent.Event.REFUSED,
        actor=AnonymousUser(),
        capacity=AuditEvent.Capacity.NONE,
        targets=[audit.Target(world.case, world.case.presenter_id, world.organisation.pk)],
    )
    entry = AuditEvent.objects.get()
    assert (entry.actor, entry.actor_label, entry.event) == (None, "", "refused")


def test_many_targets_make_one_entry_each_in_one_chain(world):
    audit.record(
        AuditEvent.Event.READ,
        actor=world.people["participant"],
        capacity=AuditEvent.Capacity.AUTHOR,
        targets=[audit.Target(world.case, world.case.presenter_id, None)] * 3,
    )
    entries = list(AuditEvent.objects.order_by("id"))
    assert len(entries) == 3
    assert [e.previous_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert audit.verify_chain().intact
