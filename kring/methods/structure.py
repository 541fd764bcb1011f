"""The shape of a method version's content, checked in plain Python.

    {
      "name": {"nl": "...", "en": "..."},
      "description": {"nl": "...", "en": "..."},
      "complexity": "new_group" | "experienced_group" | "advanced",
      "case_kinds": ["dilemma", "conflict", "approach", "personal_theme"],   # one or more
      "roles": ["presenter", "questioners", "process_facilitator", ...],     # one or more
      "phases": [                                                            # in order
        {
          "title": {"nl": "...", "en": "..."},
          "minutes": 10,
          "input": "none" | "questions" | ...,
          "reveal": "at_once" | "on_reveal",
          "instructions": {"presenter": {"nl": "...", "en": "..."}, ...}     # per role
        }
      ]
    }

`validate` returns every problem at once, each with where it is, in the active language.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

LANGUAGES = ("nl", "en")
LANGUAGE_NAMES = {"nl": _("Dutch"), "en": _("English")}

COMPLEXITY = {
    "new_group": _("For a new group"),
    "experienced_group": _("For a group with experience"),
    "advanced": _("Advanced"),
}
CASE_KINDS = {
    "dilemma": _("A dilemma"),
    "conflict": _("A conflict"),
    "approach": _("A question of approach"),
    "personal_theme": _("A personal theme"),
}
ROLES = {
    "presenter": _("Presenter"),
    "questioners": _("Questioners"),
    "process_facilitator": _("Process facilitator"),
    "timekeeper": _("Timekeeper"),
    "note_taker": _("Note taker"),
}
INPUTS = {
    "none": _("No input"),
    # Written freely; in a written round, what a phase without input takes.
    "contributions": _("Contributions"),
    "questions": _("Questions"),
    "problem_statements": _("Problem statements in one sentence"),
    "presenter_choice": _("The presenter's choice of one"),
    "ratings": _("Warm, neutral or cold ratings of the questions"),
    "analysis": _("Analysis notes"),
    "advice": _("Advice"),
    "gossip": _("Gossip notes"),
    "takeaways": _("Take-aways"),
    "action_points": _("Action points"),
}
REVEAL = {
    "at_once": _("Shown at once"),
    "on_reveal": _("Shown only when revealed"),
}

MAX_PHASES = 20
MAX_MINUTES = 240
MAX_TEXT = 2000


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


def _part(number: int, part) -> str:
    return str(_("Phase %(number)d, %(part)s") % {"number": number, "part": part})


def localised(value: dict, language: str | None) -> str:
    language = (language or "nl")[:2]
    return value.get(language) or value.get("nl") or value.get("en") or ""


def _text(value, where, problems, *, max_length=MAX_TEXT):
    if not isinstance(value, dict):
        problems.append(Problem(where, str(_("give a text in Dutch and in English."))))
        return
    for language in LANGUAGES:
        label = str(
            _("%(where)s (%(language)s)") % {"where": where, "language": LANGUAGE_NAMES[language]}
        )
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(label, str(_("this text is missing."))))
        elif len(text) > max_length:
            problems.append(
                Problem(
                    label,
                    str(
                        _("this text is too long (at most %(max)d characters).")
                        % {"max": max_length}
                    ),
                )
            )
    extra = set(value) - set(LANGUAGES)
    if extra:
        problems.append(
            Problem(
                where, str(_("unknown language: %(codes)s.") % {"codes": ", ".join(sorted(extra))})
            )
        )


def _choices(value, allowed, where, problems):
    if not isinstance(value, list) or not value:
        problems.append(Problem(where, str(_("choose at least one."))))
        return
    unknown = [str(item) for item in value if item not in allowed]
    if unknown:
        problems.append(
            Problem(
                where,
                str(
                    _("unknown value %(values)s; choose from %(allowed)s.")
                    % {"values": ", ".join(unknown), "allowed": ", ".join(allowed)}
                ),
            )
        )
    elif len(set(value)) != len(value):
        problems.append(Problem(where, str(_("a value is given twice."))))


def _choice(value, allowed, where, problems):
    if value is None:
        problems.append(
            Problem(
                where,
                str(_("missing; choose from %(allowed)s.") % {"allowed": ", ".join(allowed)}),
            )
        )
    elif value not in allowed:
        problems.append(
            Problem(
                where,
                str(
                    _("unknown value %(value)s; choose from %(allowed)s.")
                    % {"value": value, "allowed": ", ".join(allowed)}
                ),
            )
        )


def validate(content) -> list[Problem]:
    """Every problem with `content`, or an empty list when it is a valid method."""
    problems: list[Problem] = []
    if not isinstance(content, dict):
        return [Problem("", str(_("A method is a set of named fields (a JSON object).")))]
    known = {"name", "description", "complexity", "case_kinds", "roles", "phases"}
    for key in sorted(set(content) - known):
        problems.append(Problem(key, str(_("unknown field."))))
    _text(content.get("name"), str(_("Name")), problems, max_length=120)
    _text(content.get("description"), str(_("Short description")), problems)
    _choice(content.get("complexity"), COMPLEXITY, str(_("Complexity")), problems)
    _choices(content.get("case_kinds"), CASE_KINDS, str(_("Kinds of case")), problems)
    roles = content.get("roles")
    _choices(roles, ROLES, str(_("Roles")), problems)
    roles = set(roles) if isinstance(roles, list) else set()
    phases = content.get("phases")
    if not isinstance(phases, list) or not phases:
        problems.append(Problem(str(_("Phases")), str(_("give at least one phase."))))
        return problems
    if len(phases) > MAX_PHASES:
        problems.append(
            Problem(str(_("Phases")), str(_("at most %(max)d phases.") % {"max": MAX_PHASES}))
        )
    for number, phase in enumerate(phases, start=1):
        where = str(_("Phase %(number)d") % {"number": number})
        if not isinstance(phase, dict):
            problems.append(Problem(where, str(_("a phase is a set of named fields."))))
            continue
        known = {"title", "minutes", "input", "reveal", "instructions"}
        for key in sorted(set(phase) - known):
            problems.append(Problem(_part(number, key), str(_("unknown field."))))
        _text(phase.get("title"), _part(number, _("title")), problems, max_length=120)
        minutes = phase.get("minutes")
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not (1 <= minutes <= MAX_MINUTES)
        ):
            problems.append(
                Problem(
                    _part(number, _("minutes")),
                    str(
                        _("give a whole number of minutes from 1 to %(max)d.")
                        % {"max": MAX_MINUTES}
                    ),
                )
            )
        _choice(phase.get("input"), INPUTS, _part(number, _("input")), problems)
        _choice(phase.get("reveal"), REVEAL, _part(number, _("shown")), problems)
        instructions = phase.get("instructions")
        if not isinstance(instructions, dict) or not instructions:
            problems.append(
                Problem(
                    _part(number, _("instructions")),
                    str(_("give instructions for at least one role.")),
                )
            )
            continue
        for role, text in instructions.items():
            label = _part(number, ROLES.get(role, role))
            if role not in ROLES:
                problems.append(Problem(label, str(_("unknown role."))))
            elif role not in roles:
                problems.append(
                    Problem(label, str(_("this role is not among the method's roles.")))
                )
            _text(text, label, problems)
    return problems
