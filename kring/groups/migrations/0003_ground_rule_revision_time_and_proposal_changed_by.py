"""When a ground-rule set's wording began (so a yes given at registration counts for the
same rules in the group), and who last changed a proposal.

Existing sets count as worded long ago: acceptances given before this migration stay
valid. Members of existing groups whose registration accepted the programme's rules,
and whose group's copy was never changed, are recorded as having accepted that copy.
"""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


LONG_AGO = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def carry_over_registration_acceptances(apps, schema_editor):
    GroundRuleSet = apps.get_model("groups", "GroundRuleSet")
    GroundRuleAcceptance = apps.get_model("groups", "GroundRuleAcceptance")
    Group = apps.get_model("groups", "Group")
    Registration = apps.get_model("programmes", "Registration")
    GroundRuleSet.objects.update(revised_at=LONG_AGO)
    for group in Group.objects.filter(ground_rule_set__revision=1).select_related(
        "ground_rule_set"
    ):
        members = group.memberships.filter(left_on__isnull=True).values_list("user_id", flat=True)
        accepted = Registration.objects.filter(
            programme_id=group.programme_id,
            user_id__in=list(members),
            accepted_ground_rules_at__isnull=False,
        ).values_list("user_id", flat=True)
        already = set(
            GroundRuleAcceptance.objects.filter(rule_set=group.ground_rule_set).values_list(
                "user_id", flat=True
            )
        )
        GroundRuleAcceptance.objects.bulk_create(
            GroundRuleAcceptance(rule_set=group.ground_rule_set, user_id=user_id, revision=1)
            for user_id in sorted(set(accepted) - already)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0002_initial'),
        ('programmes', '0002_encrypt_wishes_and_registration_notes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='groundruleset',
            name='revised_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name='proposal',
            name='changed_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(carry_over_registration_acceptances, migrations.RunPython.noop),
    ]
