"""A query compiled once gives what the ORM gives, for every id it is run with."""

import pytest
from django.db.models import Count, F

from kring.core.prepared import PreparedQuery
from kring.planning.models import Meeting

pytestmark = pytest.mark.django_db

MEETING = PreparedQuery(
    lambda meeting_id: (
        Meeting.objects.select_related("group__programme__organisation")
        .defer("theme")
        .annotate(group_name=F("group__name"))
        .filter(pk=meeting_id)
    )
)


def test_the_same_instance_as_the_orm_for_each_id(world, zuid):
    for expected in (world.meeting, zuid.meeting):
        found = MEETING.get(expected.pk)
        assert found == expected and found.starts_at == expected.starts_at  # converted
        assert found.group.programme.organisation == expected.group.programme.organisation
        assert found.group_name == expected.group.name
        assert "theme" in found.get_deferred_fields()


def test_no_row_is_none(world):
    assert MEETING.get(world.meeting.pk + 10_000) is None


def test_a_query_must_take_the_id_once(world):
    twice = PreparedQuery(
        lambda meeting_id: Meeting.objects.filter(pk=meeting_id, group_id__lt=meeting_id)
    )
    with pytest.raises(ValueError):
        twice.get(world.meeting.pk)
    grouped = PreparedQuery(lambda meeting_id: Meeting.objects.annotate(n=Count("pk")))
    with pytest.raises(ValueError):
        grouped.get(world.meeting.pk)


@pytest.mark.django_db(transaction=True)
def test_compiled_once_for_every_thread(world, monkeypatch):
    """Under ASGI each request runs on a thread of its own: the query is compiled by the
    first and reused by the others, each reading through its own connection."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    query = PreparedQuery(lambda meeting_id: Meeting.objects.filter(pk=meeting_id))
    compiled = []
    compile_now = query._compile_now
    monkeypatch.setattr(
        query, "_compile_now", lambda using: compiled.append(using) or compile_now(using)
    )

    def read_and_close():
        try:
            return query.get(world.meeting.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as first:
        assert first.submit(read_and_close).result() == world.meeting
    with ThreadPoolExecutor(max_workers=1) as second:
        found = second.submit(read_and_close).result()
    assert found == world.meeting and found.starts_at == world.meeting.starts_at
    assert query.get(world.meeting.pk) == world.meeting
    assert compiled == ["default"]
