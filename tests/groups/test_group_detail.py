from django.urls import reverse

from tests.factories import GroundRuleFactory


def _detail(client, group):
    return client.get(reverse("groups:detail", kwargs={"group_id": group.pk})).content.decode()


def test_a_participant_sees_members_meetings_and_ground_rules(world, login):
    body = _detail(login(world.people["participant"]), world.group)
    assert "Participant" in body
    assert "What is said in the group stays in the group." in body
    assert reverse("planning:meeting_detail", kwargs={"meeting_id": world.meeting.pk}) in body


def test_accepting_the_ground_rules_shows_on_the_member_list(world, login):
    client = login(world.people["participant"])
    assert "Ik accepteer deze spelregels" in _detail(client, world.group)
    client.post(reverse("groups:accept_ground_rules", kwargs={"group_id": world.group.pk}))
    body = _detail(client, world.group)
    assert "spelregels geaccepteerd" in body
    assert "Ik accepteer deze spelregels" not in body


def test_a_new_rule_asks_everyone_to_accept_again(world, login):
    client = login(world.people["participant"])
    client.post(reverse("groups:accept_ground_rules", kwargs={"group_id": world.group.pk}))
    rules = world.group.ground_rule_set
    GroundRuleFactory(rule_set=rules, text="Geen telefoons op tafel.")
    rules.revision += 1
    rules.save()
    assert "Ik accepteer deze spelregels" in _detail(client, world.group)
