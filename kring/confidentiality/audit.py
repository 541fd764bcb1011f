"""The writer of the audit log (NEN 7513): one call per event, many targets per call.

The policy's readers call `record` in the same call that checks a read, so no content
leaves the policy unrecorded. The client IP and request id come from the request the
event happens in, bound by `kring.confidentiality.middleware.AuditContextMiddleware`.

Appends are serialised so the hash chain stays whole under concurrent writers: each
writer locks the one chain-head row inside its transaction with an UPDATE ... RETURNING
(a row lock on PostgreSQL, held until commit; on SQLite the database's write lock), gets
the last hash from it, inserts its entries and moves the head on. The head also lets the
verifier notice entries cut off the end of the log.
"""

from collections.abc import Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.organisations.models import Organisation

from .models import GENESIS_HASH, AuditChainHead, AuditEvent

HEAD_PK = 1
HEAD_TABLE = AuditChainHead._meta.db_table


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


# Labels carry the id they were written for, so the verifier can check the foreign key.
USER_LABEL = "#{} {} <{}>"
ORGANISATION_LABEL = "#{} {}"


def user_label(user) -> str:
    return USER_LABEL.format(user.pk, user.full_name, user.email)


def organisation_label(organisation) -> str:
    return ORGANISATION_LABEL.format(organisation.pk, organisation.name)


def record(event, *, actor, capacity, targets: Iterable[Target], description: str = "") -> None:
    """Append one entry per target to the audit log, in the caller's transaction."""
    event = AuditEvent.Event(event)
    capacity = AuditEvent.Capacity(capacity)
    targets = list(targets)
    if not targets:
        return
    if actor is not None and not actor.is_authenticated:
        actor = None  # AnonymousUser: an event without an acting person
    context = current_request() or RequestContext(client_ip=None, request_id="")

    user_labels = {actor.pk: user_label(actor)} if actor is not None else {}
    organisation_labels: dict[int, str] = {}
    for target in targets:  # the policy's readers usually loaded both with the object
        if target.subject_id is not None and target.subject_id not in user_labels:
            if subject := _loaded_with(target.obj, get_user_model(), target.subject_id):
                user_labels[subject.pk] = user_label(subject)
        if target.organisation_id is not None and target.organisation_id not in organisation_labels:
            if organisation := _loaded_with(target.obj, Organisation, target.organisation_id):
                organisation_labels[organisation.pk] = organisation_label(organisation)
    wanted = {t.subject_id for t in targets if t.subject_id is not None} - user_labels.keys()
    user_labels |= _labels(get_user_model(), ["full_name", "email"], wanted, USER_LABEL)
    wanted = {t.organisation_id for t in targets if t.organisation_id is not None}
    organisation_labels |= _labels(
        Organisation, ["name"], wanted - organisation_labels.keys(), ORGANISATION_LABEL
    )

    # Plain SQL for the chain's bookkeeping: a content read pays for every statement here.
    with transaction.atomic(), connection.cursor() as cursor:
        previous = _lock_head(cursor)
        now = timezone.now()  # under the lock, so time never runs backwards along the chain
        entries = []
        for target in targets:
            entry = AuditEvent(
                event=event,
                at=now,
                object_type=target.obj._meta.label_lower,
                object_id=str(target.obj.pk),
                actor_id=actor.pk if actor is not None else None,
                actor_label=user_labels[actor.pk] if actor is not None else "",
                capacity=capacity,
                subject_id=target.subject_id,
                subject_label=user_labels.get(target.subject_id, ""),
                organisation_id=target.organisation_id,
                organisation_label=organisation_labels.get(target.organisation_id, ""),
                client_ip=context.client_ip,
                request_id=context.request_id,
                description=description[:200],
                previous_hash=previous,
            )
            entry.hash = entry.compute_hash()
            previous = entry.hash
            entries.append(entry)
        _append(cursor, entries, previous)


INSERTED = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
MOVE_HEAD = f"UPDATE {HEAD_TABLE} SET last_hash = %s, entries = entries + %s WHERE id = %s"  # noqa: S608


def _append(cursor, entries: list[AuditEvent], last_hash: str) -> None:
    """Insert the entries and move the head on: one round trip on PostgreSQL."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in INSERTED)
    row = "(" + ", ".join(["%s"] * len(INSERTED)) + ")"
    insert = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(entries))}"
    )
    values = [
        field.get_db_prep_save(getattr(entry, field.attname), connection)
        for entry in entries
        for field in INSERTED
    ]
    head = [last_hash, len(entries), HEAD_PK]
    if connection.vendor == "postgresql":
        cursor.execute(f"WITH moved AS ({MOVE_HEAD}) {insert}", head + values)
    else:
        cursor.execute(insert, values)
        cursor.execute(MOVE_HEAD, head)


def _loaded_with(obj, model, pk, depth: int = 4):
    """The `model` instance with this pk among the relations already loaded on `obj`
    (select_related), or None: spares the writer a query per entry."""
    for field in obj._meta.concrete_fields:
        if not field.is_relation or not field.is_cached(obj):
            continue
        related = field.get_cached_value(obj)
        if related is None:
            continue
        if isinstance(related, model) and related.pk == pk:
            return related
        if depth > 1 and (found := _loaded_with(related, model, pk, depth - 1)) is not None:
            return found
    return None


def _labels(model, columns: list[str], ids: set[int], template: str) -> dict[int, str]:
    if not ids:
        return {}
    rows = model._base_manager.filter(pk__in=ids).values_list("pk", *columns)
    return {row[0]: template.format(*row) for row in rows}


# One statement that locks the head for this transaction (a row lock on PostgreSQL, the
# write lock on SQLite, taken before anything is read so SQLite waits instead of failing
# with "database is locked") and returns the hash to chain onto.
LOCK_HEAD = f"UPDATE {HEAD_TABLE} SET entries = entries WHERE id = %s RETURNING last_hash"  # noqa: S608


def _lock_head(cursor) -> str:
    """Lock the chain head for this transaction and return the last hash."""
    cursor.execute(LOCK_HEAD, [HEAD_PK])
    row = cursor.fetchone()
    if row is None:
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
        cursor.execute(LOCK_HEAD, [HEAD_PK])
        row = cursor.fetchone()
    return row[0]


def reads_of(objects: Iterable[models.Model], *, except_by=None) -> dict[str, list[AuditEvent]]:
    """The read events on each object (of one model), newest first, keyed by the object's
    id as text; without the reads of `except_by`, for whom their own reads are noise."""
    objects = list(objects)
    reads: dict[str, list[AuditEvent]] = {str(obj.pk): [] for obj in objects}
    if not objects:
        return reads
    events = AuditEvent.objects.filter(
        event=AuditEvent.Event.READ,
        object_type=objects[0]._meta.label_lower,
        object_id__in=list(reads),
    ).order_by("-at", "-id")
    if except_by is not None:
        events = events.exclude(actor=except_by)
    for event in events:
        reads[event.object_id].append(event)
    return reads


# Verification: walk the chain from its first entry.


# A foreign key is outside the hash (it may be cleared when a person is deleted), so the
# verifier checks it against the id its label was written for.
REPOINTED = {
    "actor": gettext_lazy("its actor points at another person than was recorded"),
    "subject": gettext_lazy("its data subject points at another person than was recorded"),
    "organisation": gettext_lazy("its organisation points at another one than was recorded"),
}


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_at: int | None = None  # id of the first entry that does not fit
    problem: str = ""
    code: str = ""  # edited, unlinked, repointed, truncated, rewritten
    last_hash: str = GENESIS_HASH  # note it elsewhere to anchor the chain up to here

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(*, anchor: str = "") -> ChainReport:
    """The first broken link of the audit log, or that it is intact.

    `anchor` is a last hash noted outside the database earlier: the chain must pass
    through it, which proves that nobody rewrote the log up to there and re-hashed it."""
    previous, count, last_id, anchored = GENESIS_HASH, 0, None, not anchor
    for entry in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if entry.previous_hash != previous:
            return ChainReport(
                count,
                entry.pk,
                _(
                    "it does not follow on the entry before it: an entry was removed, inserted "
                    "or replaced before it"
                ),
                "unlinked",
            )
        if entry.compute_hash() != entry.hash:
            return ChainReport(
                count, entry.pk, _("its contents do not match its hash: it was edited"), "edited"
            )
        for field, problem in REPOINTED.items():
            key = getattr(entry, f"{field}_id")
            if key is not None and key != AuditEvent.label_id(getattr(entry, f"{field}_label")):
                return ChainReport(count, entry.pk, str(problem), "repointed")
        previous, count, last_id = entry.hash, count + 1, entry.pk
        anchored = anchored or entry.hash == anchor
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is None and count == 0:
        return ChainReport(0)
    if head is None or head.last_hash != previous or head.entries != count:
        return ChainReport(
            count,
            last_id or 0,
            _(
                "the chain does not end where its head says: entries were removed from or "
                "added to its end"
            ),
            "truncated",
        )
    if not anchored:
        return ChainReport(
            count,
            last_id or 0,
            _("the noted hash is not in the chain: the log was rewritten before it"),
            "rewritten",
        )
    return ChainReport(count, last_hash=previous)
