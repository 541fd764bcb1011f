import hashlib

import django.db.models.deletion
from django.contrib.auth.hashers import is_password_usable
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def carry_over(apps, schema_editor):
    """People who could log in keep logging in; feed addresses and sent invitations keep working.

    Someone with a usable password chose it through an invitation, a registration or the
    admin before addresses were checked; they count as confirmed, as the demo's people do.
    An imported person without a password proves the address when they accept an invitation.
    """
    User = apps.get_model("accounts", "User")
    Invitation = apps.get_model("accounts", "Invitation")
    now = timezone.now()
    for user in User.objects.all().only("pk", "password", "calendar_token"):
        changed = []
        if is_password_usable(user.password):
            user.email_verified_at = now
            changed.append("email_verified_at")
        if user.calendar_token:
            user.calendar_token_hash = hashlib.sha256(user.calendar_token.encode()).hexdigest()
            changed.append("calendar_token_hash")
        if changed:
            user.save(update_fields=changed)
    Invitation.objects.update(sent_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="programme",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="programmes.programme",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="registration_details",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="invitation",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="calendar_token_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="e-mail address confirmed"
            ),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RemoveField(model_name="user", name="calendar_token"),
    ]
