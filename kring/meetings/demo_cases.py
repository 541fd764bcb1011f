"""Demo cases and learning logs: what the groups of the running programme brought in.

Per group: the cases discussed at its held meetings (presented by whoever the rota had as
presenter there), a few cases still waiting in the backlog, and in group 1 a case chosen
for the next meeting. The demo participant keeps a learning log of the meetings she was
at; the last one still asks "What do I take with me?".
"""

from datetime import timedelta

from kring.planning.models import Attendance, Meeting

from . import rota
from .models import Case, LearningLogEntry, MeetingCase, RoleAssignment

# (title, situation, question, help wanted, kind)
CASES = [
    (
        "Grenzen stellen bij een veeleisende familie",
        "De dochter van een cliënt belt dagelijks met nieuwe eisen over de verzorging van "
        "haar moeder. Ik merk dat ik steeds meer toezeg dan ik kan waarmaken.",
        "Hoe blijf ik vriendelijk en toch duidelijk over wat wij wel en niet doen?",
        "Vragen die me helpen zien waarom ik zo snel ja zeg, en ervaringen van anderen.",
        "approach",
    ),
    (
        "Een collega die afspraken niet nakomt",
        "Een collega op mijn afdeling slaat regelmatig de overdracht over. Ik vang het op, "
        "maar ik word er moe en boos van. Ik heb het nog niet met haar besproken.",
        "Hoe spreek ik haar aan zonder dat onze samenwerking eronder lijdt?",
        "Meedenken over de eerste zin van dat gesprek.",
        "conflict",
    ),
    (
        "Zelfbeschikking of veiligheid",
        "Een cliënt met beginnende dementie wil 's avonds alleen gaan wandelen. De familie "
        "wil dat we de deur op slot doen. De cliënt is daar heel verdrietig over.",
        "Wat weegt zwaarder: haar vrijheid of haar veiligheid, en wie beslist dat?",
        "Verschillende kanten van het dilemma zien, geen snel advies.",
        "dilemma",
    ),
    (
        "Nieuw in de rol van teamcoach",
        "Sinds drie maanden ben ik teamcoach van mijn eigen team. Oud-collega's komen nu met "
        "klachten over elkaar bij mij, en ik weet niet goed waar mijn rol ophoudt.",
        "Hoe vind ik mijn plek tussen collega zijn en coach zijn?",
        "Vragen die me laten nadenken over mijn eigen rol.",
        "personal_theme",
    ),
    (
        "Een cliënt die agressief wordt bij de zorg",
        "Bij het wassen wordt een cliënt soms plotseling boos en slaat hij. Collega's gaan "
        "er verschillend mee om; ik voel me onzeker als ik alleen ben.",
        "Wat kan ik anders doen zodat de zorg rustiger verloopt?",
        "Praktische tips en hoe jullie het aanpakken.",
        "approach",
    ),
    (
        "Werkdruk en nee zeggen",
        "Ik word vaak gebeld om een extra dienst te draaien. Ik zeg bijna altijd ja, ook als "
        "ik eigenlijk te moe ben. Thuis merken ze het ook.",
        "Waarom vind ik nee zeggen zo moeilijk, en hoe doe ik het toch?",
        "Dat jullie doorvragen; ik wil het patroon begrijpen.",
        "personal_theme",
    ),
    (
        "Onenigheid met de huisarts",
        "Ik zie dat de pijnmedicatie van een cliënt niet genoeg helpt. De huisarts vindt "
        "van niet. Ik voel me niet serieus genomen.",
        "Hoe breng ik mijn observaties zo in dat de huisarts ze meeneemt?",
        "Advies over het gesprek en hoe ik het vastleg.",
        "conflict",
    ),
    (
        "Geheimhouding bij een zorgelijk signaal",
        "Een cliënt vertelde mij in vertrouwen dat haar zoon geld van haar leent en niet "
        "terugbetaalt. Ze wil niet dat ik het doorvertel.",
        "Mag ik dit vertrouwen doorbreken, en zo ja wanneer?",
        "Meedenken over wat ik nu kan doen en wat niet.",
        "dilemma",
    ),
    (
        "Een stagiair die weinig initiatief toont",
        "Ik begeleid een stagiair die vriendelijk is maar afwacht. Over vier weken moet ik "
        "haar beoordelen en ik twijfel.",
        "Hoe geef ik eerlijke feedback die haar ook verder helpt?",
        "Vragen en ervaringen met het begeleiden van stagiairs.",
        "approach",
    ),
    (
        "Afscheid nemen van een cliënt",
        "Een cliënt die ik jaren verzorgde is overleden. Ik merk dat het me meer raakt dan "
        "ik had verwacht, en ik weet niet of ik daar ruimte voor mag nemen.",
        "Hoe ga ik om met rouw in mijn werk?",
        "Alleen gehoord worden, en horen hoe anderen dit doen.",
        "personal_theme",
    ),
    (
        "Verschillende werkwijzen in het team",
        "Op de avonddienst werkt iedereen anders met het nieuwe zorgplan. Cliënten merken "
        "het, en familie klaagt. Niemand voelt zich eigenaar.",
        "Hoe krijg ik het team zo ver dat we één lijn trekken?",
        "Ideeën die ik in het teamoverleg kan inbrengen.",
        "",
    ),
    (
        "Een cliënt die zorg weigert",
        "Een cliënt weigert al een week haar medicatie en wil niet gewassen worden. Ze is "
        "wilsbekwaam, zegt de arts.",
        "Hoe ver ga ik in overtuigen, en wanneer respecteer ik haar nee?",
        "Verschillende kanten zien; ik twijfel zelf.",
        "dilemma",
    ),
]

LOG_TEXTS = [
    "Ik vul te snel in wat de ander bedoelt. Volgende keer eerst een vraag stellen.",
    "Mooi om te zien hoe de inbrenger zelf bij het antwoord kwam door onze vragen. "
    "Minder adviseren, meer doorvragen.",
    "Bij het roddelen merkte ik hoe moeilijk het is om alleen te luisteren. "
    "Dat wil ik vaker oefenen, ook in mijn eigen team.",
    "Een collega noemde 'grenzen stellen is ook zorgen'. Die zin neem ik mee.",
    "Ik heb geleerd dat een warme vraag meer opent dan een slimme vraag.",
]

# How a held meeting's cases were chosen: the demo shows each way.
HOW = [MeetingCase.How.VOLUNTEERED, MeetingCase.How.CHOSEN, MeetingCase.How.VOTED]


def add_demo_cases(group, number: int, demo_participant, today) -> None:
    members = [m.user for m in group.memberships.current().select_related("user")]
    meetings = list(group.meetings.order_by("starts_at"))
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    coming = [m for m in meetings if m.status == Meeting.Status.PLANNED]
    roles = _roles_by_meeting(meetings)
    pick = _picker(number)

    cases, choices, created = [], [], {}
    discussed_by_meeting: dict[int, list[Case]] = {}
    for sequence, meeting in enumerate(held):
        chooser = roles[meeting.pk].get(RoleAssignment.Role.PROCESS_FACILITATOR, [None])[0]
        for presenter in roles[meeting.pk].get(RoleAssignment.Role.PRESENTER, []):
            case = _case(group, presenter, pick(), Case.Status.DISCUSSED, meeting)
            created[id(case)] = meeting.starts_at - timedelta(days=12)
            cases.append(case)
            how = HOW[(number + sequence) % len(HOW)]
            choices.append((meeting, case, how, chooser or group.facilitator))
            discussed_by_meeting.setdefault(meeting.pk, []).append(case)

    # The backlog: the demo participant's own case, and a few of others, waiting.
    waiting = [m for m in members if m != demo_participant][: 2 + number % 2]
    if number == 1 and coming:  # the next meeting's presenter brings the case chosen for it
        for presenter in roles[coming[0].pk].get(RoleAssignment.Role.PRESENTER, []):
            if presenter not in waiting and presenter != demo_participant:
                waiting.append(presenter)
    if demo_participant in members:
        waiting.insert(0, demo_participant)
    backlog = []
    for position, presenter in enumerate(waiting):
        text = CASES[0] if presenter == demo_participant else pick()
        case = _case(group, presenter, text, Case.Status.OPEN, None)
        created[id(case)] = _backlog_date(held, today, position)
        backlog.append(case)
    cases += backlog

    Case.objects.bulk_create(cases)
    for case in cases:
        case.created_at = created[id(case)]
    Case.objects.bulk_update(cases, ["created_at"])
    MeetingCase.objects.bulk_create(
        MeetingCase(meeting=meeting, case=case, how=how, chosen_by=by)
        for meeting, case, how, by in choices
    )

    if number == 1 and coming:
        _choose_for_next_meeting(coming[0], roles, backlog, demo_participant)
    if demo_participant in members:
        _learning_log(demo_participant, held, discussed_by_meeting)


def _roles_by_meeting(meetings) -> dict[int, dict[str, list]]:
    roles: dict[int, dict[str, list]] = {m.pk: {} for m in meetings}
    for a in RoleAssignment.objects.filter(meeting__in=meetings).select_related("user"):
        roles[a.meeting_id].setdefault(a.role, []).append(a.user)
    return roles


def _picker(number: int):
    """The case texts for a group, from a different place in the list for each group."""
    order = [CASES[(number * 5 + i) % (len(CASES) - 1) + 1] for i in range(len(CASES) - 1)]
    position = iter(range(10_000))
    return lambda: order[next(position) % len(order)]


def _case(group, presenter, text, status, meeting) -> Case:
    title, situation, question, help_wanted, kind = text
    return Case(
        group=group,
        presenter=presenter,
        title=title,
        situation=situation,
        question=question,
        help_wanted=help_wanted,
        kind=kind,
        status=status,
        discussed_at=meeting,
    )


def _backlog_date(held, today, position):
    """Brought in after one of the last held meetings: some wait longer than others."""
    from datetime import datetime, time

    from django.utils import timezone

    if held:
        anchor = held[max(0, len(held) - 1 - position % 2)].starts_at
        return anchor + timedelta(days=2 + position)
    return timezone.make_aware(datetime.combine(today - timedelta(days=7), time(12)))


def _choose_for_next_meeting(meeting, roles, backlog, demo_participant) -> None:
    """The next meeting's presenter in the rota has volunteered a case of theirs."""
    presenters = roles[meeting.pk].get(RoleAssignment.Role.PRESENTER, [])
    case = next((c for c in backlog if c.presenter in presenters), None)
    if case is None:
        case = next((c for c in backlog if c.presenter != demo_participant), None)
    if case is None:
        return
    MeetingCase.objects.create(
        meeting=meeting, case=case, how=MeetingCase.How.VOLUNTEERED, chosen_by=case.presenter
    )
    rota.make_presenter(meeting=meeting, user=case.presenter)


def _learning_log(author, held, discussed_by_meeting) -> None:
    """An entry after each meeting she was at, but the last: that one still asks."""
    present = set(
        Attendance.objects.filter(
            meeting__in=held, user=author, status=Attendance.Status.PRESENT
        ).values_list("meeting_id", flat=True)
    )
    attended = [m for m in held if m.pk in present][:-1]
    entries = []
    for sequence, meeting in enumerate(attended):
        discussed = discussed_by_meeting.get(meeting.pk, [])
        entries.append(
            LearningLogEntry(
                author=author,
                text=LOG_TEXTS[sequence % len(LOG_TEXTS)],
                meeting=meeting,
                case=discussed[0] if discussed and sequence % 2 == 0 else None,
            )
        )
    if attended:  # and a thought of her own, about no meeting in particular
        entries.append(
            LearningLogEntry(
                author=author,
                text="Ik merk dat ik in mijn eigen team nu vaker eerst een vraag stel in "
                "plaats van meteen een oplossing te geven. Dat geeft rust.",
            )
        )
    LearningLogEntry.objects.bulk_create(entries)
    for entry in entries:
        when = entry.meeting.starts_at if entry.meeting else attended[-1].starts_at
        entry.created_at = when + timedelta(days=1 if entry.meeting else 20, hours=3)
    LearningLogEntry.objects.bulk_update(entries, ["created_at"])
