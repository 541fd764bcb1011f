from django.urls import reverse

from kring.confidentiality.models import AuditEvent
from kring.evaluation.models import CheckAnswer


def test_giving_a_check_leaves_no_audit_entry_that_names_the_answer(held, members, answer):
    answer(members[0], held, remark="Niemand mag weten dat dit van mij is")
    key = str(CheckAnswer.objects.get().pk)
    assert not AuditEvent.objects.filter(object_id=key).exists()


def test_reading_the_results_is_audited_and_a_refusal_too(held, members, answer, login, world):
    for user in members[:3]:
        answer(user, held)
    url = reverse("evaluation:results", kwargs={"meeting_id": held.pk})
    login(world.people["facilitator"]).get(url)
    reads = AuditEvent.objects.filter(event="read", actor=world.people["facilitator"])
    assert reads.count() == 3  # one entry per answer read, none naming its author
    assert set(reads.values_list("subject_id", flat=True)) == {None}
    login(world.people["coordinator"]).get(url)
    assert AuditEvent.objects.filter(event="refused", actor=world.people["coordinator"]).exists()
