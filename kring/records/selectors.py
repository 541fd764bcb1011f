"""Reading a meeting record: its phases with the current inputs, and open action points.

Nothing here queries content, checks the policy or audits: the readers
`policy.read_record` and `policy.read_open_action_points` load the rows, record the read
and build their views with these. `record_digest` is for the report draft: it works only on
a record that `policy.read_record` loaded (its rows come with it as `loaded_inputs`).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kring.meetings.models import RoleAssignment
from kring.methods import structure
from kring.methods.models import MethodVersion
from kring.planning.models import Attendance, Meeting

from .models import MeetingRecord, RecordInput

# Kinds whose inputs are free text typed per person (the others refer to another input).
TEXT_KINDS = ("questions", "problem_statements", "analysis", "advice", "gossip")
PRESENTER_KINDS = ("takeaways", "action_points")


@dataclass
class Rated:
    question: RecordInput
    rating: RecordInput | None


@dataclass
class PhaseView:
    number: int
    title: str
    minutes: int
    input: str
    input_label: str
    on_reveal: bool
    instructions: list
    note_taker: str
    entries: list = field(default_factory=list)  # the inputs shown in this phase
    # A presenter's choice: the problem statements to choose among, and who chose which.
    statements: list = field(default_factory=list)
    choices: list = field(default_factory=list)  # [(presenter, statement)]
    # Ratings: every question with its current rating.
    rated: list = field(default_factory=list)
    # In writing, the presenter's answer per question id.
    answers: dict = field(default_factory=dict)
    hidden: int = 0  # inputs not revealed yet, not shown to this reader


@dataclass
class RecordView:
    meeting: Meeting
    record: MeetingRecord | None
    method_version: MethodVersion | None
    phases: list
    unplaced: list  # inputs outside the method's phases (phase 0, or another version's)
    agreements: str
    version: int
    roles: list  # [(label, [users])]
    questioners: list
    present: list
    absent: list
    attendance_recorded: bool
    presenters: list
    members: list

    @property
    def shown_inputs(self) -> list[RecordInput]:
        """Every input this view shows: what its reader has read."""
        shown = list(self.unplaced)
        for phase in self.phases:
            shown += phase.entries
            shown += [item.rating for item in phase.rated if item.rating is not None]
            shown += [statement for _presenter, statement in phase.choices if statement]
            shown += list(phase.answers.values())
        return list({item.pk: item for item in shown}.values())


class _Inputs:
    """All rows of a record, resolved to the current ones (edits followed, in the place of
    the first version, withdrawn and draft rows left out)."""

    def __init__(self, record: MeetingRecord | None, rows: list[RecordInput]):
        for row in rows:
            row.record = record  # one record in memory: the audit resolves it without queries
        self.by_pk = {row.pk: row for row in rows}
        self.successor = {row.replaces_id: row for row in rows if row.replaces_id}
        self.current = [
            row
            for row in rows
            if row.pk not in self.successor
            and row.state not in {RecordInput.State.WITHDRAWN, RecordInput.State.DRAFT}
        ]
        self.current.sort(key=self._position)

    def _position(self, row):
        origin = row
        while origin.replaces_id and origin.replaces_id in self.by_pk:
            origin = self.by_pk[origin.replaces_id]
        return (row.phase, origin.created_at, origin.pk)

    def latest(self, row: RecordInput | None) -> RecordInput | None:
        """The current version of an input, or None when it was withdrawn."""
        if row is None:
            return None
        row = self.by_pk.get(row.pk, row)
        while row.pk in self.successor:
            row = self.successor[row.pk]
        if row.state in {RecordInput.State.WITHDRAWN, RecordInput.State.DRAFT}:
            return None
        return row

    def of_kind(self, kind: str) -> list[RecordInput]:
        return [row for row in self.current if row.kind == kind]


def note_taker_instruction(version: MethodVersion, phase: dict) -> str:
    text = phase["instructions"].get("note_taker")
    return version.text(text) if text else ""


def action_points_outside_phases() -> PhaseView:
    return PhaseView(
        number=0,
        title=_("Action points"),
        minutes=0,
        input="action_points",
        input_label=structure.INPUTS["action_points"],
        on_reveal=False,
        instructions=[],
        note_taker=_("Write down what the presenter will do, in their own words."),
    )


def record_view(
    meeting: Meeting, record: MeetingRecord | None, rows: list[RecordInput], *, editor: bool
) -> RecordView:
    """The record of `meeting` (with all its rows) per phase of its method, for a reader
    allowed to see it. Inputs of a phase shown only when revealed stay hidden from a reader
    who does not keep the record until they are revealed or the meeting is held."""
    from kring.meetings import rota
    from kring.methods.selectors import phases_for_display

    version = record.method_version if record and record.method_version_id else None
    if version is None and not any(row.phase > 0 for row in rows):
        version = meeting.method_version
    inputs = _Inputs(record, rows)
    phases = []
    content_phases = version.content["phases"] if version else []
    for display, phase in zip(
        phases_for_display(version) if version else [], content_phases, strict=True
    ):
        phases.append(
            PhaseView(
                number=display["number"],
                title=display["title"],
                minutes=display["minutes"],
                input=display["input"],
                input_label=display["input_label"],
                on_reveal=display["on_reveal"],
                instructions=display["instructions"],
                note_taker=note_taker_instruction(version, phase),
            )
        )
    if version is not None and not any(phase.input == "action_points" for phase in phases):
        # Every presenter may leave with action points (they open the next meeting), also
        # when the method has no phase for them: they are kept outside the phases.
        phases.append(action_points_outside_phases())
    held = meeting.status == Meeting.Status.HELD
    by_number = {phase.number: phase for phase in phases}

    def waits(row) -> bool:
        """In a phase shown on reveal, not revealed yet, and this reader may not see it."""
        phase = by_number.get(row.phase)
        return bool(
            phase is not None
            and phase.on_reveal
            and not (editor or held)
            and row.state != RecordInput.State.REVEALED
        )

    unplaced = []
    for row in inputs.current:
        phase = by_number.get(row.phase)
        if phase is None or (phase.number == 0 and row.kind != "action_points"):
            unplaced.append(row)
            continue
        if row.kind in {"presenter_choice", "ratings"}:
            continue  # shown with what they refer to
        if row.refers_to_id is not None:  # an answer: shown with its question
            phase.answers[row.refers_to_id] = row
            continue
        if phase.on_reveal and not (editor or held) and row.state != RecordInput.State.REVEALED:
            phase.hidden += 1
            continue
        phase.entries.append(row)
    for phase in phases:
        for entry in phase.entries:
            entry.answer = phase.answers.get(entry.pk)
    statements = inputs.of_kind("problem_statements")
    questions = inputs.of_kind("questions")
    ratings = {}
    for rating in inputs.of_kind("ratings"):
        question = inputs.latest(rating.refers_to)
        if question is not None:
            if waits(rating):  # the presenter's ratings, shown once revealed
                by_number[rating.phase].hidden += 1
                continue
            ratings[question.pk] = rating
    # What a choice or a rating refers to stays hidden as long as it is itself.
    statements = [row for row in statements if not waits(row)]
    questions = [row for row in questions if not waits(row)]
    for phase in phases:
        if phase.input == "presenter_choice":
            phase.statements = statements
            for choice in inputs.of_kind("presenter_choice"):
                statement = inputs.latest(choice.refers_to)
                if waits(choice) or (statement is not None and waits(statement)):
                    phase.hidden += 1
                    continue
                phase.choices.append((choice.author, statement))
        elif phase.input == "ratings":
            phase.rated = [Rated(question, ratings.get(question.pk)) for question in questions]
    roles = rota.roles_of([meeting], meeting.group)[0]
    attendance = list(Attendance.objects.filter(meeting=meeting).select_related("user"))
    present = [a.user for a in attendance if a.status == Attendance.Status.PRESENT]
    absent = [
        a.user
        for a in attendance
        if a.status
        in {Attendance.Status.ABSENT_WITH_NOTICE, Attendance.Status.ABSENT_WITHOUT_NOTICE}
    ]
    return RecordView(
        meeting=meeting,
        record=record,
        method_version=version,
        phases=phases,
        unplaced=unplaced,
        agreements=record.agreements if record else "",
        version=record.version if record else 0,
        roles=[(label, users) for _value, label, users in roles.holders],
        questioners=roles.questioners,
        present=sorted(present, key=lambda user: user.full_name),
        absent=sorted(absent, key=lambda user: user.full_name),
        attendance_recorded=any(
            a.status in {Attendance.Status.PRESENT, Attendance.Status.ABSENT_WITHOUT_NOTICE}
            for a in attendance
        ),
        presenters=presenters_of(meeting),
        members=members_of(meeting),
    )


def members_of(meeting: Meeting) -> list:
    return [
        m.user
        for m in meeting.group.memberships.current()
        .select_related("user")
        .order_by("user__full_name")
    ]


def presenters_of(meeting: Meeting) -> list:
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            meeting=meeting, role=RoleAssignment.Role.PRESENTER
        ).select_related("user")
    ]


def record_digest(record: MeetingRecord) -> dict:
    """The current inputs of a record as plain text per kind, for the report draft: of the
    record `policy.read_record(user, meeting).record`, which recorded the read (and loaded
    the rows this needs; any other record raises)."""
    rows = getattr(record, "loaded_inputs", None)
    if rows is None:
        raise ValueError("record_digest needs the record of policy.read_record")
    inputs = _Inputs(record, rows)

    def texts(kind):
        return [row.text for row in inputs.of_kind(kind)]

    chosen = ""
    for choice in inputs.of_kind("presenter_choice"):
        statement = inputs.latest(choice.refers_to)
        if statement is not None:
            chosen = statement.text
            break
    ratings = []
    for rating in inputs.of_kind("ratings"):
        question = inputs.latest(rating.refers_to)
        if question is not None:
            ratings.append((question.text, rating.rating))
    return {
        "contributions": texts("contributions"),
        "questions": texts("questions"),
        "problem_statements": texts("problem_statements"),
        "chosen_statement": chosen,
        "ratings": ratings,
        "analysis": texts("analysis"),
        "advice": texts("advice"),
        "gossip": texts("gossip"),
        "takeaways": texts("takeaways"),
        "action_points": [
            (row.author.full_name if row.author else "", row.text)
            for row in inputs.of_kind("action_points")
        ],
        "agreements": record.agreements,
    }


# Action points opening the next meeting.


@dataclass
class OpenActionPoint:
    action_point: RecordInput
    made_at: Meeting
    presenter: object
    status_here: str  # the follow-up at this meeting: "", "done" or "carried_on"
    carried_on_before: bool


def open_action_points(meeting: Meeting, rows) -> list[OpenActionPoint]:
    """Of the current action points of the group's earlier meetings (`rows`, with their
    follow-ups), those still open when this meeting came: no follow-up "done" at a meeting
    before it. Each with what its presenter marked at this meeting."""
    result = []
    for row in rows:
        earlier, here = [], []
        for follow_up in row.follow_ups.all():
            if follow_up.at_meeting_id == meeting.pk:
                here.append(follow_up)
            elif follow_up.at_meeting.starts_at < meeting.starts_at:
                earlier.append(follow_up)
        if earlier and earlier[-1].status == "done":
            continue
        result.append(
            OpenActionPoint(
                action_point=row,
                made_at=row.record.meeting,
                presenter=row.author,
                status_here=here[-1].status if here else "",
                carried_on_before=bool(earlier) and earlier[-1].status == "carried_on",
            )
        )
    return result
