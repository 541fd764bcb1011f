"""Factories for test data: one obvious way to make each model."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from kring.groups.models import GroundRule, GroundRuleSet, Group, GroupMembership
from kring.meetings.models import Case, LearningLogEntry
from kring.organisations.models import Department, FunctionLevel, Location, Membership, Organisation
from kring.planning.models import Meeting
from kring.programmes.models import Programme, ProgrammeRole

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Location {n}")


class FunctionLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunctionLevel

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Level {n}")
    rank = factory.Sequence(lambda n: n + 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Programme {n}")
    status = Programme.Status.RUNNING
    reason = "Plan reason: learn from each other"
    starts_on = date(2027, 1, 1)
    ends_on = date(2027, 12, 31)


class ProgrammeRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeRole

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)
    role = ProgrammeRole.Role.PARTICIPANT


class GroundRuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroundRuleSet

    name = factory.Sequence(lambda n: f"Ground rules {n}")


class GroundRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroundRule

    rule_set = factory.SubFactory(GroundRuleSetFactory)
    text = "What is said in the group stays in the group."


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    ground_rule_set = factory.SubFactory(GroundRuleSetFactory)


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    joined_on = date(2027, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    starts_at = datetime.combine(date(2027, 2, 1), time(14), tzinfo=ZoneInfo("Europe/Amsterdam"))
    location = "Room 1"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    group = factory.SubFactory(GroupFactory)
    presenter = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"SECRET-CASE-TITLE-{n}")
    situation = "SECRET-CASE-DESCRIPTION about a client"


class LearningLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningLogEntry

    author = factory.SubFactory(UserFactory)
    text = "SECRET-LOG-ENTRY what I learned"
