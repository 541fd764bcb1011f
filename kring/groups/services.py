from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

import engine.grouping as grouping
from kring.confidentiality import audit, policy
from kring.confidentiality.models import AuditEvent
from kring.core import emails
from kring.programmes import services as programme_services
from kring.programmes.models import Programme

from . import composition, signals
from . import reasons as reasons_words
from .models import (
    GroundRule,
    GroundRuleAcceptance,
    GroundRuleSet,
    Group,
    GroupMembership,
    Proposal,
)


def ground_rules_accepted_by(group: Group) -> set[int]:
    """Ids of users whose acceptance covers the group's current ground rules."""
    rule_set = group.ground_rule_set
    if rule_set is None:
        return set()
    return set(
        GroundRuleAcceptance.objects.filter(
            rule_set=rule_set, revision=rule_set.revision
        ).values_list("user_id", flat=True)
    )


@transaction.atomic
def accept_ground_rules(*, group: Group, by) -> GroundRuleAcceptance:
    rule_set = group.ground_rule_set
    acceptance, _created = GroundRuleAcceptance.objects.update_or_create(
        rule_set=rule_set, user=by, defaults={"revision": rule_set.revision}
    )
    return acceptance


def _accepted_at_registration(programme: Programme, members: list[int]) -> set[int]:
    """Members who accepted the programme's ground-rule set, as it reads now, when they
    registered: the group's copy of it needs no second yes from them."""
    template = programme.ground_rule_set
    if template is None:
        return set()
    return set(
        programme.registrations.filter(
            user__in=members, accepted_ground_rules_at__gte=template.revised_at
        ).values_list("user_id", flat=True)
    )


class CompositionError(Exception):
    """A change the hard rules refuse; `reasons` say why, in the coordinator's words."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class FacilitatorError(Exception):
    """The person may not lead a group of this programme; the message says why."""


def may_facilitate(*, programme: Programme, user) -> bool:
    """A facilitator reads a group's content, so they must hold the facilitator role in
    the programme's organisation or in the firm that runs the programme (mission.md)."""
    return policy.holds_facilitator_role(user, programme)


def _not_a_facilitator(programme: Programme, user) -> str:
    return _(
        "%(name)s does not hold the facilitator role in %(organisation)s or in the firm "
        "that runs this programme, so cannot lead a group."
    ) % {"name": user, "organisation": programme.organisation}


@transaction.atomic
def assign_facilitator(*, group: Group, facilitator, by) -> Group:
    """Make `facilitator` (or nobody, with None) the group's facilitator.

    The caller checks that `by` may manage the programme; this checks the person, and
    the change is audited because it decides who reads the group's content.
    """
    programme = group.programme
    if facilitator is not None and not may_facilitate(programme=programme, user=facilitator):
        raise FacilitatorError(_not_a_facilitator(programme, facilitator))
    group.facilitator = facilitator
    group.save(update_fields=["facilitator"])
    audit.record(
        AuditEvent.Event.CHANGE,
        actor=by,
        capacity=AuditEvent.Capacity.COORDINATOR,
        targets=[
            audit.Target(
                obj=group,
                subject_id=facilitator.pk if facilitator else None,
                organisation_id=programme.organisation_id,
            )
        ],
        description=f"facilitator set to #{facilitator.pk}" if facilitator else "no facilitator",
    )
    return group


def _next_number(programme) -> int:
    last = programme.proposals.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def start_composition(*, programme, rules: dict, by, based_on=None) -> Proposal:
    """Create a queued proposal and, once this commits, ask for it to be composed (the
    worker runs it; the page shows its progress)."""
    locked = {}
    if based_on is not None:
        locked = dict(based_on.locked)
        rules = {**based_on.rules, "group_count": len(based_on.groups)}
    proposal = Proposal.objects.create(
        programme=programme,
        number=_next_number(programme),
        based_on=based_on,
        rules=rules,
        locked=locked,
        created_by=by,
        changed_by=by,
    )
    transaction.on_commit(
        lambda: signals.composition_requested.send(sender=Proposal, proposal_id=proposal.pk)
    )
    return proposal


def run_composition(*, proposal_id: int) -> Proposal:
    """Run the engine; progress is written to the proposal while it searches.

    An answer without a single search step (the time ran out first) is not a proposal:
    it is kept as failed, with the reason, so the page offers to compose again.
    """
    proposal = Proposal.objects.select_related("programme").get(pk=proposal_id)
    proposal.status = Proposal.Status.RUNNING
    proposal.save(update_fields=["status"])
    pool = composition.load_pool(proposal.programme, history_before=proposal.created_at)
    locked = {int(person): index for person, index in proposal.locked.items()}
    group_count = proposal.rules.get("group_count")
    try:
        problem = composition.build_problem(pool, proposal.rules, locked, group_count)
        last_saved = [0.0]

        def on_progress(progress):
            if progress.elapsed_s - last_saved[0] >= 1.0:
                last_saved[0] = progress.elapsed_s
                Proposal.objects.filter(pk=proposal.pk).update(
                    progress={
                        "elapsed_s": round(progress.elapsed_s, 1),
                        "best": progress.best_objective,
                        "iterations": progress.iterations,
                    }
                )

        result = grouping.solve(
            problem,
            time_limit=float(proposal.rules.get("time_limit", 10)),
            seed=proposal.number,
            progress=on_progress,
        )
    except grouping.InputError as error:
        proposal.status = Proposal.Status.FAILED
        proposal.explanation = [
            {"rule": "input", "code": "input", "message": str(error), "people": []}
        ]
        proposal.save(update_fields=["status", "explanation"])
        return proposal
    proposal.explanation = [reason.as_dict() for reason in result.explanation]
    proposal.progress = {
        "elapsed_s": round(result.elapsed_s, 1),
        "best": result.objective,
        "iterations": result.iterations,
        "searched": result.searched,
    }
    if result.feasible and result.searched:
        proposal.status = Proposal.Status.READY
        proposal.groups = composition.groups_from_result(result)
        proposal.objective = result.objective
    elif result.feasible:
        proposal.status = Proposal.Status.FAILED
        proposal.explanation = [{"rule": "search", "code": "no_search", "people": []}]
    else:
        proposal.status = Proposal.Status.INFEASIBLE
    proposal.save(update_fields=["status", "groups", "objective", "explanation", "progress"])
    return proposal


def _editable(proposal: Proposal) -> None:
    if proposal.status != Proposal.Status.READY:
        raise CompositionError([_("Only a finished, unpublished proposal can be changed.")])


def refusals(pool, reasons: list) -> list[str]:
    """The engine's reasons as sentences for the coordinator."""
    return [
        worded.message
        for worded in reasons_words.word_all(pool, [reason.as_dict() for reason in reasons])
    ]


def _apply(proposal: Proposal, groups: list[list[int]], locked: dict[int, int], by) -> Proposal:
    """Save new groups if the engine finds every hard rule kept; refuse with its reasons."""
    pool = composition.load_pool(proposal.programme, history_before=proposal.created_at)
    broken = composition.check(pool, proposal.rules, groups, locked)
    if broken:
        raise CompositionError(refusals(pool, broken))
    problem = composition.build_problem(pool, proposal.rules, locked, len(groups))
    proposal.groups = [sorted(group) for group in groups]
    proposal.locked = {str(person): index for person, index in locked.items()}
    proposal.objective = grouping.evaluate(problem, [[str(p) for p in g] for g in proposal.groups])
    proposal.changed_by = by
    proposal.save(update_fields=["groups", "locked", "objective", "changed_by"])
    return proposal


def _locked(proposal) -> dict[int, int]:
    return {int(person): index for person, index in proposal.locked.items()}


@transaction.atomic
def move_person(*, proposal: Proposal, person: int, to_group: int, by) -> Proposal:
    """Move one person to another group (0-based), if every hard rule still holds."""
    _editable(proposal)
    groups = [[p for p in group if p != person] for group in proposal.groups]
    if not 0 <= to_group < len(groups) or not any(person in g for g in proposal.groups):
        raise CompositionError([_("That person or group is not in this proposal.")])
    groups[to_group].append(person)
    return _apply(proposal, groups, _locked(proposal), by)


@transaction.atomic
def swap_people(*, proposal: Proposal, first: int, second: int, by) -> Proposal:
    _editable(proposal)
    where = {p: i for i, group in enumerate(proposal.groups) for p in group}
    if first not in where or second not in where:
        raise CompositionError([_("That person or group is not in this proposal.")])
    groups = [list(group) for group in proposal.groups]
    a, b = where[first], where[second]
    groups[a][groups[a].index(first)] = second
    groups[b][groups[b].index(second)] = first
    return _apply(proposal, groups, _locked(proposal), by)


@transaction.atomic
def set_lock(*, proposal: Proposal, people: list[int], locked: bool, by) -> Proposal:
    """Lock people (or a whole group) where they are, or release them."""
    _editable(proposal)
    where = {p: i for i, group in enumerate(proposal.groups) for p in group}
    locks = _locked(proposal)
    for person in people:
        if locked and person in where:
            locks[person] = where[person]
        else:
            locks.pop(person, None)
    locked_now = {str(person): index for person, index in locks.items()}
    if locked_now == proposal.locked:
        return proposal  # nobody of this proposal was named: nothing changed, nothing recorded
    proposal.locked = locked_now
    proposal.changed_by = by
    proposal.save(update_fields=["locked", "changed_by"])
    return proposal


@transaction.atomic
def publish(*, proposal: Proposal, by) -> list[Group]:
    """Turn a proposal into the programme's groups and tell everyone.

    A new round ends the memberships of the previous groups, so history is kept.
    """
    proposal = Proposal.objects.select_for_update().select_related("programme").get(pk=proposal.pk)
    _editable(proposal)
    programme = proposal.programme
    pool = composition.load_pool(programme, history_before=proposal.created_at)
    reasons = refusals(
        pool, composition.check(pool, proposal.rules, proposal.groups, _locked(proposal))
    )
    missing = [p for group in proposal.groups for p in group if p not in pool.registrations]
    if missing:
        reasons.append(_("Some people in this proposal are no longer registered. Compose again."))
    facilitators = [
        role.user
        for role in programme.roles.filter(role="facilitator")
        .select_related("user")
        .order_by("user__full_name")
    ]
    reasons += [
        _not_a_facilitator(programme, person)
        for person in facilitators
        if not may_facilitate(programme=programme, user=person)
    ]
    if reasons:
        raise CompositionError(reasons)

    today = timezone.localdate()
    GroupMembership.objects.current().filter(group__programme=programme).update(
        left_on=Greatest(F("joined_on"), Value(today))
    )
    round_number = programme.proposals.filter(status=Proposal.Status.PUBLISHED).count() + 1
    facilitators = [person.pk for person in facilitators]
    template = programme.ground_rule_set
    accepted = _accepted_at_registration(programme, [p for group in proposal.groups for p in group])
    created = []
    for index, members in enumerate(proposal.groups):
        name = _("Group %(number)s") % {"number": index + 1}
        if round_number > 1:
            name = _("Round %(round)s · group %(number)s") % {
                "round": round_number,
                "number": index + 1,
            }
        rules = None
        if template is not None:
            rules = GroundRuleSet.objects.create(name=f"{template.name} — {name}")
            GroundRule.objects.bulk_create(
                GroundRule(rule_set=rules, text=rule.text, order=rule.order)
                for rule in template.rules.all()
            )
        group = Group.objects.create(
            programme=programme,
            name=name,
            facilitator_id=facilitators[index % len(facilitators)] if facilitators else None,
            ground_rule_set=rules,
        )
        GroupMembership.objects.bulk_create(
            GroupMembership(group=group, user_id=person, joined_on=today) for person in members
        )
        if rules is not None:
            # Their yes at registration covers the same rules in their group.
            GroundRuleAcceptance.objects.bulk_create(
                GroundRuleAcceptance(rule_set=rules, user_id=person, revision=rules.revision)
                for person in sorted(accepted & set(members))
            )
        # Who was given access to the group's content, and by whom, is on the record.
        audit.record(
            AuditEvent.Event.CREATE,
            actor=by,
            capacity=AuditEvent.Capacity.COORDINATOR,
            targets=[
                audit.Target(
                    obj=group, subject_id=person, organisation_id=programme.organisation_id
                )
                for person in [*members, *([group.facilitator_id] if group.facilitator_id else [])]
            ],
            description="group published: member or facilitator given access",
        )
        created.append(group)
    proposal.status = Proposal.Status.PUBLISHED
    proposal.published_at = timezone.now()
    proposal.changed_by = by
    proposal.save(update_fields=["status", "published_at", "changed_by"])
    if programme.status == Programme.Status.REGISTRATION_OPEN:
        programme_services.change_status(
            programme=programme, to_status=Programme.Status.GROUPS_FORMED, by=by
        )
    transaction.on_commit(lambda: _announce(created))
    return created


def _announce(groups: list[Group]) -> None:
    for group in groups:
        members = list(group.memberships.current().select_related("user"))
        for membership in members:
            emails.send(
                "group_published",
                membership.user.email,
                {"group": group, "members": members, "user": membership.user},
                language=membership.user.language,
            )
        if group.facilitator:
            emails.send(
                "group_published_facilitator",
                group.facilitator.email,
                {"group": group, "members": members, "user": group.facilitator},
                language=group.facilitator.language,
            )
