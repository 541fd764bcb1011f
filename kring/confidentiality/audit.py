"""The writer of the audit log (NEN 7513): one call per event, many targets per call.

The policy's readers call `record` in the same call that checks a read, so no content
leaves the policy unrecorded. The client IP and request id come from the request the
event happens in, bound by `kring.confidentiality.middleware.AuditContextMiddleware`.

Appends are serialised so the hash chain stays whole under concurrent writers: each
writer locks the one chain-head row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
first write statement takes the database's write lock) inside its own transaction, reads
the last hash from it, inserts its entries and moves the head on.
"""

from collections.abc import Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from .models import GENESIS_HASH, AuditChainHead, AuditEvent

HEAD_PK = 1


@dataclass(frozen=True)
class RequestContext:
    client_ip: str | None
    request_id: str


_request_context: ContextVar[RequestContext | None] = ContextVar(
    "kring_audit_request_context", default=None
)


def bind_request(context: RequestContext) -> Token:
    """Make `context` the request every event in this thread/task belongs to."""
    return _request_context.set(context)


def unbind_request(token: Token) -> None:
    _request_context.reset(token)


def current_request() -> RequestContext | None:
    return _request_context.get()


@dataclass(frozen=True)
class Target:
    obj: models.Model  # what was read/changed
    subject_id: int | None  # the user whose data it is (e.g. the case's presenter)
    organisation_id: int | None


def user_label(user) -> str:
    """`#12 Name <e-mail>`: the id lets the verifier check the foreign key."""
    return f"#{user.pk} {user.full_name} <{user.email}>"


def organisation_label(organisation) -> str:
    return f"#{organisation.pk} {organisation.name}"


def record(event, *, actor, capacity, targets: Iterable[Target], description: str = "") -> None:
    """Append one entry per target to the audit log, in the caller's transaction."""
    from kring.organisations.models import Organisation

    event = AuditEvent.Event(event)
    capacity = AuditEvent.Capacity(capacity)
    targets = list(targets)
    if not targets:
        return
    if actor is not None and not actor.is_authenticated:
        actor = None  # AnonymousUser: an event without an acting person
    context = current_request() or RequestContext(client_ip=None, request_id="")

    users = {actor.pk: actor} if actor is not None else {}
    wanted = {t.subject_id for t in targets if t.subject_id is not None} - users.keys()
    if wanted:
        users |= get_user_model().objects.only("full_name", "email").in_bulk(wanted)
    organisation_ids = {t.organisation_id for t in targets if t.organisation_id is not None}
    organisations = (
        Organisation.objects.only("name").in_bulk(organisation_ids) if organisation_ids else {}
    )

    with transaction.atomic():
        head = _lock_head()
        now = timezone.now()  # under the lock, so time never runs backwards along the chain
        previous = head.last_hash
        entries = []
        for target in targets:
            subject = users.get(target.subject_id)
            organisation = organisations.get(target.organisation_id)
            entry = AuditEvent(
                event=event,
                at=now,
                object_type=target.obj._meta.label_lower,
                object_id=str(target.obj.pk),
                actor=actor,
                actor_label=user_label(actor) if actor is not None else "",
                capacity=capacity,
                subject=subject,
                subject_label=user_label(subject) if subject is not None else "",
                organisation=organisation,
                organisation_label=organisation_label(organisation) if organisation else "",
                client_ip=context.client_ip,
                request_id=context.request_id,
                description=description[:200],
                previous_hash=previous,
            )
            entry.hash = entry.compute_hash()
            previous = entry.hash
            entries.append(entry)
        AuditEvent.objects.bulk_create(entries)
        AuditChainHead.objects.filter(pk=head.pk).update(
            last_hash=previous, entries=models.F("entries") + len(entries)
        )


def _lock_head() -> AuditChainHead:
    """Lock the chain head for this transaction; create it the first time."""
    if connection.vendor == "sqlite":
        # Write before reading: a deferred SQLite transaction that reads first and then
        # writes fails with "database is locked" instead of waiting for the other writer.
        AuditChainHead.objects.filter(pk=HEAD_PK).update(entries=models.F("entries"))
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is None:
        # A fresh (or flushed) database: start from whatever the log holds.
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        AuditChainHead.objects.bulk_create(
            [
                AuditChainHead(
                    pk=HEAD_PK,
                    last_hash=last or GENESIS_HASH,
                    entries=AuditEvent.objects.count(),
                )
            ],
            ignore_conflicts=True,
        )
        head = AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)
    return head


def record_read(user, objects: models.Model | Iterable[models.Model], *, description=""):
    """The old interface, kept while views move their reads into the policy's readers."""
    if isinstance(objects, models.Model):
        objects = [objects]
    record(
        AuditEvent.Event.READ,
        actor=user,
        capacity=AuditEvent.Capacity.NONE,
        targets=[Target(obj=obj, subject_id=None, organisation_id=None) for obj in objects],
        description=description,
    )
