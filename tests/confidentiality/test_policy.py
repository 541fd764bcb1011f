from datetime import date

from django.urls import reverse

from kring.confidentiality.policy import Action, can
from tests.factories import GroupMembershipFactory


def test_a_former_member_loses_access_to_the_content(world, login):
    membership = world.group.memberships.get(user=world.people["participant"])
    membership.left_on = date(2027, 3, 1)
    membership.save()
    assert not can(world.people["participant"], Action.VIEW_CASE, world.case)
    response = login(world.people["participant"]).get(
        reverse("meetings:case_detail", kwargs={"case_id": world.case.pk})
    )
    assert response.status_code == 404


def test_a_facilitator_reads_only_while_assigned(world):
    facilitator = world.people["facilitator"]
    assert can(facilitator, Action.VIEW_CASE, world.case)
    world.group.facilitator = world.people["other_facilitator"]
    world.group.save()
    assert not can(facilitator, Action.VIEW_CASE, world.case)
    assert can(world.people["other_facilitator"], Action.VIEW_CASE, world.case)


def test_a_new_member_reads_the_group_content(world):
    newcomer = world.people["other_participant"]
    assert not can(newcomer, Action.VIEW_CASE, world.case)
    GroupMembershipFactory(group=world.group, user=newcomer)
    assert can(newcomer, Action.VIEW_CASE, world.case)


def test_an_inactive_account_can_do_nothing(world):
    participant = world.people["participant"]
    participant.is_active = False
    assert not can(participant, Action.VIEW_CASE, world.case)
    assert not can(participant, Action.VIEW_GROUP, world.group)


def test_a_line_manager_sees_the_participation_of_own_reports_only(world, login):
    body = login(world.people["line_manager"]).get(reverse("core:dashboard")).content.decode()
    assert "<td>Participant</td>" in body  # their direct report
    assert "Other Participant" not in body
    assert "Intervisie Noord" in body
    assert world.group.name not in body  # the status, not the group or its content


def test_nobody_but_the_author_reads_a_learning_log(world, login):
    for role in ["facilitator", "coordinator", "admin", "line_manager", "other_participant"]:
        assert not can(world.people[role], Action.VIEW_LEARNING_LOG, world.log_entry)
        body = login(world.people[role]).get(reverse("meetings:learning_log")).content.decode()
        assert "SECRET-LOG-ENTRY" not in body
    assert can(world.people["participant"], Action.VIEW_LEARNING_LOG, world.log_entry)
