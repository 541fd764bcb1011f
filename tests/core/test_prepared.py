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
