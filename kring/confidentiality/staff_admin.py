"""Platform staff in the Django admin: audited, and without a way to route to content.

Staff keep the platform running; they are nobody's group member, facilitator or
coordinator. Who belongs where (group memberships, a group's facilitator, programme
roles, organisation memberships) decides who reads content, so the admin shows it
read-only: it changes only through the app's services and their rules. Every change
staff do make in the admin becomes an audit entry in the capacity "platform staff".
"""

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save

from . import audit
from .models import AuditEvent

EVENTS = {
    ADDITION: AuditEvent.Event.CREATE,
    CHANGE: AuditEvent.Event.CHANGE,
    DELETION: AuditEvent.Event.DELETE,
}


class ReadOnlyAdminMixin:
    """Shown to staff, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


def _subject_id(obj) -> int | None:
    """Whose data the object is: the person themselves, or the person it belongs to."""
    from django.contrib.auth import get_user_model

    if isinstance(obj, get_user_model()):
        return obj.pk
    return getattr(obj, "user_id", None)


def record_admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    """Every admin addition, change and deletion writes a LogEntry (deletions just before
    the row goes): the same moment becomes an audit entry, in the same transaction."""
    from .policy import organisation_of

    if not created or instance.action_flag not in EVENTS:
        return
    model = instance.content_type.model_class()
    if model is None or model is AuditEvent:
        return
    try:
        obj = instance.get_edited_object()
    except model.DoesNotExist:
        # Gone already: still say what it was.
        obj = model(pk=model._meta.pk.to_python(instance.object_id))
    organisation = organisation_of(obj) if obj._state.db else None
    audit.record(
        EVENTS[instance.action_flag],
        actor=instance.user,
        capacity=AuditEvent.Capacity.PLATFORM_STAFF,
        targets=[
            audit.Target(
                obj=obj,
                subject_id=_subject_id(obj),
                organisation_id=organisation.pk if organisation else None,
            )
        ],
        description=f"admin: {instance.get_change_message()}"[:200],
    )


class TOTPDeviceAdmin(admin.ModelAdmin):
    """Staff remove a lost authenticator so its owner can set up a new one. They never see
    a key (it would give them the codes) and never add one (a second factor for someone
    else's account)."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    search_fields = ["user__email", "user__full_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def connect() -> None:
    """Called once the admin has discovered every ModelAdmin (the app's `ready`)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    post_save.connect(record_admin_change, sender=LogEntry, dispatch_uid="kring_audit_admin")
    # "Delete selected" writes its LogEntries with bulk_create, which sends no signal:
    # staff delete one object at a time, and each deletion is audited.
    if any(name == "delete_selected" for name, _action in admin.site.actions):
        admin.site.disable_action("delete_selected")
    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)
    admin.site.register(TOTPDevice, TOTPDeviceAdmin)
