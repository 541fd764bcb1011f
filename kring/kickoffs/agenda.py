"""A kick-off's agenda, taken from the programme page: the seven W's (who, what, where,
when, why, how, to what end), the roles, registration, ground rules and the preparation
assignment, one screen each."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.programmes.models import ProgrammeRole

from .models import Kickoff

Role = ProgrammeRole.Role


@dataclass
class Slide:
    key: str
    title: str
    text: str = ""
    items: list[str] = field(default_factory=list)


def _names(programme, role) -> str:
    people = programme.roles.filter(role=role).select_related("user").order_by("user__full_name")
    return ", ".join(r.user.full_name for r in people)


def _when(programme) -> str:
    rhythm = ngettext(
        "%(count)d meeting of %(minutes)d minutes, every %(weeks)d weeks.",
        "%(count)d meetings of %(minutes)d minutes, every %(weeks)d weeks.",
        programme.meeting_count,
    ) % {
        "count": programme.meeting_count,
        "minutes": programme.meeting_duration_minutes,
        "weeks": programme.interval_weeks,
    }
    if programme.starts_on and programme.ends_on:
        period = _("From %(start)s to %(end)s.") % {
            "start": date_format(programme.starts_on, "j F Y"),
            "end": date_format(programme.ends_on, "j F Y"),
        }
        return f"{period} {rhythm}"
    return rhythm


def slides(kickoff: Kickoff) -> list[Slide]:
    programme = kickoff.programme
    sponsors = _names(programme, Role.SPONSOR)
    facilitators = _names(programme, Role.FACILITATOR)
    goals = [goal.text for goal in programme.goals.all()]
    rules = list(programme.ground_rule_set.rules.all()) if programme.ground_rule_set else []
    assignment = programme.preparation_assignments.order_by("-due_on").first()
    where = programme.get_mode_display()
    if programme.venue:
        where = f"{where}: {programme.venue}"

    result = [
        Slide(
            "welcome",
            programme.title,
            _("Kick-off for %(audience)s, %(when)s")
            % {
                "audience": kickoff.get_audience_display().lower(),
                "when": date_format(timezone.localtime(kickoff.starts_at), "l j F Y, H:i"),
            },
            [programme.organisation.name],
        ),
        Slide("why", _("Why?"), programme.reason or _("The reason is in the plan of approach.")),
        Slide(
            "what",
            _("What?"),
            programme.description
            or _(
                "Intervision: a fixed group of colleagues meets regularly and helps one member "
                "at a time with a real case from their work, with an agreed method."
            ),
        ),
        Slide("to-what-end", _("To what end?"), "", goals),
        Slide(
            "who",
            _("Who?"),
            programme.target_group,
            [
                _(
                    "Groups of %(low)d to %(high)d colleagues from different parts of the "
                    "organisation, never with your own line manager."
                )
                % {"low": programme.group_size_min, "high": programme.group_size_max}
            ],
        ),
        Slide("when-where", _("When and where?"), _when(programme), [where]),
        Slide(
            "how",
            _("How?"),
            programme.methods
            or _(
                "Each meeting one or two members bring in a case; the group helps with an agreed "
                "method."
            ),
            [programme.time_per_participant] if programme.time_per_participant else [],
        ),
        Slide(
            "roles",
            _("Roles"),
            "",
            [
                _(
                    "Participant: takes part in every meeting, brings in cases, takes turns in the "
                    "roles, and reports absence in advance."
                ),
                (
                    _(
                        "Sponsor (%(names)s): commissioned the programme, approves the plan and "
                        "follows its progress."
                    )
                    % {"names": sponsors}
                    if sponsors
                    else _(
                        "Sponsor: commissioned the programme, approves the plan and follows its "
                        "progress."
                    )
                ),
                (
                    _(
                        "Facilitators (%(names)s): lead the process, take no part in the content, "
                        "and hand the process over to the group step by step."
                    )
                    % {"names": facilitators}
                    if facilitators
                    else _(
                        "Facilitators: lead the process, take no part in the content, and hand the "
                        "process over to the group step by step."
                    )
                ),
                _(
                    "Line manager: gives the time to take part, and sees only whether someone "
                    "takes part, never what is discussed."
                ),
            ],
        ),
        Slide(
            "registration",
            _("Registration"),
            "",
            [
                _(
                    "Register on the programme page and tell us a little about your work; your "
                    "wishes about colleagues stay private."
                ),
                *(
                    [_("Your line manager confirms by e-mail that you get the time.")]
                    if programme.requires_manager_confirmation
                    else []
                ),
                _(
                    "The coordinator composes the groups and plans the meetings; you hear which "
                    "group you are in."
                ),
                _("Participation is voluntary but not non-committal."),
            ],
        ),
        Slide(
            "ground-rules",
            _("Ground rules"),
            "" if rules else _("The ground rules are agreed in the first meeting."),
            [rule.text for rule in rules],
        ),
        Slide(
            "preparation",
            _("Preparation assignment"),
            assignment.text
            if assignment
            else _("You receive a short preparation assignment before the first meeting."),
            [_("Due on %(date)s") % {"date": date_format(assignment.due_on, "l j F Y")}]
            if assignment
            else [],
        ),
        Slide(
            "questions", _("Questions?"), _("Questions and concerns are noted for the coordinator.")
        ),
    ]
    return result
