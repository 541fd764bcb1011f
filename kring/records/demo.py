"""Demo records: every held meeting of a group has a record that follows its method's
phases, entered by its note taker; the presenter's action points open the next meeting,
and at each later meeting the presenter marked the earlier ones done or carried on.

Written in bulk (demo data, no audit entries: nobody read or changed anything yet).
"""

import uuid

from kring.meetings.models import RoleAssignment
from kring.planning.models import Meeting

from .models import ActionPointFollowUp, MeetingRecord, RecordInput

# What was said, per case: short and realistic.
CASES = [
    {
        "questions": [
            "Wat gebeurde er precies toen de dochter de laatste keer belde?",
            "Wat heb je haar tot nu toe toegezegd?",
            "Wie in je team weet hiervan?",
            "Wat zou je willen dat er over een maand anders is?",
        ],
        "problem_statements": [
            "Hoe blijf ik vriendelijk en toch duidelijk over wat wij wel en niet doen?",
            "Hoe zorg ik dat de familie bij één vast aanspreekpunt terechtkomt?",
            "Hoe voorkom ik dat ik me schuldig voel als ik nee zeg?",
        ],
        "chosen": 0,
        "gossip": [
            "Ze doet al heel veel; misschien te veel alleen.",
            "De dochter lijkt vooral bang dat haar moeder tekortkomt.",
            "Een vast belmoment kan voor beide rust geven.",
        ],
        "analysis": [
            "Er zijn geen afspraken over wie de familie te woord staat.",
            "De eisen nemen toe sinds de nieuwe zorgindeling.",
        ],
        "advice": [
            "Spreek één vast belmoment per week af en houd je daaraan.",
            "Leg de afspraken vast in het zorgplan, samen met de dochter.",
            "Vraag je teamleider om bij het volgende gesprek aan te schuiven.",
        ],
        "takeaways": [
            "Ik mag grenzen stellen zonder dat ik onaardig ben.",
            "Ik hoef dit niet alleen op te lossen.",
        ],
        "action_points": [
            "Ik plan deze week een gesprek met de dochter over een vast belmoment.",
            "Ik bespreek in het teamoverleg wie het aanspreekpunt voor de familie is.",
        ],
        "agreements": "Volgende keer brengt iemand anders een casus in. "
        "De terugkoppeling over het gesprek met de familie staat als eerste op de agenda.",
    },
    {
        "questions": [
            "Sinds wanneer merk je dat de samenwerking stroef loopt?",
            "Hoe reageerde je collega toen je het aankaartte?",
            "Wat is voor jou het moeilijkste moment van de dag?",
            "Wat heb je al geprobeerd?",
        ],
        "problem_statements": [
            "Hoe bespreek ik de taakverdeling zonder dat het een verwijt wordt?",
            "Hoe krijg ik weer overzicht op mijn dienst?",
            "Hoe vraag ik om hulp zonder me zwak te voelen?",
        ],
        "chosen": 0,
        "gossip": [
            "Hij merkt het wel, maar zegt er niets over.",
            "Het gaat eigenlijk niet over de taken, maar over waardering.",
            "Ze is heel loyaal, ook als dat haar zelf veel kost.",
        ],
        "analysis": [
            "De taken zijn na de reorganisatie nooit opnieuw verdeeld.",
            "Er is weinig tijd voor overdracht tussen de diensten.",
        ],
        "advice": [
            "Begin het gesprek met wat goed gaat in de samenwerking.",
            "Maak samen een lijst van taken en wie ze nu doet.",
            "Stel voor om het over twee weken samen te evalueren.",
        ],
        "takeaways": [
            "Ik begin met een vraag in plaats van met een oplossing.",
            "Het helpt om het concreet te maken.",
        ],
        "action_points": [
            "Ik vraag mijn collega om een kwartier voor een gesprek over de taakverdeling.",
            "Ik schrijf op welke taken ik nu doe en hoeveel tijd ze kosten.",
        ],
        "agreements": "We beginnen de volgende keer op tijd; wie verhinderd is, meldt zich "
        "vooraf af bij de procesbegeleider.",
    },
    {
        "questions": [
            "Wat zei de cliënt zelf over wat hij wilde?",
            "Wie besliste er uiteindelijk?",
            "Wat heb je op dat moment gevoeld?",
            "Wat zou je nu anders doen?",
        ],
        "problem_statements": [
            "Hoe weeg ik de wens van de cliënt tegen het advies van de arts?",
            "Hoe geef ik aan dat ik het niet eens ben met een besluit?",
            "Hoe ga ik om met twijfel achteraf?",
        ],
        "chosen": 1,
        "gossip": [
            "Ze heeft goed gehandeld, maar twijfelt aan zichzelf.",
            "Er was te weinig tijd om het samen te bespreken.",
            "Misschien is een moreel beraad hier een goed idee.",
        ],
        "analysis": [
            "De cliënt is wilsbekwaam; dat maakt zijn keuze zwaarwegend.",
            "Niemand had de regie over het gesprek met de familie.",
        ],
        "advice": [
            "Vraag een moreel beraad aan voor dit soort situaties.",
            "Bespreek je twijfel met de specialist ouderengeneeskunde.",
            "Schrijf op wat je die dag wist; dat helpt bij het terugkijken.",
        ],
        "takeaways": [
            "Twijfel hoort bij dit werk; ik hoef het niet alleen te dragen.",
            "Ik wil vaker hardop zeggen wat ik zie.",
        ],
        "action_points": [
            "Ik vraag bij kwaliteit en beleid na hoe je een moreel beraad aanvraagt.",
            "Ik plan een gesprek met de specialist ouderengeneeskunde.",
        ],
        "agreements": "Wat hier besproken is, blijft in de groep. "
        "De volgende bijeenkomst proberen we een nieuwe werkvorm.",
    },
]


def _people(meeting):
    roles = {}
    for assignment in RoleAssignment.objects.filter(meeting=meeting).select_related("user"):
        roles.setdefault(assignment.role, []).append(assignment.user)
    return roles


def add_demo_records(group, facilitator) -> int:
    """Records of the group's held meetings; the action points of the last one (and one
    carried on from before) stay open for the group's next meeting."""
    held = list(
        Meeting.objects.filter(group=group, status=Meeting.Status.HELD)
        .exclude(method_version=None)
        .select_related("method_version")
        .order_by("starts_at")
    )
    members = [m.user for m in group.memberships.current().select_related("user")]
    previous_points: list[RecordInput] = []
    for sequence, meeting in enumerate(held):
        roles = _people(meeting)
        presenter = (roles.get("presenter") or members)[0]
        note_taker = (roles.get("note_taker") or [facilitator])[0]
        questioners = [u for u in members if u != presenter] or members
        case = CASES[(group.pk + sequence) % len(CASES)]
        record = MeetingRecord.objects.create(
            meeting=meeting, method_version=meeting.method_version
        )
        rows: list[RecordInput] = []
        phases = meeting.method_version.content["phases"]
        # A method may look back on action points first (the incident method): the new
        # ones go in its last action-point phase; the look-back is the follow-ups below.
        point_phases = [n for n, p in enumerate(phases, start=1) if p["input"] == "action_points"]
        for number, phase in enumerate(phases, start=1):
            kind = phase["input"]
            if kind == "none" or kind == "presenter_choice" or kind == "ratings":
                continue
            if kind == "action_points" and number != point_phases[-1]:
                continue
            attributed = kind in {"questions", "problem_statements", "advice"}
            for index, text in enumerate(case.get(kind, [])):
                rows.append(
                    RecordInput(
                        record=record,
                        client_id=uuid.uuid4(),
                        phase=number,
                        kind=kind,
                        author=presenter
                        if kind in {"takeaways", "action_points"}
                        else (questioners[index % len(questioners)] if attributed else None),
                        entered_by=note_taker,
                        text=text,
                        state=RecordInput.State.REVEALED
                        if phase["reveal"] == "on_reveal"
                        else RecordInput.State.SUBMITTED,
                    )
                )
        if not point_phases:
            rows += [
                RecordInput(
                    record=record,
                    client_id=uuid.uuid4(),
                    phase=0,
                    kind="action_points",
                    author=presenter,
                    entered_by=note_taker,
                    text=text,
                )
                for text in case["action_points"]
            ]
        RecordInput.objects.bulk_create(rows)
        statements = [r for r in rows if r.kind == "problem_statements"]
        questions = [r for r in rows if r.kind == "questions"]
        refers = []
        for number, phase in enumerate(phases, start=1):
            if phase["input"] == "presenter_choice" and statements:
                refers.append(
                    RecordInput(
                        record=record,
                        client_id=uuid.uuid4(),
                        phase=number,
                        kind="presenter_choice",
                        author=presenter,
                        entered_by=note_taker,
                        refers_to=statements[min(case["chosen"], len(statements) - 1)],
                    )
                )
            if phase["input"] == "ratings":
                refers += [
                    RecordInput(
                        record=record,
                        client_id=uuid.uuid4(),
                        phase=number,
                        kind="ratings",
                        author=presenter,
                        entered_by=note_taker,
                        refers_to=question,
                        rating=("warm", "neutral", "warm", "cold")[index % 4],
                    )
                    for index, question in enumerate(questions)
                ]
        RecordInput.objects.bulk_create(refers)
        # The presenter of the earlier meeting looked back on their action points here.
        follow_ups = [
            ActionPointFollowUp(
                action_point=point,
                at_meeting=meeting,
                status="done" if index == 0 else "carried_on",
                by=point.author,
            )
            for index, point in enumerate(previous_points)
            if point.author is not None
        ]
        ActionPointFollowUp.objects.bulk_create(follow_ups)
        record.agreements = case["agreements"]
        record.version = len(rows) + len(refers) + 1
        record.updated_by = note_taker
        record.save(update_fields=["agreements", "version", "updated_by"])
        # Carried on stays open: it comes back with the new ones.
        previous_points = [r for r in rows if r.kind == "action_points"][-2:]
    return len(held)
