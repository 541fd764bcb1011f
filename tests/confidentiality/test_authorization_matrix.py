"""Every URL against every role: allowed or denied, and no content where it is denied.

A URL pattern the matrix does not know fails `test_every_url_is_in_the_matrix`, so new
URLs join the matrix when they are added.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kring.accounts.services import invite_member

ROLES = [
    "anonymous",
    "participant",
    "other_participant",
    "facilitator",
    "other_facilitator",
    "coordinator",
    "sponsor",
    "line_manager",
    "admin",
    "outsider",
    "other_admin",
    "privacy_officer",
]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
CONTENT_MARKER = "SECRET-"

# Outcomes: "ok" (2xx/3xx, not sent to the login page), "login" (sent to log in),
# "403" (the page exists but is not for you), "404" (does not exist for you).


@dataclass
class Rule:
    kwargs: object = lambda world: {}  # noqa: E731
    method: str = "get"
    data: dict = field(default_factory=dict)
    ok: set = field(default_factory=set)
    forbidden: set = field(default_factory=set)  # in the organisation, not allowed: 403
    sees_content: set = field(default_factory=set)  # roles whose page shows content
    # What someone not signed in gets when not in `ok`: sent to log in, or (a page that
    # needs no account but something else, as the room screen's pairing) 404.
    anonymous: str = "login"

    def expected(self, role):
        if role == "privacy_officer" and role not in self.ok | self.forbidden:
            # Beyond the audit log, the privacy officer is a member without a programme role.
            role = "outsider"
        if role in self.ok:
            return "ok"
        if role == "anonymous":
            return self.anonymous
        if role in self.forbidden:
            return "403"
        return "404"


def _invitation_token(world):
    invitation = invite_member(
        organisation=world.organisation,
        email="new.person@example.org",
        full_name="New Person",
        role="member",
        by=world.people["admin"],
    )
    return {"token": invitation.token}


def _address_confirmation(world):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from kring.accounts.services import address_confirmation_tokens
    from tests.factories import UserFactory

    unconfirmed = UserFactory(email="self.registered@example.org", email_verified_at=None)
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(unconfirmed.pk)),
        "token": address_confirmation_tokens.make_token(unconfirmed),
    }


def _first_password(world):
    """The link in a mail to an imported member who never chose a password."""
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from kring.accounts.services import first_password_tokens
    from tests.factories import UserFactory

    imported = UserFactory(email="imported.member@example.org", email_verified_at=None)
    imported.set_unusable_password()
    imported.save()
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(imported.pk)),
        "token": first_password_tokens.make_token(imported),
    }


def _registration(world):
    from kring.programmes.models import Registration

    registration, _ = Registration.objects.get_or_create(
        programme=world.programme, user=world.people["participant"]
    )
    return {"registration_id": registration.pk}


def _registration_token(world):
    world.programme.registration_token = "open-sesame-token"
    world.programme.save()
    return {"token": world.programme.registration_token}


def _manager_token(world):
    from kring.programmes.models import Registration
    from kring.registrations import services as registration_services

    registration = Registration.objects.create(
        programme=world.programme,
        user=world.people["other_participant"],
        line_manager=world.people["line_manager"],
    )
    return {"token": registration_services.issue_manager_token(registration)}


def _proposal(world):
    from kring.groups.composition import default_rules
    from kring.groups.models import Proposal

    proposal = Proposal.objects.create(
        programme=world.programme,
        # Several rules (the proposal and its progress) each make one on the same world.
        number=Proposal.objects.filter(programme=world.programme).count() + 1,
        rules=default_rules(world.programme),
        status=Proposal.Status.READY,
        created_by=world.people["coordinator"],
    )
    return {"proposal_id": proposal.pk}


def _assignment(world):
    assignment = world.programme.preparation_assignments.create(
        text="Bedenk een casus", due_on="2027-01-10"
    )
    return {"assignment_id": assignment.pk}


def _poll(world):
    from kring.planning import services as planning_services

    poll = planning_services.create_poll(
        group=world.group,
        title="Wanneer?",
        starts=[world.meeting.starts_at, world.meeting.ends_at],
        by=world.people["facilitator"],
    )
    return poll


def _run(world):
    from kring.planning.models import PlanningRun

    run = PlanningRun.objects.create(
        programme=world.programme, rules={}, created_by=world.people["coordinator"]
    )
    return {"run_id": run.pk}


def _withdrawn_case(world):
    from kring.meetings.models import Case

    case = Case.objects.create(
        group=world.group,
        presenter=world.people["participant"],
        title="SECRET-withdrawn",
        status=Case.Status.WITHDRAWN,
    )
    return {"case_id": case.pk}


def _second_case(world):
    from tests.factories import CaseFactory

    return CaseFactory(group=world.group, presenter=world.people["participant"])


def _chosen_case(world):
    """The participant's case, chosen for the world's meeting."""
    from kring.meetings.models import MeetingCase

    MeetingCase.objects.get_or_create(meeting=world.meeting, case=world.case, how="volunteered")
    return {"meeting_id": world.meeting.pk, "case_id": world.case.pk}


def _case_vote(world):
    """A vote open on the world's meeting, between two cases of the backlog."""
    from kring.meetings.models import CaseVote

    _second_case(world)
    CaseVote.objects.get_or_create(meeting=world.meeting)
    return {"meeting_id": world.meeting.pk, "case_id": world.case.pk}


def _closable_vote(world):
    return {"meeting_id": _case_vote(world)["meeting_id"]}


def _two_cases(world):
    _second_case(world)
    return {"meeting_id": world.meeting.pk}


def _role_swap(world):
    """A member of the group asks the participant to swap roles."""
    from kring.meetings.models import RoleAssignment, RoleSwap
    from tests.factories import GroupMembershipFactory, UserFactory

    group, meeting, asked = world.group, world.meeting, world.people["participant"]
    asker = UserFactory()
    GroupMembershipFactory(group=group, user=asker)
    RoleAssignment.objects.create(meeting=meeting, user=asker, role="timekeeper")
    swap = RoleSwap.objects.create(meeting=meeting, asked_by=asker, asked=asked)
    return {"swap_id": swap.pk}


def _feed_token(world):
    from kring.planning import services as planning_services

    return {"token": planning_services.reset_calendar_token(user=world.people["participant"])}


def _kickoff(world):
    """The participants' kick-off, with its audience invited."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kring.kickoffs import services as kickoff_services

    kickoff = kickoff_services.plan_kickoff(
        programme=world.programme,
        audience="participants",
        starts_at=datetime(2027, 2, 1, 15, 0, tzinfo=ZoneInfo("Europe/Amsterdam")),
        duration_minutes=90,
        location="Aula",
        video_link="",
        by=world.people["coordinator"],
    )
    kickoff_services.send_invitations(kickoff=kickoff, by=world.people["coordinator"])
    # One of the audience is not invited yet (a facilitator, who sees the kick-off anyway),
    # so that inviting has something to do.
    kickoff.invitations.filter(user=world.people.get("other_facilitator")).delete()
    return {"kickoff_id": kickoff.pk}


def _message(world):
    message = world.programme.messages.create(
        send_on="2027-01-15", audience="participants", subject="Aankondiging"
    )
    return {"message_id": message.pk}


def _notice(world):
    from kring.notifications.models import Notice

    notice = Notice.objects.create(
        recipient=world.people["participant"], kind="poll_awaits_answer", params={}
    )
    return {"notice_id": notice.pk}


def _held_meeting(world):
    """Yesterday's meeting of group 1, held, the participant present: its check is open."""
    from datetime import timedelta

    from django.utils import timezone

    from kring.planning.models import Attendance, Meeting
    from tests.factories import MeetingFactory

    meeting = Meeting.objects.filter(group=world.group, status=Meeting.Status.HELD).first()
    if meeting is None:
        meeting = MeetingFactory(
            group=world.group,
            starts_at=timezone.now() - timedelta(days=1),
            status=Meeting.Status.HELD,
        )
        Attendance.objects.create(
            meeting=meeting, user=world.people["participant"], status="present"
        )
    return {"meeting_id": meeting.pk}


def _method(world):
    """The organisation's own copy of a built-in method."""
    from kring.methods import services as method_services
    from kring.methods.models import Method

    organisation, coordinator = world.organisation, world.people["coordinator"]
    copy = method_services.copy_method(
        method=Method.objects.get(builtin_key="six-step", organisation=None),
        organisation=organisation,
        by=coordinator,
    )
    return {"method_id": copy.pk}


def _kept_record(world, key="six-step"):
    """The meeting's record, kept by the participant as its note taker, with a question
    (the content marker) in the method's question round."""
    from kring.meetings.models import RoleAssignment
    from kring.methods.models import Method
    from kring.records import services as record_services

    meeting = world.meeting
    meeting.method_version = Method.objects.get(builtin_key=key, organisation=None).current
    meeting.save()
    participant = world.people["participant"]
    RoleAssignment.objects.get_or_create(meeting=meeting, user=participant, role="note_taker")
    record = record_services.record_for(meeting)
    question = record_services.add_input(
        record=record,
        by=participant,
        kind="questions",
        phase=record_services.phase_for(record, "questions"),
        text="SECRET-question",
    )
    return {"meeting_id": meeting.pk, "input_id": question.pk}


def _record_meeting(world, key="six-step"):
    return {"meeting_id": _kept_record(world, key)["meeting_id"]}


def _record_input(world):
    return {"input_id": _kept_record(world)["input_id"]}


def _action_point(world):
    """The participant's action point of an earlier meeting, reviewed at world.meeting."""
    from datetime import timedelta

    from kring.meetings.models import RoleAssignment
    from kring.methods.models import Method
    from kring.planning.models import Meeting
    from kring.records import services as record_services
    from tests.factories import MeetingFactory

    participant = world.people["participant"]
    earlier = MeetingFactory(
        group=world.group,
        starts_at=world.meeting.starts_at - timedelta(weeks=6),
        status=Meeting.Status.HELD,
        method_version=Method.objects.get(builtin_key="incident", organisation=None).current,
    )
    RoleAssignment.objects.create(meeting=earlier, user=participant, role="presenter")
    record = record_services.record_for(earlier)
    point = record_services.add_input(
        record=record,
        by=participant,
        kind="action_points",
        phase=record_services.phase_for(record, "action_points"),
        text="SECRET-action point",
        author=participant,
    )
    return {"meeting_id": world.meeting.pk, "input_id": point.pk}


def _live_meeting(world, *, started=True, phase=1, meeting=None):
    """world.meeting (or `meeting`) run live with the six-step method, led by the group's
    facilitator (the participant takes part without a role), at `phase`."""
    from kring.live import services as live_services
    from kring.methods.models import Method

    meeting = meeting or world.meeting
    meeting.method_version = Method.objects.get(builtin_key="six-step", organisation=None).current
    meeting.save()
    session = live_services.session_for(meeting)
    if started and session.state == session.State.NOT_STARTED:  # not already by another rule
        facilitator = meeting.group.facilitator
        session = live_services.start_session(meeting=meeting, by=facilitator)
        for number in range(1, phase):
            session = live_services.advance(session=session, by=facilitator, from_phase=number)
    return {"meeting_id": meeting.pk}


def _live_input(world):
    """The participant's own question, sent from their device in the live question round."""
    import uuid
    from datetime import timedelta

    from kring.records import services as record_services
    from tests.factories import MeetingFactory

    # A meeting of its own: other rules change world.meeting (the private markers test
    # makes every rule's objects in one world).
    meeting = MeetingFactory(
        group=world.group, starts_at=world.meeting.starts_at + timedelta(days=1)
    )
    kwargs = _live_meeting(world, phase=2, meeting=meeting)
    # Typed by the participant on their device (entered through the record's service, so
    # that the rule also serves a world in which the participant has since left).
    record = record_services.record_for(meeting)
    item = record_services.add_input(
        record=record,
        by=world.people["participant"],
        kind="questions",
        phase=2,
        text="SECRET-live question",
        client_id=uuid.uuid4(),
    )
    return {**kwargs, "input_id": item.pk}


def _report(world):
    """The report of the held meeting of group 1, drafted by its facilitator (with the
    content marker) and submitted: the participant, who was there, approves it."""
    from kring.planning.models import Meeting
    from kring.reports import services as report_services
    from kring.reports.models import Report

    kwargs = _held_meeting(world)
    meeting = Meeting.objects.get(pk=kwargs["meeting_id"])
    if Report.objects.filter(meeting=meeting).exists():
        return kwargs
    facilitator = meeting.group.facilitator  # the group's own, also after a reassignment
    report = report_services.draft_report(meeting, facilitator)
    report_services.save_report(
        report=report,
        texts={key: "SECRET-report text" for key in report.texts},
        submit=True,
        by=facilitator,
    )
    return kwargs


IN_ORGANISATION = SIGNED_IN - {"other_admin"}
# Who copies, edits and imports an organisation's methods.
METHOD_EDITORS = {"facilitator", "other_facilitator", "coordinator", "admin"}
MANAGERS = {"coordinator", "admin"}
MEETING_MANAGERS = {"facilitator", "coordinator", "admin"}
MEETING_ID = lambda world: {"meeting_id": world.meeting.pk}  # noqa: E731
PROGRAMME_ID = lambda world: {"programme_id": world.programme.pk}  # noqa: E731
GROUP_VIEWERS = {"participant", "facilitator", "coordinator", "admin"}
KICKOFF_AUDIENCE = {"participant", "other_participant", "facilitator", "other_facilitator"}
CONTENT_READERS = {"participant", "facilitator"}
PROGRAMME_VIEWERS = {
    "participant",
    "other_participant",
    "facilitator",
    "other_facilitator",
    "coordinator",
    "sponsor",
    "line_manager",
    "admin",
}

MATRIX = {
    "core:dashboard": Rule(ok=SIGNED_IN, sees_content=set()),
    "core:favicon": Rule(ok=EVERYONE),
    "accounts:login": Rule(ok=EVERYONE),
    "accounts:logout": Rule(method="post", ok=EVERYONE),
    "accounts:password_reset": Rule(ok=EVERYONE),
    "accounts:password_reset_done": Rule(ok=EVERYONE),
    "accounts:password_reset_confirm": Rule(
        kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"}, ok=EVERYONE
    ),
    "accounts:password_reset_complete": Rule(ok=EVERYONE),
    "accounts:accept_invitation": Rule(kwargs=_invitation_token, ok=EVERYONE),
    "accounts:confirm_address": Rule(kwargs=_address_confirmation, ok=EVERYONE),
    "accounts:first_password": Rule(kwargs=_first_password, ok=EVERYONE),
    "accounts:switch_language": Rule(method="post", data={"language": "en"}, ok=EVERYONE),
    "organisations:people": Rule(
        kwargs=lambda world: {"slug": world.organisation.slug},
        ok={"admin"},
        forbidden=IN_ORGANISATION - {"admin"},
    ),
    "organisations:invite": Rule(
        kwargs=lambda world: {"slug": world.organisation.slug},
        ok={"admin"},
        forbidden=IN_ORGANISATION - {"admin"},
    ),
    "organisations:edit_person": Rule(
        kwargs=lambda world: {
            "slug": world.organisation.slug,
            "membership_id": world.people["participant"].memberships.get().pk,
        },
        ok={"admin"},
        forbidden=IN_ORGANISATION - {"admin"},
    ),
    "programmes:list": Rule(ok=SIGNED_IN),
    "programmes:detail": Rule(
        kwargs=lambda world: {"programme_id": world.programme.pk},
        ok=PROGRAMME_VIEWERS,
    ),
    "programmes:change_status": Rule(
        kwargs=lambda world: {"programme_id": world.programme.pk},
        method="post",
        data={"to_status": "evaluating"},
        ok=MANAGERS | {"sponsor"},
        forbidden=PROGRAMME_VIEWERS - MANAGERS - {"sponsor"},
    ),
    "programmes:create": Rule(ok=MANAGERS | {"other_admin"}, forbidden=IN_ORGANISATION - MANAGERS),
    "programmes:plan_edit": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "programmes:plan_print": Rule(
        kwargs=PROGRAMME_ID,
        ok=MANAGERS | {"sponsor"},
        forbidden=PROGRAMME_VIEWERS - MANAGERS - {"sponsor"},
    ),
    "programmes:registrations": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "programmes:toggle_registration": Rule(
        kwargs=PROGRAMME_ID,
        method="post",
        data={"closed": "1"},
        ok=MANAGERS,
        forbidden=PROGRAMME_VIEWERS - MANAGERS,
    ),
    "programmes:withdraw_registration": Rule(
        kwargs=_registration,
        method="post",
        ok=MANAGERS | {"participant"},
    ),
    "programmes:page": Rule(kwargs=_registration_token, ok=IN_ORGANISATION),
    "programmes:manager_confirmation": Rule(kwargs=_manager_token, ok=EVERYONE),
    "programmes:import_participants": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "programmes:import_columns": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "programmes:import_check": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "programmes:import_confirm": Rule(
        kwargs=PROGRAMME_ID, method="post", ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "programmes:import_invitations": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "programmes:export_participants": Rule(
        kwargs=lambda world: {"programme_id": world.programme.pk, "file_format": "csv"},
        ok=MANAGERS,
        forbidden=PROGRAMME_VIEWERS - MANAGERS,
    ),
    "programmes:send_assignment": Rule(
        kwargs=PROGRAMME_ID,
        method="post",
        data={"text": "Lees het hoofdstuk", "due_on": "2027-01-10"},
        ok=MANAGERS,
        forbidden=PROGRAMME_VIEWERS - MANAGERS,
    ),
    "programmes:complete_assignment": Rule(
        kwargs=_assignment,
        method="post",
        ok={"participant", "other_participant"},
        forbidden=PROGRAMME_VIEWERS - {"participant", "other_participant"},
    ),
    "groups:composition": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "groups:compare": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "groups:proposal": Rule(kwargs=_proposal, ok=MANAGERS),
    "groups:proposal_progress": Rule(kwargs=_proposal, ok=MANAGERS),
    **{
        f"groups:proposal_{action}": Rule(kwargs=_proposal, method="post", ok=MANAGERS)
        for action in ["move", "swap", "lock", "reoptimise", "publish"]
    },
    "groups:detail": Rule(
        kwargs=lambda world: {"group_id": world.group.pk},
        ok=GROUP_VIEWERS,
        sees_content=CONTENT_READERS,
    ),
    "groups:accept_ground_rules": Rule(
        kwargs=lambda world: {"group_id": world.group.pk},
        method="post",
        ok={"participant"},
        forbidden=GROUP_VIEWERS - {"participant"},
    ),
    # The group and its facilitator also find the titles of the cases they could choose.
    "planning:meeting_detail": Rule(
        kwargs=lambda world: {"meeting_id": world.meeting.pk},
        ok=GROUP_VIEWERS,
        sees_content=CONTENT_READERS,
    ),
    "planning:meeting_ics": Rule(kwargs=MEETING_ID, ok=GROUP_VIEWERS),
    "planning:reschedule": Rule(
        kwargs=MEETING_ID,
        method="post",
        data={"starts_at": "2027-02-08T14:00", "location": "Zaal 9"},
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    "planning:cancel": Rule(
        kwargs=MEETING_ID,
        method="post",
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    "planning:absence": Rule(
        kwargs=MEETING_ID,
        method="post",
        data={"reason": "Ziek"},
        ok={"participant"},
        forbidden=GROUP_VIEWERS - {"participant"},
    ),
    "planning:attendance": Rule(
        kwargs=MEETING_ID,
        method="post",
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    "planning:group_attendance": Rule(
        kwargs=lambda world: {"group_id": world.group.pk},
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    "planning:poll_create": Rule(
        kwargs=lambda world: {"group_id": world.group.pk},
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    "planning:poll": Rule(
        kwargs=lambda world: {"poll_id": _poll(world).pk},
        ok=GROUP_VIEWERS,
    ),
    "planning:poll_confirm": Rule(
        kwargs=lambda world: {"option_id": _poll(world).options.first().pk},
        method="post",
        # Nobody answered and the option clashes: planning it is an explicit choice.
        data={"location": "Zaal 1", "accept_warnings": "1"},
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    "planning:calendar": Rule(ok=SIGNED_IN),
    "planning:reset_calendar": Rule(method="post", ok=SIGNED_IN),
    "planning:feed": Rule(kwargs=_feed_token, ok=EVERYONE),
    "planning:programme": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "planning:programme_blackouts": Rule(
        kwargs=PROGRAMME_ID,
        method="post",
        data={"starts_on": "2027-02-22", "ends_on": "2027-02-26", "reason": "Voorjaarsvakantie"},
        ok=MANAGERS,
        forbidden=PROGRAMME_VIEWERS - MANAGERS,
    ),
    "planning:run": Rule(kwargs=_run, ok=MANAGERS),
    "planning:run_confirm": Rule(kwargs=_run, method="post", ok=MANAGERS),
    "planning:rooms": Rule(
        kwargs=lambda world: {"slug": world.organisation.slug},
        ok={"admin"},
        forbidden=IN_ORGANISATION - {"admin"},
    ),
    "meetings:add_case": Rule(
        kwargs=lambda world: {"group_id": world.group.pk},
        ok={"participant"},
        forbidden=GROUP_VIEWERS - {"participant"},
    ),
    "meetings:case_detail": Rule(
        kwargs=lambda world: {"case_id": world.case.pk},
        ok=CONTENT_READERS,
        sees_content=CONTENT_READERS,
    ),
    "meetings:withdraw_case": Rule(
        kwargs=lambda world: {"case_id": world.case.pk},
        method="post",
        ok={"participant"},
        forbidden={"facilitator"},
    ),
    # A withdrawn case exists for its presenter only.
    "meetings:delete_case": Rule(kwargs=_withdrawn_case, method="post", ok={"participant"}),
    "meetings:learning_log": Rule(ok=SIGNED_IN, sees_content={"participant"}),
    # The own log, printable: everyone has one, nobody sees another's.
    "meetings:learning_log_export": Rule(ok=SIGNED_IN, sees_content={"participant"}),
    # The prompt after a meeting exists only for who was there.
    "meetings:dismiss_prompt": Rule(kwargs=_held_meeting, method="post", ok={"participant"}),
    # Choosing a meeting's cases: the presenter volunteers, the process facilitator (here:
    # the group's facilitator) chooses or lets the members vote; coordinators see the
    # meeting but none of its cases.
    "meetings:volunteer_case": Rule(
        kwargs=lambda world: {"meeting_id": world.meeting.pk, "case_id": world.case.pk},
        method="post",
        ok={"participant"},
        forbidden=GROUP_VIEWERS - {"participant"},
    ),
    "meetings:choose_case": Rule(
        kwargs=lambda world: {"meeting_id": world.meeting.pk, "case_id": world.case.pk},
        method="post",
        ok={"facilitator"},
        forbidden=GROUP_VIEWERS - {"facilitator"},
    ),
    "meetings:remove_choice": Rule(
        kwargs=_chosen_case, method="post", ok={"participant", "facilitator"}
    ),
    "meetings:open_vote": Rule(
        kwargs=_two_cases,
        method="post",
        ok={"facilitator"},
        forbidden=GROUP_VIEWERS - {"facilitator"},
    ),
    "meetings:cast_ballot": Rule(
        kwargs=_case_vote,
        method="post",
        ok={"participant"},
        forbidden=GROUP_VIEWERS - {"participant"},
    ),
    "meetings:close_vote": Rule(
        kwargs=_closable_vote,
        method="post",
        ok={"facilitator"},
        forbidden=GROUP_VIEWERS - {"facilitator"},
    ),
    # Roles: the group, its facilitator and coordinators; never sponsor or line manager.
    "meetings:rota": Rule(kwargs=lambda world: {"group_id": world.group.pk}, ok=GROUP_VIEWERS),
    "meetings:rota_plan": Rule(
        kwargs=lambda world: {"group_id": world.group.pk},
        method="post",
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    "meetings:phase_out": Rule(
        kwargs=lambda world: {"group_id": world.group.pk},
        ok={"facilitator"},
        forbidden=GROUP_VIEWERS - {"facilitator"},
    ),
    "meetings:presenter_preference": Rule(
        kwargs=lambda world: {"group_id": world.group.pk},
        method="post",
        data={"wants_to_present": "no"},
        ok={"participant"},
        forbidden=GROUP_VIEWERS - {"participant"},
    ),
    "meetings:ask_swap": Rule(
        kwargs=MEETING_ID,
        method="post",
        ok={"participant"},
        forbidden=GROUP_VIEWERS - {"participant"},
    ),
    "meetings:change_role": Rule(
        kwargs=MEETING_ID,
        method="post",
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    # A swap request exists for the one asked only.
    "meetings:answer_swap": Rule(
        kwargs=_role_swap, method="post", data={"answer": "decline"}, ok={"participant"}
    ),
    # Everyone has the page; it lists only their own cases (the participant presents one).
    "confidentiality:case_reads": Rule(ok=SIGNED_IN, sees_content={"participant"}),
    "otp:setup": Rule(ok=SIGNED_IN),
    "otp:verify": Rule(ok=SIGNED_IN),
    # The privacy officer's "ok" is the redirect to the second factor; everyone else,
    # the organisation's own admin and coordinator too, finds no such page.
    "audit_log:entries": Rule(
        kwargs=lambda world: {"slug": world.organisation.slug}, ok={"privacy_officer"}
    ),
    "audit_log:export": Rule(
        kwargs=lambda world: {"slug": world.organisation.slug}, ok={"privacy_officer"}
    ),
    # Kick-offs: the coordinators manage; the audience (here the participants' kick-off:
    # participants and facilitators) sees its own invitation; facilitators note questions.
    "kickoffs:list": Rule(kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS),
    "kickoffs:create": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "kickoffs:detail": Rule(kwargs=_kickoff, ok=MANAGERS | KICKOFF_AUDIENCE),
    "kickoffs:presentation": Rule(kwargs=_kickoff, ok=MANAGERS | KICKOFF_AUDIENCE),
    "kickoffs:invitation_ics": Rule(kwargs=_kickoff, ok=MANAGERS | KICKOFF_AUDIENCE),
    "kickoffs:edit": Rule(kwargs=_kickoff, ok=MANAGERS, forbidden=KICKOFF_AUDIENCE),
    "kickoffs:invite": Rule(
        kwargs=_kickoff, method="post", ok=MANAGERS, forbidden=KICKOFF_AUDIENCE
    ),
    "kickoffs:attendance": Rule(
        kwargs=_kickoff, method="post", ok=MANAGERS, forbidden=KICKOFF_AUDIENCE
    ),
    "kickoffs:note_question": Rule(
        kwargs=_kickoff,
        method="post",
        data={"kind": "question", "text": "Hoeveel tijd kost het?"},
        ok=MANAGERS | {"facilitator", "other_facilitator"},
        forbidden={"participant", "other_participant"},
    ),
    "notifications:communication_plan": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    "notifications:message": Rule(kwargs=_message, ok=MANAGERS),
    "notifications:notices": Rule(ok=SIGNED_IN),
    # A notice is its recipient's alone.
    "notifications:read": Rule(kwargs=_notice, method="post", ok={"participant"}),
    "notifications:read_all": Rule(method="post", ok=SIGNED_IN),
    # Methods are organisational, not content: everyone in the organisation reads them.
    "methods:library": Rule(ok=SIGNED_IN),
    "methods:import": Rule(
        ok=METHOD_EDITORS | {"other_admin"}, forbidden=SIGNED_IN - METHOD_EDITORS - {"other_admin"}
    ),
    "methods:detail": Rule(kwargs=_method, ok=IN_ORGANISATION),
    "methods:history": Rule(kwargs=_method, ok=IN_ORGANISATION),
    "methods:export": Rule(kwargs=_method, ok=IN_ORGANISATION),
    "methods:edit": Rule(
        kwargs=_method, ok=METHOD_EDITORS, forbidden=IN_ORGANISATION - METHOD_EDITORS
    ),
    "methods:copy": Rule(
        kwargs=_method,
        method="post",
        ok=METHOD_EDITORS,
        forbidden=IN_ORGANISATION - METHOD_EDITORS,
    ),
    # The method a meeting follows: chosen by those who plan its meetings.
    "methods:choose_for_meeting": Rule(
        kwargs=MEETING_ID, ok=MEETING_MANAGERS, forbidden=GROUP_VIEWERS - MEETING_MANAGERS
    ),
    "methods:meeting_theme": Rule(
        kwargs=MEETING_ID,
        method="post",
        data={"theme": "De IK-factor"},
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    "methods:follow_cycle_plan": Rule(
        kwargs=MEETING_ID,
        method="post",
        ok=MEETING_MANAGERS,
        forbidden=GROUP_VIEWERS - MEETING_MANAGERS,
    ),
    # The cycle plan: set by the programme's coordinators, read on the programme page.
    "methods:cycle_plan": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    # The one-minute check: the members who were there answer; the group's members and
    # facilitator see the aggregate; the coordinator and admin find no results (404).
    "evaluation:answer": Rule(
        kwargs=_held_meeting, ok={"participant"}, forbidden=GROUP_VIEWERS - {"participant"}
    ),
    "evaluation:results": Rule(kwargs=_held_meeting, ok=CONTENT_READERS),
    # The report: read and printed by the group's members and its facilitator only (the
    # coordinator, admin, sponsor, line manager and everyone else find nothing: 404);
    # written by the note taker or the facilitator; approved by the members who were there.
    "reports:detail": Rule(kwargs=_report, ok=CONTENT_READERS, sees_content=CONTENT_READERS),
    "reports:print": Rule(kwargs=_report, ok=CONTENT_READERS, sees_content=CONTENT_READERS),
    "reports:edit": Rule(
        kwargs=_report, ok={"facilitator"}, forbidden={"participant"}, sees_content={"facilitator"}
    ),
    "reports:draft": Rule(
        kwargs=_held_meeting, method="post", ok={"facilitator"}, forbidden={"participant"}
    ),
    "reports:react": Rule(
        kwargs=_report,
        method="post",
        data={"decision": "approve"},
        ok={"participant"},
        forbidden={"facilitator"},
    ),
    # The approval period is organisational: the programme's coordinators set it.
    "reports:settings": Rule(
        kwargs=PROGRAMME_ID, ok=MANAGERS, forbidden=PROGRAMME_VIEWERS - MANAGERS
    ),
    # The report format (no content): the organisation admin edits it.
    "reports:format": Rule(
        kwargs=lambda world: {"slug": world.organisation.slug},
        ok={"admin"},
        forbidden=IN_ORGANISATION - {"admin"},
    ),
    "reports:format_history": Rule(
        kwargs=lambda world: {"slug": world.organisation.slug},
        ok={"admin"},
        forbidden=IN_ORGANISATION - {"admin"},
    ),
    # The live meeting: for the group's members and its facilitator only (everyone else
    # finds nothing: 404); the lead (here the group's facilitator) steps through it, a
    # member who may not is told so (403); the room screen is paired by code, signed in
    # or not, and shows nothing without one.
    "live:page": Rule(kwargs=_live_meeting, ok=CONTENT_READERS),
    "live:stage": Rule(kwargs=_live_meeting, ok=CONTENT_READERS),
    "live:start": Rule(
        kwargs=lambda world: _live_meeting(world, started=False),
        method="post",
        ok={"facilitator"},
        forbidden={"participant"},
    ),
    "live:advance": Rule(
        kwargs=_live_meeting,
        method="post",
        data={"from_phase": 1, "confirmed": 1},
        ok={"facilitator"},
        forbidden={"participant"},
    ),
    "live:back": Rule(
        kwargs=lambda world: _live_meeting(world, phase=2),
        method="post",
        data={"from_phase": 2, "to_phase": 1},
        ok={"facilitator"},
        forbidden={"participant"},
    ),
    "live:reveal": Rule(
        kwargs=lambda world: _live_meeting(world, phase=3),
        method="post",
        ok={"facilitator"},
        forbidden={"participant"},
    ),
    "live:ready": Rule(
        kwargs=_live_meeting,
        method="post",
        data={"ready": 1},
        ok={"participant"},
        forbidden={"facilitator"},
    ),
    "live:timer": Rule(
        kwargs=_live_meeting,
        method="post",
        data={"action": "pause"},
        ok={"facilitator"},
        forbidden={"participant"},
    ),
    "live:hand_over": Rule(
        kwargs=_live_meeting,
        method="post",
        data=lambda world: {"to": world.people["participant"].pk},
        ok={"facilitator"},
        forbidden={"participant"},
    ),
    "live:close": Rule(
        kwargs=_live_meeting,
        method="post",
        data={"confirmed": 1},
        ok={"facilitator"},
        forbidden={"participant"},
    ),
    # Going on in writing is the lead's; the presenter's withdrawal asks to confirm first
    # (a page for the group); a written round is planned by the group's facilitator and
    # its members, the others who know the group are told it is not theirs.
    "live:pace": Rule(
        kwargs=_live_meeting,
        method="post",
        data={"pacing": "written", "hours": 24},
        ok={"facilitator"},
        forbidden={"participant"},
    ),
    "live:withdraw": Rule(kwargs=_live_meeting, method="post", ok=CONTENT_READERS),
    "live:plan_round": Rule(
        kwargs=lambda world: {"group_id": world.group.pk},
        ok=CONTENT_READERS,
        forbidden=GROUP_VIEWERS - CONTENT_READERS,
    ),
    "live_inputs:panel": Rule(
        kwargs=lambda world: {"meeting_id": _live_input(world)["meeting_id"]},
        ok=CONTENT_READERS,
        sees_content=CONTENT_READERS,
    ),
    "live_inputs:draft": Rule(
        kwargs=lambda world: _live_meeting(world, phase=2),
        method="post",
        data={
            "client_id": "5b0c3c59-2a56-4c0e-9d5c-0a4b1f0b7a12",
            "phase": 2,
            "text": "Wat heb je",
        },
        # The group's facilitator writes only for a member without a device.
        ok={"participant"},
    ),
    "live_inputs:submit": Rule(
        kwargs=lambda world: _live_meeting(world, phase=2),
        method="post",
        data={
            "client_id": "5b0c3c59-2a56-4c0e-9d5c-0a4b1f0b7a13",
            "phase": 2,
            "text": "Wat heb je al geprobeerd?",
        },
        ok={"participant"},
    ),
    "live_inputs:choose": Rule(
        kwargs=lambda world: _live_meeting(world, phase=4),
        method="post",
        data={"client_id": "8f9e7c1a-3333-4a2b-9c3d-2e4f5a6b7c8d", "statement": "1"},
        # Not the presenter: told on the page why nothing was chosen.
        ok={"participant"},
    ),
    "live_inputs:rate": Rule(
        kwargs=lambda world: _live_meeting(world, phase=2),
        method="post",
        data={"client_id": "8f9e7c1a-4444-4a2b-9c3d-2e4f5a6b7c8d", "rating": "warm"},
        ok=CONTENT_READERS,
    ),
    "live_inputs:answer": Rule(
        kwargs=lambda world: _live_meeting(world, phase=2),
        method="post",
        data={"client_id": "8f9e7c1a-5555-4a2b-9c3d-2e4f5a6b7c8d", "text": "an answer"},
        ok=CONTENT_READERS,
    ),
    "live_inputs:withdraw": Rule(kwargs=_live_input, method="post", ok={"participant"}),
    "live_inputs:edit": Rule(
        kwargs=_live_input,
        method="post",
        data={
            "client_id": "5b0c3c59-2a56-4c0e-9d5c-0a4b1f0b7a14",
            "text": "Wat heb je al geprobeerd, en wat nog niet?",
        },
        ok={"participant"},
    ),
    "screen:pair": Rule(ok=EVERYONE),
    "screen:view": Rule(ok=EVERYONE),
    # Without a paired code the screen's fragment does not exist, for anyone.
    "screen:stage": Rule(anonymous="404"),
    "screen:open": Rule(
        kwargs=_live_meeting, method="post", ok={"facilitator"}, forbidden={"participant"}
    ),
    "screen:close": Rule(
        kwargs=_live_meeting, method="post", ok={"facilitator"}, forbidden={"participant"}
    ),
    # The meeting record: read by the group's members and facilitator, kept by the note
    # taker (here the participant) and the facilitator; coordinator, admin, sponsor, line
    # manager and everyone else find nothing (404). A form with an error shows the page.
    "records:record": Rule(
        kwargs=_record_meeting, ok=CONTENT_READERS, sees_content=CONTENT_READERS
    ),
    "records:add_input": Rule(
        kwargs=_record_meeting,
        method="post",
        data={
            "phase": 2,
            "phase2-client_id": "5b0c3c59-2a56-4c0e-9d5c-0a4b1f0b7a11",
            "phase2-text": "Wat heb je al geprobeerd?",
        },
        ok=CONTENT_READERS,
    ),
    "records:choose": Rule(
        kwargs=_record_meeting,
        method="post",
        data={"client_id": "8f9e7c1a-1111-4a2b-9c3d-2e4f5a6b7c8d", "statement": "1"},
        ok=CONTENT_READERS,
        sees_content=CONTENT_READERS,
    ),
    "records:rate": Rule(
        kwargs=lambda world: _record_meeting(world, "socratic"),
        method="post",
        data={"client_id": "8f9e7c1a-2222-4a2b-9c3d-2e4f5a6b7c8d", "rating": "warm"},
        ok=CONTENT_READERS,
    ),
    "records:agreements": Rule(
        kwargs=_record_meeting,
        method="post",
        data={"agreements": "Volgende keer brengt Eva in."},
        ok=CONTENT_READERS,
    ),
    "records:edit_input": Rule(kwargs=_record_input, method="post", ok=CONTENT_READERS),
    "records:withdraw_input": Rule(kwargs=_record_input, method="post", ok=CONTENT_READERS),
    # An action point of an earlier meeting: its presenter marks it; the facilitator reads it.
    "records:follow_up": Rule(
        kwargs=_action_point,
        method="post",
        data={"status": "done"},
        ok={"participant"},
        forbidden={"facilitator"},
    ),
}


def _named_patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield (
                f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern}>"
            )


def test_every_url_is_in_the_matrix():
    names = set(_named_patterns(get_resolver().url_patterns))
    unknown = {name for name in names if not name.startswith("admin:")} - set(MATRIX)
    assert not unknown, f"URLs missing from the authorization matrix: {sorted(unknown)}"
    assert set(MATRIX) <= names, f"matrix names URLs that no longer exist: {set(MATRIX) - names}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(url_name, role, world, client):
    from django.urls import reverse

    rule = MATRIX[url_name]
    if role != "anonymous":
        client.force_login(world.people[role], backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(url_name, kwargs=rule.kwargs(world))
    data = rule.data(world) if callable(rule.data) else rule.data
    response = getattr(client, rule.method)(url, data)

    expected = rule.expected(role)
    location = response.headers.get("Location", "")
    if expected == "ok":
        assert response.status_code < 400, f"{role} should reach {url_name}"
        assert "/accounts/login/" not in location or url_name.startswith("accounts:")
    elif expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in location
    else:
        assert response.status_code == int(expected), (
            f"{role} on {url_name}: expected {expected}, got {response.status_code}"
        )

    body = response.content.decode()
    if role in rule.sees_content:
        assert CONTENT_MARKER in body, f"{role} should see the content on {url_name}"
    else:
        assert CONTENT_MARKER not in body, f"content leaked to {role} on {url_name}"


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_the_django_admin_is_closed_to_every_role(role, world, client):
    client.force_login(world.people[role], backend="django.contrib.auth.backends.ModelBackend")
    for url in [
        "/admin/",
        "/admin/meetings/case/",
        f"/admin/meetings/case/{world.case.pk}/change/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]
