"""The sections of a report format, as data: what each section is called, what its prompt
asks the note taker, and where its draft text comes from.

A section is {"key", "title": {"nl", "en"}, "prompt": {"nl", "en"}, "source"}. Plain
Python (no models) so the data migration, the editor and the tests share one check.
"""

import re

from django.utils.translation import gettext_lazy as _

LANGUAGES = ("nl", "en")
MAX_TITLE = 120
MAX_PROMPT = 500
MAX_SECTIONS = 30
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

# Where a section's draft comes from (see services.draft_report).
SOURCES = {
    "method": _("The method (werkvorm) and its version"),
    "roles": _("Who held which role"),
    "presence": _("Who was present"),
    "cases": _("The titles of the chosen cases"),
    "problem_statement": _("The chosen problem statement"),
    "questions": _("The questions asked"),
    "analysis": _("Analysis notes"),
    "advice": _("The advice given"),
    "takeaways": _("What the presenter takes along"),
    "action_points": _("Action points"),
    "agreements": _("Agreements"),
    "next_meeting": _("The next meeting"),
    "free": _("Nothing: the note taker writes it"),
}


def localised(value: dict, language: str | None) -> str:
    language = (language or "nl")[:2]
    return value.get(language) or value.get("nl") or value.get("en") or ""


def validate(sections) -> list[str]:
    """What is wrong with a list of sections, in words for the person who edits them."""
    if not isinstance(sections, list) or not sections:
        return [str(_("A report format needs at least one section."))]
    if len(sections) > MAX_SECTIONS:
        return [str(_("A report format has at most %(count)d sections.") % {"count": MAX_SECTIONS})]
    problems = []
    keys = set()
    for number, section in enumerate(sections, start=1):
        where = str(_("Section %(number)d") % {"number": number})
        if not isinstance(section, dict):
            problems.append(f"{where}: " + str(_("not a section.")))
            continue
        key = section.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(f"{where}: " + str(_("the key is missing or not valid.")))
        elif key in keys:
            problems.append(f"{where}: " + str(_("the key is used twice.")))
        else:
            keys.add(key)
        if section.get("source") not in SOURCES:
            problems.append(f"{where}: " + str(_("choose where its text comes from.")))
        for field, limit in (("title", MAX_TITLE), ("prompt", MAX_PROMPT)):
            value = section.get(field)
            if not isinstance(value, dict):
                problems.append(f"{where}: " + str(_("give a text in Dutch and in English.")))
                continue
            for language in LANGUAGES:
                text = value.get(language)
                if field == "title" and (not isinstance(text, str) or not text.strip()):
                    problems.append(f"{where}: " + str(_("a title in Dutch and in English.")))
                    break
                if text is not None and (not isinstance(text, str) or len(text) > limit):
                    problems.append(
                        f"{where}: "
                        + str(_("a text of at most %(limit)d characters.") % {"limit": limit})
                    )
                    break
        extra = set(section) - {"key", "title", "prompt", "source"}
        if extra:
            problems.append(f"{where}: " + str(_("unknown fields.")))
    return problems


def _section(key, source, title_nl, title_en, prompt_nl, prompt_en):
    return {
        "key": key,
        "title": {"nl": title_nl, "en": title_en},
        "prompt": {"nl": prompt_nl, "en": prompt_en},
        "source": source,
    }


# The format every programme uses until its organisation (or the firm that runs it) has one.
DEFAULT_SECTIONS = [
    _section(
        "method",
        "method",
        "Werkvorm",
        "Method",
        "Welke werkvorm volgde de groep, en hoe verliep die?",
        "Which method did the group follow, and how did it go?",
    ),
    _section(
        "roles",
        "roles",
        "Rollen",
        "Roles",
        "Procesbegeleider, inbrenger(s), tijdbewaker en notulist.",
        "Process facilitator, presenter(s), timekeeper and note taker.",
    ),
    _section(
        "present",
        "presence",
        "Aanwezig",
        "Present",
        "Wie waren er, en wie hadden zich afgemeld?",
        "Who was there, and who had sent apologies?",
    ),
    _section(
        "cases",
        "cases",
        "De casus",
        "The case(s)",
        "De titel van de besproken casus; geen details die iemand herkenbaar maken.",
        "The title of the case discussed; no details that identify anyone.",
    ),
    _section(
        "question",
        "problem_statement",
        "Vraag en gekozen probleemstelling",
        "The question / chosen problem statement",
        "De vraag van de inbrenger en de probleemstelling die hij of zij koos.",
        "The presenter's question and the problem statement they chose.",
    ),
    _section(
        "main_questions",
        "questions",
        "Belangrijkste vragen",
        "Main questions",
        "De vragen die het meest opleverden.",
        "The questions that helped most.",
    ),
    _section(
        "discussion",
        "analysis",
        "Bespreking",
        "Discussion",
        "Wat kwam er uit de analyse of de roddelronde, zonder namen van buiten de groep?",
        "What came out of the analysis or the gossip round, without names from outside the group?",
    ),
    _section(
        "advice",
        "advice",
        "Adviezen",
        "Advice",
        "De adviezen en ideeën van de groep.",
        "The group's advice and ideas.",
    ),
    _section(
        "takeaways",
        "takeaways",
        "Wat neemt de inbrenger mee?",
        "What the presenter takes along",
        "In de woorden van de inbrenger.",
        "In the presenter's own words.",
    ),
    _section(
        "action_points",
        "action_points",
        "Actiepunten",
        "Action points",
        "Wie doet wat vóór de volgende bijeenkomst?",
        "Who does what before the next meeting?",
    ),
    _section(
        "agreements",
        "agreements",
        "Afspraken",
        "Agreements",
        "Afspraken van de groep (over de werkwijze, de volgende keer, de spelregels).",
        "The group's agreements (about how it works, next time, the ground rules).",
    ),
    _section(
        "next_meeting",
        "next_meeting",
        "Volgende bijeenkomst",
        "The next meeting",
        "Datum, tijd en plaats van de volgende bijeenkomst.",
        "Date, time and place of the next meeting.",
    ),
]
